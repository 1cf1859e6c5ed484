"""Conflicts of interest are checked again when the expert's ties change, when the expert
declares and when the review is submitted: a tie declared after assignment stops the review
(its scores never count), and the province officer is told to reassign (a notification, a flag
on the review board)."""

import pytest
from sqlmodel import select

from assessor.accounts import services as accounts
from assessor.notifications import Notification
from assessor.review import pool, services
from assessor.review.models import Assignment
from assessor.review.scales import reviewable_items
from tests.fixtures import PASSWORD, TODAY, login
from tests.review.test_review import full_scores, in_review, organisation_of

STOPPED = "不能评审；已通知省厅重新分配专家"
FLAG = "须重新分配"


@pytest.fixture
def experts(dbs, people):
    return [accounts.create_staff(dbs, email=f"e{i}@x.cn", name=f"专家{i}", role="expert",
                                  password=PASSWORD) for i in range(1, 3)]


def declare_relation_on_the_page(client, uscc):
    client.post("/review/profile", data={"form": "relation", "uscc": uscc, "name": "申报单位",
                                         "relation": "曾任职"})


def officer_told(dbs, people, application) -> list[Notification]:
    return list(dbs.exec(select(Notification).where(
        Notification.user_id == people["province_officer"].id,
        Notification.application_id == application.id,
        Notification.message_zh.contains("利益冲突"))).all())


def board(app, people, factory_round) -> str:
    officer = login(app.test_client(), people["province_officer"])
    return officer.get(f"/review/rounds/{factory_round.id}").get_data(as_text=True)


