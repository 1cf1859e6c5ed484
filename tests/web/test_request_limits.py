"""What one request may carry: deep JSON, numbers with dozens of digits, CR/LF and control
characters, huge or deeply nested what-if drafts. Each is refused with 400 (or 422 on the
what-if page) and a message in the user's language, before anything changes; never a 500."""

import io
import json
from datetime import date

import pytest
from sqlmodel import select

from assessor.applications.models import Application
from assessor.publication import filing, services
from assessor.publication.models import Publicity
from tests.api.helpers import bearer, token_for
from tests.fixtures import TODAY
from tests.publication.helpers import approved


def api_error(response, status=400) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert error["zh"] and error["en"] and error["en"] != error["zh"]
    return error


def test_deeply_nested_json_to_the_api(dbs, people, factory_round, client):
    headers = bearer(token_for(dbs, people["applicant"]))
    nested: object = 1
    for _ in range(40):  # past the limit of 32, far below Python's recursion limit
        nested = [nested]
    for body in (b"[" * 100_000 + b"]" * 100_000,  # Python's parser would recurse to a 500
                 json.dumps({"round_id": factory_round.id, "data": {"x": nested}}).encode()):
        response = client.post("/api/v1/applications", data=body, headers=headers,
                               content_type="application/json")
        assert "嵌套层数过多" in api_error(response)["zh"]
    # brackets inside strings are text, not nesting
    text = json.dumps({"round_id": factory_round.id, "data": {"subject": "[" * 1000}}).encode()
    response = client.post("/api/v1/applications", data=text, headers=headers)
    assert response.status_code != 400 or "嵌套" not in response.get_json()["error"]["zh"]
    assert dbs.exec(select(Application)).all() == []


def test_a_json_number_with_thousands_of_digits(app, dbs, people, factory_round):
    response = app.test_client().post(
        "/api/v1/applications", data=b'{"round_id": ' + b"9" * 5000 + b"}",
        headers=bearer(token_for(dbs, people["applicant"])), content_type="application/json")
    assert "数字位数过多" in api_error(response)["zh"]


@pytest.mark.parametrize("query", ["page=" + "9" * 30, "page=-1", "page=0", "round=" + "1" * 5000,
                                   "round=2147483648", "state=" + "9" * 40])
def test_numbers_with_dozens_of_digits_in_a_query_string(query, city_client):
    response = city_client.get(f"/applications/?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "请求未处理" in page and query.split("=")[0] in page
    assert city_client.get("/applications/?page=2&round=1").status_code == 200  # ordinary numbers


def test_numbers_in_api_query_strings(app, dbs, people):
    headers = bearer(token_for(dbs, people["province_officer"]))
    response = app.test_client().get("/api/v1/applications?round_id=" + "9" * 30,
                                     headers=headers)
    assert api_error(response)["fields"][0]["path"] == "round_id"


def test_record_ids_in_forms_are_checked_like_route_ids(dbs, factory_round, applicant_client):
    """The fuzz found POST /applications/new with round=999…9 (30 digits): an OverflowError."""
    for value in ("9" * 30, "-" + "9" * 40, "0"):
        response = applicant_client.post("/applications/new", data={"round": value})
        assert response.status_code == 400 and "round" in response.get_data(as_text=True)
    assert dbs.exec(select(Application)).all() == []
    assert applicant_client.post("/applications/new", data={"round": str(factory_round.id)}
                                 ).status_code == 302


@pytest.mark.parametrize("url", ["/verify/ABCD%0D%0ASet-Cookie:%20x=1",
                                 "/lists?next=%0D%0ALocation:%20//evil.example",
                                 "/publicity?x%0Ay=1"])
def test_cr_lf_in_the_address_is_refused(app, url):
    response = app.test_client().get(url)
    page = response.get_data(as_text=True)
    if "?" in url:
        assert response.status_code == 400 and "控制字符" in page
    else:  # a path with a line break names nothing
        assert response.status_code == 404 and "页面不存在" in page
    assert "Location" not in response.headers
    assert not any("x=1" in cookie for cookie in response.headers.getlist("Set-Cookie"))


def test_control_characters_in_forms_but_not_line_breaks(dbs, applicant_client):
    response = applicant_client.post("/organisation/users",
                                     data={"name": "张\x01三", "email": "c@x.cn"})
    assert response.status_code == 400 and "控制字符" in response.get_data(as_text=True)
    # a line break in a form field is ordinary text: the form answers, the guard does not
    response = applicant_client.post("/organisation/users",
                                     data={"name": "张\r\n三", "email": "c@x.cn"})
    assert "控制字符" not in response.get_data(as_text=True)


def test_the_refusal_is_in_english_for_english_users(people, client):
    client.post("/language", data={"locale": "en", "next": "/login"})
    page = client.get("/lists?page=" + "9" * 30).get_data(as_text=True)
    assert "too many digits" in page and "请求未处理" not in page


# -- found by the fuzz or beside its findings -----------------------------------------------------

def test_a_filing_year_is_a_year(dbs, people, factory_round):
    with pytest.raises(services.PublicationError) as refused:
        filing.open_call(dbs, people["province_officer"], factory_round, 10**30,
                         date(2025, 6, 1), TODAY)
    assert "2020–2100" in refused.value.zh


def test_a_publicity_starting_in_year_9999_is_not_a_date(
        dbs, engine, people, factory_round, province_client):
    approved(dbs, engine, people, factory_round)
    response = province_client.post(f"/publication/rounds/{factory_round.id}/publicity",
                                    data={"starts_on": "9999-12-31"}, follow_redirects=True)
    assert response.status_code == 422 and "请填写公示开始日期" in response.get_data(as_text=True)
    assert dbs.exec(select(Publicity)).all() == []


# -- what-if drafts --------------------------------------------------------------------------------

def draft_with(engine, formula: str) -> str:
    text = engine.criteria("GZ-F-2024").path.read_text(encoding="utf-8")
    return text.replace("items:\n", f"""derived:
  - id: probe
    title: {{zh: 试算, en: probe}}
    formula: "{formula}"
    unit: tce
items:
""", 1)


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))


