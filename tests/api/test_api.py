"""/api/v1 as the data-sharing platform and applicants' systems use it: who sees what (exactly
as on the web pages), a draft made, updated and submitted, conflicts and bad input that change
nothing, and the public list and certificate lookups."""

import json
from datetime import date
from pathlib import Path

import pytest
from flask import current_app
from sqlmodel import select

from assessor.api.openapi import document
from assessor.applications import services as applications
from assessor.applications.lifecycle import transition
from assessor.applications.models import Application, Revision
from assessor.publication import services as publication
from tests.api.helpers import Api, bearer, token_for
from tests.conftest import factory_submission
from tests.fixtures import SIGNED, SIGNED_JSON, TODAY
from tests.publication.helpers import approved, issue, publish


@pytest.fixture
def api(app, dbs, people):
    """A client with a token for each person."""
    return {role: Api(app, token_for(dbs, user)) for role, user in people.items()}


def draft(dbs, engine, people, factory_round, who="applicant", submit=False):
    application = applications.create(dbs, people[who], factory_round, TODAY)
    applications.save_draft(dbs, engine, people[who], application, factory_submission(), 0,
                            TODAY)
    if submit:
        transition(dbs, engine, application, "submit", people[who], commitment=SIGNED, today=TODAY)
    return application


def error_of(response) -> dict:
    assert response.is_json, response.get_data(as_text=True)[:200]
    error = response.json["error"]
    assert error["zh"] and error["en"] and error["code"]
    return error


# -- authentication ---------------------------------------------------------------------------

def test_no_token_or_a_wrong_one_is_refused_in_both_languages(people, factory_round, client):
    response = client.get("/api/v1/rounds")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith(
        "Bearer")
    assert "令牌" in error_of(response)["zh"] and "token" in error_of(response)["en"]
    for header in ("Bearer asr_not-a-token", "Basic YTpi", "Bearer "):
        response = client.get("/api/v1/rounds", headers={"Authorization": header})
        assert response.status_code == 401
    # public data needs no token, but a token sent must work
    assert client.get("/api/v1/lists").status_code == 200
    assert client.get("/api/v1/lists", headers=bearer("asr_wrong")).status_code == 401


def test_a_browser_session_does_not_open_the_api(factory_round, province_client):
    assert province_client.get("/applications/").status_code == 200
    assert province_client.get("/api/v1/applications").status_code == 401


def test_the_api_needs_no_csrf_token(app, dbs, engine, api, people, factory_round):
    app.config["WTF_CSRF_ENABLED"] = True
    response = api["applicant"].post("/api/v1/applications", json={
        "round_id": factory_round.id, "data": factory_submission()})
    assert response.status_code == 201


# -- who sees what ----------------------------------------------------------------------------

def test_applicants_see_only_their_own(app, dbs, engine, api, people, factory_round):
    mine = draft(dbs, engine, people, factory_round)
    theirs = draft(dbs, engine, people, factory_round, "other_applicant", submit=True)
    listed = api["applicant"].get("/api/v1/applications").json
    assert [a["id"] for a in listed["items"]] == [mine.id] and listed["total"] == 1
    assert api["applicant"].get(f"/api/v1/applications/{mine.id}").status_code == 200
    response = api["applicant"].get(f"/api/v1/applications/{theirs.id}")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    # nor change or submit it
    assert api["applicant"].put(f"/api/v1/applications/{theirs.id}/draft", json={
        "lock_version": 1, "data": factory_submission()}).status_code == 404
    assert api["applicant"].post(f"/api/v1/applications/{theirs.id}/submit").status_code == 404


