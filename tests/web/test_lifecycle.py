"""The lifecycle through services, without HTTP: every allowed move, every refused one."""

from datetime import date

import pytest
from sqlmodel import select

from assessor.applications import services
from assessor.applications.lifecycle import TransitionError, current_revision, transition
from assessor.applications.models import Application, Revision
from assessor.applications.workflow import MOVES, PUBLICATION_ONLY, STATES
from assessor.audit import AuditEvent
from assessor.notifications import Notification
from tests.conftest import factory_submission
from tests.fixtures import SIGNED, TODAY


def draft_with_data(dbs, engine, people, factory_round) -> Application:
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    problems = services.save_draft(dbs, engine, people["applicant"], application,
                                   factory_submission(), 0, TODAY)
    assert problems == []
    return application


BASIS = {"reviews": 3, "method": "mean"}  # what review.services.decide passes


def move(dbs, engine, application, action, actor, reason="理由"):
    """The move on its own route (the table's); other routes are refused, see below."""
    return transition(dbs, engine, application, action, actor, reason=reason, today=TODAY,
                      basis=BASIS if action in ("approve", "reject") else None,
                      route=MOVES[action].route,
                      commitment=SIGNED if action == "submit" else None)


ACTORS = {"applicant": "applicant", "city_officer": "city_officer",
          "province_officer": "province_officer"}
PATHS = {  # how to reach each state from a fresh draft
    "draft": [],
    "submitted": [("submit", "applicant")],
    "recommended": [("submit", "applicant"), ("recommend", "city_officer")],
    "in_review": [("submit", "applicant"), ("recommend", "city_officer"),
                  ("accept", "province_officer")],
    "approved": [("submit", "applicant"), ("recommend", "city_officer"),
                 ("accept", "province_officer"), ("approve", "province_officer")],
    "rejected": [("submit", "applicant"), ("recommend", "city_officer"),
                 ("accept", "province_officer"), ("reject", "province_officer")],
    "returned": [("submit", "applicant"), ("city_return", "city_officer")],
    "withdrawn": [("withdraw", "applicant")],
}
PATHS["in_publicity"] = [*PATHS["approved"], ("publicize", "province_officer")]
PATHS["listed"] = [*PATHS["in_publicity"], ("list", "province_officer")]
PATHS["removed"] = [*PATHS["listed"], ("remove", "province_officer")]


def reach(dbs, engine, people, factory_round, state) -> Application:
    application = draft_with_data(dbs, engine, people, factory_round)
    for action, role in PATHS[state]:
        move(dbs, engine, application, action, people[role])
    assert application.state == state
    return application


CASES = [(state, action) for state in STATES for action in MOVES]


