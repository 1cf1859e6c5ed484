"""What publication's pages show, read in one place so the views only choose and render."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from ..accounts.models import Organisation, User
from ..applications.models import Application
from ..certificates import issue as certificates
from ..rounds.models import Round
from . import services
from .filing import calls_for
from .models import Certificate, FilingCall, Holiday, Listing, Publicity


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


def manage_page(db: Session, round_: Round) -> dict:
    """The officer's publication page of a round: everything but the job being watched."""
    approved = db.exec(select(Application).where(Application.round_id == round_.id,
                                                 Application.state == "approved")).all()
    return {
        "period": services.publicity_of(db, round_), "approved": approved,
        "rows": services.publicity_rows(db, round_),
        "objections": services.objections_of(db, round_),
        "entries": services.listings(db, round_),
        "certificates": {c.listing_id: c for c in certificates.of_round(db, round_)},
        "holidays": db.exec(select(Holiday).order_by(Holiday.day)).all(),
        "calls": db.exec(select(FilingCall).where(FilingCall.round_id == round_.id)).all(),
    }


def my_filings(db: Session, user: User) -> list[tuple[FilingCall, Listing, Round]]:
    """The calls to file that concern the user's organisation, with their rounds."""
    return [(call, listing, db.get(Round, call.round_id))
            for call, listing in calls_for(db, user)]


def organisation_of(db: Session, user: User) -> Organisation | None:
    return db.get(Organisation, user.organisation_id)