def test_officers_see_their_reach_of_submitted_applications(app, dbs, engine, api, people,
                                                            factory_round):
    guiyang = draft(dbs, engine, people, factory_round, submit=True)
    zunyi = draft(dbs, engine, people, factory_round, "other_applicant", submit=True)

    def ids(role, **params):
        return {a["id"] for a in api[role].get("/api/v1/applications",
                                                query_string=params).json["items"]}

    assert ids("city_officer") == {guiyang.id}
    assert ids("other_city_officer") == {zunyi.id}
    assert ids("province_officer") == {guiyang.id, zunyi.id}
    assert ids("expert") == set() and ids("admin") == set()
    assert api["city_officer"].get(f"/api/v1/applications/{zunyi.id}").status_code == 404
    seen = api["city_officer"].get(f"/api/v1/applications/{guiyang.id}").json
    assert seen["state"] == "submitted" and seen["result"]["level"]["id"]
    assert seen["organisation"]["city"]["code"] == "guiyang"
    assert ids("province_officer", state="draft") == set()
    assert ids("province_officer", round_id=factory_round.id, per_page=1, page=2) != set()


def test_officers_do_not_see_drafts(app, dbs, engine, api, people, factory_round):
    application = draft(dbs, engine, people, factory_round)
    for role in ("city_officer", "province_officer"):
        assert api[role].get(f"/api/v1/applications/{application.id}").status_code == 404
    # once returned and being edited again, they see the submitted revision, not the draft
    transition(dbs, engine, application, "submit", people["applicant"], commitment=SIGNED, today=TODAY)
    transition(dbs, engine, application, "city_return", people["city_officer"], reason="补充",
               today=TODAY)
    seen = api["city_officer"].get(f"/api/v1/applications/{application.id}").json
    assert [r["number"] for r in seen["revisions"]] == [1]
    assert seen["latest_revision"]["submitted_at"] and seen["editable"] is False
    own = api["applicant"].get(f"/api/v1/applications/{application.id}").json
    assert [r["number"] for r in own["revisions"]] == [1, 2] and own["editable"] is True
    assert own["latest_revision"]["return_reason"] == "补充"


def test_an_application_withdrawn_before_submission_stays_unseen(
        dbs, engine, api, people, factory_round, city_client):
    application = draft(dbs, engine, people, factory_round)
    transition(dbs, engine, application, "withdraw", people["applicant"], reason="不报了",
               today=TODAY)
    assert api["city_officer"].get(f"/api/v1/applications/{application.id}").status_code == 404
    page = city_client.get(f"/applications/{application.id}")
    assert page.status_code == 404
    assert api["applicant"].get(f"/api/v1/applications/{application.id}").json["state"] == \
        "withdrawn"


# -- a draft made, updated and submitted ------------------------------------------------------

def test_create_update_submit_round_trip(app, dbs, engine, api, people, factory_round):
    client = api["applicant"]
    data = factory_submission(expert_scores={})
    created = client.post("/api/v1/applications", json={"round_id": factory_round.id,
                                                         "data": data})
    assert created.status_code == 201
    body = created.json
    assert created.headers["Location"].endswith(f"/api/v1/applications/{body['id']}")
    assert body["state"] == "draft" and body["editable"] is True
    assert body["latest_revision"]["data"] == data and body["problems"] == []
    assert body["result"]["total"]["points"] is not None
    lock = body["latest_revision"]["lock_version"]

    changed = factory_submission()
    updated = client.put(f"/api/v1/applications/{body['id']}/draft",
                         json={"lock_version": lock, "data": changed})
    assert updated.status_code == 200
    assert updated.json["latest_revision"]["lock_version"] == lock + 1
    assert updated.json["latest_revision"]["data"]["expert_scores"] == changed["expert_scores"]

    unsigned = client.post(f"/api/v1/applications/{body['id']}/submit")
    assert unsigned.status_code == 409 and "承诺书" in unsigned.json["error"]["zh"]
    submitted = client.post(f"/api/v1/applications/{body['id']}/submit", json=SIGNED_JSON)
    assert submitted.status_code == 200 and submitted.json["state"] == "submitted"
    assert submitted.json["latest_revision"]["submitted_at"] and not submitted.json["editable"]
    revision = dbs.exec(select(Revision).where(Revision.application_id == body["id"])).one()
    assert revision.result == submitted.json["result"]  # the frozen result, as on the page

    again = client.post(f"/api/v1/applications/{body['id']}/submit")
    assert again.status_code == 409 and "不能提交" in error_of(again)["zh"]
    assert "not possible" in error_of(again)["en"]
    late = client.put(f"/api/v1/applications/{body['id']}/draft",
                      json={"lock_version": lock + 1, "data": changed})
    assert late.status_code == 409 and error_of(late)["en"] != error_of(late)["zh"]
    assert api["city_officer"].get(f"/api/v1/applications/{body['id']}").json["state"] == \
        "submitted"


