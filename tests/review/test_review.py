"""Expert review through the services and the pages: conflicts, declarations, scoring,
aggregation, decision, blind mode."""

import io
from pathlib import Path

import pytest
from flask import current_app

from assessor.accounts import services as accounts
from assessor.accounts.models import Organisation
from assessor.applications import services as applications
from assessor.applications.lifecycle import TransitionError, transition
from assessor.applications.models import Application
from assessor.review import services
from tests.conftest import factory_submission
from tests.fixtures import PASSWORD, TODAY, give_evidence, move_facts

PDF = b"%PDF-1.4\n%%EOF\n"


def in_review(dbs, engine, people, factory_round, applicant="applicant") -> Application:
    application = applications.create(dbs, people[applicant], factory_round, TODAY)
    applications.save_draft(dbs, engine, people[applicant], application, factory_submission(),
                            0, TODAY)
    applications.add_evidence(dbs, people[applicant], application, item="ghg_report",
                              filename="贵州测试电子有限公司-核查报告.pdf", content=PDF,
                              folder=Path(current_app.config["UPLOAD_FOLDER"]), today=TODAY)
    city = "city_officer" if applicant == "applicant" else "other_city_officer"
    for action, role in (("submit", applicant), ("recommend", city),
                         ("accept", "province_officer")):
        transition(dbs, engine, application, action, people[role], today=TODAY,
                   **move_facts(action))
    return application


@pytest.fixture
def experts(dbs, people):
    return [accounts.create_staff(dbs, email=f"e{i}@x.cn", name=f"专家{i}", role="expert",
                                  password=PASSWORD) for i in range(1, 5)]


def organisation_of(dbs, application):
    return dbs.get(Organisation, application.organisation_id)


def full_scores(result, criteria_items):
    """Scores on the scale: the engine's points for scored items, the top for expert items."""
    points = {i["id"]: i["points"] for i in result["items"]}
    return {item.id: (points[item.id] if item.kind == "scored" else item.points)
            for item in criteria_items}


def submit_review(dbs, engine, expert, assignment, scores=None, **extra):
    if assignment.state == "pending":
        services.declare_no_conflict(dbs, expert, assignment)
    application = dbs.get(Application, assignment.application_id)
    result = services.frozen_result(dbs, application)
    from assessor.review.scales import reviewable_items
    items = reviewable_items(engine.criteria(result["criteria"]["id"]), result)
    values = full_scores(result, items)
    values.update(scores or {})
    return services.save_review(dbs, engine, expert, assignment, scores=values,
                                comments=extra.get("comments", {}), opinion="同意",
                                recommendation="approve", inspection=extra.get("inspection"),
                                submit=True)


# -- conflicts ---------------------------------------------------------------------------------

def test_conflicts_are_hard_blocks_with_reasons(dbs, engine, people, factory_round, experts):
    application = in_review(dbs, engine, people, factory_round)
    uscc = organisation_of(dbs, application).uscc
    services.update_profile(dbs, people["province_officer"], experts[0], industries=["C39"],
                            topics=["energy"], affiliation="申报单位", affiliation_uscc=uscc)
    services.declare_relation(dbs, experts[1], uscc=uscc, organisation_name="x",
                              relation="曾任职")
    assert "统一社会信用代码相同" in services.block_reason(dbs, application, experts[0])
    assert "曾任职" in services.block_reason(dbs, application, experts[1])
    assert services.block_reason(dbs, application, experts[2]) is None
    with pytest.raises(services.ReviewError, match="不能分配"):
        services.assign(dbs, people["province_officer"], application, experts[1], TODAY)
    dbs.rollback()
    created = services.auto_assign(dbs, people["province_officer"],
                                   dbs.get(type(factory_round), factory_round.id), TODAY)
    free = {people["expert"].id, experts[2].id, experts[3].id}  # the two tied ones never
    assert {a.expert_id for a in created} == free


def test_park_member_relation_blocks(dbs, engine, people, park_round, experts):
    application = applications.create(dbs, people["park_applicant"], park_round, TODAY)
    data = {"subject": "park", "reporting_year": 2023,
            "electricity": {"grid_purchase": {"quantity": 100, "unit": "MWh"}},
            "members": [{"name": "成员", "uscc": "91520100MA6D9999XQ",
                         "electricity": {"grid_purchase": {"quantity": 100, "unit": "MWh"}}}]}
    assert applications.save_draft(dbs, engine, people["park_applicant"], application, data, 0,
                                   TODAY) == []
    give_evidence(dbs, people["park_applicant"], application)
    for action, role in (("submit", "park_applicant"), ("recommend", "city_officer"),
                         ("accept", "province_officer")):
        transition(dbs, engine, application, action, people[role], today=TODAY,
                   **move_facts(action))
    services.declare_relation(dbs, experts[0], uscc="91520100ma6d9999xq",
                              organisation_name="成员", relation="咨询服务")
    assert "成员企业" in services.block_reason(dbs, application, experts[0])


