"""What the API returns for each thing, as plain JSON-ready data (the shapes are described in
openapi.py; a test checks every response against them)."""

from __future__ import annotations

from datetime import date, datetime

from ..accounts.models import Organisation
from ..accounts.regions import city_name
from ..applications.models import Application, Revision
from ..applications.workflow import STATE_TITLES
from ..engine import CriteriaSet
from ..publication.models import Certificate, Listing, Publicity
from ..rounds.models import Round

SUBJECT_TITLES = {"factory": ("零碳工厂", "Zero-carbon factory"),
                  "park": ("零碳工业园区", "Zero-carbon park")}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _pair(pair: tuple[str, str]) -> dict:
    return {"zh": pair[0], "en": pair[1]}


def _city(code: str) -> dict:
    return {"code": code, "zh": city_name(code), "en": city_name(code, english=True)}


def round_(round_: Round, today: date) -> dict:
    return {"id": round_.id, "title": round_.title, "subject": round_.subject,
            "subject_title": _pair(SUBJECT_TITLES[round_.subject]), "year": round_.year,
            "criteria_id": round_.criteria_id, "opens_on": _day(round_.opens_on),
            "closes_on": _day(round_.closes_on), "publicity_days": round_.publicity_days,
            "open": round_.is_open(today)}


def criteria_summary(criteria: CriteriaSet) -> dict:
    model = criteria.model
    return {"id": model.id, "version": model.version, "subject": model.subject,
            "title": model.title.model_dump(), "status": model.status,
            "effective_from": model.effective_from, "notice": model.notice.model_dump(),
            "total_points": model.total_points}


def criteria_set(criteria: CriteriaSet) -> dict:
    """The whole set as published in criteria/: items, thresholds, levels and their sources."""
    return criteria.model.model_dump(mode="json")


def organisation(org: Organisation) -> dict:
    return {"id": org.id, "name": org.name, "uscc": org.uscc, "kind": org.kind,
            "city": _city(org.city)}


def application_summary(application: Application, org: Organisation) -> dict:
    return {"id": application.id, "round_id": application.round_id,
            "organisation": organisation(org), "state": application.state,
            "state_title": _pair(STATE_TITLES[application.state]),
            "decision": application.decision, "created_at": _moment(application.created_at),
            "updated_at": _moment(application.updated_at)}


def _decision_basis(application: Application) -> dict | None:
    """What the application page says a decision rests on: the count of expert reviews, how
    they were combined, the combined total and the level it gives."""
    basis = application.decision_basis or {}
    level = basis.get("level_with_expert_points")
    if not level:
        return None
    return {"reviews": basis["reviews"], "method": basis["method"],
            "total": basis["total"]["value"], "level": {"id": level["id"],
                                                        "title": level["title"]}}


def revision(revision: Revision) -> dict:
    return {"number": revision.number, "criteria_id": revision.criteria_id,
            "submitted_at": _moment(revision.submitted_at),
            "updated_at": _moment(revision.updated_at), "lock_version": revision.lock_version,
            "return_reason": revision.return_reason}


def application(application: Application, org: Organisation, round_record: Round, *,
                revisions: list[Revision], result: dict | None, problems: list, editable: bool,
                today: date) -> dict:
    """The application as its page shows it to the user: state, the revisions they see, the
    latest one's data and its result (frozen when submitted, live for a draft) with the
    explanation, or the problems that stop it being scored."""
    latest = revisions[-1]
    out = application_summary(application, org)
    out.update({
        "round": round_(round_record, today),
        "editable": editable,
        "decision_basis": _decision_basis(application),
        "revisions": [revision(r) for r in revisions],
        "latest_revision": dict(revision(latest), data=latest.data),
        "result": result,
        "problems": [{"path": p.path, "zh": p.zh, "en": p.en} for p in problems],
    })
    return out


def listing(entry: Listing, certificate: Certificate | None, verify_url) -> dict:
    return {"organisation_name": entry.organisation_name, "city": _city(entry.city),
            "subject": entry.subject,
            "level": {"id": entry.level_id, "zh": entry.level_zh, "en": entry.level_en},
            "listed_on": _day(entry.listed_on), "removed_on": _day(entry.removed_on),
            "removal_reason": entry.removal_reason,
            "certificate": {"serial": certificate.serial, "status": certificate.status,
                            "verify_url": verify_url(certificate.serial)}
            if certificate else None}


def published_list(round_record: Round, period: Publicity, entries: list[dict],
                   today: date) -> dict:
    return {"round": round_(round_record, today), "published_on": _day(period.published_on),
            "entries": entries}


def certificate(certificate: Certificate, status: str, *, verify_url: str,
                pdf_url: str | None) -> dict:
    return {"serial": certificate.serial, "status": status,
            "organisation_name": certificate.organisation_name,
            "level": {"zh": certificate.level_zh, "en": certificate.level_en},
            "round_title": certificate.round_title,
            "criteria": {"id": certificate.criteria_id, "version": certificate.criteria_version},
            "issued_on": _day(certificate.issued_on),
            "valid_until": _day(certificate.valid_until), "signer": certificate.signer,
            "pdf_sha256": certificate.pdf_sha256, "revoked_at": _moment(certificate.revoked_at),
            "revocation_reason": certificate.revocation_reason,
            "links": {"verify": verify_url, "pdf": pdf_url}}
