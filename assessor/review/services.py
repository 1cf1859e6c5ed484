"""Expert review: the pool, conflicts, assignment, declarations, scoring, aggregation, decision.

Services take plain arguments and a session; every refusal is a ReviewError with a message in
the user's language (Chinese outside a request). Application states still change only through
lifecycle.transition(); an assignment's only through states.move().
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlmodel import Session, select

from .. import audit
from ..accounts.models import EXPERT, PROVINCE_OFFICER, Organisation, User
from ..applications.models import Application
from ..engine import Engine
from ..notifications import notify
from ..platform.db import utcnow
from ..platform.i18n import pick
from ..rounds.models import Round
from . import aggregate as agg
from . import pool
from .applicants import applicant_of, frozen_result, submitted_revision
from .conflicts import Applicant, ExpertTies, conflict
from .decision import decide, submitted_reviews, summary
from .errors import ReviewError, ScoringProblems
from .models import RECOMMENDATIONS, Assignment, ExpertRelation, Review
from .planning import Expert, Need, plan
from .pool import experts, profile, relations, ties, withdraw_relation
from .rechecks import check_conflict_again, stop_conflicting_reviews
from .scales import reviewable_items, scale
from .states import OPEN, move

__all__ = ["ReviewError", "applicant_of", "assign", "assigned_experts",
           "assignments_of", "auto_assign", "block_reason", "blocking", "configure_round",
           "decide", "declare_no_conflict",
           "declare_relation", "decline", "experts", "expire_overdue", "frozen_result",
           "profile", "relations", "reopen", "review_of", "save_review",
           "stop_conflicting_reviews", "submitted_reviews",
           "submitted_revision", "summary", "ties", "update_profile", "withdraw_relation"]



def _officer(user: User) -> None:
    if user.role != PROVINCE_OFFICER:
        raise ReviewError(_("只有省厅工作人员可以办理"))


# -- the round's review settings --------------------------------------------------------------

def configure_round(db: Session, officer: User, round_: Round, *, reviewers_per_application: int,
                    aggregation: str, disagreement_threshold: float, review_days: int,
                    blind: bool, site_inspection: bool) -> None:
    _officer(officer)
    if not 1 <= reviewers_per_application <= 15:
        raise ReviewError(_("每个申报的专家人数应为 1–15"))
    if aggregation not in agg.METHODS:
        raise ReviewError(_("汇总方法无效"))
    if not 0 < disagreement_threshold <= 1:
        raise ReviewError(_("分歧阈值应大于 0、不超过 1"))
    if not 1 <= review_days <= 90:
        raise ReviewError(_("评审期限应为 1–90 天"))
    round_.reviewers_per_application = reviewers_per_application
    round_.aggregation = aggregation
    round_.disagreement_threshold = disagreement_threshold
    round_.review_days = review_days
    round_.blind = blind
    round_.site_inspection = site_inspection
    db.add(round_)
    audit.record(db, actor_id=officer.id, action="review_settings", object_type="round",
                 object_id=round_.id, details={"reviewers": reviewers_per_application,
                                               "aggregation": aggregation, "blind": blind,
                                               "threshold": disagreement_threshold,
                                               "days": review_days,
                                               "site_inspection": site_inspection})
    db.commit()


# -- assignment -------------------------------------------------------------------------------

def assignments_of(db: Session, application: Application) -> list[Assignment]:
    return list(db.exec(select(Assignment).where(Assignment.application_id == application.id)
                        .order_by(Assignment.id)).all())


def block_reason(db: Session, application: Application, expert: User) -> str | None:
    """Why `expert` may not review `application` (a conflict, or already assigned), or None."""
    if expert.role != EXPERT or not expert.active:
        return _("该账号不是在册专家")
    return blocking(ties(db, expert), applicant_of(db, application),
                    assigned_experts(assignments_of(db, application)))


def assigned_experts(assignments: list[Assignment]) -> dict[int, str]:
    """{expert id: state} of an application's assignments (the first one of each expert)."""
    assigned: dict[int, str] = {}
    for assignment in assignments:
        assigned.setdefault(assignment.expert_id, assignment.state)
    return assigned


