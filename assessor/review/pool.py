"""The expert pool: specialities, affiliation and the relations experts declare."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session, select

from .. import audit
from ..accounts.models import EXPERT, PROVINCE_OFFICER, User
from ..platform.db import utcnow
from .conflicts import ExpertTies
from .errors import ReviewError
from .models import ExpertProfile, ExpertRelation


def profile(db: Session, expert: User) -> ExpertProfile:
    found = db.get(ExpertProfile, expert.id)
    return found or ExpertProfile(user_id=expert.id)


def update_profile(db: Session, actor: User, expert: User, *, industries: list[str],
                   topics: list[str], affiliation: str, affiliation_uscc: str | None) -> None:
    if expert.role != EXPERT:
        raise ReviewError(_("该账号不是专家"))
    if actor.role != PROVINCE_OFFICER and actor.id != expert.id:
        raise ReviewError(_("无权修改"))
    record = profile(db, expert)
    record.industries = sorted({i.strip().upper() for i in industries if i.strip()})
    record.topics = sorted(set(topics))
    record.affiliation = affiliation.strip()
    record.affiliation_uscc = (affiliation_uscc or "").strip().upper() or None
    record.updated_at = utcnow()
    db.add(record)
    audit.record(db, actor_id=actor.id, action="expert_profile", object_type="user",
                 object_id=expert.id, details={"industries": record.industries,
                                               "affiliation_uscc": record.affiliation_uscc})
    db.commit()


def declare_relation(db: Session, expert: User, *, uscc: str, organisation_name: str,
                     relation: str) -> ExpertRelation:
    if expert.role != EXPERT:
        raise ReviewError(_("只有专家可以申报关联关系"))
    if not uscc.strip() or not relation.strip():
        raise ReviewError(_("请填写统一社会信用代码和关系说明"))
    record = ExpertRelation(expert_id=expert.id, uscc=uscc.strip().upper(),
                            organisation_name=organisation_name.strip(),
                            relation=relation.strip())
    db.add(record)
    db.flush()
    audit.record(db, actor_id=expert.id, action="declare_relation", object_type="user",
                 object_id=expert.id, details={"uscc": record.uscc, "relation": record.relation})
    db.commit()
    return record


def withdraw_relation(db: Session, expert: User, relation_id: int) -> None:
    record = db.get(ExpertRelation, relation_id)
    if record is None or record.expert_id != expert.id or record.withdrawn_at:
        raise ReviewError(_("记录不存在"))
    record.withdrawn_at = utcnow()
    db.add(record)
    audit.record(db, actor_id=expert.id, action="withdraw_relation", object_type="user",
                 object_id=expert.id, details={"uscc": record.uscc})
    db.commit()


def relations(db: Session, expert_id: int) -> list[ExpertRelation]:
    return list(db.exec(select(ExpertRelation).where(ExpertRelation.expert_id == expert_id,
                                                     ExpertRelation.withdrawn_at.is_(None))).all())


def experts(db: Session) -> list[User]:
    return list(db.exec(select(User).where(User.role == EXPERT, User.active)
                        .order_by(User.id)).all())


def ties(db: Session, expert: User) -> ExpertTies:
    record = profile(db, expert)
    return ExpertTies(expert.id, expert.organisation_id, record.affiliation_uscc,
                      {r.uscc: r.relation for r in relations(db, expert.id)})
