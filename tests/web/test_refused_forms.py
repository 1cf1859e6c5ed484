"""Forms shown again with a refusal: the message beside the field it names (or above the form),
nothing written. The views catch the refusal only for that; refusal.on_form rolls back."""

from datetime import date

from sqlmodel import select

from assessor.accounts.models import User
from assessor.rounds.models import Round
from tests.fixtures import PASSWORD

ROUND = {"title": "2026年零碳工厂申报", "subject": "factory", "year": 2024,
         "criteria_id": "GZ-F-2024", "opens_on": "2026-03-01", "closes_on": "2026-04-30",
         "publicity_days": 5}


def test_a_refused_round_shows_the_message_on_its_field_and_opens_nothing(dbs, province_client):
    client = province_client
    refused = client.post("/rounds/new", data={**ROUND, "closes_on": "2026-02-01"})
    assert refused.status_code == 200
    assert 'id="closes_on-error">截止日期不能早于开始日期' in refused.get_data(as_text=True)
    wrong_set = client.post("/rounds/new", data={**ROUND, "subject": "park"})
    assert 'id="criteria_id-error">评价标准与申报类型不符' in wrong_set.get_data(as_text=True)
    assert dbs.exec(select(Round)).all() == []

    opened = client.post("/rounds/new", data=ROUND)
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/rounds/")
    assert [(r.title, r.opens_on) for r in dbs.exec(select(Round)).all()] == [
        (ROUND["title"], date(2026, 3, 1))]


def test_a_refused_staff_account_shows_the_message_on_its_field(dbs, admin_client):
    client = admin_client
    before = len(dbs.exec(select(User)).all())
    page = client.post("/admin/users", data={"name": "市州", "email": "new@x.cn",
                                             "password": PASSWORD, "role": "city_officer",
                                             "city": ""}).get_data(as_text=True)
    assert 'id="city-error">市（州）工作人员须选择所属市（州）' in page
    taken = client.post("/admin/users", data={"name": "重复", "email": "expert@x.cn",
                                              "password": PASSWORD, "role": "expert", "city": ""})
    assert 'id="email-error">该邮箱已注册' in taken.get_data(as_text=True)
    assert len(dbs.exec(select(User)).all()) == before


def test_a_wrong_current_password_is_shown_beside_it(people, applicant_client, sign_in):
    page = applicant_client.post("/account", data={"current": "not-the-password1", "password":
                                         "Another-pass-2", "confirm": "Another-pass-2"})
    assert 'id="current-error">当前密码不正确' in page.get_data(as_text=True)
    sign_in(people["applicant"])  # the password is unchanged
