"""Excel in and out through the pages: the template with the draft, an upload previewed and then
saved (all or nothing), for a factory and a park, and only for the applicant's organisation."""

import io

import openpyxl

from assessor.applications import services
from assessor.applications.excel import ELECTRICITY_FIELDS, UNITS, build_template, parse_workbook
from tests.conftest import factory_submission
from tests.fixtures import TODAY
from tests.web.excel_helpers import (
    FILLED,
    SECTOR,
    draft_of,
    expected_filled,
    fill_factory,
    new_application,
    rows_by_code,
    saved,
    token_of,
    upload,
)

FACTORY_SHEETS = ["说明", "能源消费", "电力", "绿证", "过程排放", "碳酸盐", "熟料生产线", "熟料替代原料",
                  "电解铝", "钢铁过程材料", "碳平衡", "数据中心", "产品", "碳抵消", "声明", "填报指标",
                  "示例", "代码表"]


def test_units_and_fields_match_the_web_form():
    from assessor.applications import forms

    assert forms.UNITS == UNITS
    assert [f for f, _ in forms.ELECTRICITY_FIELDS] == [f for f, _ in ELECTRICITY_FIELDS]
    assert [str(label) for _, label in forms.ELECTRICITY_FIELDS] == [
        label for _, label in ELECTRICITY_FIELDS]



