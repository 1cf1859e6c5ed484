"""A province officer changes a round's criteria version from its page, until the round's first
submission; the drafts already begun follow the new version."""

from sqlmodel import select

from assessor.applications import services as applications
from assessor.applications.models import Revision
from assessor.rounds.models import Round
from tests.fixtures import TODAY
from tests.whatif.test_whatif import submitted


def _round(dbs, round_id):
    dbs.expire_all()
    return dbs.get(Round, round_id)


def test_an_officer_changes_the_version_and_drafts_follow(
        dbs, people, factory_round, province_client, applicant_client):
    draft = applications.create(dbs, people["applicant"], factory_round, TODAY)
    listing = province_client.get("/rounds/").text
    assert f"/rounds/{factory_round.id}/criteria" in listing
    assert f"/rounds/{factory_round.id}/criteria" not in applicant_client.get("/rounds/").text

    page = province_client.get(f"/rounds/{factory_round.id}/criteria")
    assert page.status_code == 200
    options = page.text.split('name="criteria_id"')[1].split("</select>")[0]
    assert "CN-F-2026" in options and "GZ-F-2024" in options and "GZ-P-2024" not in options

    changed = province_client.post(f"/rounds/{factory_round.id}/criteria",
                                   data={"criteria_id": "CN-F-2026"})
    assert changed.status_code == 302
    assert _round(dbs, factory_round.id).criteria_id == "CN-F-2026"
    revision = dbs.exec(select(Revision).where(Revision.application_id == draft.id)).one()
    assert revision.criteria_id == "CN-F-2026"
    assert "CN-F-2026" in province_client.get("/rounds/").text


def test_after_the_first_submission_the_version_is_fixed(
        dbs, engine, people, factory_round, province_client):
    submitted(dbs, engine, people, factory_round)
    page = province_client.get(f"/rounds/{factory_round.id}/criteria")
    assert page.status_code == 200 and "评价标准版本已固定" in page.text
    refused = province_client.post(f"/rounds/{factory_round.id}/criteria",
                                   data={"criteria_id": "CN-F-2026"})
    assert refused.status_code == 422
    assert "该批次已有申报提交，评价标准版本不能再更改" in refused.text
    assert 'class="field has-error"' in refused.text and 'id="criteria_id-error"' in refused.text
    assert _round(dbs, factory_round.id).criteria_id == "GZ-F-2024"


def test_a_version_of_another_subject_or_unknown_is_refused(
        dbs, factory_round, province_client):
    for key, message in (("GZ-P-2024", "评价标准与申报类型不符"), ("GZ-F-2099", "评价标准不存在"),
                         ("", "此项为必填项")):
        refused = province_client.post(f"/rounds/{factory_round.id}/criteria",
                                       data={"criteria_id": key})
        assert refused.status_code == 422 and message in refused.text, key
    assert _round(dbs, factory_round.id).criteria_id == "GZ-F-2024"


def test_only_province_officers_change_a_round(people, factory_round, sign_in):
    for role in ("applicant", "city_officer", "expert", "admin"):
        client = sign_in(people[role])
        assert client.get(f"/rounds/{factory_round.id}/criteria").status_code == 404
        assert client.post(f"/rounds/{factory_round.id}/criteria",
                           data={"criteria_id": "CN-F-2026"}).status_code == 404
    assert factory_round.criteria_id == "GZ-F-2024"
