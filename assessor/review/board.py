"""The officer's review board: a page of a round's applications in expert review, each with its
assignments and, for every expert in the pool, why they may not take it (or None).

A page is read in a fixed number of queries however long the round and the pool are: the
page's organisations, submitted data and assignments each in one. The pool (every active expert
with their ties) is read in three and changes only with audited changes, so the view keeps it
per data version (versioned.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, func, select

from ..accounts.models import Organisation, User
from ..applications.models import Application, Revision
from ..rounds.models import Round
from .applicants import applicant
from .conflicts import ExpertTies
from .models import Assignment, ExpertProfile, ExpertRelation
from .pool import experts
from .services import assigned_experts, blocking
from .states import OPEN


@dataclass(frozen=True)
class PoolExpert:
    id: int
    name: str
    ties: ExpertTies


@dataclass
class BoardRow:
    application: Application
    organisation: Organisation
    assignments: list[Assignment]
    blocked: list[tuple[PoolExpert, str]]  # the experts it may not go to, and why
    free: list[int]  # the ids of the experts it may still go to, in the pool's order
    # assignments stopped by a conflict found after assignment, while the slots are short
    to_reassign: list[Assignment] = field(default_factory=list)


@dataclass
class BoardPage:
    rows: list[BoardRow]
    pool: list[PoolExpert]
    total: int
    page: int
    pages: int


def expert_pool(db: Session) -> list[PoolExpert]:
    """Every expert who may be assigned, with their ties, in the pool's order."""
    pool = experts(db)
    ties = pool_ties(db, pool)
    return [PoolExpert(e.id, e.name, ties[e.id]) for e in pool]


def pool_ties(db: Session, pool: list[User]) -> dict[int, ExpertTies]:
    """Each expert's ties (review.pool.ties) for the whole pool, in two queries."""
    ids = [e.id for e in pool]
    affiliation = dict(db.exec(select(ExpertProfile.user_id, ExpertProfile.affiliation_uscc)
                               .where(ExpertProfile.user_id.in_(ids))).all())
    related: dict[int, dict[str, str]] = {i: {} for i in ids}
    for relation in db.exec(select(ExpertRelation).where(ExpertRelation.expert_id.in_(ids),
                                                         ExpertRelation.withdrawn_at.is_(None))):
        related[relation.expert_id][relation.uscc] = relation.relation
    return {e.id: ExpertTies(e.id, e.organisation_id, affiliation.get(e.id), related[e.id])
            for e in pool}


def submitted_members(db: Session, application_ids: list[int]) -> dict[int, dict]:
    """Each application's latest submitted data as conflicts read it: only a park's member
    enterprises (the whole data would be read and parsed for one list)."""
    latest: dict[int, tuple[int, list | None]] = {}
    for application_id, number, members in db.exec(
            select(Revision.application_id, Revision.number, Revision.data["members"])
            .where(Revision.application_id.in_(application_ids),
                   Revision.submitted_at.is_not(None))).all():
        if application_id not in latest or number > latest[application_id][0]:
            latest[application_id] = (number, members)
    return {k: {"members": members} for k, (_number, members) in latest.items()}


def _in_review(round_: Round) -> tuple:
    return Application.round_id == round_.id, Application.state == "in_review"


def in_review_count(db: Session, round_: Round) -> int:
    return db.exec(select(func.count(Application.id)).where(*_in_review(round_))).one()


def board_page(db: Session, round_: Round, page: int, size: int,
               pool: list[PoolExpert], total: int | None = None) -> BoardPage:
    """Page `page` of the round's applications in review, against `pool` (expert_pool);
    `total` when the caller kept in_review_count."""
    in_review = _in_review(round_)
    if total is None:
        total = in_review_count(db, round_)
    pages = max(1, -(-total // size))
    page = max(1, min(page, pages))
    applications = db.exec(select(Application).where(*in_review).order_by(Application.id)
                           .offset((page - 1) * size).limit(size)).all()
    ids = [a.id for a in applications]
    organisations = {o.id: o for o in db.exec(select(Organisation).where(
        Organisation.id.in_([a.organisation_id for a in applications]))).all()}
    data = submitted_members(db, ids)
    assignments: dict[int, list[Assignment]] = {i: [] for i in ids}
    for assignment in db.exec(select(Assignment).where(Assignment.application_id.in_(ids))
                              .order_by(Assignment.id)).all():
        assignments[assignment.application_id].append(assignment)
    rows = []
    for application in applications:
        organisation = organisations[application.organisation_id]
        who = applicant(organisation, data.get(application.id, {}))
        assigned = assigned_experts(assignments[application.id])
        reasons = [(e, blocking(e.ties, who, assigned)) for e in pool]
        holding = sum(1 for a in assignments[application.id] if a.state in OPEN)
        short = holding < round_.reviewers_per_application
        rows.append(BoardRow(application, organisation, assignments[application.id],
                             [(e, why) for e, why in reasons if why],
                             [e.id for e, why in reasons if not why],
                             [a for a in assignments[application.id]
                              if a.state == "conflict" and short]))
    return BoardPage(rows, pool, total, page, pages)