# -- declarations and what an expert sees ------------------------------------------------------

def test_nothing_opens_before_the_declaration(dbs, engine, people, factory_round, experts,
                                              sign_in):
    application = in_review(dbs, engine, people, factory_round)
    assignment = services.assign(dbs, people["province_officer"], application, experts[0], TODAY)
    client = sign_in(experts[0])
    page = client.get(f"/review/assignments/{assignment.id}").get_data(as_text=True)
    assert "声明无利益冲突" in page and "综合能耗" not in page
    evidence_id = applications.current_evidence(dbs, application)[0].id
    url = f"/review/assignments/{assignment.id}/evidence/{evidence_id}"
    assert client.get(url).status_code == 404
    assert client.get(f"/applications/{application.id}").status_code == 404  # never directly
    client.post(f"/review/assignments/{assignment.id}/declare", data={"no_conflict": "yes"})
    page = client.get(f"/review/assignments/{assignment.id}").get_data(as_text=True)
    assert "综合能耗" in page and "贵州测试电子有限公司" in page
    assert client.get(url).data == PDF
    stranger = sign_in(experts[1])
    assert stranger.get(f"/review/assignments/{assignment.id}").status_code == 404
    assert stranger.get(url).status_code == 404


def test_declining_frees_the_slot(dbs, engine, people, factory_round, experts):
    factory_round.reviewers_per_application = 2
    dbs.add(factory_round)
    dbs.commit()
    application = in_review(dbs, engine, people, factory_round)
    first = services.auto_assign(dbs, people["province_officer"], factory_round, TODAY)
    assert len(first) == 2
    with pytest.raises(services.ReviewError, match="理由"):
        services.decline(dbs, experts[0] if first[0].expert_id == experts[0].id else
                         dbs.get(type(experts[0]), first[0].expert_id), first[0], " ")
    dbs.rollback()
    declining = dbs.get(type(experts[0]), first[0].expert_id)
    services.decline(dbs, declining, first[0], "与申报单位有业务往来")
    again = services.auto_assign(dbs, people["province_officer"], factory_round, TODAY)
    assert len(again) == 1 and again[0].expert_id not in {a.expert_id for a in first}
    assert services.block_reason(dbs, application, declining) == "该专家已谢绝或逾期，不再分配"


def test_overdue_assignments_are_reassigned(dbs, engine, people, factory_round, experts):
    from datetime import timedelta
    factory_round.reviewers_per_application = 1
    dbs.add(factory_round)
    dbs.commit()
    in_review(dbs, engine, people, factory_round)
    (first,) = services.auto_assign(dbs, people["province_officer"], factory_round, TODAY)
    late = first.due_on + timedelta(days=1)
    assert services.expire_overdue(dbs, people["province_officer"], factory_round, late) == 1
    (second,) = services.auto_assign(dbs, people["province_officer"], factory_round, late)
    assert second.expert_id != first.expert_id


# -- scoring -----------------------------------------------------------------------------------

def test_scores_sit_on_the_scale_and_differences_need_a_comment(dbs, engine, people,
                                                                factory_round, experts):
    application = in_review(dbs, engine, people, factory_round)
    assignment = services.assign(dbs, people["province_officer"], application, experts[0], TODAY)
    with pytest.raises(services.ReviewError, match="先声明"):
        services.save_review(dbs, engine, experts[0], assignment, scores={}, comments={},
                             opinion="", recommendation=None, inspection=None)
    services.declare_no_conflict(dbs, experts[0], assignment)
    draft = services.save_review(dbs, engine, experts[0], assignment, scores={"F-E1": 7},
                                 comments={}, opinion="", recommendation=None, inspection=None)
    assert draft.submitted_at is None and draft.scores == {"F-E1": 7.0}  # a draft is kept
    with pytest.raises(services.ReviewError) as error:
        submit_review(dbs, engine, experts[0], assignment, {"F-S1": 10})  # engine gives 20
    assert "须填写说明" in error.value.zh
    with pytest.raises(services.ReviewError, match="不在评分档位"):
        submit_review(dbs, engine, experts[0], assignment, {"F-E1": 6})
    review = submit_review(dbs, engine, experts[0], assignment, {"F-S1": 10},
                           comments={"F-S1": "绿电凭证不全"})
    assert review.submitted_at and assignment.state == "submitted"
    with pytest.raises(services.ReviewError, match="不能修改"):
        services.save_review(dbs, engine, experts[0], assignment, scores={}, comments={},
                             opinion="", recommendation=None, inspection=None)
    services.reopen(dbs, people["province_officer"], assignment, "请复核F-S1", TODAY)
    assert assignment.state == "active" and services.review_of(dbs, assignment).scores