def test_relation_declared_after_assignment_stops_the_review(
        app, dbs, engine, people, factory_round, experts, sign_in):
    factory_round.reviewers_per_application = 1
    dbs.add(factory_round)
    dbs.commit()
    application = in_review(dbs, engine, people, factory_round)
    assignment = services.assign(dbs, people["province_officer"], application, experts[0], TODAY)
    assert FLAG not in board(app, people, factory_round)
    expert = sign_in(experts[0])
    declare_relation_on_the_page(expert, organisation_of(dbs, application).uscc)
    dbs.expire_all()
    assert dbs.get(Assignment, assignment.id).state == "conflict"  # at once
    assert len(officer_told(dbs, people, application)) == 1
    assert FLAG in board(app, people, factory_round)
    response = expert.post(f"/review/assignments/{assignment.id}/declare",
                           data={"no_conflict": "yes"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert STOPPED in page and "曾任职" in page and "综合能耗" not in page
    assert len(officer_told(dbs, people, application)) == 1
    # the materials stay closed, and the slot is free for another expert
    assert "综合能耗" not in expert.get(f"/review/assignments/{assignment.id}").get_data(
        as_text=True)
    created = services.auto_assign(dbs, people["province_officer"], factory_round, TODAY)
    assert len(created) == 1 and created[0].expert_id != experts[0].id
    assert FLAG not in board(app, people, factory_round)


def submit_on_the_page(client, engine, dbs, application, assignment):
    result = services.frozen_result(dbs, application)
    scores = full_scores(result, reviewable_items(engine.criteria("GZ-F-2024"), result))
    return client.post(f"/review/assignments/{assignment.id}/review",
                       data={**{f"score-{k}": str(v) for k, v in scores.items()},
                             "opinion": "同意", "recommendation": "approve", "submit": "yes"})


def test_new_affiliation_after_the_declaration_blocks_the_submission(
        app, dbs, engine, people, factory_round, experts, sign_in):
    application = in_review(dbs, engine, people, factory_round)
    assignment = services.assign(dbs, people["province_officer"], application, experts[0], TODAY)
    expert = sign_in(experts[0])
    expert.post(f"/review/assignments/{assignment.id}/declare", data={"no_conflict": "yes"})
    dbs.expire_all()
    assert dbs.get(Assignment, assignment.id).state == "active"
    expert.post("/review/profile", data={  # a new affiliation ties the expert to the applicant
        "form": "profile", "industries": "C39", "affiliation": "申报单位",
        "affiliation_uscc": organisation_of(dbs, application).uscc})
    dbs.expire_all()
    assert dbs.get(Assignment, assignment.id).state == "conflict"
    assert len(officer_told(dbs, people, application)) == 1
    response = submit_on_the_page(expert, engine, dbs, application, assignment)
    assert response.status_code == 422 and STOPPED in response.get_data(as_text=True)
    assert services.submitted_reviews(dbs, application) == []  # never counted
    assert len(officer_told(dbs, people, application)) == 1  # told once
    assert FLAG in board(app, people, factory_round)


def test_the_declaration_and_the_submission_check_the_ties_themselves(
        app, dbs, engine, people, factory_round, experts, sign_in):
    """However a tie arrived (here written straight to the pool, without the check that runs
    when an expert declares one), the declaration and the submission find it."""
    first, second = (in_review(dbs, engine, people, factory_round, who)
                     for who in ("applicant", "other_applicant"))
    declaring = services.assign(dbs, people["province_officer"], first, experts[0], TODAY)
    submitting = services.assign(dbs, people["province_officer"], second, experts[1], TODAY)
    services.declare_no_conflict(dbs, experts[1], submitting)
    pool.declare_relation(dbs, experts[0], uscc=organisation_of(dbs, first).uscc,
                          organisation_name="", relation="亲属任职")
    pool.declare_relation(dbs, experts[1], uscc=organisation_of(dbs, second).uscc,
                          organisation_name="", relation="咨询服务")
    response = sign_in(experts[0]).post(
        f"/review/assignments/{declaring.id}/declare", data={"no_conflict": "yes"},
        follow_redirects=True)
    assert STOPPED in response.get_data(as_text=True) and "亲属任职" in response.get_data(
        as_text=True)
    response = submit_on_the_page(sign_in(experts[1]), engine, dbs, second,
                                  submitting)
    assert response.status_code == 422 and "咨询服务" in response.get_data(as_text=True)
    dbs.expire_all()
    assert {dbs.get(Assignment, a.id).state for a in (declaring, submitting)} == {"conflict"}
    assert len(officer_told(dbs, people, first)) == len(officer_told(dbs, people, second)) == 1
    assert board(app, people, factory_round).count(FLAG) == 2


def test_a_submitted_review_stops_counting_when_a_tie_is_declared_before_the_decision(
        dbs, engine, people, factory_round, experts, province_client, sign_in):
    application = in_review(dbs, engine, people, factory_round)
    assignment = services.assign(dbs, people["province_officer"], application, experts[0], TODAY)
    expert = sign_in(experts[0])
    expert.post(f"/review/assignments/{assignment.id}/declare", data={"no_conflict": "yes"})
    assert submit_on_the_page(expert, engine, dbs, application, assignment).status_code == 302
    assert len(services.submitted_reviews(dbs, application)) == 1
    declare_relation_on_the_page(expert, organisation_of(dbs, application).uscc)
    assert services.submitted_reviews(dbs, application) == []
    province_client.post(f"/review/applications/{application.id}/decide",
                         data={"action": "approve", "reason": "同意"})
    dbs.refresh(application)
    assert application.state == "in_review"  # no review left to decide on
    assert len(officer_told(dbs, people, application)) == 1


def test_no_new_tie_submits_as_before(dbs, engine, people, factory_round, experts, sign_in):
    application = in_review(dbs, engine, people, factory_round)
    assignment = services.assign(dbs, people["province_officer"], application, experts[0], TODAY)
    expert = sign_in(experts[0])
    declare_relation_on_the_page(expert, "91520100MA6D5555XA")  # someone else
    expert.post(f"/review/assignments/{assignment.id}/declare", data={"no_conflict": "yes"})
    assert submit_on_the_page(expert, engine, dbs, application, assignment).status_code == 302
    assert len(services.submitted_reviews(dbs, application)) == 1
    assert officer_told(dbs, people, application) == []
