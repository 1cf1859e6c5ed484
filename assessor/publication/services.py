"""Publicity, objections, the cultivation list and its removals.

States still change only through lifecycle.transition(); this module decides when, for a whole
round at a time, and keeps the published record (Listing) that never changes silently.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from flask_babel import gettext as _
from sqlmodel import Session, func, select

from .. import audit
from ..accounts.models import PROVINCE_OFFICER, Organisation, User
from ..applications import evidence as files
from ..applications.lifecycle import TransitionError, transition
from ..applications.models import Application, Revision
from ..applications.workflow import PUBLICATION
from ..engine import Engine
from ..notifications import notify
from ..platform.db import utcnow
from ..platform.i18n import join
from ..platform.refusal import Refused
from ..rounds.models import Round
from . import official
from .models import Certificate, Holiday, Listing, Objection, Publicity


class PublicationError(Refused):
    """A refused step of the publicity, the list, certificates or annual filing."""


class ObjectionProblems(PublicationError):
    """An objection refused for its fields: `found` is (field, message) for each problem."""

    def __init__(self, found: list[tuple[str, str]]):
        self.found = found
        super().__init__(join([message for _field, message in found]), field=found[0][0])


def _officer(user: User) -> None:
    if user.role != PROVINCE_OFFICER:
        raise PublicationError(_("只有省厅工作人员可以办理"))


# -- working days ------------------------------------------------------------------------------

def holidays(db: Session) -> set[date]:
    return {h.day for h in db.exec(select(Holiday)).all()}


def add_working_days(start: date, days: int, closed: set[date]) -> date:
    """The last day of a period of `days` working days beginning on `start` (or on the first
    working day after it): weekends and marked holidays do not count."""
    if days < 1:
        raise ValueError("a period has at least one working day")
    day, counted = start, 0
    while True:
        if day.weekday() < 5 and day not in closed:
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)


def mark_holiday(db: Session, officer: User, day: date, name: str) -> None:
    _officer(officer)
    if not name.strip():
        raise PublicationError(_("请填写节假日名称"))
    if db.get(Holiday, day) is None:
        db.add(Holiday(day=day, name=name.strip()[:100]))
        audit.record(db, actor_id=officer.id, action="mark_holiday", object_type="holiday",
                     object_id=None, details={"day": day.isoformat(), "name": name.strip()})
        db.commit()


def unmark_holiday(db: Session, officer: User, day: date) -> None:
    _officer(officer)
    holiday = db.get(Holiday, day)
    if holiday is not None:
        db.delete(holiday)
        audit.record(db, actor_id=officer.id, action="unmark_holiday", object_type="holiday",
                     object_id=None, details={"day": day.isoformat()})
        db.commit()


# -- publicity ---------------------------------------------------------------------------------

def publicity_of(db: Session, round_: Round) -> Publicity | None:
    return db.exec(select(Publicity).where(Publicity.round_id == round_.id)).first()


def open_publicity(db: Session, engine: Engine, officer: User, round_: Round, starts_on: date,
                   today: date) -> Publicity:
    """Every approved application of the round goes into publicity for the round's period."""
    _officer(officer)
    if publicity_of(db, round_) is not None:
        raise PublicationError(_("该批次已开始公示"))
    if starts_on < today:
        raise PublicationError(_("公示开始日期不能早于今天"))
    approved = list(db.exec(select(Application).where(Application.round_id == round_.id,
                                                      Application.state == "approved")).all())
    if not approved:
        raise PublicationError(_("该批次没有已通过的申报"))
    ends_on = add_working_days(starts_on, round_.publicity_days, holidays(db))
    publicity = Publicity(round_id=round_.id, starts_on=starts_on, ends_on=ends_on,
                          working_days=round_.publicity_days, opened_by=officer.id)
    db.add(publicity)
    for application in approved:
        transition(db, engine, application, "publicize", officer, today=today, commit=False,
                   route=PUBLICATION)
    audit.record(db, actor_id=officer.id, action="open_publicity", object_type="round",
                 object_id=round_.id, details={"from": starts_on.isoformat(),
                                               "to": ends_on.isoformat(),
                                               "applications": [a.id for a in approved]})
    db.commit()
    return publicity


def in_period(publicity: Publicity | None, today: date) -> bool:
    return publicity is not None and publicity.starts_on <= today <= publicity.ends_on


