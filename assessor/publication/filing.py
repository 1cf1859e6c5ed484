"""Annual filing (动态管理): listed organisations file a year's data through the same form; the
engine scores it; officers see who fell below their level or did not file by the deadline."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, select

from .. import audit
from ..accounts.models import APPLICANT, User
from ..applications.models import Application, Revision
from ..engine import Engine, Problem, SubmissionError
from ..notifications import notify
from ..platform.db import utcnow
from ..platform.i18n import join, pick
from ..rounds.models import Round
from .models import Filing, FilingCall, Listing
from .services import PublicationError, _officer


def open_call(db: Session, officer: User, round_: Round, year: int, deadline: date,
              today: date) -> FilingCall:
    _officer(officer)
    if deadline < today:
        raise PublicationError(_("报送截止日期不能早于今天"))
    if not 2020 <= year <= 2100:  # as a round's data year (rounds.forms)
        raise PublicationError(_("年度应在 2020–2100 之间"))
    if db.exec(select(FilingCall).where(FilingCall.round_id == round_.id,
                                        FilingCall.year == year)).first():
        raise PublicationError(_("%(year)s 年度报送已发起", year=year))
    active = [x for x in db.exec(select(Listing).where(Listing.round_id == round_.id,
                                                       Listing.removed_on.is_(None))).all()]
    if not active:
        raise PublicationError(_("该批次没有在册单位"))
    call = FilingCall(round_id=round_.id, year=year, deadline=deadline, opened_by=officer.id)
    db.add(call)
    db.flush()
    audit.record(db, actor_id=officer.id, action="open_filing", object_type="round",
                 object_id=round_.id, details={"year": year, "deadline": deadline.isoformat()})
    for listing in active:
        application = db.get(Application, listing.application_id)
        users = list(db.exec(select(User).where(
            User.organisation_id == application.organisation_id, User.active)).all())
        notify(db, users, zh=f"请于 {deadline} 前报送 {year} 年度数据（{round_.title}）",
               en=f"Please file {year} data by {deadline} ({round_.title})")
    db.commit()
    return call


def calls_for(db: Session, user: User) -> list[tuple[FilingCall, Listing]]:
    """The filing calls that concern the user's organisation (listed and not removed)."""
    if user.role != APPLICANT:
        return []
    rows = db.exec(select(FilingCall, Listing).join(
        Listing, Listing.round_id == FilingCall.round_id).join(
        Application, Application.id == Listing.application_id).where(
        Application.organisation_id == user.organisation_id, Listing.removed_on.is_(None))
        .order_by(FilingCall.id.desc())).all()
    return [(c, x) for c, x in rows]


def filing(db: Session, user: User, call: FilingCall) -> Filing:
    """The user's organisation's filing for `call` (created on first use)."""
    pairs = [x for c, x in calls_for(db, user) if c.id == call.id]
    if not pairs:
        raise PublicationError(_("无需报送"))
    listing = pairs[0]
    found = db.exec(select(Filing).where(Filing.call_id == call.id,
                                         Filing.listing_id == listing.id)).first()
    if found:
        return found
    round_ = db.get(Round, call.round_id)
    data, source = last_years_figures(db, listing, call)
    created = Filing(call_id=call.id, listing_id=listing.id, copied_from=source,
                     data={**data, "subject": round_.subject, "reporting_year": call.year})
    db.add(created)
    db.commit()
    return created


def last_years_figures(db: Session, listing: Listing, call: FilingCall
                       ) -> tuple[dict, dict | None]:
    """What a new filing starts from, and where it came from: the listing's submitted filing of
    the latest earlier year, else the listed application's last submitted revision."""
    earlier = db.exec(select(Filing, FilingCall).join(FilingCall, FilingCall.id == Filing.call_id)
                      .where(Filing.listing_id == listing.id, Filing.submitted_at.is_not(None),
                             FilingCall.year < call.year)
                      .order_by(FilingCall.year.desc())).first()
    if earlier is not None:
        data, source = earlier[0].data, {"kind": "filing", "year": earlier[1].year}
    else:
        revision = db.exec(select(Revision).where(
            Revision.application_id == listing.application_id, Revision.submitted_at.is_not(None))
            .order_by(Revision.number.desc()).limit(1)).first()
        if revision is None:
            return {}, None
        data = revision.data
        source = {"kind": "application", "number": revision.number,
                  "year": data.get("reporting_year")}
    copied, left_out = _without_retired(data)
    return copied, {**source, "left_out": left_out}


