"""The step tracker on the application page: the steps in order, where the application stands,
who has it and the Beijing dates of its recorded moves, in Chinese and English."""

import re
from datetime import datetime
from types import SimpleNamespace

from sqlmodel import select

from assessor.applications import tracker
from assessor.audit import AuditEvent
from assessor.platform.viewkit import beijing_date
from tests.web.test_english import english
from tests.web.test_lifecycle import reach

KINDS = {"plan": ("建设方案", "Plan"), "statement": ("承诺书", "Statement")}
HOLDERS = tracker.holders("贵阳市", "Guiyang")


def event(action, at, from_state=None, assignment=None):
    return SimpleNamespace(action=action, at=at, from_state=from_state,
                           details={"assignment": assignment} if assignment else {})


# times in UTC: 17:00 UTC is 01:00 the next day in Beijing
CREATE = event("create", datetime(2025, 2, 10, 2))
SUBMIT = event("submit", datetime(2025, 2, 20, 17), "draft")
RECOMMEND = event("recommend", datetime(2025, 2, 24, 3), "submitted")
ACCEPT = event("accept", datetime(2025, 2, 26, 3), "recommended")
FILES = [("plan", datetime(2025, 2, 12, 3)), ("statement", datetime(2025, 2, 15, 16, 30))]


def steps(state, events, files=FILES, required=("plan", "statement")):
    found = tracker.steps(state, events, files, list(required), KINDS, HOLDERS)
    assert [s.key for s in found] == tracker.KEYS
    return {s.key: s for s in found}


def statuses(found):
    return [s.status for s in found.values()]


def test_a_draft_is_being_filled_in_by_the_applicant():
    found = steps("draft", [CREATE], files=FILES[:1])
    assert statuses(found) == ["current"] + ["to_come"] * 8
    fill = found["fill"]
    assert fill.on == datetime(2025, 2, 10).date() and fill.holder == ("申报单位", "The applicant")
    assert found["evidence"].note == ("缺少：承诺书", "Missing: Statement")


def test_a_draft_with_every_required_kind_has_its_evidence_done_on_the_last_files_day():
    found = steps("draft", [CREATE])
    assert found["evidence"].status == "done"
    assert found["evidence"].on == datetime(2025, 2, 16).date()  # 16:30 UTC is the 16th in Beijing


def test_without_required_kinds_one_file_is_enough():
    assert steps("draft", [CREATE], files=[], required=())["evidence"].note == (
        "尚未上传材料", "No file uploaded yet")
    assert steps("draft", [CREATE], required=())["evidence"].status == "done"


def test_a_submitted_application_waits_for_its_citys_bureau():
    found = steps("submitted", [CREATE, SUBMIT])
    assert statuses(found) == ["done"] * 3 + ["current"] + ["to_come"] * 5
    assert found["submit"].on == datetime(2025, 2, 21).date()  # Beijing date
    city = found["city"]
    assert city.holder == ("贵阳市工业和信息化局", "Guiyang Bureau of Industry and IT")
    assert city.on == datetime(2025, 2, 21).date()


def test_a_returned_application_is_back_with_the_applicant():
    back = event("city_return", datetime(2025, 2, 23, 1), "submitted")
    found = steps("returned", [CREATE, SUBMIT, back])
    assert statuses(found)[0] == "current" and found["fill"].on == datetime(2025, 2, 23).date()
    assert found["fill"].note[0] == "已由市（州）退回修改，待申报单位修改后重新提交"
    assert found["fill"].holder == ("申报单位", "The applicant")
    assert statuses(found)[2:] == ["to_come"] * 7


def test_an_approved_and_listed_application_has_every_step_done_with_its_date():
    moves = [CREATE, SUBMIT, RECOMMEND, ACCEPT, event("approve", datetime(2025, 3, 5, 3)),
             event("publicize", datetime(2025, 3, 6, 3)), event("list", datetime(2025, 3, 12, 3))]
    found = steps("listed", moves)
    assert statuses(found) == ["done"] * 9
    assert [s.on.day for s in found.values()] == [21, 21, 21, 24, 26, 5, 5, 12, 12]
    assert found["decision"].note == ("通过", "Approved")
    assert not any(s.holder for s in found.values())


