"""下载中心: the application guide, each round's criteria as a PDF and its blank Excel
template, and the commitment letter (承诺书). Nothing here needs signing in."""

from __future__ import annotations

from io import BytesIO

from flask import Response, abort, render_template, send_file

from ..applications.excel import build_template
from ..certificates.render import render_document
from ..platform import db, pagecache
from ..platform.engine_service import criteria_engine
from ..platform.i18n import pick
from ..platform.viewkit import get_or_404, today
from ..rounds.models import Round
from . import queries
from .criteria_document import criteria_pdf
from .views import bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUBJECT_ZH = {"factory": "零碳工厂", "park": "零碳工业园区"}


def guide_context() -> dict:
    """What the guide says that comes from the data: rounds still taking applications, and
    the evidence each subject's criteria ask for (primitives, for the PDF too)."""
    dbs, engine = db.session(), criteria_engine()
    rounds = queries.rounds_taking_applications(dbs, today())
    evidence: dict[str, list[str]] = {zh: [] for zh in SUBJECT_ZH.values()}
    for criteria in engine.sets.values():
        shown = evidence[SUBJECT_ZH[criteria.model.subject]]
        shown += [k.zh for k in criteria.model.evidence_kinds.values() if k.zh not in shown]
    return {"guide_rounds": [{"title": r.title, "subject": SUBJECT_ZH[r.subject], "year": r.year,
                              "opens_on": r.opens_on.isoformat(),
                              "closes_on": r.closes_on.isoformat()} for r in rounds],
            "guide_evidence": evidence, "guide_day": today().isoformat()}


@bp.get("/downloads")
def downloads():
    return pagecache.public_page(lambda: render_template(
        "portal/downloads.html", rounds=queries.rounds_for_downloads(db.session()),
        criteria_titles={c.id: f"{pick(c.model.title)} · {c.model.version}"
                         for c in criteria_engine().sets.values()}))


@bp.get("/downloads/guide")
def guide():
    return pagecache.public_page(lambda: render_template("portal/guide.html", **guide_context()))


@bp.get("/downloads/guide.pdf")
def guide_pdf():
    pdf = render_document("portal/guide_pdf.html", guide_context())
    return _pdf(pdf, "申报指南.pdf")


@bp.get("/downloads/commitment")
def commitment():
    return render_template("portal/commitment_page.html")


@bp.get("/downloads/commitment.pdf")
def commitment_pdf():
    return _pdf(render_document("portal/commitment_pdf.html", {}), "承诺书.pdf")


def _round(round_id: int) -> Round:
    round_ = get_or_404(Round, round_id)
    if round_.criteria_id not in criteria_engine().sets:  # a set taken out of service
        abort(404)
    return round_


@bp.get("/downloads/rounds/<int:round_id>/criteria.pdf")
def criteria(round_id: int):
    criteria = criteria_engine().criteria(_round(round_id).criteria_id)
    return _pdf(criteria_pdf(criteria), f"评价标准-{criteria.model.id}-{criteria.model.version}.pdf")


@bp.get("/downloads/rounds/<int:round_id>/template.xlsx")
def template(round_id: int):
    """A blank self-assessment workbook for the round (the example sheet shows how to fill
    it); an applicant's own, prefilled one is on their application."""
    round_ = _round(round_id)
    engine = criteria_engine()
    criteria = engine.criteria(round_.criteria_id)
    content = build_template(criteria, criteria.reference, None,
                             year=round_.year)
    return send_file(BytesIO(content), mimetype=XLSX, as_attachment=True,
                     download_name=f"自评价数据模板-{round_.criteria_id}-{round_.year}.xlsx")


def _pdf(content: bytes, name: str) -> Response:
    return send_file(BytesIO(content), mimetype="application/pdf", as_attachment=True,
                     download_name=name)