@pytest.mark.parametrize("case, message", [
    ("long", "公式超过 500 个字符"), ("deep", "公式嵌套超过 50 层"), ("unary", "公式嵌套超过 50 层"),
    ("infinite", "有限的数字"), ("yaml", "YAML 嵌套层数过多"), ("bomb", "内容过多"),
    ("big", "草案文件过大")])
def test_hostile_whatif_drafts_are_refused_clearly(
        engine, factory_round, case, message, province_client):
    text = {"long": lambda: draft_with(engine, "+".join(["comprehensive_energy_tce"] * 3000)),
            "deep": lambda: draft_with(engine, "2*(" * 60 + "comprehensive_energy_tce" + ")" * 60),
            "unary": lambda: draft_with(engine, "-" * 400 + "comprehensive_energy_tce"),
            "infinite": lambda: draft_with(engine, "comprehensive_energy_tce * 1e999"),
            "yaml": lambda: "[" * 100_000,
            "bomb": lambda: BOMB,
            "big": lambda: "# " + "x" * 1_100_000}[case]()
    response = province_client.post(f"/whatif/rounds/{factory_round.id}",
                                    content_type="multipart/form-data",
                                    data={"source": "upload",
                                          "draft": (io.BytesIO(text.encode()), "draft.yaml")})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_a_reasonable_formula_still_works(engine, factory_round, province_client):
    text = draft_with(engine, "(comprehensive_energy_tce + comprehensive_energy_tce) / 2")
    response = province_client.post(f"/whatif/rounds/{factory_round.id}",
                                    content_type="multipart/form-data",
                                    data={"source": "upload",
                                          "draft": (io.BytesIO(text.encode()), "draft.yaml")})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["1e999", "-inf", "nan", "9" * 400])
def test_whatif_thresholds_must_be_finite(factory_round, value, province_client):
    response = province_client.post(f"/whatif/rounds/{factory_round.id}",
                                    data={"source": "edit", "gate-F-G6": value})
    assert response.status_code == 422 and "超出可用的数值范围" in response.get_data(as_text=True)


# -- a reason longer than its column is refused whole, never cut (PostgreSQL answered 500) ------

def test_a_reason_longer_than_the_audit_log_keeps_is_refused(
        app, dbs, engine, people, factory_round, tmp_path, province_client):
    from assessor.audit import AuditEvent
    from tests.publication.helpers import issue, publish

    application = approved(dbs, engine, people, factory_round)
    services.open_publicity(dbs, engine, people["province_officer"], factory_round,
                            date(2025, 3, 7), TODAY)
    app.config.update(CERTIFICATE_FOLDER=str(tmp_path / "certificates"))
    publish(dbs, engine, people, factory_round)
    certificate = issue(dbs, people, factory_round)[0]
    listing_id, certificate_id = certificate.listing_id, certificate.id
    events = len(dbs.exec(select(AuditEvent)).all())
    for url in (f"/publication/certificates/{certificate_id}/revoke",
                f"/publication/listings/{listing_id}/remove"):
        response = province_client.post(url, data={"reason": "理" * 2001})
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and "最多 2,000 字（收到 2,001 字）" in page, url
    dbs.expire_all()
    assert dbs.get(Application, application.id).state == "listed"
    assert len(dbs.exec(select(AuditEvent)).all()) == events
    # exactly at the limit is accepted whole, and its notice is shortened, not the reason
    done = province_client.post(f"/publication/listings/{listing_id}/remove",
                                data={"reason": "理" * 2000})
    assert done.status_code == 302
    dbs.expire_all()
    assert dbs.get(Application, application.id).state == "removed"
    removal = dbs.exec(select(AuditEvent).where(AuditEvent.action == "remove")).one()
    assert removal.reason == "理" * 2000


def test_an_objection_longer_than_its_fields_is_refused_not_cut(
        app, dbs, engine, people, factory_round, client):
    from assessor.publication.models import Objection

    application = approved(dbs, engine, people, factory_round)
    services.open_publicity(dbs, engine, people["province_officer"], factory_round,
                            date(2025, 3, 7), TODAY)
    app.config["TODAY"] = date(2025, 3, 10)
    response = client.post(f"/publicity/{factory_round.id}", data={
        "application": application.id, "name": "王" * 101, "contact": "1" * 201,
        "reason": "异" * 5001})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“姓名或单位”最多 100 字（收到 101 字）" in page
    assert "“联系方式”最多 200 字（收到 201 字）" in page
    assert "“异议理由”最多 5,000 字（收到 5,001 字）" in page
    assert "异" * 5001 in page  # what the visitor typed is still in the form
    assert dbs.exec(select(Objection)).all() == []
