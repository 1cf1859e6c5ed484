"""The whole application as a 申报书 PDF: cover, organisation, the submitted figures, indicators,
the score explained, the evidence with its SHA-256, the commitment as signed, the city's 推荐意见,
and a box to sign and seal. The applicant prints it, stamps it and uploads the scan back as the
evidence kind `signed_application_form`.

It is the official document, so it is in Chinese whatever the page's language. Rendered through
certificates.render_document (sandboxed template, safe fetcher, fails on a missing glyph)."""

from __future__ import annotations

from sqlmodel import Session

from ..accounts.models import User
from ..accounts.regions import city_name
from ..certificates.render import render_document
from ..engine import Engine
from ..platform.viewkit import beijing_date, beijing_time
from ..rounds.models import Round
from . import evidence as files
from . import queries, services
from .form_data import data_rows, number
from .models import Application, Revision
from .submission import letter

STATUS_ZH = {"passed": "通过", "failed": "未通过", "missing": "缺少数据", "not_applicable": "不适用",
             "expert_scored": "专家已评分", "suggested": "引擎建议分", "pending": "待专家评分"}
SUBJECT_ZH = {"factory": "零碳工厂", "park": "零碳工业园区"}


def _evidence(db: Session, user: User, application: Application, revision: Revision,
              titles: dict) -> list[dict]:
    """A submitted revision's files as frozen with it; a draft's current files."""
    if revision.submitted_at:
        named = revision.evidence or []
        return [{"kind": titles.get(e["item"], e["item"]), "name": e["name"],
                 "size": number(round(e["size"] / 1024, 1)), "sha256": e["sha256"]}
                for e in named]
    return [{"kind": titles.get(e.item, e.item), "name": e.original_name,
             "size": number(round(e.size / 1024, 1)), "sha256": e.sha256}
            for e in files.shown(db, user, application)]


def _indicator(entry: dict) -> dict:
    """An indicator as people read it: a fraction as a percentage, a count without a unit,
    large numbers to one decimal and small ones to four."""
    value, unit = entry["value"], entry["unit"] or ""
    if unit == "fraction" and value is not None:
        value, unit = value * 100, "%"
    if unit == "dimensionless":
        unit = ""
    if value is not None:
        value = round(value, 1 if abs(value) >= 100 else 4)
    return {"label": entry["zh"], "value": number(value), "unit": unit}


def _result(result: dict | None) -> dict | None:
    if not result:
        return None
    indicators = [_indicator(v) for k, v in result["indicators"].items()
                  if v.get("value") is not None or k not in ("pue", "wue")]  # data centres
    gates = [{"id": g["id"], "title": g["title"]["zh"], "status": STATUS_ZH.get(g["status"],
                                                                             g["status"])}
             for g in result["gates"]]
    items = [{"id": i["id"], "title": i["title"]["zh"], "points": number(round(i["points"], 2)),
              "max": number(i["max"]), "status": STATUS_ZH.get(i["status"], i["status"])}
             for i in result["items"]]
    total = result["total"]
    process = [{"unit": e.get("unit") or "申报单位", "source": _zh(e.get("source")),
                "method": _zh(e.get("method")), "tco2": number(round(e.get("tco2") or 0, 2)),
                "steps": _zh(e.get("steps"))}
               for e in result.get("process_emissions") or []]
    return {"indicators": indicators, "process": process, "gates": gates, "items": items,
            "total": number(None if total["points"] is None else round(total["points"], 2)),
            "max": number(total["max"]), "level": result["level"]["title"]["zh"],
            "trace": [t["zh"] for t in result.get("trace") or []]}


def _zh(words) -> str:
    return str(words.get("zh", "")) if isinstance(words, dict) else str(words or "")


def _recommendation(events: list) -> dict | None:
    found = queries.recommendation_of(events)
    if found is None:
        return None
    return {"text": found.reason, "on": str(beijing_date(found.at))}


def facts(db: Session, engine: Engine, user: User, application: Application) -> dict | None:
    """What the 申报书 says, as primitives; None when `user` may see no revision of it."""
    shown = services.shown_revisions(db, user, application)
    if not shown:
        return None
    revision = shown[-1]
    round_ = db.get(Round, application.round_id)
    organisation = queries.organisation_of(db, application)
    criteria = engine.criteria(revision.criteria_id)
    model = criteria.model
    result, _problems = services.shown_result(engine, revision)
    titles = {k: t.zh for k, t in model.evidence_kinds.items()}
    return {
        "programme": f"贵州省{SUBJECT_ZH[round_.subject]}评价与培育名单申报",
        "subject": round_.subject, "round_title": round_.title, "year": round_.year,
        "application_id": application.id, "revision": revision.number,
        "submitted": bool(revision.submitted_at),
        "date": str(beijing_date(revision.submitted_at) if revision.submitted_at
                    else beijing_date()),
        "criteria": f"{model.id}（{model.version}）",
        "organisation": {"name": organisation.name, "uscc": organisation.uscc,
                         "city": city_name(organisation.city) or "", "address": organisation.address,
                         "contact": organisation.contact_name, "phone": organisation.contact_phone,
                         "industry": organisation.industry},
        "data": data_rows(revision.data or {}, model, criteria.reference),
        "result": _result(result),
        "evidence": _evidence(db, user, application, revision, titles),
        "letter": letter(organisation.name, organisation.uscc, round_.title, round_.subject),
        "commitment": {"signer": revision.signer_name or "", "position": revision.signer_position
                       or "", "at": beijing_time(revision.committed_at)
                       if revision.committed_at else ""},
        "recommendation": _recommendation(queries.events_of(db, application)),
    }


def render(db: Session, engine: Engine, user: User, application: Application) -> bytes | None:
    found = facts(db, engine, user, application)
    return None if found is None else render_document("applications/form_pdf.html", found)