def blocking(expert: ExpertTies, applicant: Applicant, assigned: dict[int, str]) -> str | None:
    """block_reason for an expert in the pool, from data already read (the board reads a whole
    page's at once); `assigned` as assigned_experts gives it."""
    reason = conflict(expert, applicant)
    if reason:
        return reason
    state = assigned.get(expert.expert_id)
    if state is None:
        return None
    return _("该专家已分配过此申报") if state in OPEN else _("该专家已谢绝或逾期，不再分配")


def assign(db: Session, officer: User, application: Application, expert: User,
           today: date, *, commit: bool = True) -> Assignment:
    _officer(officer)
    if application.state != "in_review":
        raise ReviewError(_("只有专家评审中的申报可以分配专家"))
    reason = block_reason(db, application, expert)
    if reason:
        raise ReviewError(_("不能分配：%(reason)s", reason=reason))
    round_ = db.get(Round, application.round_id)
    assignment = Assignment(application_id=application.id, expert_id=expert.id,
                            assigned_by=officer.id,
                            due_on=today + timedelta(days=round_.review_days))
    db.add(assignment)
    db.flush()
    audit.record(db, actor_id=officer.id, action="assign_expert", object_type="application",
                 object_id=application.id, details={"expert": expert.id,
                                                    "assignment": assignment.id})
    notify(db, [expert], zh=f"您有新的评审任务（申报编号 {application.id}），请先声明有无利益冲突。",
           en=f"New review assignment (application {application.id}): declare conflicts first.",
           application_id=None)
    if commit:
        db.commit()
    return assignment


def auto_assign(db: Session, officer: User, round_: Round, today: date) -> list[Assignment]:
    """Fill every in-review application of the round up to the round's number of experts."""
    _officer(officer)
    applications = list(db.exec(select(Application).where(
        Application.round_id == round_.id, Application.state == "in_review")).all())
    pool = [Expert(ties(db, e), tuple(profile(db, e).industries)) for e in experts(db)]
    load: dict[int, int] = {}
    for a in db.exec(select(Assignment).join(Application).where(
            Assignment.state.in_(("pending", "active")), Application.state == "in_review")).all():
        load[a.expert_id] = load.get(a.expert_id, 0) + 1
    needs = []
    for application in applications:
        existing = assignments_of(db, application)
        holding = sum(1 for a in existing if a.state in OPEN)
        organisation = db.get(Organisation, application.organisation_id)
        needs.append(Need(application.id, applicant_of(db, application), organisation.industry,
                          round_.reviewers_per_application - holding,
                          frozenset(a.expert_id for a in existing)))
    by_id = {a.id: a for a in applications}
    users = {u.id: u for u in experts(db)}
    created = [assign(db, officer, by_id[app_id], users[expert_id], today, commit=False)
               for app_id, expert_id in plan(needs, pool, load)]
    db.commit()
    return created


def expire_overdue(db: Session, officer: User, round_: Round, today: date) -> int:
    """Assignments past their due date without a submitted review free their slot."""
    _officer(officer)
    overdue = db.exec(select(Assignment).join(Application).where(
        Application.round_id == round_.id, Assignment.state.in_(("pending", "active")),
        Assignment.due_on < today)).all()
    for assignment in overdue:
        move(assignment, "expire")
        db.add(assignment)
        audit.record(db, actor_id=officer.id, action="expire_assignment",
                     object_type="application", object_id=assignment.application_id,
                     details={"assignment": assignment.id, "expert": assignment.expert_id})
    db.commit()
    return len(overdue)


def _own(expert: User, assignment: Assignment | None) -> Assignment:
    if assignment is None or assignment.expert_id != expert.id:
        raise ReviewError(_("评审任务不存在"))
    return assignment


def _still_in_review(db: Session, assignment: Assignment) -> Application:
    application = db.get(Application, assignment.application_id)
    if application.state != "in_review":
        raise ReviewError(_("该申报已不在专家评审阶段"))
    return application


