"""The expert's task list (issue 15): applicant (a code in a blind round), round, deadline and
state in words, what needs doing first; in Chinese and English."""

from datetime import timedelta

import pytest

from assessor.accounts import services as accounts
from assessor.accounts.models import Organisation
from assessor.review import services
from tests.fixtures import PASSWORD, TODAY
from tests.review.test_review import in_review


@pytest.fixture
def expert(dbs, people):
    return accounts.create_staff(dbs, email="tasks@x.cn", name="任务专家", role="expert",
                                 password=PASSWORD)


def task_list(client, locale):
    client.post("/language", data={"locale": locale, "next": "/"})
    return client.get("/review/assignments").get_data(as_text=True)


def assigned(dbs, engine, people, factory_round, expert, applicant="applicant"):
    application = in_review(dbs, engine, people, factory_round, applicant)
    assignment = services.assign(dbs, people["province_officer"], application, expert, TODAY)
    return application, assignment


def test_tasks_show_applicant_round_deadline_and_state(dbs, engine, people, factory_round,
                                                       expert, sign_in):
    application, assignment = assigned(dbs, engine, people, factory_round, expert)
    name = dbs.get(Organisation, application.organisation_id).name
    client = sign_in(expert)
    zh = task_list(client, "zh")
    for shown in (name, factory_round.title, assignment.due_on.isoformat(), "待声明利益冲突",
                  "申报单位", "期限"):
        assert shown in zh
    assert "已逾期" not in zh
    en = task_list(client, "en")
    for shown in (name, factory_round.title, assignment.due_on.isoformat(),
                  "Awaiting conflict declaration", "Applicant", "Due"):
        assert shown in en, shown
    assert "待声明" not in en and "期限" not in en


def test_blind_round_shows_a_code_and_no_name(dbs, engine, people, factory_round, expert,
                                              sign_in):
    factory_round.blind = True
    dbs.add(factory_round)
    dbs.commit()
    application, assignment = assigned(dbs, engine, people, factory_round, expert)
    organisation = dbs.get(Organisation, application.organisation_id)
    client = sign_in(expert)
    pages = {"zh": task_list(client, "zh"), "en": task_list(client, "en")}
    code = f"A{application.id:04d}"
    assert f"盲评编号 {code}" in pages["zh"] and f"Blind code {code}" in pages["en"]
    declaring = client.get(f"/review/assignments/{assignment.id}").get_data(as_text=True)
    assert code in declaring  # the same code on the task's own page
    for page in (*pages.values(), declaring):
        assert factory_round.title in page
        for secret in (organisation.name, organisation.uscc):
            assert secret not in page


def test_what_needs_doing_comes_first_and_overdue_is_flagged(dbs, engine, people,
                                                             factory_round, expert, sign_in):
    _, done = assigned(dbs, engine, people, factory_round, expert)
    _, late = assigned(dbs, engine, people, factory_round, expert, "other_applicant")
    services.declare_no_conflict(dbs, expert, done)
    done.state = "submitted"  # the order only: how it got there is test_review's business
    late.due_on = TODAY - timedelta(days=1)
    dbs.add_all([done, late])
    dbs.commit()
    client = sign_in(expert)
    zh = task_list(client, "zh")
    assert zh.index(f"评审任务 {late.id}") < zh.index(f"评审任务 {done.id}")
    assert "已逾期" in zh and "已提交" in zh
    en = task_list(client, "en")
    assert "Overdue" in en and "Submitted" in en
