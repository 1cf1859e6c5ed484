"""Certificates: issued for each listed application, rendered, signed (PAdES) and verifiable by
anyone from their random serial."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from sqlmodel import Session, select

from .. import audit
from ..accounts.models import APPLICANT, PROVINCE_OFFICER, Organisation, User
from ..applications.models import Application, Revision
from ..publication.models import Certificate, Listing
from ..publication.official import programme_title
from ..publication.services import PublicationError, _officer, publicity_of
from ..rounds.models import Round
from .render import render_certificate
from .signing import Signing, sign_pdf

SERIAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud without doubt


def new_serial() -> str:
    """16 characters from 32: 80 random bits, not guessable, easy to type from paper."""
    body = "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(16))
    return f"{body[:4]}-{body[4:8]}-{body[8:12]}-{body[12:]}"


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _criteria_version(db: Session, application_id: int) -> tuple[str, str]:
    revision = db.exec(select(Revision).where(Revision.application_id == application_id,
                                              Revision.submitted_at.is_not(None))
                       .order_by(Revision.number.desc()).limit(1)).one()
    return revision.result["criteria"]["id"], revision.result["criteria"]["version"]


def issue_for_round(db: Session, officer: User, round_: Round, *, today: date, folder: Path,
                    signing: Signing, verify_url: Callable[[str], str], valid_years: int,
                    progress: Callable[[int, int], None] | None = None,
                    official: dict | None = None) -> list[Certificate]:
    """A certificate for every listing of the round that has no valid one. Each is committed
    as soon as it is signed, so an interrupted batch keeps what it finished and can resume.
    `official`: the department's name and seal (settings.official(); none: the default name,
    no seal)."""
    _officer(officer)
    pending = [x for x in db.exec(select(Listing).where(Listing.round_id == round_.id,
                                                        Listing.removed_on.is_(None))
                                  .order_by(Listing.id)).all()
               if not db.exec(select(Certificate).where(Certificate.listing_id == x.id,
                                                        Certificate.status == "valid")).first()]
    if not pending and not db.exec(select(Listing).where(Listing.round_id == round_.id)).first():
        raise PublicationError(_("该批次尚未发布名单"))
    folder.mkdir(parents=True, exist_ok=True)
    period = publicity_of(db, round_)
    official = {**(official or {}), "document_number": (period and period.document_number) or ""}
    issued = []
    for done, listing in enumerate(pending, start=1):
        issued.append(_issue(db, officer, round_, listing, today=today, folder=folder,
                             signing=signing, verify_url=verify_url, valid_years=valid_years,
                             official=official))
        if progress:
            progress(done, len(pending))
    return issued


def _issue(db: Session, officer: User, round_: Round, listing: Listing, *, today: date,
           folder: Path, signing: Signing, verify_url, valid_years: int,
           official: dict) -> Certificate:
    serial = new_serial()
    criteria_id, version = _criteria_version(db, listing.application_id)
    valid_until = _add_years(today, valid_years)
    uscc = db.get(Organisation, db.get(Application, listing.application_id).organisation_id).uscc
    programme = programme_title(listing.subject)
    facts = {**official, "serial": serial, "organisation": listing.organisation_name,
             "uscc": uscc, "programme_title_zh": programme["zh"],
             "programme_title_en": programme["en"],
             "level_zh": listing.level_zh, "level_en": listing.level_en,
             "round_title": round_.title, "criteria_id": criteria_id,
             "criteria_version": version, "issued_on": today.isoformat(),
             "valid_until": valid_until.isoformat(), "verify_url": verify_url(serial),
             "subject": listing.subject}
    pdf = sign_pdf(render_certificate(facts), signing.key, signing.cert)
    stored = secrets.token_hex(16)
    (folder / stored).write_bytes(pdf)
    certificate = Certificate(serial=serial, listing_id=listing.id,
                              organisation_name=listing.organisation_name,
                              organisation_uscc=uscc, level_zh=listing.level_zh, level_en=listing.level_en,
                              round_title=round_.title, criteria_id=criteria_id,
                              criteria_version=version, issued_on=today, valid_until=valid_until,
                              stored_name=stored, pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                              signer=signing.signer, issued_by=officer.id)
    db.add(certificate)
    db.flush()
    audit.record(db, actor_id=officer.id, action="issue_certificate", object_type="certificate",
                 object_id=certificate.id, details={"serial": serial,
                                                    "sha256": certificate.pdf_sha256,
                                                    "application": listing.application_id})
    db.commit()
    return certificate


def find(db: Session, serial: str) -> Certificate | None:
    return db.exec(select(Certificate).where(Certificate.serial == serial.strip().upper())).first()


def status(certificate: Certificate, today: date) -> str:
    """valid, revoked or expired."""
    if certificate.status == "revoked":
        return "revoked"
    return "expired" if today > certificate.valid_until else "valid"


def matches(certificate: Certificate, content: bytes) -> bool:
    return hashlib.sha256(content).hexdigest() == certificate.pdf_sha256


def of_round(db: Session, round_: Round) -> list[Certificate]:
    return list(db.exec(select(Certificate).join(Listing).where(Listing.round_id == round_.id)
                        .order_by(Certificate.id)).all())


def latest_by_listing(db: Session, round_: Round) -> dict[int, Certificate]:
    """Each list line's newest certificate (a revoked one stays until another is issued)."""
    return {c.listing_id: c for c in of_round(db, round_)}


def latest_of_listings(db: Session, listing_ids: list[int]) -> dict[int, Certificate]:
    """latest_by_listing for some lines only (a page of the list)."""
    return {c.listing_id: c for c in db.exec(select(Certificate).where(
        Certificate.listing_id.in_(listing_ids)).order_by(Certificate.id)).all()}


def may_download(db: Session, user: User, certificate: Certificate) -> bool:
    """The signed PDF is for province officers and the holder's own users."""
    if user.role == PROVINCE_OFFICER:
        return True
    application = db.get(Application, db.get(Listing, certificate.listing_id).application_id)
    return user.role == APPLICANT and user.organisation_id == application.organisation_id


def of_organisation(db: Session, organisation_id: int) -> list[Certificate]:
    return list(db.exec(select(Certificate).join(Listing).join(
        Application, Application.id == Listing.application_id).where(
        Application.organisation_id == organisation_id).order_by(Certificate.id)).all())
