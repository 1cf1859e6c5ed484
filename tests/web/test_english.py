"""The English interface: the language follows the visitor and the user, and what the services
say (refusals, flashed messages, Excel problems) reaches the user in that language, while the
same services called outside a request (the command line, these tests) speak Chinese."""

import io
import re

import openpyxl
import pytest

from assessor.accounts import services as accounts
from assessor.accounts.uscc import make
from assessor.applications import services
from assessor.applications.lifecycle import TransitionError, transition
from tests.fixtures import PASSWORD, TODAY, login

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def english(client, path="/"):
    client.post("/language", data={"locale": "en", "next": path})
    return client


def visible_text(page: str) -> str:
    """The page without tags, scripts, and the 中文 switch (its label is Chinese everywhere)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return page.replace("中文", "")


def flashes(page: str) -> list[str]:
    return re.findall(r'<div class="flash[^"]*" role="status">(.*?)</div>', page, flags=re.S)


@pytest.mark.parametrize("path", ["/login", "/register", "/publicity", "/lists", "/verify"])
def test_public_pages_in_english_have_no_chinese(path, client):
    page = english(client, path).get(path).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert not CJK.search(visible_text(page)), CJK.findall(visible_text(page))[:10]


def test_the_choice_survives_signing_in_and_out(app, people):
    client = english(app.test_client(), "/login")
    login(client, people["applicant"])
    assert people["applicant"].locale == "en"  # chosen before signing in: now the user's own
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Dashboard" in page
    client.post("/logout")
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)

    stranger = app.test_client()  # a new visitor still sees Chinese first
    assert '<html lang="zh-CN">' in stranger.get("/login").get_data(as_text=True)
    login(stranger, people["applicant"])  # the user's own language wins after signing in
    assert '<html lang="en">' in stranger.get("/").get_data(as_text=True)


def test_a_signed_in_user_switches_back_to_chinese(people, city_client):
    client = english(city_client)
    assert "Dashboard" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"locale": "zh", "next": "/"})
    assert people["city_officer"].locale == "zh"
    assert "工作台" in client.get("/").get_data(as_text=True)


def test_registration_in_english_flashes_in_english(app):
    client = english(app.test_client(), "/register")
    response = client.post("/register", data={
        "org_name": "Test Co", "uscc": make("91520100MA6D0777X"), "kind": "factory",
        "city": "guiyang", "industry": "C3011", "address": "1 Test Road",
        "contact_name": "Zhang", "contact_phone": "0851-12345678", "name": "Zhang",
        "email": "zhang@example.com", "password": PASSWORD, "confirm": PASSWORD},
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert flashes(page) == ["If the details are valid, we have sent an e-mail to "
                             "zhang@example.com: follow it within 24 hours to complete the "
                             "registration."] and '<html lang="en">' in page


def test_form_errors_and_data_labels_in_english(app, factory_round, applicant_client):
    client = english(app.test_client(), "/register")
    page = client.post("/register", data={"uscc": "91350100M000100Y44"}).get_data(as_text=True)
    assert "This field is required" in page and "Guiyang" in page and "贵阳市" not in page

    applicant = english(applicant_client)
    response = applicant.post("/applications/new", data={"round": factory_round.id})
    page = applicant.get(response.headers["Location"]).get_data(as_text=True)
    assert "Natural gas" in page and "Grid purchases (incl. green-power trading)" in page
    assert "天然气" not in page and "10⁴ kWh" in page  # 万kWh spelt out, the value unchanged
    assert 'value="万kWh"' in page


def test_refusals_speak_the_language_of_the_request(
        dbs, engine, people, factory_round, applicant_client):
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    with pytest.raises(TransitionError) as refused:  # outside a request: Chinese
        transition(dbs, engine, application, "recommend", people["city_officer"])
    assert refused.value.zh == "当前状态为“草稿”，不能推荐"

    client = english(applicant_client)
    refused = client.post(f"/applications/{application.id}/transition",
                          data={"action": "recommend"})
    assert refused.status_code == 422  # the page again, the refusal in its error summary
    summary = refused.get_data(as_text=True).split('class="error-summary"')[1].split("</div>")[0]
    assert "You are not permitted to do this" in summary

    with pytest.raises(accounts.AccountError) as taken:
        accounts.register_applicant(dbs, organisation={"uscc": "1"}, email="x@x.cn",
                                    name="x", password=PASSWORD)
    assert taken.value.zh == "统一社会信用代码应为18位"


def test_login_required_flash_in_english(app):
    client = english(app.test_client())
    page = client.get("/applications/", follow_redirects=True).get_data(as_text=True)
    assert "Please sign in first." in flashes(page)


def test_excel_problems_in_english_and_chinese(factory_round, applicant_client):
    response = applicant_client.post("/applications/new", data={"round": factory_round.id})
    application_id = int(response.headers["Location"].rstrip("/").split("/")[-2])
    template = applicant_client.get(f"/applications/{application_id}/template.xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(template))
    book["能源消费"]["E1"] = "多余"
    buffer = io.BytesIO()
    book.save(buffer)

    def upload(client):
        return client.post(f"/applications/{application_id}/import",
                           data={"file": (io.BytesIO(buffer.getvalue()), "data.xlsx")},
                           content_type="multipart/form-data").get_data(as_text=True)

    assert "列标题“多余”不是本表的列" in upload(applicant_client)
    page = upload(english(applicant_client))
    assert "The header “多余” is not a column of this sheet" in page
    assert "“能源品种代码”, “能源品种名称”" in page  # the workbook's own headers, listed


def test_punctuation_follows_the_language(applicant_client):
    assert "申报人（申报单位）" in applicant_client.get("/").get_data(as_text=True)
    assert "申报人 (Applicant)" in english(applicant_client).get("/").get_data(as_text=True)