def level_of(db: Session, application: Application) -> dict:
    """The level an application stands at: the experts' level when they decided, else the
    engine's."""
    basis = application.decision_basis or {}
    if basis.get("level_with_expert_points"):
        level = basis["level_with_expert_points"]
        return {"id": level["id"], "title": level["title"]}
    revision = db.exec(select(Revision).where(Revision.application_id == application.id,
                                              Revision.submitted_at.is_not(None))
                       .order_by(Revision.number.desc()).limit(1)).one()
    return revision.result["level"]


def publicity_rows(db: Session, round_: Round) -> list[dict]:
    """What the public page shows: organisation, 市州, type, level. No scores, no people."""
    rows = []
    for application in db.exec(select(Application).where(
            Application.round_id == round_.id, Application.state == "in_publicity")
            .order_by(Application.id)).all():
        organisation = db.get(Organisation, application.organisation_id)
        rows.append({"application_id": application.id, "organisation": organisation.name,
                     "city": organisation.city, "subject": round_.subject,
                     "level": level_of(db, application)["title"]})
    return rows


# -- objections --------------------------------------------------------------------------------

MAX_ATTACHMENTS = 1  # an objection keeps one file: several documents go in one PDF
ATTACHMENT_BYTES = 10 * 1024 * 1024  # the default of OBJECTION_ATTACHMENT_MAX_BYTES


def file_objection(db: Session, application: Application, *, name: str, contact: str,
                   reason: str, attachments: Sequence[tuple[str, bytes]] = (), folder: Path,
                   today: date, max_attachment_bytes: int = ATTACHMENT_BYTES) -> Objection:
    """Anyone may object during the period; the answer is a reference number. Too many or too
    large attachments are refused before anything is stored. Province officers are told of
    the round's first objection of the day; later ones that day wait on the publicity page."""
    round_ = db.get(Round, application.round_id)
    if application.state != "in_publicity" or not in_period(publicity_of(db, round_), today):
        raise PublicationError(_("该申报不在公示期内，不能提出异议"))
    attachments = [(filename, content) for filename, content in attachments if content]
    problems = _objection_problems(name, contact, reason, attachments, max_attachment_bytes)
    if problems:
        raise ObjectionProblems(problems)
    objection = Objection(reference=_reference(today), application_id=application.id,
                          name=name.strip(), contact=contact.strip(), reason=reason.strip())
    for filename, content in attachments:
        try:
            objection.attachment_type = files.identify(filename, content[:16])
        except files.EvidenceError as error:
            raise ObjectionProblems([("attachment", error.zh)]) from None
        objection.attachment_stored, objection.attachment_sha256 = files.store(folder, content)
        objection.attachment_name = files.safe_name(filename)
    db.add(objection)
    db.flush()
    audit.record(db, actor_id=None, action="file_objection", object_type="application",
                 object_id=application.id, details={"reference": objection.reference})
    if _first_of_the_day(db, round_, objection):
        officers = list(db.exec(select(User).where(User.role == PROVINCE_OFFICER,
                                                   User.active)).all())
        notify(db, officers,
               zh=f"公示异议 {objection.reference}（申报编号 {application.id}）待处理；"
                  f"本批次今天后续收到的异议不再逐一通知，请在公示管理页面查看全部异议",
               en=f"Objection {objection.reference} to application {application.id} to handle; "
                  f"further objections to this round today are not notified one by one: see "
                  f"them all on the publicity page",
               application_id=application.id)
    db.commit()
    return objection


def _objection_problems(name: str, contact: str, reason: str,
                        attachments: list[tuple[str, bytes]], max_attachment_bytes: int
                        ) -> list[tuple[str, str]]:
    """Every reason to refuse an objection's fields and files, all at once, each on its field."""
    fields = (("name", name, 100, _("姓名或单位"), _("请填写姓名或单位")),
              ("contact", contact, 200, _("联系方式"), _("请填写联系方式")),
              ("reason", reason, 5000, _("异议理由"), _("请填写异议理由")))
    problems = [(field, blank) for field, value, _limit, _label, blank in fields
                if not value.strip()]
    problems += [(field, _("“%(field)s”最多 %(limit)s 字（收到 %(got)s 字），请精简后再提交",
                           field=label, limit=f"{limit:,}", got=f"{len(value.strip()):,}"))
                 for field, value, limit, label, _blank in fields
                 if len(value.strip()) > limit]  # the columns' sizes: refused, never cut
    files_problems = [_("附件“%(name)s”超过 %(limit)s，请压缩或删减后上传", name=files.safe_name(name),
                        limit=_size(max_attachment_bytes))
                      for name, content in attachments if len(content) > max_attachment_bytes]
    if len(attachments) > MAX_ATTACHMENTS:
        files_problems.insert(0, _("每份异议最多附 %(n)s 个文件（收到 %(got)s 个）：多份材料请合并为一个 PDF 后上传",
                                   n=MAX_ATTACHMENTS, got=len(attachments)))
    return problems + [("attachment", message) for message in files_problems]