def declare_relation(db: Session, expert: User, *, uscc: str, organisation_name: str,
                     relation: str) -> ExpertRelation:
    record = pool.declare_relation(db, expert, uscc=uscc, organisation_name=organisation_name,
                                   relation=relation)
    stop_conflicting_reviews(db, expert, expert)
    return record


def update_profile(db: Session, actor: User, expert: User, *, industries: list[str],
                   topics: list[str], affiliation: str, affiliation_uscc: str | None) -> None:
    pool.update_profile(db, actor, expert, industries=industries, topics=topics,
                        affiliation=affiliation, affiliation_uscc=affiliation_uscc)
    stop_conflicting_reviews(db, actor, expert)


def declare_no_conflict(db: Session, expert: User, assignment: Assignment) -> None:
    _own(expert, assignment)
    application = _still_in_review(db, assignment)
    if assignment.state in ("pending", "conflict"):
        check_conflict_again(db, expert, assignment, application)
    if assignment.state != "pending":
        raise ReviewError(_("该任务不需要声明"))
    move(assignment, "declare")
    assignment.declared_at = utcnow()
    db.add(assignment)
    audit.record(db, actor_id=expert.id, action="declare_no_conflict", object_type="application",
                 object_id=assignment.application_id, details={"assignment": assignment.id})
    db.commit()


def decline(db: Session, expert: User, assignment: Assignment, reason: str) -> None:
    _own(expert, assignment)
    if assignment.state != "pending":
        raise ReviewError(_("已开始的评审不能谢绝，请联系省厅"))
    if not reason.strip():
        raise ReviewError(_("请填写谢绝理由"))
    if len(reason.strip()) > 1000:  # the column's size: refused, never cut
        raise ReviewError(_("谢绝理由最多 1,000 字，请精简后再提交"))
    move(assignment, "decline")
    assignment.decline_reason = reason.strip()
    db.add(assignment)
    audit.record(db, actor_id=expert.id, action="decline_assignment", object_type="application",
                 object_id=assignment.application_id, reason=reason.strip(),
                 details={"assignment": assignment.id})
    officers = list(db.exec(select(User).where(User.role == PROVINCE_OFFICER, User.active)).all())
    notify(db, officers, zh=f"专家谢绝了申报编号 {assignment.application_id} 的评审：{reason.strip()}",
           en=f"An expert declined application {assignment.application_id}: {reason.strip()}",
           application_id=assignment.application_id)
    db.commit()


# -- scoring ----------------------------------------------------------------------------------

def review_of(db: Session, assignment: Assignment) -> Review:
    found = db.exec(select(Review).where(Review.assignment_id == assignment.id)).first()
    return found or Review(assignment_id=assignment.id)


def _check_scores(criteria, result: dict, scores: dict, comments: dict,
                  complete: bool) -> list[tuple[str, str, str]]:
    """(field, message naming the item, message beside the field) for each problem."""
    engine_points = {i["id"]: i["points"] for i in result["items"]}
    items = reviewable_items(criteria, result)
    strangers = [_("%(item)s：不是本申报的评分项", item=key) for key in scores
                 if key not in {item.id for item in items}]
    problems = [("", message, message) for message in strangers]
    for item in items:
        value = scores.get(item.id)
        name, field = f"{item.id} {pick(item.title)}", f"score-{item.id}"
        if value is None:
            if complete:
                problems.append((field, _("%(item)s：请评分", item=name), _("请评分")))
            continue
        try:
            value = float(value)
        except (TypeError, ValueError):
            problems.append((field, _("%(item)s：分值无效", item=name), _("分值无效")))
            continue
        allowed = {round(a.points, 6) for a in scale(item, engine_points.get(item.id))}
        if round(value, 6) not in allowed:
            problems.append((field, _("%(item)s：分值不在评分档位上", item=name),
                             _("分值不在评分档位上")))
        elif item.kind == "scored" and abs(value - engine_points[item.id]) > 1e-6 \
                and not (comments.get(item.id) or "").strip():
            problems.append((f"comment-{item.id}", _("%(item)s：与系统计算分不同，须填写说明", item=name),
                             _("与系统计算分不同，须填写说明")))
    return problems