def test_an_approved_application_waits_for_publicity_at_the_department():
    moves = [CREATE, SUBMIT, RECOMMEND, ACCEPT, event("approve", datetime(2025, 3, 5, 3))]
    found = steps("approved", moves)
    assert found["publicity"].status == "current"
    assert found["publicity"].holder == ("省工业和信息化厅",
                                         "The provincial Department of Industry and IT")


def panel(*moves):
    """Expert-assignment moves on the application: (action, assignment, day in March 2025)."""
    return [event(action, datetime(2025, 3, day, 3), assignment=a) for action, a, day in moves]


def test_in_review_stays_with_the_experts_while_any_review_is_outstanding():
    moves = [CREATE, SUBMIT, RECOMMEND, ACCEPT, *panel(
        ("assign_expert", 1, 1), ("assign_expert", 2, 1), ("declare_no_conflict", 1, 2),
        ("submit_review", 1, 3))]
    found = steps("in_review", moves)
    assert found["review"].status == "current" and found["review"].holder == ("评审专家",
                                                                              "The experts")
    assert found["decision"].status == "to_come"


def test_in_review_with_every_review_in_waits_for_the_department_to_decide():
    moves = [CREATE, SUBMIT, RECOMMEND, ACCEPT, *panel(
        ("assign_expert", 1, 1), ("assign_expert", 2, 1), ("assign_expert", 3, 1),
        ("decline_assignment", 3, 2), ("submit_review", 1, 3), ("submit_review", 2, 4),
        ("reopen_review", 2, 5), ("submit_review", 2, 7))]
    found = steps("in_review", moves)
    assert found["review"].status == "done" and found["review"].on.day == 7
    decision = found["decision"]
    assert decision.status == "current" and decision.on.day == 7
    assert decision.holder == ("省工业和信息化厅", "The provincial Department of Industry and IT")
    assert decision.note[0] == "专家评审已全部提交，待省厅决定"
    reopened = steps("in_review", moves[:-1])  # a review sent back is outstanding again
    assert reopened["review"].status == "current"


def test_a_rejected_application_stops_at_the_decision():
    moves = [CREATE, SUBMIT, RECOMMEND, ACCEPT, event("reject", datetime(2025, 3, 5, 3))]
    found = steps("rejected", moves)
    assert statuses(found) == ["done"] * 6 + ["stopped"] + ["not_reached"] * 2
    assert found["decision"].note == ("未通过", "Rejected")
    assert found["decision"].on == datetime(2025, 3, 5).date()


def test_withdrawn_and_removed_read_as_they_are():
    withdrawn = steps("withdrawn", [CREATE, SUBMIT,
                                    event("withdraw", datetime(2025, 2, 22, 3), "submitted")])
    assert statuses(withdrawn) == ["done"] * 3 + ["stopped"] + ["not_reached"] * 5
    assert withdrawn["city"].note == ("已撤回", "Withdrawn")
    removed = steps("removed", [CREATE, SUBMIT, event("list", datetime(2025, 3, 12, 3)),
                                event("remove", datetime(2025, 6, 1, 3))])
    assert removed["listing"].status == "stopped"
    assert removed["listing"].note == ("已移出名单", "Removed from the list")


# ---- the page ----

def tracker_items(page: str) -> list[str]:
    """The tracker's steps as text, one per <li>."""
    box = re.search(r'<ol class="steps".*?</ol>', page, flags=re.S).group(0)
    items = re.findall(r"<li\b.*?</li>", box, flags=re.S)
    items = [re.sub(r'<span class="step-date">(.*?)</span>', r"\1", i) for i in items]
    return [" ".join(re.sub(r"<[^>]+>", " ", i).split()) for i in items]


def day_of(dbs, application, action):
    at = dbs.exec(select(AuditEvent.at).where(AuditEvent.object_id == application.id,
                                              AuditEvent.object_type == "application",
                                              AuditEvent.action == action)
                  .order_by(AuditEvent.id.desc())).first()
    return beijing_date(at).isoformat()


