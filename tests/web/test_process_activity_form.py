"""Issue 17 on the web: the sector process blocks (carbonates, clinker lines, substitutes,
aluminium, steel materials, carbon balance) and the computing facility, for the applicant and
for park members; the direct process emission's method note; the 申报书 and the result page's
process emissions by source."""

import re
from html import unescape

from assessor.applications import services
from assessor.applications.comparison import Words, data_changes
from assessor.applications.form_data import data_rows
from assessor.engine import Engine
from tests.conftest import factory_submission
from tests.fixtures import TODAY
from tests.web.test_application_form_pdf import text_of

# every block, as typed (numbers as people write them)
TYPED = {
    "process_emissions-0-source": "电石炉尾气", "process_emissions-0-quantity": "1,200.5",
    "process_emissions-0-unit": "tCO2",
    "process_emissions-0-method": "化工指南碳平衡，尾气含碳实测",
    "carbonates-0-material": "limestone", "carbonates-0-consumption-quantity": "50,000",
    "carbonates-0-consumption-unit": "t", "carbonates-0-purity-quantity": "92",
    "carbonates-0-purity-unit": "%", "carbonates-0-factor-quantity": "0.43",
    "carbonates-0-factor-unit": "tCO2/t", "carbonates-0-factor-basis": "measured",
    "carbonates-0-factor-evidence": "检测报告 2024-017",
    "clinker_lines-0-line": "1号线", "clinker_lines-0-method": "ets_2024",
    "clinker_lines-0-clinker_type": "clinker_white", "clinker_lines-0-output-quantity": "800,000",
    "clinker_lines-0-output-unit": "t", "clinker_lines-0-factor-quantity": "0.52",
    "clinker_lines-0-factor-unit": "tCO2/t", "clinker_lines-0-factor-basis": "calculated",
    "clinker_lines-1-line": "2号线", "clinker_lines-1-method": "oxides_2015",
    "clinker_lines-1-clinker_type": "clinker_portland",
    "clinker_lines-1-output-quantity": "600000", "clinker_lines-1-output-unit": "t",
    "clinker_lines-1-cao-quantity": "65.2", "clinker_lines-1-cao-unit": "%",
    "clinker_lines-1-mgo-quantity": "2.1", "clinker_lines-1-mgo-unit": "%",
    "clinker_lines-1-cao_non_carbonate-quantity": "0.8",
    "clinker_lines-1-cao_non_carbonate-unit": "%",
    "clinker_lines-1-kiln_dust-quantity": "1200", "clinker_lines-1-kiln_dust-unit": "t",
    "clinker_lines-1-raw_meal-quantity": "950000", "clinker_lines-1-raw_meal-unit": "t",
    "clinker_lines-1-raw_meal_carbon-quantity": "0.2",
    "clinker_lines-1-raw_meal_carbon-unit": "%",
    "clinker_substitutes-0-material": "carbide_slag",
    "clinker_substitutes-0-consumption-quantity": "30000",
    "clinker_substitutes-0-consumption-unit": "t",
    "aluminium-0-guideline": "cets_2024_aluminium", "aluminium-0-output-quantity": "100000",
    "aluminium-0-output-unit": "t", "aluminium-0-net_anode-quantity": "0.40",
    "aluminium-0-net_anode-unit": "tC/t", "aluminium-0-net_anode-basis": "measured",
    "aluminium-0-net_anode-evidence": "阳极消耗台账",
    "aluminium-0-anode_sulphur-quantity": "1.8", "aluminium-0-anode_sulphur-unit": "%",
    "aluminium-0-anode_sulphur-basis": "measured",
    "aluminium-0-anode_effect_minutes-quantity": "0.02",
    "aluminium-0-anode_effect_minutes-unit": "min/d",
    "steel_materials-0-material": "electrode", "steel_materials-0-quantity-quantity": "3000",
    "steel_materials-0-quantity-unit": "t",
    "steel_materials-1-material": "pig_iron_fixed", "steel_materials-1-quantity-quantity": "5",
    "steel_materials-1-quantity-unit": "万t",
    "carbon_balance-0-process_step": "硅锰合金冶炼", "carbon_balance-0-flow": "input",
    "carbon_balance-0-material": "焦炭", "carbon_balance-0-quantity-quantity": "1000",
    "carbon_balance-0-quantity-unit": "t", "carbon_balance-0-carbon-quantity": "85",
    "carbon_balance-0-carbon-unit": "%", "carbon_balance-0-basis": "measured",
    "carbon_balance-0-carrier": "coke",
    "carbon_balance-1-process_step": "硅锰合金冶炼", "carbon_balance-1-flow": "offgas_exported",
    "carbon_balance-1-material": "电炉煤气", "carbon_balance-1-quantity-quantity": "200",
    "carbon_balance-1-quantity-unit": "万Nm3", "carbon_balance-1-carbon-quantity": "1.9",
    "carbon_balance-1-carbon-unit": "tC/万Nm3", "carbon_balance-1-basis": "calculated",
    "energy-coke-quantity": "2,000", "energy-coke-unit": "t",  # the coke fed as reductant
    "computing-it_energy-quantity": "20,000", "computing-it_energy-unit": "MWh",
    "computing-facility_energy-quantity": "26000", "computing-facility_energy-unit": "MWh",
    "computing-water-quantity": "40000", "computing-water-unit": "m3",
}