def test_two_writers_never_overwrite_each_other(app, dbs, engine, api, people, factory_round):
    application = draft(dbs, engine, people, factory_round)
    url = f"/api/v1/applications/{application.id}/draft"
    read = api["applicant"].get(f"/api/v1/applications/{application.id}").json
    lock = read["latest_revision"]["lock_version"]
    first = factory_submission(expert_scores={"F-E1": 1})
    second = factory_submission(expert_scores={"F-E1": 2})
    assert api["applicant"].put(url, json={"lock_version": lock, "data": first}).status_code \
        == 200
    conflict = api["applicant"].put(url, json={"lock_version": lock, "data": second})
    assert conflict.status_code == 409 and error_of(conflict)["code"] == "stale"
    dbs.expire_all()
    stored = dbs.exec(select(Revision).where(Revision.application_id == application.id)).one()
    assert stored.data["expert_scores"] == {"F-E1": 1} and stored.lock_version == lock + 1


def test_one_application_per_round_and_only_for_applicants(app, dbs, engine, api, people,
                                                           factory_round):
    draft(dbs, engine, people, factory_round)
    body = {"round_id": factory_round.id, "data": factory_submission()}
    again = api["applicant"].post("/api/v1/applications", json=body)
    assert again.status_code == 409 and error_of(again)["code"] == "exists"
    officer = api["province_officer"].post("/api/v1/applications", json=body)
    assert officer.status_code == 403 and error_of(officer)["code"] == "forbidden"
    park = api["park_applicant"].post("/api/v1/applications",
                                      json={"round_id": factory_round.id,
                                            "data": factory_submission(subject="park")})
    assert park.status_code == 409 and "类型" in error_of(park)["zh"]
    assert len(dbs.exec(select(Application)).all()) == 1


def test_a_draft_with_problems_is_kept_but_not_submitted(app, dbs, engine, api, people,
                                                         factory_round):
    data = factory_submission(energy={"moon_dust": {"quantity": 1, "unit": "t"}})
    created = api["applicant"].post("/api/v1/applications",
                                    json={"round_id": factory_round.id, "data": data})
    assert created.status_code == 201 and created.json["problems"]
    assert created.json["result"] is None
    refused = api["applicant"].post(f"/api/v1/applications/{created.json['id']}/submit")
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["fields"] and all(f["path"] and f["zh"] and f["en"] for f in error["fields"])
    assert dbs.get(Application, created.json["id"]).state == "draft"


def test_the_services_refusals_answer_as_json_with_their_status(app, dbs, engine, api, people,
                                                                factory_round):
    """The one refusal handler answers what the services refuse: whole bodies, pinned."""
    mine = draft(dbs, engine, people, factory_round)
    url = f"/api/v1/applications/{mine.id}"
    stale = api["applicant"].put(f"{url}/draft", json={"lock_version": 0,
                                                       "data": factory_submission()})
    assert (stale.status_code, stale.json["error"]) == (409, {
        "code": "stale", "zh": "该草稿已被他人修改，您的修改未保存。请重新打开后再编辑。",
        "en": "Someone else has changed this draft, so your changes were not saved. Reopen the "
              "draft and edit it again.", "fields": []})
    park = api["park_applicant"].post("/api/v1/applications", json={
        "round_id": factory_round.id, "data": factory_submission(subject="park")})
    assert (park.status_code, park.json["error"]) == (409, {
        "code": "refused", "zh": "申报类型与本单位类型不符",
        "en": "The application type does not match your organisation's type", "fields": []})
    assert api["applicant"].post(f"{url}/submit", json=SIGNED_JSON).status_code == 200
    again = api["applicant"].post(f"{url}/submit", json=SIGNED_JSON)
    assert (again.status_code, again.json["error"]) == (409, {
        "code": "refused", "zh": "当前状态为“已提交，待市（州）推荐”，不能提交",
        "en": "“Submit” is not possible while the application is “Submitted, awaiting the "
              "city”", "fields": []})

    theirs = draft(dbs, engine, people, factory_round, who="other_applicant")
    bad = factory_submission(energy={"moon_dust": {"quantity": 1, "unit": "t"}})
    client = api["other_applicant"]
    assert client.put(f"/api/v1/applications/{theirs.id}/draft",
                      json={"lock_version": 1, "data": bad}).status_code == 200
    refused = client.post(f"/api/v1/applications/{theirs.id}/submit")
    error = refused.json["error"]
    assert (refused.status_code, error["code"], error["zh"], error["en"]) == (
        422, "invalid_data", "填报数据仍有问题，请修改后再提交",
        "The data still has problems; correct them and submit again")
    assert [(f["path"], f["en"]) for f in error["fields"]] == [
        ("energy.moon_dust", "unknown energy carrier 'moon_dust'")]
    assert len(dbs.exec(select(Application)).all()) == 2
    dbs.expire_all()
    assert dbs.get(Application, theirs.id).state == "draft"