def test_site_inspection_required_by_the_round(dbs, engine, people, factory_round, experts):
    factory_round.site_inspection = True
    dbs.add(factory_round)
    dbs.commit()
    application = in_review(dbs, engine, people, factory_round)
    assignment = services.assign(dbs, people["province_officer"], application, experts[0], TODAY)
    with pytest.raises(services.ReviewError, match="现场核查"):
        submit_review(dbs, engine, experts[0], assignment)
    submit_review(dbs, engine, experts[0], assignment, inspection={
        "date": "2025-03-05", "people": "专家1、市工信局", "findings": "光伏与台账一致"})


# -- aggregation and decision ------------------------------------------------------------------

@pytest.mark.parametrize(("method", "expected"), [
    ("mean", 14 / 3), ("median", 4.0),
    ("trimmed_mean", 14 / 3),  # fewer than five reviews: nothing is dropped
])
def test_summary_aggregates_and_flags(dbs, engine, people, factory_round, experts, method,
                                      expected):
    factory_round.aggregation = method
    factory_round.disagreement_threshold = 0.3
    dbs.add(factory_round)
    dbs.commit()
    application = in_review(dbs, engine, people, factory_round)
    for expert, value in zip(experts[:3], (0, 4, 10), strict=True):  # F-E1 anchors 0/4/7/10
        assignment = services.assign(dbs, people["province_officer"], application, expert, TODAY)
        submit_review(dbs, engine, expert, assignment, {"F-E1": value})
    summary = services.summary(dbs, engine, application)
    item = summary["items"]["F-E1"]
    assert item["value"] == pytest.approx(expected)
    assert item["range"] == 10 and item["disagreement"]  # 10 > 0.3 × 10
    assert "F-E1" in summary["flagged"] and "F-S1" not in summary["flagged"]
    assert summary["level_with_expert_points"]["id"] in ("zero_carbon", "near_zero_carbon")


def test_decision_goes_through_the_summary_and_keeps_the_basis(
        dbs, engine, people, factory_round, experts, province_client):
    application = in_review(dbs, engine, people, factory_round)
    # the application page no longer decides directly
    province_client.post(f"/applications/{application.id}/transition",
                         data={"action": "approve", "reason": "x"})
    dbs.refresh(application)
    assert application.state == "in_review"
    with pytest.raises(services.ReviewError, match="尚无"):
        services.decide(dbs, engine, people["province_officer"], application, "approve", "x",
                        TODAY)
    assignment = services.assign(dbs, people["province_officer"], application, experts[0], TODAY)
    submit_review(dbs, engine, experts[0], assignment)
    page = province_client.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert "逐项比较" in page and "专家1" in page
    province_client.post(f"/review/applications/{application.id}/decide",
                         data={"action": "approve", "reason": "专家一致同意"})
    dbs.refresh(application)
    assert application.state == "approved"
    assert application.decision_basis["reviews"] == 1
    assert application.decision_basis["method"] == factory_round.aggregation
    with pytest.raises(TransitionError):
        services.decide(dbs, engine, people["province_officer"], application, "reject", "x",
                        TODAY)


# -- blind mode --------------------------------------------------------------------------------

def test_blind_review_hides_everything_that_names_the_applicant(
        dbs, engine, people, factory_round, experts, sign_in):
    factory_round.blind = True
    dbs.add(factory_round)
    dbs.commit()
    application = in_review(dbs, engine, people, factory_round)
    organisation = organisation_of(dbs, application)
    assignment = services.assign(dbs, people["province_officer"], application, experts[0], TODAY)
    client = sign_in(experts[0])
    pending = client.get(f"/review/assignments/{assignment.id}").get_data(as_text=True)
    client.post(f"/review/assignments/{assignment.id}/declare", data={"no_conflict": "yes"})
    page = client.get(f"/review/assignments/{assignment.id}").get_data(as_text=True)
    for text in (pending, page):
        for secret in (organisation.name, organisation.uscc, organisation.contact_name,
                       organisation.contact_phone, organisation.address, "核查报告"):
            assert secret not in text
    assert "综合能耗" in page and "证明材料-" in page  # the data and evidence stay visible
    evidence_id = applications.current_evidence(dbs, application)[0].id
    download = client.get(f"/review/assignments/{assignment.id}/evidence/{evidence_id}")
    assert download.data == PDF
    assert "%E6%A0%B8%E6%9F%A5" not in download.headers["Content-Disposition"]  # 核查
    assert organisation.name not in download.headers["Content-Disposition"]
    # the expert's own list names nobody either
    listing = client.get("/review/assignments").get_data(as_text=True)
    assert organisation.name not in listing