@pytest.mark.parametrize(("state", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_transition_table(dbs, engine, people, factory_round, state, action):
    """Each move is allowed exactly from its source states, and only for its role."""
    application = reach(dbs, engine, people, factory_round, state)
    m = MOVES[action]
    for role in ("applicant", "city_officer", "province_officer", "expert", "admin",
                 "other_applicant", "other_city_officer"):
        allowed = state in m.sources and role == m.role
        if not allowed:
            with pytest.raises(TransitionError):
                move(dbs, engine, application, action, people[role])
            dbs.rollback()
            assert dbs.get(Application, application.id).state == state
    if state in m.sources:
        move(dbs, engine, application, action, people[m.role])
        assert application.state == m.target
        event = dbs.exec(select(AuditEvent).where(AuditEvent.action == action)).all()[-1]
        assert (event.from_state, event.to_state, event.actor_id) == (
            state, m.target, people[m.role].id)


def test_submit_freezes_an_immutable_revision(dbs, engine, people, factory_round):
    application = draft_with_data(dbs, engine, people, factory_round)
    move(dbs, engine, application, "submit", people["applicant"])
    revision = current_revision(dbs, application)
    assert revision.submitted_at and revision.result["level"]["id"] == "zero_carbon"
    assert revision.criteria_id == "GZ-F-2024" and revision.engine_version
    with pytest.raises(services.ApplicationError):
        services.save_draft(dbs, engine, people["applicant"], application, {}, 1, TODAY)
    # a second submit (double click, retry) is refused and adds nothing
    with pytest.raises(TransitionError):
        move(dbs, engine, application, "submit", people["applicant"])
    dbs.rollback()
    assert len(dbs.exec(select(Revision)).all()) == 1


def test_return_opens_a_new_draft_with_the_reason(dbs, engine, people, factory_round):
    application = draft_with_data(dbs, engine, people, factory_round)
    move(dbs, engine, application, "submit", people["applicant"])
    move(dbs, engine, application, "city_return", people["city_officer"], reason="补充绿证凭证")
    draft = current_revision(dbs, application)
    assert draft.number == 2 and draft.submitted_at is None
    assert draft.return_reason == "补充绿证凭证"
    first = dbs.exec(select(Revision).where(Revision.number == 1)).one()
    assert first.submitted_at is not None  # the submitted one is untouched
    changed = factory_submission()
    changed["offsets"] = []
    assert services.save_draft(dbs, engine, people["applicant"], application, changed, 0,
                               TODAY) == []
    move(dbs, engine, application, "submit", people["applicant"])
    second = current_revision(dbs, application)
    changes = services.indicator_changes(first.result, second.result)
    assert changes[0].path == "total" and any(c.path == "level" for c in changes)
    assert any(c.path.startswith("offsets") for c in services.diff(first.data, second.data))


def test_reasons_are_required_where_the_table_says(dbs, engine, people, factory_round):
    application = reach(dbs, engine, people, factory_round, "submitted")
    with pytest.raises(TransitionError, match="理由"):
        move(dbs, engine, application, "city_return", people["city_officer"], reason="  ")


def test_cannot_submit_with_problems_or_after_closing(dbs, engine, people, factory_round):
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    with pytest.raises(TransitionError) as error:  # the empty draft cannot be scored
        move(dbs, engine, application, "submit", people["applicant"])
    assert error.value.problems
    dbs.rollback()
    services.save_draft(dbs, engine, people["applicant"], application, factory_submission(), 0,
                        TODAY)
    with pytest.raises(TransitionError, match="开放期"):
        transition(dbs, engine, application, "submit", people["applicant"],
                   today=date(2025, 5, 1), commitment=SIGNED)
    dbs.rollback()
    with pytest.raises(services.ApplicationError, match="截止"):
        services.editable_draft(dbs, people["applicant"], application, date(2025, 5, 1))


def test_stale_edit_is_refused(dbs, engine, people, factory_round):
    application = draft_with_data(dbs, engine, people, factory_round)  # lock_version now 1
    with pytest.raises(services.ApplicationError, match="他人修改"):
        services.save_draft(dbs, engine, people["applicant"], application, factory_submission(),
                            0, TODAY)


def test_transitions_notify_the_people_concerned(dbs, engine, people, factory_round):
    application = draft_with_data(dbs, engine, people, factory_round)
    move(dbs, engine, application, "submit", people["applicant"])
    move(dbs, engine, application, "recommend", people["city_officer"])

    def inbox(role):
        return dbs.exec(select(Notification).where(Notification.user_id == people[role].id)).all()
    assert len(inbox("city_officer")) == 1  # told of the submission
    assert len(inbox("other_city_officer")) == 0
    assert len(inbox("province_officer")) == 1 and len(inbox("applicant")) == 1
    assert "市（州）已推荐" in inbox("applicant")[0].message_zh


def test_one_application_per_organisation_and_round(dbs, engine, people, factory_round):
    first = services.create(dbs, people["applicant"], factory_round, TODAY)
    assert services.create(dbs, people["applicant"], factory_round, TODAY).id == first.id
    with pytest.raises(services.ApplicationError, match="类型"):
        services.create(dbs, people["park_applicant"], factory_round, TODAY)


def test_a_decision_needs_the_expert_aggregate(dbs, engine, people, factory_round):
    application = reach(dbs, engine, people, factory_round, "in_review")
    for basis in (None, {"reviews": 0}):
        with pytest.raises(TransitionError, match="专家评审"):
            transition(dbs, engine, application, "approve", people["province_officer"],
                       reason="x", today=TODAY, basis=basis)
        dbs.rollback()
    assert dbs.get(Application, application.id).state == "in_review"


def test_withdrawing_a_draft_tells_nobody_else(dbs, engine, people, factory_round):
    application = reach(dbs, engine, people, factory_round, "draft")
    move(dbs, engine, application, "withdraw", people["applicant"])
    assert dbs.exec(select(Notification).where(
        Notification.user_id == people["city_officer"].id)).all() == []


def seen_by(dbs, user) -> list[int]:
    return list(dbs.exec(services.visible(user, Application.id)).all())


def test_officers_never_see_a_draft_withdrawn_before_submission(dbs, engine, people,
                                                               factory_round):
    never_sent = services.create(dbs, people["other_applicant"], factory_round, TODAY)
    move(dbs, engine, never_sent, "withdraw", people["other_applicant"])
    assert never_sent.id in seen_by(dbs, people["other_applicant"])
    for officer in ("other_city_officer", "province_officer"):
        assert never_sent.id not in seen_by(dbs, people[officer])
    sent = reach(dbs, engine, people, factory_round, "submitted")
    move(dbs, engine, sent, "withdraw", people["applicant"])
    for officer in ("city_officer", "province_officer"):
        assert sent.id in seen_by(dbs, people[officer])  # it was submitted: it stays on record


@pytest.mark.parametrize("action", sorted(PUBLICATION_ONLY | {"approve", "reject"}))
def test_moves_are_refused_off_their_route(dbs, engine, people, factory_round, action):
    """transition() itself refuses a move asked for on another route than the table's: the
    application page cannot make a publication move or a decision, whatever calls it."""
    m = MOVES[action]
    application = reach(dbs, engine, people, factory_round, m.sources[0])
    before = len(dbs.exec(select(AuditEvent)).all())
    with pytest.raises(TransitionError, match=r"只能在|须在"):
        transition(dbs, engine, application, action, people[m.role], reason="理由",
                   today=TODAY, basis=BASIS)
    dbs.rollback()
    assert dbs.get(Application, application.id).state == m.sources[0]
    assert len(dbs.exec(select(AuditEvent)).all()) == before