EXPECTED = {
    "process_emissions": [{"source": "电石炉尾气", "quantity": 1200.5, "unit": "tCO2",
                           "method": "化工指南碳平衡，尾气含碳实测"}],
    "carbonates": [{"material": "limestone", "consumption": {"quantity": 50000, "unit": "t"},
                    "purity": {"quantity": 92, "unit": "%"},
                    "factor": {"quantity": 0.43, "unit": "tCO2/t", "basis": "measured",
                               "evidence": "检测报告 2024-017"}}],
    "clinker_lines": [
        {"line": "1号线", "method": "ets_2024", "clinker_type": "clinker_white",
         "output": {"quantity": 800000, "unit": "t"},
         "factor": {"quantity": 0.52, "unit": "tCO2/t", "basis": "calculated"}},
        {"line": "2号线", "method": "oxides_2015", "clinker_type": "clinker_portland",
         "output": {"quantity": 600000, "unit": "t"}, "cao": {"quantity": 65.2, "unit": "%"},
         "mgo": {"quantity": 2.1, "unit": "%"},
         "cao_non_carbonate": {"quantity": 0.8, "unit": "%"},
         "kiln_dust": {"quantity": 1200, "unit": "t"},
         "raw_meal": {"quantity": 950000, "unit": "t"},
         "raw_meal_carbon": {"quantity": 0.2, "unit": "%"}}],
    "clinker_substitutes": [{"material": "carbide_slag",
                             "consumption": {"quantity": 30000, "unit": "t"}}],
    "aluminium": [{"guideline": "cets_2024_aluminium", "output": {"quantity": 100000, "unit": "t"},
                   "net_anode": {"quantity": 0.4, "unit": "tC/t", "basis": "measured",
                                 "evidence": "阳极消耗台账"},
                   "anode_sulphur": {"quantity": 1.8, "unit": "%", "basis": "measured"},
                   "anode_effect_minutes": {"quantity": 0.02, "unit": "min/d"}}],
    "steel_materials": [{"material": "electrode", "quantity": {"quantity": 3000, "unit": "t"}},
                        {"material": "pig_iron_fixed", "quantity": {"quantity": 5, "unit": "万t"}}],
    "carbon_balance": [
        {"process": "硅锰合金冶炼", "flow": "input", "material": "焦炭",
         "quantity": {"quantity": 1000, "unit": "t"}, "carbon": {"quantity": 85, "unit": "%"},
         "basis": "measured", "carrier": "coke"},
        {"process": "硅锰合金冶炼", "flow": "offgas_exported", "material": "电炉煤气",
         "quantity": {"quantity": 200, "unit": "万Nm3"},
         "carbon": {"quantity": 1.9, "unit": "tC/万Nm3"}, "basis": "calculated"}],
    "computing": {"it_energy": {"quantity": 20000, "unit": "MWh"},
                  "facility_energy": {"quantity": 26000, "unit": "MWh"},
                  "water": {"quantity": 40000, "unit": "m3"}},
}
BLOCKS = tuple(EXPECTED)


def _new(client, round_) -> int:
    response = client.post("/applications/new", data={"round": round_.id})
    return int(response.headers["Location"].rstrip("/").split("/")[-2])


def _draft(dbs, user, application_id):
    return services.current_revision(dbs, services.get_visible(dbs, user, application_id))


