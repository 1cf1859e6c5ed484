"""Fuzz the whole URL map over the demo province: ≥ 10,000 requests (in-process, Flask's test
client) as anonymous visitors and every role, with hostile values in path variables, query
strings, form fields, uploads and JSON bodies; then every POST route anonymously with CSRF on.
Prints a JSON report: requests, 5xx, time, the status counts, the slowest requests, and each
5xx with its request so it can be replayed. Exit status 1 when any request answered 5xx.

    .venv/bin/python benchmarks/fuzz_routes.py [--requests 10000] [--seed 2025] [--url URL]

--url: an empty database to use (PostgreSQL too, e.g. postgresql+psycopg://…/fuzz: it is
emptied); by default a new SQLite file in a temporary folder. `make fuzz` runs it.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.web.route_fuzz: the fuzzer the tests use too

from flask import Flask  # noqa: E402
from sqlalchemy import create_engine, func, text  # noqa: E402
from sqlmodel import SQLModel, select  # noqa: E402

from assessor import create_app  # noqa: E402
from assessor.accounts.models import Organisation, User  # noqa: E402
from assessor.demo.data import PASSWORD  # noqa: E402
from assessor.demo.load import load_demo  # noqa: E402
from assessor.platform import db  # noqa: E402
from assessor.platform.dbcli import upgrade_database  # noqa: E402
from assessor.platform.engine_service import criteria_engine  # noqa: E402
from tests.web.route_fuzz import RouteFuzzer, signer, token_maker  # noqa: E402

TODAY = date(2025, 3, 1)
ROLES = [None, "applicant", "park_applicant", "city_officer", "province_officer", "expert",
         "admin"]


def world(session) -> tuple[dict, dict, int]:
    """One demo login per role, real serials and criteria ids, the largest id."""
    def first(*where):
        return session.exec(select(User).where(*where).order_by(User.id)).first()

    applicants = select(Organisation.id).where(Organisation.kind == "factory")
    parks = select(Organisation.id).where(Organisation.kind == "park")
    people = {"applicant": first(User.role == "applicant", User.organisation_id.in_(applicants)),
              "park_applicant": first(User.role == "applicant", User.organisation_id.in_(parks)),
              "city_officer": first(User.email == "city.guiyang@demo.example.com"),
              "province_officer": first(User.email == "province1@demo.example.com"),
              "expert": first(User.email == "expert1@demo.example.com"),
              "admin": first(User.email == "admin@demo.example.com")}
    users = {role: (user.id, user.email) for role, user in people.items()}
    from assessor.publication.models import Certificate

    strings = {"criteria_id": sorted(criteria_engine().sets), "filename": ["css/app.css"],
               "serial": [c.serial for c in session.exec(select(Certificate)).all()][:20]}
    largest = max(session.exec(select(func.max(table.c.id))).one() or 0
                  for table in SQLModel.metadata.sorted_tables if "id" in table.c)
    return users, strings, largest


def fuzz_app(url_given: str) -> tuple[Flask, str]:
    """The app over an empty database: a temporary SQLite file, or the PostgreSQL database at
    --url emptied."""
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    url = url_given or f"sqlite:///{folder}/fuzz.sqlite3"
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": url, "TODAY": TODAY,
                      "WTF_CSRF_ENABLED": False, "SECRET_KEY": "fuzz", "ARGON2_MEMORY_KIB": 1024,
                      "UPLOAD_FOLDER": str(folder / "uploads"),
                      "CERTIFICATE_FOLDER": str(folder / "certificates"),
                      "JOB_FOLDER": str(folder / "jobs"), "QUEUE_URL": ""})
    return app, url


def summary(fuzzer: RouteFuzzer, with_csrf: dict, url: str, seed: int, setup: float) -> dict:
    """What the run found: requests, 5xx, statuses, the endpoints never got past 4xx, CSRF."""
    report = fuzzer.report
    return {
        "benchmark": "fuzz_routes", "python": platform.python_version(),
        "database": url.split(":", 1)[0], "seed": seed, "setup_seconds": round(setup, 1),
        "rules": len(fuzzer.rules), "forms_found": len(fuzzer.forms),
        "requests": report.requests, "server_errors_5xx": report.server_errors,
        "seconds": round(report.seconds, 1),
        "requests_per_second": round(report.requests / report.seconds, 1),
        "sign_ins_again": report.sign_ins,
        "statuses": {str(k): v for k, v in sorted(report.statuses.items())},
        "endpoints_answered_2xx_3xx": sum(any(s < 400 for s in v) for k, v in
                                          report.reached.items() if k != "(no route)"),
        "endpoints": len({rule.endpoint for rule, _method in fuzzer.rules}),
        "endpoints_never_past_4xx": sorted(
            k for k, v in report.reached.items() if k != "(no route)" and min(v) >= 400),
        "csrf_on_anonymous_posts": len(with_csrf),
        "csrf_on_accepted_without_token": sorted(
            k for k, v in with_csrf.items() if v < 400 and " api." not in k),
        "slowest": [{"seconds": round(s, 3), "request": r} for s, r in report.slowest],
        "distinct_findings": sorted({f"{f.request.method} {f.request.url.split('?')[0]} → "
                                     f"{f.error.splitlines()[-1][:200]}"
                                     for f in report.findings})[:40],
        "findings": [str(f) for f in report.findings[:30]],
        "target": "0 × 5xx in ≥ 10,000 requests",
        "meets_targets": (report.requests >= 10_000 and report.server_errors == 0
                          and not any(v < 400 and " api." not in k
                                      for k, v in with_csrf.items())),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # the 5xx are reported below, not logged on the way

    app, url = fuzz_app(args.url)
    started = time.perf_counter()
    with app.app_context():
        upgrade_database()
        session = db.session()
        load_demo(session, criteria_engine(), TODAY)
        users, strings, largest = world(session)
        db.close_session()
    setup = time.perf_counter() - started

    with app.app_context():
        fuzzer = RouteFuzzer(app, ROLES, signer(app, users, PASSWORD),
                             token_maker(app, {role: uid for role, (uid, _e) in users.items()}),
                             strings, largest, seed=args.seed)
        began = time.perf_counter()
        fuzzer.crawl()
        crawled = fuzzer.report.requests
        fuzzer.run(max(0, args.requests - crawled),
                   progress=lambda n: n % 1000 == 0 and print(
                       f"  {crawled + n} requests, {fuzzer.report.server_errors} × 5xx",
                       file=sys.stderr, flush=True))
        with_csrf = fuzzer.anonymous_posts_with_csrf()
        report = fuzzer.report
        report.seconds = time.perf_counter() - began

    print(json.dumps(summary(fuzzer, with_csrf, url, args.seed, setup), ensure_ascii=False,
                     indent=2))
    return 1 if report.server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
