"""What the review pages show, each page's read in one call: views render it as it comes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from ..accounts.models import Organisation, User
from ..applications import claim_ranges, comparison
from ..applications.models import Application, Evidence
from ..engine import Engine
from ..rounds.models import Round
from . import services
from .blind import applicant_code, blind_data, blind_result, evidence_name
from .models import Assignment, ExpertProfile, ExpertRelation
from .photos import photos_of
from .scales import reviewable_items
from .scoresheet import preview_kind, score_sheet


def expert_pool(db: Session) -> list[tuple[User, ExpertProfile, list[ExpertRelation]]]:
    """Every active expert with their profile and declared relations."""
    return [(e, services.profile(db, e), services.relations(db, e.id))
            for e in services.experts(db)]


def rounds(db: Session) -> list[Round]:
    """Every round, the newest first."""
    return list(db.exec(select(Round).order_by(Round.id.desc())).all())


def side_by_side(db: Session, engine: Engine, user: User, application: Application
                 ) -> dict | None:
    """The officer's page of an application's reviews beside the engine's result; None when
    it has no submitted revision."""
    try:
        result = services.frozen_result(db, application)
    except services.ReviewError:
        return None
    criteria = engine.criteria(result["criteria"]["id"])
    reviews = services.submitted_reviews(db, application)
    return {"application": application,
            "organisation": db.get(Organisation, application.organisation_id),
            "round": db.get(Round, application.round_id), "result": result,
            "items": reviewable_items(criteria, result), "reviews": reviews,
            "experts": {u.id: u for u in services.experts(db)},
            "assignments": services.assignments_of(db, application),
            "summary": services.summary(db, engine, application) if reviews else None,
            "evidence": [dict(e, preview=preview_kind(e["name"]))
                         for e in services.submitted_revision(db, application).evidence or []],
            "claims_elsewhere": claim_ranges.shown(db, user, application)}


# The expert's tasks in the order they need doing: to declare, to review, then the finished.
_TASK_ORDER = {"pending": 0, "active": 1, "submitted": 2, "declined": 3, "expired": 3,
               "conflict": 3}


@dataclass
class Task:
    """One line of the expert's task list. `applicant` is the blind code in a blind round."""

    assignment: Assignment
    round: Round
    applicant: str
    overdue: bool  # still to do and past its deadline


def assignments_of_expert(db: Session, expert: User, today) -> list[Task]:
    """The expert's assignments, what needs doing first (soonest deadline first), each with its
    round and applicant; a blind round names no applicant."""
    rows = db.exec(select(Assignment, Application, Round, Organisation)
                   .join(Application, Application.id == Assignment.application_id)
                   .join(Round, Round.id == Application.round_id)
                   .join(Organisation, Organisation.id == Application.organisation_id)
                   .where(Assignment.expert_id == expert.id)).all()
    tasks = [Task(assignment, round_,
                  applicant_code(application.id) if round_.blind else organisation.name,
                  assignment.state in ("pending", "active") and assignment.due_on < today)
             for assignment, application, round_, organisation in rows]
    return sorted(tasks, key=_task_order)


def _task_order(task: Task) -> tuple:
    """To declare, to review (soonest deadline first), then the finished (latest first)."""
    group, due = _TASK_ORDER[task.assignment.state], task.assignment.due_on.toordinal()
    return group, due if group < 2 else -due, -task.assignment.id


def assignment_page(db: Session, engine: Engine, assignment: Assignment) -> dict:
    """What the expert's page of an assignment shows. Before the declaration only the
    declaration (`declaring`); then the submitted data and result, the review and its photos.
    In a blind round, nothing that names the applicant."""
    application = db.get(Application, assignment.application_id)
    round_ = db.get(Round, application.round_id)
    organisation = None if round_.blind else db.get(Organisation, application.organisation_id)
    page = {"assignment": assignment, "round": round_, "application": application,
            "organisation": organisation,
            "blind_code": applicant_code(application.id) if round_.blind else None}
    if assignment.state not in ("active", "submitted"):  # nothing opens before the declaration
        return {**page, "declaring": True}
    result = services.frozen_result(db, application)
    revision = services.submitted_revision(db, application)
    criteria = engine.criteria(result["criteria"]["id"])
    review = services.review_of(db, assignment)
    evidence = revision.evidence or []
    if round_.blind:
        evidence = [dict(e, name=evidence_name(e["id"], e["name"])) for e in evidence]
    items, other_evidence = score_sheet(criteria, result, evidence)
    data = blind_data(revision.data) if round_.blind else revision.data
    return {**page, "declaring": False, "data": data,
            "data_rows": comparison.data_rows(data or {}, comparison.Words(criteria,
                                                                           criteria.reference)),
            "result": blind_result(result) if round_.blind else result, "items": items,
            "evidence": evidence, "other_evidence": other_evidence,
            "evidence_kinds": criteria.model.evidence_kinds, "review": review,
            "photos": photos_of(db, review)}


def saved_values(review) -> dict:
    """A review's fields as the assignment form shows them."""
    return {"scores": review.scores, "comments": review.comments, "opinion": review.opinion,
            "recommendation": review.recommendation, "inspection": review.inspection or {}}


@dataclass(frozen=True)
class EvidenceFile:
    record: Evidence
    name: str  # as the expert sees it: a neutral name in a blind round


def evidence_file(db: Session, assignment: Assignment, evidence_id: int) -> EvidenceFile | None:
    """A file of the submission the expert reviews, once they have declared; else None."""
    if assignment.state not in ("active", "submitted"):
        return None
    application = db.get(Application, assignment.application_id)
    revision = services.submitted_revision(db, application)
    if evidence_id not in {e["id"] for e in (revision.evidence or [])}:
        return None
    record = db.get(Evidence, evidence_id)
    round_ = db.get(Round, application.round_id)
    name = evidence_name(record.id, record.original_name) if round_.blind else \
        record.original_name
    return EvidenceFile(record, name)
