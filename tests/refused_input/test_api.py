"""Refused input through the API: the message in both languages, nothing changed or made."""

from __future__ import annotations

import pytest

from assessor.applications import services as applications
from tests.api.helpers import Api, token_for
from tests.conftest import factory_submission
from tests.fixtures import TODAY
from tests.refused_input.cases import CASES, IDS, Case, submission_text

# -- the API ----------------------------------------------------------------------------------

def api_message(response) -> tuple[str, str]:
    error = response.json["error"]
    fields = error["fields"]
    return (error["zh"] + " " + " ".join(f"{f['path']}: {f['zh']}" for f in fields),
            error["en"] + " " + " ".join(f"{f['path']}: {f['en']}" for f in fields))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_api_refuses_each_and_changes_nothing(app, dbs, engine, people, factory_round, case):
    api = Api(app, token_for(dbs, people["applicant"]))
    application = applications.create(dbs, people["applicant"], factory_round, TODAY)
    before = applications.current_revision(dbs, application)
    data, version = dict(before.data), before.lock_version
    text = submission_text(case, TODAY.year)
    response = api.put(f"/api/v1/applications/{application.id}/draft",
                       data=f'{{"lock_version": 0, "data": {text}}}',
                       content_type="application/json")
    assert response.status_code in (400, 422), response.get_data(as_text=True)
    zh, en = api_message(response)
    assert case.zh in zh and case.en in en
    dbs.expire_all()
    after = applications.current_revision(dbs, application)
    assert (after.data, after.lock_version) == (data, version)
    # a new application with the same data: refused before anything is made
    other = Api(app, token_for(dbs, people["other_applicant"]))
    created = other.post("/api/v1/applications", content_type="application/json",
                         data=f'{{"round_id": {factory_round.id}, "data": {text}}}')
    assert created.status_code in (400, 422) and case.zh in api_message(created)[0]
    assert applications.existing(dbs, factory_round, people["other_applicant"].organisation_id
                                 ) is None


def test_the_api_accepts_the_base(app, dbs, people, factory_round):
    api = Api(app, token_for(dbs, people["applicant"]))
    application = applications.create(dbs, people["applicant"], factory_round, TODAY)
    text = submission_text(Case("none", {}), TODAY.year)
    response = api.put(f"/api/v1/applications/{application.id}/draft",
                       data=f'{{"lock_version": 0, "data": {text}}}',
                       content_type="application/json")
    assert response.status_code == 200 and response.json["problems"] == []


def test_a_repeated_key_anywhere_in_an_api_body_is_refused(app, dbs, people, factory_round):
    api = Api(app, token_for(dbs, people["applicant"]))
    application = applications.create(dbs, people["applicant"], factory_round, TODAY)
    text = submission_text(Case("none", {}), TODAY.year)
    response = api.put(f"/api/v1/applications/{application.id}/draft",
                       data=f'{{"lock_version": 0, "lock_version": 5, "data": {text}}}',
                       content_type="application/json")
    error = response.json["error"]
    assert response.status_code == 400 and error["code"] == "duplicate_key"
    assert error["fields"][0]["path"] == "lock_version" and "未作任何更改" in error["zh"]


def test_a_draft_reports_its_rounds_data_year_only(app, dbs, engine, people, factory_round):
    """Another year would be scored with another year's emission factors."""
    api = Api(app, token_for(dbs, people["applicant"]))
    application = applications.create(dbs, people["applicant"], factory_round, TODAY)
    before = applications.current_revision(dbs, application)
    data = factory_submission(reporting_year=2022)
    response = api.put(f"/api/v1/applications/{application.id}/draft",
                       json={"lock_version": 0, "data": data})
    assert response.status_code == 422
    zh, en = api_message(response)
    assert "本批次的数据年度为 2023 年" in zh and "data year is 2023" in en
    dbs.expire_all()
    assert applications.current_revision(dbs, application).data == before.data
    created = Api(app, token_for(dbs, people["other_applicant"])).post(
        "/api/v1/applications", json={"round_id": factory_round.id, "data": data})
    assert created.status_code == 422 and "数据年度" in created.json["error"]["fields"][0]["zh"]
