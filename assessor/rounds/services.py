"""Rounds (申报批次): opened by a province officer with a criteria set version."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from sqlmodel import Session, select

from .. import audit
from ..accounts.models import PROVINCE_OFFICER, User
from ..engine import Engine
from ..engine.prepare import first_factor_year
from ..platform.refusal import Refused
from .models import Round


class RoundError(Refused):
    """A refused round; `field` names the form field when there is one."""


def open_round(db: Session, engine: Engine, actor: User, *, title: str, subject: str, year: int,
               criteria_id: str, opens_on: date, closes_on: date, publicity_days: int) -> Round:
    if actor.role != PROVINCE_OFFICER:
        raise RoundError(_("只有省厅工作人员可以开设申报批次"))
    criteria = _published_set(db, engine, criteria_id, subject)
    if closes_on < opens_on:
        raise RoundError(_("截止日期不能早于开始日期"), "closes_on")
    if not 1 <= publicity_days <= 60:
        raise RoundError(_("公示期应为1–60个工作日"), "publicity_days")
    first = first_factor_year(criteria, criteria.reference)  # else every draft would be refused
    if first is not None and year < first:
        raise RoundError(_("数据年度 %(year)s 早于已发布电力排放因子的最早年份（%(first)s 年）",
                           year=year, first=first), "year")
    if year > opens_on.year:
        raise RoundError(_("数据年度不能晚于申报开始的年份（%(year)s 年）", year=opens_on.year), "year")
    round_ = Round(title=title.strip(), subject=subject, year=year, criteria_id=criteria_id,
                   opens_on=opens_on, closes_on=closes_on, publicity_days=publicity_days,
                   created_by=actor.id)
    db.add(round_)
    db.flush()
    audit.record(db, actor_id=actor.id, action="open_round", object_type="round",
                 object_id=round_.id, details={"criteria": criteria_id, "year": year})
    db.commit()
    return round_


def _published_set(db: Session, engine: Engine, criteria_id: str, subject: str):
    """A round scores with a published version only (not a draft, not a superseded one)."""
    from ..criteria.lifecycle import STATE_TITLES
    from ..criteria.services import by_key

    criteria = engine.sets.get(criteria_id)
    version = by_key(db, criteria_id)
    if version is None:  # an empty database: the first start stores the shipped versions
        from flask import current_app

        from ..criteria.store import ensure_seeded
        ensure_seeded(db, Path(current_app.config["CRITERIA_ROOT"]))
        version = by_key(db, criteria_id)
    if version is not None and version.state != "published":
        raise RoundError(_("只能选用已发布的评价标准版本（“%(key)s”为%(state)s）", key=criteria_id,
                           state=STATE_TITLES[version.state]), "criteria_id")
    if criteria is None or version is None:
        raise RoundError(_("评价标准不存在"), "criteria_id")
    if criteria.subject != subject:
        raise RoundError(_("评价标准与申报类型不符"), "criteria_id")
    return criteria


def has_submissions(db: Session, round_: Round) -> bool:
    from ..applications.models import Application, Revision

    return db.exec(select(Revision.id).join(Application, Application.id == Revision.application_id)
                   .where(Application.round_id == round_.id,
                          Revision.submitted_at.is_not(None)).limit(1)).first() is not None


def change_criteria(db: Session, engine: Engine, actor: User, round_: Round,
                    criteria_id: str) -> None:
    """Another published version for a round, while nothing has been submitted to it: the
    drafts already begun follow it; after the first submission the round's version is fixed."""
    from ..applications.models import Application, Revision

    if actor.role != PROVINCE_OFFICER:
        raise RoundError(_("只有省厅工作人员可以修改申报批次"))
    if criteria_id == round_.criteria_id:
        return
    if has_submissions(db, round_):
        raise RoundError(_("该批次已有申报提交，评价标准版本不能再更改"), "criteria_id")
    criteria = _published_set(db, engine, criteria_id, round_.subject)
    first = first_factor_year(criteria, criteria.reference)
    if first is not None and round_.year < first:
        raise RoundError(_("数据年度 %(year)s 早于已发布电力排放因子的最早年份（%(first)s 年）",
                           year=round_.year, first=first), "criteria_id")
    before = round_.criteria_id
    round_.criteria_id = criteria_id
    db.add(round_)
    drafts = db.exec(select(Revision).join(Application, Application.id == Revision.application_id)
                     .where(Application.round_id == round_.id,
                            Revision.submitted_at.is_(None))).all()
    for revision in drafts:
        revision.criteria_id = criteria_id
        db.add(revision)
    audit.record(db, actor_id=actor.id, action="change_round_criteria", object_type="round",
                 object_id=round_.id, details={"criteria": [before, criteria_id],
                                               "drafts": len(drafts)})
    db.commit()


def list_rounds(db: Session) -> list[Round]:
    return list(db.exec(select(Round).order_by(Round.opens_on.desc(), Round.id.desc())).all())


def open_rounds(db: Session, subject: str, today: date) -> list[Round]:
    return list(db.exec(select(Round).where(Round.subject == subject, Round.opens_on <= today,
                                            Round.closes_on >= today)).all())


def round_of_job(session: Session, round_id: int) -> Round:
    """The round a job was started for; a job whose round has gone fails with that reason."""
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise LookupError(f"round {round_id} is gone")
    return round_
