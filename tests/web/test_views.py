"""Pages through the test client: each role reaches exactly what it should."""

import io

import pytest
from sqlmodel import select

from assessor.applications import services
from assessor.applications.lifecycle import transition
from tests.conftest import factory_submission
from tests.fixtures import OPINION, SIGNED, TODAY

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def submitted(dbs, engine, people, factory_round):
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    services.save_draft(dbs, engine, people["applicant"], application, factory_submission(), 0,
                        TODAY)
    transition(dbs, engine, application, "submit", people["applicant"], commitment=SIGNED, today=TODAY)
    return application


@pytest.mark.parametrize(("role", "status"), [
    ("applicant", 200), ("city_officer", 200), ("province_officer", 200),
    ("other_applicant", 404), ("other_city_officer", 404), ("expert", 404), ("admin", 404),
])
def test_who_sees_a_submitted_application(people, submitted, role, status, sign_in):
    client = sign_in(people[role])
    assert client.get(f"/applications/{submitted.id}").status_code == status
    assert client.get(f"/applications/{submitted.id}/revisions/1").status_code == status
    listing = client.get("/applications/").get_data(as_text=True)
    assert (f'/applications/{submitted.id}"' in listing) == (status == 200)


def test_drafts_stay_with_the_applicant(dbs, people, factory_round, sign_in):
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    for role, status in (("applicant", 200), ("city_officer", 404), ("province_officer", 404)):
        client = sign_in(people[role])
        assert client.get(f"/applications/{application.id}").status_code == status


def test_unknown_ids_and_anonymous_visitors(submitted, applicant_client, client):
    assert client.get(f"/applications/{submitted.id}").status_code == 302
    assert applicant_client.get("/applications/99999").status_code == 404
    assert "页面不存在" in applicant_client.get("/applications/99999").get_data(as_text=True)


def test_staff_pages_are_for_their_roles(people, sign_in):
    for role, path, status in (("admin", "/admin/users", 200), ("applicant", "/admin/users", 404),
                               ("province_officer", "/rounds/new", 200),
                               ("city_officer", "/rounds/new", 404),
                               ("applicant", "/organisation/users", 200),
                               ("expert", "/organisation/users", 404)):
        client = sign_in(people[role])
        assert client.get(path).status_code == status, (role, path)


def test_city_officer_recommends_through_the_page(dbs, people, submitted, city_client, sign_in):
    page = city_client.get(f"/applications/{submitted.id}").get_data(as_text=True)
    assert 'value="recommend"' in page and 'value="approve"' not in page
    city_client.post(f"/applications/{submitted.id}/transition",
                     data={"action": "recommend", "reason": OPINION})
    dbs.refresh(submitted)
    assert submitted.state == "recommended"
    other = sign_in(people["other_city_officer"])
    assert other.post(f"/applications/{submitted.id}/transition",
                      data={"action": "city_return", "reason": "x"}).status_code == 404


def test_edit_form_saves_scores_and_explains(dbs, people, factory_round, applicant_client):
    response = applicant_client.post("/applications/new", data={"round": factory_round.id})
    application_id = int(response.headers["Location"].rstrip("/").split("/")[-2])
    page = applicant_client.get(f"/applications/{application_id}/edit").get_data(as_text=True)
    assert "天然气" in page and "添加能源品种" in page and "绿证" in page
    form = {
        "lock_version": "0",
        "energy-natural_gas-quantity": "10", "energy-natural_gas-unit": "万Nm3",
        "electricity-grid_purchase-quantity": "20000", "electricity-grid_purchase-unit": "MWh",
        "electricity-green_power_trading-quantity": "12000",
        "electricity-green_power_trading-unit": "MWh",
        "electricity-direct_green_supply-quantity": "6", "electricity-direct_green_supply-unit":
        "万kWh",
        "declarations-compliance_3y": "yes", "declarations-green_factory_title": "national",
        "declarations-no_obsolete_equipment": "yes", "declarations-zero_carbon_plan": "yes",
        "offsets-0-instrument": "ccer", "offsets-0-serial": "CCER-1", "offsets-0-count": "100",
        "offsets-0-quantity": "100", "offsets-0-unit": "tCO2e",
    }
    saved = applicant_client.post(f"/applications/{application_id}/edit", data=form,
                                  follow_redirects=True)
    text = saved.get_data(as_text=True)
    assert "已保存" in text and "评价结果" in text and "综合能耗" in text
    draft = services.current_revision(dbs, services.get_visible(dbs, people["applicant"],
                                                                application_id))
    assert draft.data["electricity"]["direct_green_supply"] == {"quantity": 6.0, "unit": "万kWh"}
    assert draft.data["declarations"]["compliance_3y"] is True


def test_bad_input_changes_nothing_and_says_why(dbs, people, factory_round, applicant_client):
    response = applicant_client.post("/applications/new", data={"round": factory_round.id})
    application_id = int(response.headers["Location"].rstrip("/").split("/")[-2])
    bad = {"lock_version": "0", "energy-coke-quantity": "-5", "energy-coke-unit": "t"}
    text = applicant_client.post(f"/applications/{application_id}/edit",
                                 data=bad).get_data(as_text=True)
    assert "不能为负数" in text
    draft = services.current_revision(dbs, services.get_visible(dbs, people["applicant"],
                                                                application_id))
    assert draft.lock_version == 0 and "energy" not in draft.data


