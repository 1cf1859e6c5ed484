"""Conflicts found after assignment.

Ties change after assignment (a relation declared, a new affiliation). When one now blocks the
pair, the review stops for good: the assignment ends as a conflict (its slot freed, its scores
never counted, the board flags it) and the province officers are told to reassign. Checked when
the ties change, and again when the expert declares and when the review is submitted.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session, select

from .. import audit
from ..accounts.models import PROVINCE_OFFICER, User
from ..applications.models import Application
from ..notifications import notify
from .applicants import applicant_of
from .conflicts import Applicant, ExpertTies, conflict
from .errors import ReviewError
from .models import Assignment
from .pool import ties
from .states import OPEN, move


def _stop(db: Session, actor: User, expert: User, assignment: Assignment,
          application: Application, expert_ties: ExpertTies, who: Applicant) -> bool:
    """Stops the review if the pair conflicts now (not committed); whether it did."""
    with force_locale("zh"):
        zh = conflict(expert_ties, who)
    if zh is None:
        return False
    with force_locale("en"):
        en = conflict(expert_ties, who)
    move(assignment, "conflict")
    assignment.decline_reason = zh[:1000]
    db.add(assignment)
    audit.record(db, actor_id=actor.id, action="review_conflict", object_type="application",
                 object_id=application.id, details={"assignment": assignment.id,
                                                    "expert": expert.id, "conflict": zh})
    officers = list(db.exec(select(User).where(User.role == PROVINCE_OFFICER, User.active)).all())
    notify(db, officers,
           zh=f"申报编号 {application.id} 的评审专家 {expert.name} 存在利益冲突（{zh}），"
              "该评审已中止，请在评审看板重新分配专家。",
           en=f"The expert {expert.name} assigned to application {application.id} has a "
              f"conflict of interest ({en}): the review is stopped; assign another expert on "
              "the review board.",
           application_id=application.id)
    return True


def _stopped(reason: str) -> ReviewError:
    return ReviewError(_("您与该申报存在利益冲突（%(reason)s），不能评审；已通知省厅重新分配专家。",
                         reason=reason))


def check_conflict_again(db: Session, expert: User, assignment: Assignment,
                          application: Application) -> None:
    """At the declaration and the submission: refuses a review stopped already, and stops one
    the expert's ties now block (the stop is committed before the refusal)."""
    if assignment.state == "conflict":
        raise _stopped(conflict(ties(db, expert), applicant_of(db, application))
                       or assignment.decline_reason or "")
    expert_ties, who = ties(db, expert), applicant_of(db, application)
    if _stop(db, expert, expert, assignment, application, expert_ties, who):
        db.commit()
        raise _stopped(conflict(expert_ties, who))


def stop_conflicting_reviews(db: Session, actor: User, expert: User) -> int:
    """After the expert's ties changed: every review of theirs still open on an application in
    review (a submitted one counts until the decision) that the new ties block stops. Returns
    how many."""
    expert_ties = ties(db, expert)
    stopped = 0
    for assignment, application in db.exec(
            select(Assignment, Application).join(Application,
                                                 Application.id == Assignment.application_id)
            .where(Assignment.expert_id == expert.id, Assignment.state.in_(OPEN),
                   Application.state == "in_review").order_by(Assignment.id)).all():
        stopped += _stop(db, actor, expert, assignment, application, expert_ties,
                         applicant_of(db, application))
    if stopped:
        db.commit()
    return stopped