# -- bad input changes nothing ------------------------------------------------------------------

@pytest.mark.parametrize(("body", "status", "path"), [
    (b"{not json", 400, None),
    (b"[1, 2]", 422, None),
    (json.dumps({"lock_version": 1}).encode(), 422, "data"),
    (json.dumps({"lock_version": "1", "data": factory_submission()}).encode(), 422,
     "lock_version"),
    (json.dumps({"lock_version": 1, "data": factory_submission(
        electricity={"grid_purchase": {"quantity": -5, "unit": "MWh"}})}).encode(), 422,
     "data.electricity.grid_purchase.quantity"),
    (json.dumps({"lock_version": 1, "data": factory_submission(
        electricity={"grid_purchase": {"quantity": True, "unit": "MWh"}})}).encode(), 422,
     "data.electricity.grid_purchase.quantity"),
    (json.dumps({"lock_version": 1, "data": factory_submission(colour="green")}).encode(), 422,
     "data.colour"),
])
def test_bad_input_is_refused_with_field_paths_and_changes_nothing(
        app, dbs, engine, api, people, factory_round, body, status, path):
    application = draft(dbs, engine, people, factory_round)
    before = dbs.exec(select(Revision).where(Revision.application_id == application.id)).one()
    snapshot = (dict(before.data), before.lock_version, before.updated_at)
    response = api["applicant"].put(f"/api/v1/applications/{application.id}/draft", data=body,
                                    content_type="application/json")
    assert response.status_code == status
    error = error_of(response)
    if path:
        assert path in [f["path"] for f in error["fields"]]
    dbs.expire_all()
    after = dbs.exec(select(Revision).where(Revision.application_id == application.id)).one()
    assert (after.data, after.lock_version, after.updated_at) == snapshot


def test_a_bad_new_application_stores_nothing(app, dbs, api, people, factory_round):
    for body in ({"round_id": factory_round.id, "data": {"subject": "factory"}},
                 {"round_id": 999, "data": factory_submission()},
                 {"round_id": factory_round.id, "data": factory_submission(), "extra": 1}):
        response = api["applicant"].post("/api/v1/applications", json=body)
        assert response.status_code == 422 and error_of(response)["fields"]
    assert dbs.exec(select(Application)).all() == []


def test_bad_query_parameters_and_unknown_things(app, api, people, factory_round):
    client = api["province_officer"]
    for query in ({"page": 0}, {"per_page": 1000}, {"page": "x"}, {"state": "lost"}):
        response = client.get("/api/v1/applications", query_string=query)
        assert response.status_code == 400 and error_of(response)["fields"]
    assert client.get("/api/v1/applications/99999999999").status_code == 404
    assert client.get("/api/v1/rounds/99").status_code == 404
    assert client.get("/api/v1/criteria/NOPE").status_code == 404
    assert error_of(client.get("/api/v1/no-such-thing"))["code"] == "not_found"
    wrong = client.client.delete("/api/v1/rounds", headers=client.headers)
    assert wrong.status_code == 405 and error_of(wrong)["code"] == "method_not_allowed"