def test_template_download_has_the_sheets_and_the_draft(
        dbs, engine, people, factory_round, applicant_client):
    application_id = new_application(applicant_client, factory_round)
    application = services.get_visible(dbs, people["applicant"], application_id)
    data = factory_submission(organisation=expected_filled(dbs, people)["organisation"],
                              **SECTOR)
    data["energy"]["coke"] = {"quantity": 5000, "unit": "t"}  # the carbon balance's reductant
    data.pop("expert_scores")
    services.save_draft(dbs, engine, people["applicant"], application, data, 0, TODAY)

    response = applicant_client.get(f"/applications/{application_id}/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == FACTORY_SHEETS
    assert book["代码表"].sheet_state == "hidden"
    assert [c.value for c in book["能源消费"][1]] == ["能源品种代码", "能源品种名称", "数量", "单位"]
    assert book["说明"]["B2"].value == "GZ-F-2024"
    energy = book["能源消费"]
    gas = rows_by_code(energy)["natural_gas"]
    assert (energy.cell(gas, 2).value, energy.cell(gas, 3).value, energy.cell(gas, 4).value) == (
        "天然气", 10, "万Nm3")
    assert [c.value for c in book["绿证"][2]] == ["GEC202300000001", 8000, "另购绿证"]
    declarations = book["声明"]
    answers = {declarations.cell(r, 1).value: declarations.cell(r, 3).value
               for r in range(2, declarations.max_row + 1)}
    assert answers == {"compliance_3y": "是", "green_factory_title": "国家级绿色工厂",
                       "no_obsolete_equipment": "是", "zero_carbon_plan": "是",
                       "facility_type": None}  # unanswered: left blank
    assert [c.value for c in book["碳抵消"][2]] == ["CCER", "CCER-GZ-000001", 300, 300, "tCO2e"]
    assert [c.value for c in book["熟料生产线"][2]][:3] == [
        "1号线", "全国碳市场方法（CETS—AG—02.01—V01—2024）", "白色硅酸盐水泥熟料"]
    assert book["数据中心"]["A2"].value == 1000
    lists = [v for v in energy.data_validations.dataValidation if v.type == "list"]
    assert any(f"D{gas}" in str(v.sqref) for v in lists)  # the unit column has its list
    # downloading it back unchanged is valid and changes nothing
    preview = upload(applicant_client, application_id, response.data).get_data(as_text=True)
    assert "没有需要导入的变化" in preview



def test_filled_workbook_is_previewed_then_saved(dbs, people, factory_round, applicant_client):
    application_id = new_application(applicant_client, factory_round)
    template = applicant_client.get(f"/applications/{application_id}/template.xlsx").data

    response = upload(applicant_client, application_id, fill_factory(template))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "确认变化" in page
    assert "天然气 · 数量" in page and "10" in page and "（空）" in page
    for shown in ("碳酸盐", "第 1 条 · 碳酸盐品种", "石灰石（CaCO3）", "第 1 条 · 自有排放因子依据", "实测值",
                  "熟料生产线", "全国碳市场方法（CETS—AG—02.01—V01—2024）", "硅酸盐水泥熟料",
                  "熟料替代原料", "电石渣", "电解铝", "电解铝生产企业核算指南（2013）", "钢铁过程材料",
                  "电极", "碳平衡", "投入", "焦炭", "数据中心", "IT 设备用电量", "用水量单位",
                  "第 1 条 · 核算方法"):
        assert shown in page, shown
    for key in ("limestone", "ets_2024", "clinker_portland", "carbide_slag", "ndrc_2013",
                "measured", "calculated", "coke"):
        assert key not in page, key
    assert "绿证" in page and "GEC202300000001" in page and "国家级绿色工厂" in page
    assert "评价结果的变化" not in page or "总分" in page
    draft = draft_of(dbs, people["applicant"], application_id)
    assert draft.lock_version == 0 and "energy" not in draft.data  # nothing saved yet

    confirmed = applicant_client.post(f"/applications/{application_id}/import/confirm",
                                      data={"token": token_of(page)}, follow_redirects=True)
    text = confirmed.get_data(as_text=True)
    assert "已从 Excel 导入并保存草稿" in text and "评价结果" in text and "综合能耗" in text
    draft = draft_of(dbs, people["applicant"], application_id)
    assert draft.lock_version == 1
    assert draft.data == expected_filled(dbs, people)
    # the token was used up
    again = applicant_client.post(f"/applications/{application_id}/import/confirm",
                                  data={"token": token_of(page)}, follow_redirects=True)
    assert "已使用或已过期" in again.get_data(as_text=True)
    assert draft_of(dbs, people["applicant"], application_id).lock_version == 1



def test_a_stale_or_forged_preview_is_refused(dbs, engine, people, factory_round,
                                              applicant_client):
    application_id = new_application(applicant_client, factory_round)
    template = applicant_client.get(f"/applications/{application_id}/template.xlsx").data
    page = upload(applicant_client, application_id, fill_factory(template)).get_data(as_text=True)
    token = token_of(page)

    # the draft changes after the preview (another tab, a colleague)
    application = services.get_visible(dbs, people["applicant"], application_id)
    meanwhile = {"subject": "factory", "reporting_year": 2023,
                 "energy": {"coke": {"quantity": 1.0, "unit": "t"}}}
    services.save_draft(dbs, engine, people["applicant"], application, meanwhile, 0, TODAY)

    refused = applicant_client.post(f"/applications/{application_id}/import/confirm",
                                    data={"token": token}, follow_redirects=True
                                    ).get_data(as_text=True)
    assert "已被他人修改" in refused and "本次 Excel 导入没有保存" in refused
    draft = draft_of(dbs, people["applicant"], application_id)
    assert draft.lock_version == 1 and draft.data == meanwhile

    forged = applicant_client.post(f"/applications/{application_id}/import/confirm",
                                   data={"token": token[:-3] + "abc"}, follow_redirects=True)
    assert "已过期或无效" in forged.get_data(as_text=True)
    assert draft_of(dbs, people["applicant"], application_id).lock_version == 1



def test_other_organisations_get_404(dbs, people, factory_round, client, applicant_client,
                                     sign_in):
    assert client.get("/applications/1/template.xlsx").status_code == 302
    application_id = new_application(applicant_client, factory_round)
    template = applicant_client.get(f"/applications/{application_id}/template.xlsx").data
    token = token_of(upload(applicant_client, application_id, fill_factory(template)).get_data(
        as_text=True))

    for role in ("other_applicant", "city_officer", "province_officer", "expert"):
        stranger = sign_in(people[role])
        assert stranger.get(f"/applications/{application_id}/template.xlsx").status_code == 404
        assert upload(stranger, application_id, fill_factory(template)).status_code == 404
        assert stranger.post(f"/applications/{application_id}/import/confirm",
                             data={"token": token}).status_code == 404
    assert draft_of(dbs, people["applicant"], application_id).lock_version == 0



def test_park_workbook_with_two_members_round_trips(dbs, people, park_round, park_client):
    application_id = new_application(park_client, park_round)
    template = park_client.get(f"/applications/{application_id}/template.xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(template))
    assert "园区企业" in book.sheetnames
    assert [c.value for c in book["园区企业"][1]] == ["企业名称", "统一社会信用代码", "项目", "数量", "单位"]
    assert book["绿证"]["A1"].value == "所属企业"
    electricity = book["电力"]
    electricity.cell(rows_by_code(electricity)["grid_purchase"], 3, 1000)
    members = book["园区企业"]
    members.append(["成员甲", "91520100ma6d0009x1", "焦炭", 5, "t"])
    members.append(["成员甲", None, "grid_purchase", 9000, "MWh"])
    members.append(["成员乙", None, "电网购电总量（含绿电交易）", 500, "MWh"])
    members.append(["成员乙", None, "natural_gas", 2, "万Nm3"])
    book["绿证"].append(["成员乙", "GEC-B-0001", 300])
    book["绿证"].append([None, "GEC-P-0001", 100])
    book["产品"].append(["成员甲", "cement_clinker_energy", None, 10, "万t", 9800, "tce"])
    declarations = book["声明"]
    rows = rows_by_code(declarations)
    declarations.cell(rows["development_zone_level"], 3, "国家级开发区")
    declarations.cell(rows["clear_boundary"], 3, "是")
    page = upload(park_client, application_id, saved(book)).get_data(as_text=True)
    assert "企业“成员甲” · 焦炭 · 数量" in page and "企业“成员乙” · 企业名称" in page
    park_client.post(f"/applications/{application_id}/import/confirm",
                     data={"token": token_of(page)})

    draft = draft_of(dbs, people["park_applicant"], application_id)
    assert draft.lock_version == 1
    data = draft.data
    assert [(m["name"], m["uscc"]) for m in data["members"]] == [
        ("成员甲", "91520100MA6D0009X1"), ("成员乙", "")]
    assert data["members"][0]["energy"] == {"coke": {"quantity": 5.0, "unit": "t"}}
    assert data["members"][0]["production"][0]["output"] == {"quantity": 10.0, "unit": "万t"}
    assert data["members"][1]["electricity"] == {
        "grid_purchase": {"quantity": 500.0, "unit": "MWh"},
        "green_certificates": [{"serial": "GEC-B-0001", "count": 300}]}
    assert data["electricity"]["green_certificates"] == [{"serial": "GEC-P-0001", "count": 100}]
    assert data["declarations"] == {"development_zone_level": "national", "clear_boundary": True}
    from assessor.platform.engine_service import criteria_engine

    result = criteria_engine().score(data, "GZ-P-2024")
    assert result["indicators"]["member_count"]["value"] == 2
    assert result["indicators"]["electricity_consumption_mwh"]["value"] == 10500

    # out again and back in: the same data, nothing to import
    again = park_client.get(f"/applications/{application_id}/template.xlsx").data
    assert "没有需要导入的变化" in upload(park_client, application_id, again).get_data(as_text=True)
    book = openpyxl.load_workbook(io.BytesIO(again))
    book["过程排放"].append(["成员丙", "电极", 5, "tCO2"])  # a member not on 园区企业
    page = upload(park_client, application_id, saved(book)).get_data(as_text=True)
    assert "所属企业“成员丙”不在“园区企业”表中" in page



def test_ten_thousand_rows_come_back_exactly(engine):
    """A province-sized sheet round-trips row for row (its speed is in benchmarks/excel_speed.py)."""
    criteria = engine.criteria("GZ-F-2024")
    data = {"subject": "factory", "reporting_year": 2023,
            "electricity": {"grid_purchase": {"quantity": 20000.0, "unit": "MWh"},
                            "green_certificates": [{"serial": f"GEC{2023_0000_0000 + 10 * i}",
                                                    "count": 1} for i in range(10_000)]}}
    content = build_template(criteria, engine.reference, data, year=2023)
    parsed = parse_workbook(content, engine, "GZ-F-2024", year=2023)
    assert parsed.problems == []
    assert parsed.data == data



def test_a_workbook_of_the_earlier_template_still_imports(engine):
    """Made before the 绿证类型 column: its certificates are the unbundled ones, as before."""
    criteria = engine.criteria("GZ-F-2024")
    book = openpyxl.load_workbook(io.BytesIO(build_template(criteria, engine.reference,
                                                            year=2023)))
    sheet = book["绿证"]
    sheet.delete_cols(3)
    sheet.data_validations.dataValidation = [
        v for v in sheet.data_validations.dataValidation if "C2" not in str(v.sqref)]
    assert [c.value for c in sheet[1]] == ["绿证起始编号", "张数"]
    parsed = parse_workbook(fill_factory(saved(book)), engine, "GZ-F-2024", year=2023)
    assert parsed.problems == []
    assert parsed.data == {k: v for k, v in FILLED.items() if k != "organisation"}