def _posted_back(page: str) -> dict:
    """The form as the browser would post it: every input, select and textarea of the page's
    self-assessment form with the value it shows."""
    form = page.split('class="sa-main"', 1)[1] if 'class="sa-main"' in page else page
    out = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]*)"', tag)
        kind = re.search(r'type="([^"]*)"', tag)
        if not name or (kind and kind[1] in ("submit", "checkbox", "radio", "file")):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        out[unescape(name[1])] = unescape(value[1]) if value else ""
    for name, options in re.findall(r'<select[^>]*name="([^"]*)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|'
                           r'<option[^>]*value="([^"]*)"[^>]*selected', options)
        first = re.search(r'<option[^>]*value="([^"]*)"', options)
        value = ((chosen[1] if chosen[1] is not None else chosen[2]) if chosen
                 else (first[1] if first else ""))
        out[unescape(name)] = unescape(value)
    for name, text in re.findall(r'<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', form,
                                 re.S):
        out[unescape(name)] = unescape(text).removeprefix("\r\n").removeprefix("\n")
    out.pop("add_carrier", None)
    return {k: v for k, v in out.items() if not k.endswith("new_carrier")}


def test_every_block_round_trips_form_json_form(dbs, people, factory_round, applicant_client):
    application_id = _new(applicant_client, factory_round)
    url = f"/applications/{application_id}/edit"
    saved = applicant_client.post(url, data={"lock_version": "0", **TYPED},
                                  follow_redirects=True)
    assert "已保存" in saved.get_data(as_text=True)
    data = _draft(dbs, people["applicant"], application_id).data
    assert {k: data.get(k) for k in BLOCKS} == EXPECTED

    # the page shows it all back; posted as shown, it saves exactly the same JSON
    page = applicant_client.get(url).get_data(as_text=True)
    assert "50,000" in page and "800,000" in page
    again = _posted_back(page)
    assert again["clinker_lines-1-method"] == "oxides_2015"
    assert again["carbon_balance-0-process_step"] == "硅锰合金冶炼"
    assert again["aluminium-0-net_anode-basis"] == "measured"
    assert "已保存" in applicant_client.post(url, data=again, follow_redirects=True).get_data(
        as_text=True)
    assert _draft(dbs, people["applicant"], application_id).data == data


def test_a_park_member_enters_the_same_blocks(dbs, people, park_round, park_client):
    application_id = _new(park_client, park_round)
    url = f"/applications/{application_id}/edit"
    page = park_client.get(url).get_data(as_text=True)
    assert 'name="members-0-clinker_lines-0-method"' in page
    assert 'name="members-0-computing-it_energy-quantity"' in page
    member = {f"members-0-{k}": v for k, v in TYPED.items()}
    posted = {"lock_version": "0", "members-0-name": "成员甲", **member}
    assert "已保存" in park_client.post(url, data=posted, follow_redirects=True).get_data(
        as_text=True)
    data = _draft(dbs, people["park_applicant"], application_id).data
    assert {k: data["members"][0].get(k) for k in BLOCKS} == EXPECTED
    assert not any(k in data for k in BLOCKS)  # the park's own facilities: nothing typed

    again = _posted_back(park_client.get(url).get_data(as_text=True))
    assert again["members-0-carbon_balance-1-flow"] == "offgas_exported"
    assert "已保存" in park_client.post(url, data=again, follow_redirects=True).get_data(
        as_text=True)
    assert _draft(dbs, people["park_applicant"], application_id).data == data


def test_blank_rows_are_dropped_and_a_blank_own_value_keeps_the_default(
        dbs, people, factory_round, applicant_client):
    application_id = _new(applicant_client, factory_round)
    url = f"/applications/{application_id}/edit"
    form = {"lock_version": "0", "clinker_lines-0-line": "1号线",
            "clinker_lines-0-method": "ets_2024", "clinker_lines-0-clinker_type": "clinker_portland",
            "clinker_lines-0-output-quantity": "1000", "clinker_lines-0-output-unit": "t",
            "clinker_lines-0-factor-quantity": "", "clinker_lines-0-factor-unit": "tCO2/t",
            "clinker_lines-0-factor-basis": "", "clinker_lines-0-factor-evidence": "",
            # a blank row of each kind, left at its defaults
            "clinker_lines-1-method": "ets_2024", "clinker_lines-1-clinker_type": "clinker_portland",
            "clinker_lines-1-output-unit": "t", "carbonates-0-material": "",
            "carbon_balance-0-flow": "input", "aluminium-0-guideline": "cets_2024_aluminium",
            "computing-it_energy-unit": "MWh"}
    assert "已保存" in applicant_client.post(url, data=form, follow_redirects=True).get_data(
        as_text=True)
    data = _draft(dbs, people["applicant"], application_id).data
    assert data["clinker_lines"] == [{"line": "1号线", "method": "ets_2024",
                                      "clinker_type": "clinker_portland",
                                      "output": {"quantity": 1000, "unit": "t"}}]
    for key in ("carbonates", "carbon_balance", "aluminium", "computing"):
        assert key not in data


