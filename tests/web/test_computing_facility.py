"""A factory says whether it is a computing facility (算力设施): the self-assessment form asks,
the answer is saved, and the physical green-power share gate (F-G8) then does not apply."""

import io
import re

import openpyxl

from assessor.applications import services
from assessor.applications.excel import build_template, parse_workbook
from tests.api.helpers import Api, token_for
from tests.conftest import factory_submission
from tests.fixtures import login

# 20,000 MWh used, 2,000 MWh of it on-site renewable: a physical share of 10 %, below 35 %
FORM = {
    "lock_version": "0",
    "electricity-grid_purchase-quantity": "18000", "electricity-grid_purchase-unit": "MWh",
    "electricity-green_power_trading-quantity": "15000",
    "electricity-green_power_trading-unit": "MWh",
    "electricity-onsite_renewable_self_used-quantity": "2000",
    "electricity-onsite_renewable_self_used-unit": "MWh",
    "declarations-compliance_3y": "yes", "declarations-green_factory_title": "national",
    "declarations-no_obsolete_equipment": "yes", "declarations-zero_carbon_plan": "yes",
}


def _new_application(app, people, factory_round):
    client = login(app.test_client(), people["applicant"])
    response = client.post("/applications/new", data={"round": factory_round.id})
    return client, int(response.headers["Location"].rstrip("/").split("/")[-2])


def _gate(engine, revision, gate_id):
    result, problems = services.draft_result(engine, revision)
    assert not problems, problems
    return next(g for g in result["gates"] if g["id"] == gate_id)["status"]


def _selected(page: str, field: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{field}".*?</select>', page, re.S).group(0)
    chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|'
                       r'<option[^>]*value="([^"]*)"[^>]*selected', select)
    return chosen and (chosen.group(1) or chosen.group(2))


def test_the_form_asks_for_the_facility_type_and_saves_it(app, dbs, engine, people,
                                                          factory_round):
    client, application_id = _new_application(app, people, factory_round)
    page = client.get(f"/applications/{application_id}/edit").get_data(as_text=True)
    assert "设施类型" in page and "算力设施（数据中心）" in page and "工业工厂" in page
    assert 'name="declarations-facility_type"' in page

    form = dict(FORM, **{"declarations-facility_type": "computing_facility"})
    saved = client.post(f"/applications/{application_id}/edit", data=form, follow_redirects=True)
    assert "已保存" in saved.get_data(as_text=True)
    application = services.get_visible(dbs, people["applicant"], application_id)
    draft = services.current_revision(dbs, application)
    assert draft.data["declarations"]["facility_type"] == "computing_facility"
    assert _gate(engine, draft, "F-G8") == "not_applicable"

    page = client.get(f"/applications/{application_id}/edit").get_data(as_text=True)
    assert _selected(page, "declarations-facility_type") == "computing_facility"


def test_an_industrial_plant_with_the_same_figures_fails_the_gate(app, dbs, engine, people,
                                                                  factory_round):
    client, application_id = _new_application(app, people, factory_round)
    form = dict(FORM, **{"declarations-facility_type": "industrial"})
    client.post(f"/applications/{application_id}/edit", data=form)
    draft = services.current_revision(
        dbs, services.get_visible(dbs, people["applicant"], application_id))
    assert draft.data["declarations"]["facility_type"] == "industrial"
    assert _gate(engine, draft, "F-G8") == "failed"


def test_an_unanswered_facility_type_does_not_exempt(app, dbs, engine, people, factory_round):
    client, application_id = _new_application(app, people, factory_round)
    client.post(f"/applications/{application_id}/edit", data=FORM)
    draft = services.current_revision(
        dbs, services.get_visible(dbs, people["applicant"], application_id))
    assert "facility_type" not in draft.data["declarations"]
    assert _gate(engine, draft, "F-G8") == "failed"


def test_a_made_up_facility_type_is_refused(app, dbs, engine, people, factory_round):
    client, application_id = _new_application(app, people, factory_round)
    form = dict(FORM, **{"declarations-facility_type": "power_station"})
    response = client.post(f"/applications/{application_id}/edit", data=form)
    assert response.status_code == 422  # refused, shown again with its problems
    draft = services.current_revision(
        dbs, services.get_visible(dbs, people["applicant"], application_id))
    assert "facility_type" not in (draft.data.get("declarations") or {})


def test_the_excel_template_asks_and_the_import_reads_the_answer(engine):
    criteria = engine.criteria("GZ-F-2024")
    data = {"subject": "factory", "reporting_year": 2023,
            "electricity": {"grid_purchase": {"quantity": 20000.0, "unit": "MWh"}},
            "declarations": {"facility_type": "computing_facility"}}
    content = build_template(criteria, engine.reference, data, year=2023)
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
             if c.value is not None]
    assert any("设施类型" in c for c in cells) and "算力设施（数据中心）" in cells
    parsed = parse_workbook(content, engine, "GZ-F-2024", year=2023)
    assert parsed.problems == []
    assert parsed.data["declarations"] == {"facility_type": "computing_facility"}


def test_the_api_takes_the_facility_type(app, dbs, people, factory_round):
    client = Api(app, token_for(dbs, people["applicant"]))
    described = client.get("/api/v1/criteria/GZ-F-2024").json
    facility = next(d for d in described["declarations"] if d["id"] == "facility_type")
    assert facility["options"] == ["industrial", "computing_facility"]

    data = factory_submission(declarations={
        "compliance_3y": True, "green_factory_title": "national", "no_obsolete_equipment": True,
        "zero_carbon_plan": True, "facility_type": "computing_facility"})
    data["electricity"] = {"grid_purchase": {"quantity": 18000, "unit": "MWh"},
                           "green_power_trading": {"quantity": 15000, "unit": "MWh"},
                           "onsite_renewable_self_used": {"quantity": 2000, "unit": "MWh"}}
    created = client.post("/api/v1/applications", json={"round_id": factory_round.id,
                                                        "data": data})
    assert created.status_code == 201, created.json
    gates = {g["id"]: g["status"] for g in created.json["result"]["gates"]}
    assert gates["F-G8"] == "not_applicable"
    assert created.json["latest_revision"]["data"]["declarations"]["facility_type"] == \
        "computing_facility"


def test_pue_and_wue_are_listed_only_for_a_data_centre(app, dbs, people, factory_round):
    """A cement plant's indicators do not list an empty PUE; a data centre's give its figures."""
    client, application_id = _new_application(app, people, factory_round)
    client.post(f"/applications/{application_id}/edit", data=FORM)
    page = client.get(f"/applications/{application_id}").get_data(as_text=True)
    assert "全部指标" in page and "电能利用效率（PUE）" not in page

    with_facility = dict(FORM, **{
        "lock_version": "1",
        "computing-it_energy-quantity": "16000", "computing-it_energy-unit": "MWh",
        "computing-facility_energy-quantity": "20000", "computing-facility_energy-unit": "MWh",
        "computing-water-quantity": "24000", "computing-water-unit": "m3"})
    saved = client.post(f"/applications/{application_id}/edit", data=with_facility,
                        follow_redirects=True)
    assert "已保存" in saved.get_data(as_text=True)
    page = client.get(f"/applications/{application_id}").get_data(as_text=True)
    assert re.search(r"电能利用效率（PUE）</td><td class=\"num\">1\.25<", page), page[:0]
    assert "水资源利用效率（WUE）" in page