def _size(size: int) -> str:
    return f"{size / 1048576:g} MB" if size >= 1048576 else f"{size / 1024:g} KB"


def _first_of_the_day(db: Session, round_: Round, objection: Objection) -> bool:
    """Whether no other objection to the round was filed on the same (Beijing) day: the
    reference carries the day it was filed."""
    day = objection.reference.split("-", 1)[0] + "-"
    return not db.exec(select(func.count(Objection.id)).join(Application).where(
        Application.round_id == round_.id, Objection.id != objection.id,
        Objection.reference.startswith(day))).one()


def _reference(today: date) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"YY{today:%Y%m%d}-" + "".join(secrets.choice(alphabet) for _ in range(6))


def handle_objection(db: Session, engine: Engine, officer: User, objection: Objection, *,
                     upheld: bool, reason: str, today: date) -> None:
    """Upheld: the application goes back to decision. Dismissed: the reason is recorded."""
    _officer(officer)
    if objection.state != "open":
        raise PublicationError(_("该异议已处理"))
    if not reason.strip():
        raise PublicationError(_("请填写处理理由"))
    objection.state = "upheld" if upheld else "dismissed"
    objection.handled_by, objection.handled_at = officer.id, utcnow()
    objection.handling_reason = reason.strip()
    db.add(objection)
    application = db.get(Application, objection.application_id)
    if upheld:
        transition(db, engine, application, "uphold_objection", officer,
                   reason=f"异议 {objection.reference} 成立：{reason.strip()}", today=today,
                   commit=False, route=PUBLICATION)
    audit.record(db, actor_id=officer.id, action="handle_objection", object_type="application",
                 object_id=application.id, reason=reason.strip(),
                 details={"reference": objection.reference, "upheld": upheld})
    db.commit()


def objections_of(db: Session, round_: Round) -> list[Objection]:
    return list(db.exec(select(Objection).join(Application).where(
        Application.round_id == round_.id).order_by(Objection.id)).all())


# -- the list ----------------------------------------------------------------------------------

def publish_blocker(db: Session, round_: Round, today: date) -> str | None:
    """Why the round's list cannot be published today (the page shows it beside the disabled
    button), or None."""
    publicity = publicity_of(db, round_)
    if publicity is None:
        return _("该批次尚未公示，不能发布名单")
    if publicity.published_on is not None:
        return _("名单已发布")
    if today <= publicity.ends_on:
        return _("公示期未结束（至 %(date)s），期满后才能发布名单", date=publicity.ends_on)
    waiting = sum(o.state == "open" for o in objections_of(db, round_))
    if waiting:
        return _("尚有未处理的异议（%(n)s 件），处理后才能发布名单", n=waiting)
    return None


def publish_list(db: Session, engine: Engine, officer: User, round_: Round, today: date, *,
                 document_number: str) -> list[Listing]:
    """After the period, with every objection handled, the applications in publicity are listed
    under the list's 文号 (printed on the list and its certificates)."""
    _officer(officer)
    blocker = publish_blocker(db, round_, today)
    if blocker:
        raise PublicationError(blocker)
    publicity = publicity_of(db, round_)
    number = official.document_number(document_number)
    listed = []
    for application in db.exec(select(Application).where(
            Application.round_id == round_.id, Application.state == "in_publicity")
            .order_by(Application.id)).all():
        organisation = db.get(Organisation, application.organisation_id)
        level = level_of(db, application)
        transition(db, engine, application, "list", officer, today=today, commit=False,
                   route=PUBLICATION)
        listing = Listing(round_id=round_.id, application_id=application.id,
                          organisation_name=organisation.name, city=organisation.city,
                          subject=round_.subject, level_id=level["id"],
                          level_zh=level["title"]["zh"], level_en=level["title"]["en"],
                          listed_on=today)
        db.add(listing)
        listed.append(listing)
    publicity.published_on, publicity.document_number = today, number
    db.add(publicity)
    audit.record(db, actor_id=officer.id, action="publish_list", object_type="round",
                 object_id=round_.id, details={"listed": [x.application_id for x in listed],
                                               "document_number": number})
    audit.checkpoint(db, "publication", round_id=round_.id)  # printed on the list's PDF
    db.commit()
    return listed


