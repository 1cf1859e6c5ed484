"""The application as the review reads it: its latest submitted revision, the result frozen with
it, and who applies as the conflict checks see them (the organisation and a park's member
enterprises)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session, select

from ..accounts.models import Organisation
from ..applications.models import Application, Revision
from .conflicts import Applicant
from .errors import ReviewError


def applicant_of(db: Session, application: Application) -> Applicant:
    revision = submitted_revision(db, application)
    return applicant(db.get(Organisation, application.organisation_id),
                     revision.data if revision else {})


def applicant(organisation: Organisation, data: dict) -> Applicant:
    """Who applies, as conflicts see them: the organisation and a park's member enterprises
    (from the submitted data)."""
    members = tuple((m.get("uscc") or "").upper() for m in (data.get("members") or []))
    return Applicant(organisation.id, organisation.uscc, members)


def submitted_revision(db: Session, application: Application) -> Revision | None:
    return db.exec(select(Revision).where(Revision.application_id == application.id,
                                          Revision.submitted_at.is_not(None))
                   .order_by(Revision.number.desc()).limit(1)).first()


def frozen_result(db: Session, application: Application) -> dict:
    revision = submitted_revision(db, application)
    if revision is None:
        raise ReviewError(_("该申报没有已提交的版本"))
    return revision.result