def test_the_page_shows_a_submitted_application_to_the_city(dbs, engine, people, factory_round,
                                                             applicant_client, city_client):
    application = reach(dbs, engine, people, factory_round, "submitted")
    day = day_of(dbs, application, "submit")
    items = tracker_items(city_client.get(f"/applications/{application.id}").get_data(True))
    assert len(items) == 9
    assert items[2] == f"提交 已完成：{day}"
    assert items[3] == f"市州推荐 当前：自 {day} 起 经办：贵阳市工业和信息化局"
    assert items[4] == "形式审查 待办"
    page = english(applicant_client).get(f"/applications/{application.id}").get_data(True)
    items = tracker_items(page)
    assert items[3] == (f"City recommendation Current: since {day} "
                        "With: Guiyang Bureau of Industry and IT")


def test_the_page_shows_a_returned_application_to_the_applicant(dbs, engine, people,
                                                                 factory_round, applicant_client):
    application = reach(dbs, engine, people, factory_round, "returned")
    day = day_of(dbs, application, "city_return")
    items = tracker_items(applicant_client.get(f"/applications/{application.id}").get_data(True))
    assert items[0] == (f"填报 当前：自 {day} 起 经办：申报单位 "
                        "已由市（州）退回修改，待申报单位修改后重新提交")
    page = english(applicant_client).get(f"/applications/{application.id}").get_data(True)
    assert tracker_items(page)[0].startswith(f"Fill in Current: since {day} With: The applicant "
                                             "Returned for changes by the city")


def test_the_page_shows_a_draft_to_the_applicant(dbs, engine, people, factory_round,
                                                  applicant_client):
    draft = reach(dbs, engine, people, factory_round, "draft")
    items = tracker_items(applicant_client.get(f"/applications/{draft.id}").get_data(True))
    assert items[0] == f"填报 当前：自 {day_of(dbs, draft, 'create')} 起 经办：申报单位"
    assert items[1].startswith("材料 待办 缺少：合规经营承诺书及信用查询记录、")
    items = tracker_items(english(applicant_client).get(f"/applications/{draft.id}")
                          .get_data(True))
    assert items[0] == f"Fill in Current: since {day_of(dbs, draft, 'create')} With: The applicant"
    assert items[1].startswith("Evidence To come Missing: Compliance statement")


def test_the_tracker_asks_for_the_kinds_the_page_lists_as_missing(dbs, engine, people,
                                                                  factory_round, applicant_client):
    draft = reach(dbs, engine, people, factory_round, "draft")
    page = applicant_client.get(f"/applications/{draft.id}").get_data(True)
    box = re.search(r'<div class="note warning missing-evidence".*?</ul>', page, flags=re.S)
    listed = re.findall(r"<li>(.*?)</li>", box.group(0))
    assert len(listed) > 2  # more than the gates': the applicable items' kinds too
    assert tracker_items(page)[1] == "材料 待办 缺少：" + "、".join(listed)


def test_the_page_shows_a_rejected_application(dbs, engine, people, factory_round,
                                               province_client):
    rejected = reach(dbs, engine, people, factory_round, "rejected")
    day = day_of(dbs, rejected, "reject")
    items = tracker_items(province_client.get(f"/applications/{rejected.id}").get_data(True))
    assert items[6] == f"决定 已终止：{day} 未通过"
    assert items[7:] == ["公示 未进行", "列入名单 未进行"]
    english(province_client)
    items = tracker_items(province_client.get(f"/applications/{rejected.id}").get_data(True))
    assert items[6] == f"Decision Stopped: {day} Rejected"


def test_the_page_shows_a_listed_application_in_english(dbs, engine, people, factory_round,
                                                        province_client):
    listed = reach(dbs, engine, people, factory_round, "listed")
    day = day_of(dbs, listed, "list")
    items = tracker_items(english(province_client).get(f"/applications/{listed.id}")
                          .get_data(True))
    assert items[8] == f"Listed Done: {day}"
    assert items[6] == f"Decision Done: {day_of(dbs, listed, 'approve')} Approved"
    assert 'aria-current="step"' not in province_client.get(
        f"/applications/{listed.id}").get_data(True)