def _check_review(round_: Round, opinion: str, recommendation: str | None,
                  inspection: dict | None, submit: bool) -> list[tuple[str, str, str]]:
    """The opinion, recommendation and site inspection, as _check_scores."""
    problems = []
    if recommendation and recommendation not in RECOMMENDATIONS:
        problems.append(("recommendation", _("评审建议无效"), _("评审建议无效")))
    if not submit:
        return problems
    if not opinion.strip():
        problems.append(("opinion", _("请填写总体意见"), _("请填写总体意见")))
    if not recommendation:
        problems.append(("recommendation", _("请选择评审建议"), _("请选择评审建议")))
    if round_.site_inspection:
        missing = [key for key in ("date", "people", "findings") if not (inspection or {}).get(key)]
        if missing:
            message = _("本批次要求现场核查：请填写核查日期、人员和发现")
            problems.append((f"inspection_{missing[0]}", message, message))
    return problems


def save_review(db: Session, engine: Engine, expert: User, assignment: Assignment, *,
                scores: dict, comments: dict, opinion: str, recommendation: str | None,
                inspection: dict | None, submit: bool = False) -> Review:
    """Keep the draft; with `submit`, check it is complete and lock it."""
    _own(expert, assignment)
    if assignment.state == "conflict" or (submit and assignment.state == "active"):
        check_conflict_again(db, expert, assignment, _still_in_review(db, assignment))
    if assignment.state != "active":
        raise ReviewError(_("请先声明无利益冲突") if assignment.state == "pending"
                          else _("该评审已提交或已结束，不能修改"))
    application = _still_in_review(db, assignment)
    round_ = db.get(Round, application.round_id)
    result = frozen_result(db, application)
    criteria = engine.criteria(result["criteria"]["id"])
    problems = _check_scores(criteria, result, scores, comments, complete=submit)
    problems += _check_review(round_, opinion, recommendation, inspection, submit)
    if problems:
        raise ScoringProblems(problems)
    review = review_of(db, assignment)
    review.scores = {k: float(v) for k, v in scores.items() if v is not None}
    review.comments = {k: v.strip() for k, v in comments.items() if v and v.strip()}
    review.opinion = opinion.strip()
    review.recommendation = recommendation or None
    review.inspection = inspection
    review.updated_at = utcnow()
    if submit:
        review.submitted_at = utcnow()
        move(assignment, "submit")
        db.add(assignment)
    db.add(review)
    db.flush()
    audit.record(db, actor_id=expert.id, action="submit_review" if submit else "save_review",
                 object_type="application", object_id=application.id,
                 details={"assignment": assignment.id, "review": review.id})
    db.commit()
    return review


def reopen(db: Session, officer: User, assignment: Assignment, reason: str, today: date) -> None:
    _officer(officer)
    application = _still_in_review(db, assignment)
    if assignment.state != "submitted":
        raise ReviewError(_("只有已提交的评审可以退回修改"))
    if not reason.strip():
        raise ReviewError(_("请填写理由"))
    review = review_of(db, assignment)
    review.submitted_at = None
    move(assignment, "reopen")
    round_ = db.get(Round, application.round_id)
    assignment.due_on = max(assignment.due_on, today + timedelta(days=round_.review_days))
    db.add(review)
    db.add(assignment)
    audit.record(db, actor_id=officer.id, action="reopen_review", object_type="application",
                 object_id=assignment.application_id, reason=reason.strip(),
                 details={"assignment": assignment.id})
    notify(db, [db.get(User, assignment.expert_id)],
           zh=f"您对申报编号 {assignment.application_id} 的评审被退回修改：{reason.strip()}",
           en=f"Your review of application {assignment.application_id} was reopened: "
              f"{reason.strip()}")
    db.commit()