def test_engine_problems_land_beside_the_field(dbs, factory_round, applicant_client):
    response = applicant_client.post("/applications/new", data={"round": factory_round.id})
    application_id = int(response.headers["Location"].rstrip("/").split("/")[-2])
    form = {"lock_version": "0",
            "electricity-grid_purchase-quantity": "100", "electricity-grid_purchase-unit": "MWh",
            "electricity-green_power_trading-quantity": "200",
            "electricity-green_power_trading-unit": "MWh"}
    text = applicant_client.post(f"/applications/{application_id}/edit",
                                 data=form).get_data(as_text=True)
    assert "绿电交易电量不能大于电网购电总量" in text
    assert "已保存草稿，但还有问题" in text  # what was typed is kept


def test_evidence_upload_checks_content_and_scopes_download(
        dbs, people, factory_round, applicant_client, sign_in):
    response = applicant_client.post("/applications/new", data={"round": factory_round.id})
    application_id = int(response.headers["Location"].rstrip("/").split("/")[-2])
    fake = applicant_client.post(f"/applications/{application_id}/evidence", follow_redirects=True,
                                 data={"item": "other", "file": (io.BytesIO(b"<html>"), "x.pdf")},
                                 content_type="multipart/form-data")
    assert "文件内容与扩展名" in fake.get_data(as_text=True)
    applicant_client.post(f"/applications/{application_id}/evidence",
                          data={"item": "compliance_statement",
                                "file": (io.BytesIO(PDF), "承诺书.pdf")},
                          content_type="multipart/form-data")
    evidence = services.current_evidence(dbs, services.get_visible(dbs, people["applicant"],
                                                                   application_id))
    assert len(evidence) == 1 and len(evidence[0].sha256) == 64
    url = f"/applications/{application_id}/evidence/{evidence[0].id}"
    download = applicant_client.get(url)
    assert download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    stranger = sign_in(people["other_applicant"])
    assert stranger.get(url).status_code == 404


def test_registration_normalises_and_refuses_duplicates(app, dbs, people):
    from assessor.accounts.models import AccountToken

    client = app.test_client()
    data = {"org_name": "贵州新企业有限公司", "uscc": "91350100m000100y43", "kind": "factory",
            "city": "anshun", "industry": "C3011", "address": "安顺", "contact_name": "李四",
            "contact_phone": "0851-1234567", "name": "李四", "email": "li@x.cn",
            "password": "long-enough-pw", "confirm": "long-enough-pw"}
    assert client.post("/register", data=data).status_code == 302
    pending = dbs.exec(select(AccountToken)).one()  # made when the e-mailed link is followed
    assert pending.payload["organisation"]["uscc"] == "91350100M000100Y43"
    # an e-mail already registered: the same answer, nothing made (the mailbox is told)
    again = app.test_client().post("/register", data={**data, "email": "a@x.cn"})
    assert again.status_code == 302 and len(dbs.exec(select(AccountToken)).all()) == 1
    wrong = app.test_client().post("/register", data={**data, "uscc": "91350100M000100Y44",
                                                      "email": "w@x.cn"})
    assert "校验位不正确" in wrong.get_data(as_text=True)


def test_csrf_is_required(app, people):
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().post("/login", data={"email": "a@x.cn", "password": "x"})
    assert response.status_code == 400


def test_park_form_rolls_up_members(dbs, engine, people, park_round, park_client):
    response = park_client.post("/applications/new", data={"round": park_round.id})
    application_id = int(response.headers["Location"].rstrip("/").split("/")[-2])
    page = park_client.get(f"/applications/{application_id}/edit").get_data(as_text=True)
    assert "园区企业" in page and 'name="members-0-name"' in page
    form = {"lock_version": "0",
            "electricity-grid_purchase-quantity": "1000", "electricity-grid_purchase-unit": "MWh",
            "members-0-name": "成员甲", "members-0-uscc": "",
            "members-0-electricity-grid_purchase-quantity": "9000",
            "members-0-electricity-grid_purchase-unit": "MWh",
            "members-0-energy-coke-quantity": "5", "members-0-energy-coke-unit": "m3",
            "members-1-name": "", "declarations-development_zone_level": "national"}
    text = park_client.post(f"/applications/{application_id}/edit",
                            data=form).get_data(as_text=True)
    assert "单位“m3”不能用于焦炭" in text  # the member's field, named in Chinese
    assert "未保存" in text  # a unit of the wrong kind is refused: the draft is unchanged
    form["members-0-energy-coke-unit"] = "t"
    saved = park_client.post(f"/applications/{application_id}/edit", data=form,
                             follow_redirects=True).get_data(as_text=True)
    assert "已保存" in saved
    stale = park_client.post(f"/applications/{application_id}/edit",
                             data=form).get_data(as_text=True)
    assert "已被他人修改" in stale  # the save moved the draft on
    application = services.get_visible(dbs, people["park_applicant"], application_id)
    draft = services.current_revision(dbs, application)
    assert [m["name"] for m in draft.data["members"]] == ["成员甲"]
    result = engine.score(draft.data, "GZ-P-2024")
    assert result["indicators"]["electricity_consumption_mwh"]["value"] == 10000
    assert result["indicators"]["member_count"]["value"] == 1


def test_list_exports_what_the_user_sees(dbs, people, submitted, city_client, sign_in):
    import pandas as pd

    export = city_client.get("/applications/export.xlsx?state=submitted")
    frame = pd.read_excel(io.BytesIO(export.data))
    assert list(frame["编号"]) == [submitted.id] and frame["等级"][0] == "零碳工厂"
    other = sign_in(people["other_city_officer"])
    assert pd.read_excel(io.BytesIO(other.get("/applications/export.xlsx").data)).empty