def test_a_direct_emission_without_its_method_is_refused_and_nothing_is_lost(
        dbs, people, factory_round, applicant_client):
    application_id = _new(applicant_client, factory_round)
    url = f"/applications/{application_id}/edit"
    before = _draft(dbs, people["applicant"], application_id)
    form = {"lock_version": "0", **TYPED, "process_emissions-0-method": "  "}
    answer = applicant_client.post(url, data=form)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#process_emissions-0-method"' in summary and "请说明计算方法" in summary
    assert 'id="process_emissions-0-method-error"' in page
    shown = _posted_back(page)  # everything typed is still there
    for name in ("carbonates-0-factor-evidence", "clinker_lines-1-method",
                 "carbon_balance-1-carbon-unit", "process_emissions-0-source"):
        assert shown[name] == TYPED[name], name
    after = _draft(dbs, people["applicant"], application_id)
    assert after.lock_version == before.lock_version and after.data == before.data


def test_an_own_value_needs_its_basis(dbs, people, factory_round, applicant_client):
    application_id = _new(applicant_client, factory_round)
    form = {"lock_version": "0", **TYPED, "carbonates-0-factor-basis": ""}
    answer = applicant_client.post(f"/applications/{application_id}/edit", data=form)
    assert answer.status_code == 422
    assert 'id="carbonates-0-factor-basis-error"' in answer.get_data(as_text=True)


def test_materials_are_chosen_by_name_and_stored_by_id(factory_round, applicant_client):
    application_id = _new(applicant_client, factory_round)
    page = applicant_client.get(f"/applications/{application_id}/edit").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="clinker_substitutes-0-material".*?</select>', page,
                       re.S)[0]
    assert re.search(r'<option[^>]*value="carbide_slag"[^>]*>电石渣（缺省 0.480 tCO2/t）</option>',
                     select)
    clinker = re.search(r'<select[^>]*name="clinker_lines-0-method".*?</select>', page, re.S)[0]
    assert "全国碳市场方法（CETS—AG—02.01—V01—2024）" in clinker
    assert "氧化钙、氧化镁法（GB/T 32151.8-2015）" in clinker
    flow = re.search(r'<select[^>]*name="carbon_balance-0-flow".*?</select>', page, re.S)[0]
    assert "外供尾气（碳移出）" in flow and "厂内燃烧或火炬（碳留在平衡内）" in flow
    guideline = re.search(r'<select[^>]*name="aluminium-0-guideline".*?</select>', page, re.S)[0]
    assert "全国碳市场铝冶炼核算规范（2024）" in guideline and "电解铝生产企业核算指南（2013）" in guideline
    # the guidance names the defaults a blank own value stands for, and explains PUE and WUE
    assert "硅酸盐水泥熟料 0.535 tCO2/t" in page and "0.411 tC/t" in page
    assert "PUE" in page and "L/kWh" in page
    for key in ("clinker_portland", "offgas_exported", "ndrc_2013_aluminium"):
        assert f">{key}<" not in page


def test_the_form_pdf_names_materials_methods_and_own_values(factory_round, engine: Engine):
    criteria = engine.criteria(factory_round.criteria_id)
    data = {"reporting_year": 2023, **EXPECTED}
    rows = data_rows(data, criteria.model, criteria.reference)
    text = "\n".join(f"{r['section']}|{r['label']}|{r['value']}|{r['unit']}" for r in rows)
    assert "1号线" in text and "全国碳市场方法（CETS—AG—02.01—V01—2024）" in text
    assert "白色硅酸盐水泥熟料" in text and "氧化钙、氧化镁法（GB/T 32151.8-2015）" in text
    assert "石灰石（CaCO3）" in text and "电石渣" in text and "电极" in text
    assert "实测值" in text and "计算值" in text and "检测报告 2024-017" in text
    assert "|800,000|t" in text and "|0.52|tCO2/t" in text
    assert "外供尾气（碳移出）" in text and "全国碳市场铝冶炼核算规范（2024）" in text
    assert "化工指南碳平衡，尾气含碳实测" in text
    for key in ("clinker_white", "carbide_slag", "offgas_exported", "ets_2024", "measured"):
        assert key not in text


def _saved(dbs, engine, people, round_):
    application = services.create(dbs, people["applicant"], round_, TODAY)
    data = {**factory_submission(), **EXPECTED}
    data["energy"] = {**data.get("energy", {}), "coke": {"quantity": 2000, "unit": "t"}}
    assert services.save_draft(dbs, engine, people["applicant"], application, data, 0,
                               TODAY) == []
    return application


