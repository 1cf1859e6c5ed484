"""What publication's pages show, read in one place so the views only choose and render."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, select

from ..accounts.models import Organisation, User
from ..applications.models import Application
from ..certificates import issue as certificates
from ..rounds.models import Round
from . import services
from .filing import calls_for
from .models import Certificate, FilingCall, Holiday, Listing, Objection, Publicity


def current_publicities(db: Session, today: date) -> list[tuple[Round, Publicity]]:
    """The rounds in their publicity period today."""
    return [(r, p) for r in db.exec(select(Round)).all()
            if (p := services.publicity_of(db, r)) and services.in_period(p, today)]


def objection_target(db: Session, round_: Round, application_id: int | None
                     ) -> Application | None:
    """The application an objection names, if it is one of the round's."""
    application = db.get(Application, application_id or 0)
    if application is None or application.round_id != round_.id:
        return None
    return application


def listing_removed(db: Session, certificate: Certificate) -> bool:
    """Whether the certificate's line was taken off the list (shown on its verification)."""
    listing = db.get(Listing, certificate.listing_id)
    return listing is not None and listing.removed_on is not None


def manage_page(db: Session, round_: Round, today: date) -> dict:
    """The officer's publication page of a round: everything but the job being watched, with
    the reason each action cannot be taken today (None where it can)."""
    approved = db.exec(select(Application).where(Application.round_id == round_.id,
                                                 Application.state == "approved")).all()
    entries = services.listings(db, round_)
    issued = {c.listing_id: c for c in certificates.of_round(db, round_)}
    return {
        "period": services.publicity_of(db, round_), "approved": approved,
        "rows": services.publicity_rows(db, round_),
        "objections": objection_rows(db, round_),
        "entries": entries, "certificates": issued,
        "holidays": db.exec(select(Holiday).order_by(Holiday.day)).all(),
        "calls": db.exec(select(FilingCall).where(FilingCall.round_id == round_.id)).all(),
        "blocked": {
            "publicity": None if approved else _("该批次没有已通过的申报，不能开始公示"),
            "publish": services.publish_blocker(db, round_, today),
            "issue": _issue_blocker(entries, issued)},
    }


def _issue_blocker(entries: list[Listing], issued: dict[int, Certificate]) -> str | None:
    """Why no certificate can be issued now: every line still listed has a valid one."""
    if any(e.removed_on is None and (e.id not in issued or issued[e.id].status != "valid")
           for e in entries):
        return None
    return _("名单中的单位均已有有效证书")


def objection_rows(db: Session, round_: Round) -> list[dict]:
    """The round's objections, each with the application it names: the organisation, the
    application's number and the round."""
    rows = db.exec(select(Objection, Application, Organisation)
                   .join(Application, Application.id == Objection.application_id)
                   .join(Organisation, Organisation.id == Application.organisation_id)
                   .where(Application.round_id == round_.id).order_by(Objection.id)).all()
    return [{"objection": o, "application": a, "organisation": org.name, "round": round_}
            for o, a, org in rows]


def my_filings(db: Session, user: User) -> list[tuple[FilingCall, Listing, Round]]:
    """The calls to file that concern the user's organisation, with their rounds."""
    return [(call, listing, db.get(Round, call.round_id))
            for call, listing in calls_for(db, user)]


def organisation_of(db: Session, user: User) -> Organisation | None:
    return db.get(Organisation, user.organisation_id)
