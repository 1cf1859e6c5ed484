"""A round under the national set CN-F-2026 (国家级零碳工厂建设名单推荐): the province opens it from the
page, an applicant's submission is scored under the national gates and levels, and a computing
facility (算力设施) is not held to the physical green-power share."""

from datetime import date

import pytest
from sqlmodel import select

from assessor.applications import services
from assessor.applications.lifecycle import TransitionError, current_revision, transition
from assessor.rounds import services as rounds
from assessor.rounds.models import Round
from tests.fixtures import SIGNED, TODAY


def national_round(dbs, engine, people):
    return rounds.open_round(dbs, engine, people["province_officer"],
                             title="2025年国家级零碳工厂建设名单推荐", subject="factory", year=2024,
                             criteria_id="CN-F-2026", opens_on=date(2025, 2, 1),
                             closes_on=date(2025, 4, 30), publicity_days=5)


def national_data(facility_type: str) -> dict:
    """10,000 MWh from the grid, 9,000 of it traded green: 0.496 tCO2/tce and 90 % non-fossil,
    but no on-site or direct-line power, so a physically traceable share of 0 % (case n05/n06)."""
    return {
        "subject": "factory", "reporting_year": 2024,
        "electricity": {"grid_purchase": {"quantity": 10000, "unit": "MWh"},
                        "green_power_trading": {"quantity": 9000, "unit": "MWh"}},
        "reported": {"efficient_equipment_share": {"quantity": 70, "unit": "%"}},
        "declarations": {"compliance_3y": True, "zero_carbon_plan": True,
                         "facility_type": facility_type},
        "expert_scores": {"N-E1": 7, "N-E2": 8, "N-E3": 2, "N-E4": 7, "N-E5": 3},
    }


def submit(dbs, engine, user, round_, data):
    application = services.create(dbs, user, round_, TODAY)
    problems = services.save_draft(dbs, engine, user, application, data, 0, TODAY)
    assert problems == []
    transition(dbs, engine, application, "submit", user, today=TODAY, commitment=SIGNED)
    return application


def test_the_province_opens_a_national_round_from_the_page(dbs, province_client):
    page = province_client.get("/rounds/new").get_data(as_text=True)
    assert "CN-F-2026" in page and "国家级零碳工厂（含零碳算力设施）建设名单推荐" in page
    opened = province_client.post("/rounds/new", data={
        "title": "2025年国家级零碳工厂建设名单推荐", "subject": "factory", "year": 2024,
        "criteria_id": "CN-F-2026", "opens_on": "2025-02-01", "closes_on": "2025-04-30",
        "publicity_days": 5})
    assert opened.status_code == 302
    assert [r.criteria_id for r in dbs.exec(select(Round)).all()] == ["CN-F-2026"]


def test_a_national_round_cannot_take_a_park(dbs, engine, people):
    with pytest.raises(rounds.RoundError, match="评价标准与申报类型不符"):
        rounds.open_round(dbs, engine, people["province_officer"], title="园区", subject="park",
                          year=2024, criteria_id="CN-F-2026", opens_on=date(2025, 2, 1),
                          closes_on=date(2025, 4, 30), publicity_days=5)


@pytest.mark.parametrize(("facility_type", "physical_gate", "level", "failed"), [
    ("computing_facility", "not_applicable", "build_list", ""),
    ("industrial", "failed", "not_recommended", "N-G5"),
])
def test_a_submission_is_scored_under_the_national_set(dbs, engine, people, facility_type,
                                                       physical_gate, level, failed):
    round_ = national_round(dbs, engine, people)
    application = submit(dbs, engine, people["applicant"], round_, national_data(facility_type))

    revision = current_revision(dbs, application)
    result = revision.result
    assert application.state == "submitted" and revision.criteria_id == "CN-F-2026"
    assert result["criteria"]["id"] == "CN-F-2026"
    gates = {g["id"]: g["status"] for g in result["gates"]}
    assert gates == {"N-G1": "passed", "N-G2": "passed", "N-G3": "passed", "N-G4": "passed",
                     "N-G5": physical_gate, "N-G6": "passed"}
    assert result["level"]["id"] == level
    # 20.374797 + 23.076923 + 7 (70 % efficient equipment) + 27 expert points, of 100
    assert result["total"]["points"] == pytest.approx(77.45172)
    assert application.submitted_total == pytest.approx(77.45172)
    assert application.submitted_failed_gates == failed


def test_a_guizhou_only_declaration_is_not_asked_in_a_national_round(dbs, engine, people):
    """The national set has no green-factory title gate: an answer to it is a problem to fix."""
    round_ = national_round(dbs, engine, people)
    data = national_data("industrial")
    data["declarations"]["green_factory_title"] = "national"
    application = services.create(dbs, people["applicant"], round_, TODAY)
    problems = services.save_draft(dbs, engine, people["applicant"], application, data, 0, TODAY)
    assert [p.path for p in problems] == ["declarations.green_factory_title"]
    with pytest.raises(TransitionError):
        transition(dbs, engine, application, "submit", people["applicant"], today=TODAY,
                   commitment=SIGNED)