def test_the_result_lists_process_emissions_by_source(dbs, engine, people, factory_round,
                                                      applicant_client):
    application = _saved(dbs, engine, people, factory_round)
    page = applicant_client.get(f"/applications/{application.id}/edit").get_data(as_text=True)
    table = page.split("工业生产过程排放（按排放源）", 1)[1].split("</table>", 1)[0]
    assert "1号线 熟料生产（白色硅酸盐水泥熟料）" in table and "本单位" in table
    assert "全国碳市场水泥熟料核算规范（2024），排放因子取计算值" in table
    assert "416,000 tCO2" in table  # with separators
    assert "<details" in table and "熟料排放因子 0.52 tCO2/t（计算值）" in table  # on demand
    assert "−14,400 tCO2" in table  # a substitute deducted
    assert "GB/T 32151.8-2015" in table and "碳平衡法" in table
    indicators = page.split('class="indicator-table"', 1)[1].split("</table>", 1)[0]
    assert "PUE" in indicators and "1.3" in indicators


def test_a_park_members_process_lines_name_the_member(dbs, engine, people, park_round,
                                                      park_client):
    application_id = _new(park_client, park_round)
    url = f"/applications/{application_id}/edit"
    member = {f"members-0-{k}": v for k, v in TYPED.items()}
    park_client.post(url, data={"lock_version": "0", "members-0-name": "成员甲", **member})
    page = park_client.get(url).get_data(as_text=True)
    table = page.split("工业生产过程排放（按排放源）", 1)[1].split("</table>", 1)[0]
    assert "<td>成员甲</td>" in table and "416,000 tCO2" in table


def test_the_form_pdf_holds_the_clinker_line_and_its_method(dbs, engine, people, factory_round,
                                                             applicant_client):
    application = _saved(dbs, engine, people, factory_round)
    response = applicant_client.get(f"/applications/{application.id}/application-form.pdf")
    assert response.status_code == 200
    text = text_of(response.data)
    # the figures as entered: the line, its method by name, own values with their basis
    assert "1号线：核算方法" in text and "全国碳市场方法（CETS—AG—02.01—V01—2024）" in text
    assert "白色硅酸盐水泥熟料" in text and "自有计算值" in text and "800,000" in text
    # the result's process emissions by source, with method and tCO2
    assert "工业生产过程排放（按排放源）" in text
    assert "1号线熟料生产（白色硅酸盐水泥熟料）" in text and "416,000" in text
    assert "全国碳市场水泥熟料核算规范（2024），排放因子取计算值" in text
    assert "clinker_white" not in text and "ets_2024" not in text


def test_revisions_compare_sector_blocks_by_name(engine, factory_round):
    criteria = engine.criteria(factory_round.criteria_id)
    words = Words(criteria, criteria.reference)
    before = {"clinker_lines": EXPECTED["clinker_lines"][:1]}
    after = {"clinker_lines": [{**EXPECTED["clinker_lines"][0], "clinker_type": "clinker_portland",
                                "method": "oxides_2015"}]}
    rows = {r.title[0]: (r.before[0], r.after[0]) for r in data_changes(before, after, words)}
    assert rows["水泥熟料生产线 1 · 熟料品种"] == ("白色硅酸盐水泥熟料", "硅酸盐水泥熟料")
    assert rows["水泥熟料生产线 1 · 核算方法"] == ("全国碳市场方法（CETS—AG—02.01—V01—2024）",
                                           "氧化钙、氧化镁法（GB/T 32151.8-2015）")


def test_the_engines_problems_land_beside_the_block_and_its_field(dbs, people, factory_round,
                                                                 applicant_client):
    application_id = _new(applicant_client, factory_round)
    url = f"/applications/{application_id}/edit"
    form = {"lock_version": "0", **TYPED, "energy-coke-quantity": "",  # coke not in energy
            "carbon_balance-1-quantity-quantity": "800"}  # more carbon out than in
    page = applicant_client.post(url, data=form).get_data(as_text=True)
    assert 'id="carbon_balance-0-quantity-quantity-error"' in page  # beside the coke's amount
    block = page.split('id="carbon_balance-block"', 1)[1].split("</details>", 1)[0]
    assert block.startswith(" open") and "碳输出" in block and "大于碳输入" in block
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "碳平衡（铁合金、电石、黄磷、煤化工）" in summary
    assert "carbon_balance[" not in summary and "process_step" not in page.split(
        'class="error-summary"', 1)[1].split("</div>", 1)[0]