def test_only_experts_and_officers_reach_review_pages(
        people, dbs, engine, factory_round, experts, sign_in):
    application = in_review(dbs, engine, people, factory_round)
    for role, path, status in (("applicant", "/review/experts", 404),
                               ("city_officer", f"/review/applications/{application.id}", 404),
                               ("province_officer", f"/review/rounds/{factory_round.id}", 200),
                               ("province_officer", f"/review/applications/{application.id}",
                                200),
                               ("applicant", "/review/assignments", 404)):
        client = sign_in(people[role])
        assert client.get(path).status_code == status, (role, path)
    client = sign_in(experts[0])
    assert client.get("/review/assignments").status_code == 200
    assert client.get("/review/experts").status_code == 404


def test_photos_are_images_checked_by_content(dbs, engine, people, factory_round, experts,
                                              sign_in):
    application = in_review(dbs, engine, people, factory_round)
    assignment = services.assign(dbs, people["province_officer"], application, experts[0], TODAY)
    services.declare_no_conflict(dbs, experts[0], assignment)
    client = sign_in(experts[0])
    bad = client.post(f"/review/assignments/{assignment.id}/photos", follow_redirects=True,
                      data={"photo": (io.BytesIO(PDF), "site.png")},
                      content_type="multipart/form-data")
    assert "文件内容与扩展名" in bad.get_data(as_text=True)
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 32
    ok = client.post(f"/review/assignments/{assignment.id}/photos", follow_redirects=True,
                     data={"photo": (io.BytesIO(png), "现场.png")},
                     content_type="multipart/form-data")
    assert "照片已上传" in ok.get_data(as_text=True) and "现场.png" in ok.get_data(as_text=True)


def test_bad_scores_and_late_changes_are_refused(dbs, engine, people, factory_round, experts):
    application = in_review(dbs, engine, people, factory_round)
    first = services.assign(dbs, people["province_officer"], application, experts[0], TODAY)
    second = services.assign(dbs, people["province_officer"], application, experts[1], TODAY)
    services.declare_no_conflict(dbs, experts[0], first)
    for scores, message in (({"F-E1": "abc"}, "分值无效"), ({"X-9": 1}, "不是本申报的评分项")):
        with pytest.raises(services.ReviewError, match=message):
            services.save_review(dbs, engine, experts[0], first, scores=scores, comments={},
                                 opinion="", recommendation=None, inspection=None)
        dbs.rollback()
    submit_review(dbs, engine, experts[0], first)
    services.decide(dbs, engine, people["province_officer"], application, "approve", "同意",
                    TODAY)
    with pytest.raises(services.ReviewError, match="不在专家评审阶段"):
        services.declare_no_conflict(dbs, experts[1], second)
    with pytest.raises(services.ReviewError, match="不在专家评审阶段"):
        services.reopen(dbs, people["province_officer"], first, "复核", TODAY)


def test_reopening_gives_time_to_finish(dbs, engine, people, factory_round, experts):
    from datetime import timedelta
    application = in_review(dbs, engine, people, factory_round)
    assignment = services.assign(dbs, people["province_officer"], application, experts[0], TODAY)
    submit_review(dbs, engine, experts[0], assignment)
    later = assignment.due_on + timedelta(days=5)
    services.reopen(dbs, people["province_officer"], assignment, "补充说明", later)
    assert assignment.due_on == later + timedelta(days=factory_round.review_days)
    assert services.expire_overdue(dbs, people["province_officer"], factory_round, later) == 0


def test_export_is_for_officers(dbs, engine, people, factory_round, province_client, sign_in):
    response = province_client.get(f"/review/rounds/{factory_round.id}/export.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    for role in ("expert", "city_officer", "applicant"):
        client = sign_in(people[role])
        assert client.get(f"/review/rounds/{factory_round.id}/export.xlsx").status_code == 404