def listings(db: Session, round_: Round) -> list[Listing]:
    return list(db.exec(select(Listing).where(Listing.round_id == round_.id)
                        .order_by(Listing.id)).all())


def listings_page(db: Session, round_: Round, page: int, size: int
                  ) -> tuple[list[Listing], int, int, int]:
    """One page of the round's list in its order: (lines, total, page, pages), the page kept
    within the pages there are."""
    total = db.exec(select(func.count(Listing.id)).where(Listing.round_id == round_.id)).one()
    pages = max(1, -(-total // size))
    page = max(1, min(page, pages))
    lines = db.exec(select(Listing).where(Listing.round_id == round_.id).order_by(Listing.id)
                    .offset((page - 1) * size).limit(size)).all()
    return list(lines), total, page, pages


def published_rounds(db: Session) -> list[tuple[Round, Publicity]]:
    rows = db.exec(select(Round, Publicity).join(Publicity, Publicity.round_id == Round.id)
                   .where(Publicity.published_on.is_not(None))
                   .order_by(Publicity.published_on.desc())).all()
    return [(r, p) for r, p in rows]


def listing_of(db: Session, application: Application) -> Listing | None:
    return db.exec(select(Listing).where(Listing.application_id == application.id)).first()


def remove_listing(db: Session, engine: Engine, officer: User, listing: Listing, reason: str,
                   today: date) -> list[Certificate]:
    """The only way off the list, from the page and the API alike: in one transaction and one
    audit event the application is removed, its line stays on the published list with the date
    and reason, and every valid certificate is revoked with the same reason. Public pages are
    kept per data version, which that event moves on: the list and the verify page say so from
    the next request. Returns the revoked certificates."""
    _officer(officer)
    if listing.removed_on is not None:
        raise PublicationError(_("已移出名单"))
    reason = reason.strip()
    if not reason:
        raise PublicationError(_("请填写移出理由"))
    application = db.get(Application, listing.application_id)
    revoked = list(db.exec(select(Certificate).where(Certificate.listing_id == listing.id,
                                                     Certificate.status == "valid")
                           .order_by(Certificate.id)).all())
    for certificate in revoked:
        _revoke(db, certificate, reason)  # the verify page says it was removed from the list
    listing.removed_on, listing.removal_reason = today, reason
    db.add(listing)
    facts = {"listing": listing.id, "revoked_certificates": [c.serial for c in revoked]}
    if application.state == "removed":
        # removed before through the generic route (no longer possible), leaving the line and
        # the certificate behind: this finishes that removal, as one event of its own
        audit.record(db, actor_id=officer.id, action="remove", object_type="application",
                     object_id=application.id, from_state="removed", to_state="removed",
                     reason=reason, details=facts)
    else:
        try:
            transition(db, engine, application, "remove", officer, reason=reason, today=today,
                       commit=False, route=PUBLICATION, facts=facts)
        except TransitionError as error:
            raise PublicationError(error.zh) from None
    db.commit()
    return revoked


def _revoke(db: Session, certificate: Certificate, reason: str) -> None:
    """Marks the certificate revoked; the caller records the event."""
    certificate.status, certificate.revoked_at = "revoked", utcnow()
    certificate.revocation_reason = reason  # at most 2,000 characters (request_guards)
    db.add(certificate)


def revoke(db: Session, officer: User, certificate: Certificate, reason: str) -> None:
    _officer(officer)
    if certificate.status != "valid":
        raise PublicationError(_("证书已撤销"))
    if not reason.strip():
        raise PublicationError(_("请填写撤销理由"))
    _revoke(db, certificate, reason.strip())
    audit.record(db, actor_id=officer.id, action="revoke_certificate", object_type="certificate",
                 object_id=certificate.id, reason=reason.strip(), details={"serial": certificate.serial})
    db.commit()