def _without_retired(data: dict) -> tuple[dict, list[str]]:
    """The data less what one year's claim retires (green certificates' and offsets' serials
    cannot be claimed again: the filer enters this year's) and the experts' points (the filing
    takes the listing decision's); with the names of what was left out."""
    copied = {key: value for key, value in data.items() if key not in ("offsets", "expert_scores")}
    electricity = dict(data.get("electricity") or {})
    left_out = ["green_certificates"] if electricity.pop("green_certificates", None) else []
    if "electricity" in data:
        copied["electricity"] = electricity
    return copied, left_out + (["offsets"] if data.get("offsets") else [])


def editable(db: Session, item: Filing, today: date) -> FilingCall:
    """The filing's call, or a refusal when it can no longer be changed."""
    call = db.get(FilingCall, item.call_id)
    if item.submitted_at is not None:
        raise PublicationError(_("已报送，不能修改"))
    if today > call.deadline:
        raise PublicationError(_("报送已于 %(date)s 截止", date=call.deadline))
    return call


def _scored_like_the_listing(db: Session, item: Filing, data: dict) -> dict:
    """The filing's data with the experts' points of the listing decision: the form has no
    expert items, and without them the level would not be comparable with the listed one."""
    listing = db.get(Listing, item.listing_id)
    basis = db.get(Application, listing.application_id).decision_basis or {}
    experts = {key: summary["value"] for key, summary in (basis.get("items") or {}).items()
               if summary.get("value") is not None and key in _expert_items(db, item)}
    return {**data, "expert_scores": experts} if experts else data


def _expert_items(db: Session, item: Filing) -> set[str]:
    from ..platform.engine_service import criteria_engine

    call = db.get(FilingCall, item.call_id)
    criteria = criteria_engine().criteria(db.get(Round, call.round_id).criteria_id)
    return {i.id for i in criteria.items_of("expert")}


def save(db: Session, engine: Engine, user: User, item: Filing, data: dict, lock_version: int,
         today: date) -> list[Problem]:
    call = editable(db, item, today)
    if item.lock_version != lock_version:
        raise PublicationError(_("该报送已被他人修改，您的修改未保存。请重新打开后再编辑。"))
    round_ = db.get(Round, call.round_id)
    try:
        engine.score(_scored_like_the_listing(db, item, data), round_.criteria_id,
                     this_year=today.year)
        problems: list[Problem] = []
    except SubmissionError as error:
        problems = error.problems
    if any(p.refused for p in problems):  # a unit or number that cannot mean what it says
        raise PublicationError(_("填写的数据有误，未保存：请按提示修改"),
                               problems=[p for p in problems if p.refused])
    item.data, item.updated_at = data, utcnow()
    item.lock_version += 1
    db.add(item)
    db.commit()
    return problems


def submit(db: Session, engine: Engine, user: User, item: Filing, today: date) -> Filing:
    call = editable(db, item, today)
    round_ = db.get(Round, call.round_id)
    try:
        item.result = engine.score(_scored_like_the_listing(db, item, item.data),
                                   round_.criteria_id)
    except SubmissionError as error:
        raise PublicationError(_("报送数据仍有问题：%(problems)s", problems=join(
            _("%(path)s：%(problem)s", path=p.path, problem=pick(p))
            for p in error.problems[:10]))) from None
    item.submitted_at, item.submitted_by = utcnow(), user.id
    db.add(item)
    from ..applications import claim_ranges  # the year's serials, against other claimants

    listed = db.get(Application, db.get(Listing, item.listing_id).application_id)
    claim_ranges.record_filing(db, engine, item, listed.organisation_id, call.year,
                               round_.criteria_id)
    audit.record(db, actor_id=user.id, action="submit_filing", object_type="listing",
                 object_id=item.listing_id, details={"year": call.year,
                                                     "level": item.result["level"]["id"]})
    db.commit()
    return item


def overview(db: Session, engine: Engine, call: FilingCall, today: date) -> list[dict]:
    """Per listed organisation: filed or not, the level now, and whether it needs a decision
    (fell below its listed level, or missed the deadline)."""
    round_ = db.get(Round, call.round_id)
    order = [level.id for level in engine.criteria(round_.criteria_id).model.levels]
    rows = []
    for listing in db.exec(select(Listing).where(Listing.round_id == round_.id)
                           .order_by(Listing.id)).all():
        item = db.exec(select(Filing).where(Filing.call_id == call.id,
                                            Filing.listing_id == listing.id)).first()
        filed = item is not None and item.submitted_at is not None
        level = item.result["level"] if filed else None
        below = filed and order.index(level["id"]) > order.index(listing.level_id) \
            if level and listing.level_id in order else False
        rows.append({"listing": listing, "filing": item if filed else None, "level": level,
                     "below": bool(below), "late": not filed and today > call.deadline,
                     "removed": listing.removed_on is not None})
    return rows
