"""申报书 speed: the application form PDF of a demo application with 20 evidence files.

    .venv/bin/python benchmarks/form_pdf_speed.py [--files 20] [--repeat 7]

Target (issue 18): at most 1 s. A demo province is loaded into a temporary SQLite instance; the
busiest demo enterprise's draft gets `--files` evidence files (small PDFs, every evidence kind of
its criteria in turn) through the same service as an upload; then its 申报书 is made as the
download does (the facts read from the database, rendered and checked by WeasyPrint), warm,
`--repeat` times. Reports the median, the pages and the bytes.

Before and after in one run: the same facts also rendered as before issue 18 (the template of
`--before`, read with `git show`, and the system's Noto Sans CJK SC alone, the certificates'
compact copy hidden), alternating with today's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdfium2
from sqlmodel import select
from timing import timed

from assessor import create_app
from assessor.accounts.models import User
from assessor.applications import form_pdf, services
from assessor.applications.models import Application
from assessor.certificates import fonts, render
from assessor.certificates.render import render_html
from assessor.demo.load import load_demo
from assessor.platform import db
from assessor.platform.dbcli import upgrade_database
from assessor.platform.engine_service import criteria_engine
from assessor.platform.viewkit import today

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 1.0
MADE, EMPTY = fonts.FOLDER, Path(tempfile.mkdtemp(prefix="no-fonts-"))
APPLICANT = "building@demo.example.com"  # a factory with a draft in the open round


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="and one more under cProfile")
    parser.add_argument("--before", default="b1d525b", help="the commit to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
                          "EVIDENCE_FOLDER": f"{folder}/evidence", "MAIL_FOLDER": f"{folder}/mail",
                          "SECRET_KEY": "bench"})
        with app.test_request_context():
            upgrade_database()
            session, engine = db.session(), criteria_engine()
            load_demo(session, engine, today())
            user = session.exec(select(User).where(User.email == APPLICANT)).one()
            application = session.exec(select(Application).where(
                Application.organisation_id == user.organisation_id,
                Application.state == "draft")).first()
            kinds = sorted(engine.criteria(application_criteria(session, application))
                           .model.evidence_kinds)
            for k in range(args.files):
                services.add_evidence(
                    session, user, application, item=kinds[k % len(kinds)],
                    filename=f"证明材料-{k + 1:02d}.pdf",
                    content=b"%PDF-1.4\n" + f"evidence {k}\n".encode() * 200 + b"%%EOF\n",
                    folder=Path(app.config["EVIDENCE_FOLDER"]), today=today())
            facts = form_pdf.facts(session, engine, user, application)
            old = subprocess.run(["git", "-C", str(ROOT), "show",
                                  f"{args.before}:templates/applications/form_pdf.html"],
                                 capture_output=True, text=True, check=True).stdout
            pdf = form_pdf.render(session, engine, user, application)  # warm: fonts, templates
            seconds, before = [], []

            def render_old():
                render_html(render._state()["env"].from_string(old).render(**facts),
                            certificate_style=False)

            def render_new():
                form_pdf.render(session, engine, user, application)

            for _ in range(3):  # alternating blocks, each warmed first
                for on, make, times in ((True, render_old, before), (False, render_new, seconds)):
                    as_before(on)
                    make()
                    times += timed(make, max(args.repeat // 3, 2))
            if args.profile:
                import cProfile
                import pstats
                profile = cProfile.Profile()
                profile.runcall(form_pdf.render, session, engine, user, application)
                order = os.environ.get("SORT", "cumulative")  # or tottime
                pstats.Stats(profile, stream=sys.stderr).sort_stats(order).print_stats(40)
    median = statistics.median(seconds)
    report = {
        "machine": f"{platform.machine()} {platform.python_version()}",
        "evidence_files": args.files, "repeat": args.repeat,
        "median_s": round(median, 3), "max_s": round(max(seconds), 3),
        "before": args.before, "before_median_s": round(statistics.median(before), 3),
        "pages": len(pypdfium2.PdfDocument(pdf)),
        "bytes": len(pdf), "target_s": TARGET_SECONDS, "meets_target": median <= TARGET_SECONDS,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


def as_before(on: bool) -> None:
    """The system's Noto alone (on) or the certificates' compact copy when made (off), the
    renderer's shared state made again."""
    fonts.FOLDER = EMPTY if on else MADE
    render._STATE.clear()


def application_criteria(session, application: Application) -> str:
    """The criteria id of the application's round."""
    from assessor.rounds.models import Round

    return session.get(Round, application.round_id).criteria_id


if __name__ == "__main__":
    main()