# -- rounds, criteria, the document -------------------------------------------------------------

def test_rounds_and_criteria(app, api, factory_round):
    client = api["expert"]
    rounds = client.get("/api/v1/rounds").json["items"]
    assert [(r["id"], r["criteria_id"], r["open"]) for r in rounds] == [
        (factory_round.id, "GZ-F-2024", True)]
    assert client.get(f"/api/v1/rounds/{factory_round.id}").json["title"] == factory_round.title
    sets = {c["id"]: c for c in client.get("/api/v1/criteria").json["items"]}
    assert {"GZ-F-2024", "GZ-P-2024"} <= set(sets)
    whole = client.get("/api/v1/criteria/GZ-F-2024").json
    assert whole["id"] == "GZ-F-2024" and whole["items"] and whole["levels"]


def test_the_served_document_is_the_tested_one(app):
    served = app.test_client().get("/api/v1/openapi.json")
    assert served.status_code == 200 and served.json == document()
    assert served.json["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    submission = served.json["components"]["schemas"]["Submission"]
    assert submission["properties"]["subject"]["enum"] == ["factory", "park"]


# -- the published list and certificates ------------------------------------------------------

@pytest.fixture
def certificate(app, dbs, engine, people, factory_round, tmp_path):
    app.config.update(CERTIFICATE_FOLDER=str(tmp_path / "certificates"))
    approved(dbs, engine, people, factory_round)
    publication.open_publicity(dbs, engine, people["province_officer"], factory_round,
                               date(2025, 3, 7), TODAY)
    publish(dbs, engine, people, factory_round)
    return issue(dbs, people, factory_round)[0]


def test_lists_and_certificates_are_public_the_pdf_is_not(app, dbs, people, certificate, client):
    lists = client.get("/api/v1/lists").json["items"]
    assert len(lists) == 1 and lists[0]["published_on"] == "2025-03-20"
    entry = lists[0]["entries"][0]
    assert entry["organisation_name"] == certificate.organisation_name
    assert entry["certificate"]["serial"] == certificate.serial
    assert entry["certificate"]["verify_url"].endswith(f"/verify/{certificate.serial}")

    found = client.get(f"/api/v1/certificates/{certificate.serial}").json
    assert found["status"] == "valid" and found["pdf_sha256"] == certificate.pdf_sha256
    assert found["links"]["pdf"] is None  # anonymous: the verify page only
    assert client.get(f"/api/v1/certificates/{certificate.serial.lower()}").status_code == 200
    assert client.get("/api/v1/certificates/ABCD-EFGH-JKLM-NPQR").status_code == 404

    holder = Api(app, token_for(dbs, people["applicant"]))
    link = holder.get(f"/api/v1/certificates/{certificate.serial}").json["links"]["pdf"]
    assert link.startswith(current_app.config["PUBLIC_BASE_URL"])
    pdf = holder.get(link.removeprefix(current_app.config["PUBLIC_BASE_URL"]))
    stored = Path(current_app.config["CERTIFICATE_FOLDER"]) / certificate.stored_name
    assert pdf.status_code == 200 and pdf.data == stored.read_bytes()
    stranger = Api(app, token_for(dbs, people["other_applicant"]))
    assert stranger.get(f"/api/v1/certificates/{certificate.serial}").json["links"]["pdf"] \
        is None
    assert stranger.get(f"/api/v1/certificates/{certificate.serial}/pdf").status_code == 404

    publication.revoke(dbs, people["province_officer"], certificate, "数据造假")
    revoked = client.get(f"/api/v1/certificates/{certificate.serial}").json
    assert revoked["status"] == "revoked" and revoked["revocation_reason"] == "数据造假"
    listed = client.get("/api/v1/lists").json["items"][0]["entries"][0]
    assert listed["certificate"]["status"] == "revoked"


def test_a_second_removal_is_refused_as_json(app, dbs, people, certificate):
    """remove_listing's refusal (PublicationError) reaches the one handler: 409 refused."""
    from assessor.publication.models import Listing

    application_id = dbs.get(Listing, certificate.listing_id).application_id
    officer = Api(app, token_for(dbs, people["province_officer"]))
    url = f"/api/v1/applications/{application_id}/removal"
    assert officer.post(url, json={"reason": "数据造假"}).status_code == 200
    again = officer.post(url, json={"reason": "数据造假"})
    assert (again.status_code, again.json["error"]) == (409, {
        "code": "refused", "zh": "已移出名单", "en": "Already removed from the list",
        "fields": []})


# -- the sector process-activity blocks -------------------------------------------------------

CLINKER_LINE = {"line": "1号线", "method": "ets_2024", "clinker_type": "clinker_portland",
                "output": {"quantity": 50, "unit": "万t"},
                "factor": {"quantity": 0.52, "unit": "tCO2/t", "basis": "measured",
                           "evidence": "2023 年第三方检测报告"}}
CARBON_FLOW = {"process": "硅铁冶炼", "flow": "input", "material": "兰炭",
               "quantity": {"quantity": 3000, "unit": "t"},
               "carbon": {"quantity": 82, "unit": "%"}, "basis": "measured", "carrier": "coke"}


def test_the_sector_blocks_are_stored_and_read_back(app, dbs, engine, api, people,
                                                    factory_round):
    """A clinker line and a carbon-balance flow go in through the schema and come back as
    sent; a wrong method or flow kind is refused at its path and stores nothing."""
    client = api["applicant"]
    data = factory_submission(expert_scores={}, clinker_lines=[CLINKER_LINE],
                              energy={"coke": {"quantity": 5000, "unit": "t"}},
                              carbon_balance=[CARBON_FLOW],
                              process_emissions=[{"source": "尿素脱硝", "quantity": 12,
                                                  "unit": "tCO2",
                                                  "method": "尿素用量 × 0.733 tCO2/t"}])
    created = client.post("/api/v1/applications", json={"round_id": factory_round.id,
                                                         "data": data})
    assert created.status_code == 201, created.json
    assert created.json["problems"] == []
    read = client.get(created.headers["Location"])
    assert read.status_code == 200
    stored = read.json["latest_revision"]["data"]
    assert stored["clinker_lines"] == [CLINKER_LINE]
    assert stored["carbon_balance"] == [CARBON_FLOW]
    assert stored == data
    lock = read.json["latest_revision"]["lock_version"]

    for block, wrong, path in (
            ("clinker_lines", {**CLINKER_LINE, "method": "gb_2013"}, "clinker_lines.0.method"),
            ("carbon_balance", {**CARBON_FLOW, "flow": "output"}, "carbon_balance.0.flow"),
            ("carbon_balance", {**CARBON_FLOW, "basis": "estimated"},
             "carbon_balance.0.basis")):
        refused = client.put(f"{created.headers['Location']}/draft",
                             json={"lock_version": lock, "data": {**data, block: [wrong]}})
        assert refused.status_code == 422, (block, refused.json)
        fields = [f["path"] for f in error_of(refused)["fields"]]
        assert any(path in f for f in fields), fields
    again = client.get(created.headers["Location"]).json["latest_revision"]
    assert again["lock_version"] == lock and again["data"] == data


def test_the_documented_sector_example_is_accepted(app, dbs, engine, api, people, factory_round):
    """docs/api.md's example of the blocks passes the schema and the engine."""
    import re

    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    example = json.loads(next(b for b in re.findall(r"```json\n(.*?)```", text, re.S)
                              if "clinker_lines" in b))
    blocks = {k: v for k, v in example.items() if k not in ("subject", "reporting_year")}
    assert {"process_emissions", "carbonates", "clinker_lines", "clinker_substitutes",
            "aluminium", "steel_materials", "carbon_balance", "computing"} <= set(blocks)
    data = factory_submission(expert_scores={}, **blocks)
    created = api["applicant"].post("/api/v1/applications",
                                    json={"round_id": factory_round.id, "data": data})
    assert created.status_code == 201, created.json
    assert created.json["problems"] == [] and created.json["latest_revision"]["data"] == data
