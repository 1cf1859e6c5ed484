"""Excel in/out of the self-assessment data: the template, an upload with its problems or its
preview, and the confirmation that saves it (all or nothing)."""

import io
import re
import zipfile
from datetime import date

import openpyxl
import pytest

from assessor.applications import services
from assessor.applications.excel import (
    ELECTRICITY_FIELDS,
    UNITS,
    build_template,
    parse_workbook,
)
from assessor.engine import Engine
from assessor.rounds import services as rounds
from tests.conftest import factory_submission
from tests.fixtures import TODAY, login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FACTORY_SHEETS = ["说明", "能源消费", "电力", "绿证", "过程排放", "产品", "碳抵消", "声明", "填报指标",
                  "示例", "代码表"]


@pytest.fixture
def client_app(app):
    """The app with the excel blueprint (registered here until assessor/__init__ does it)."""
    if "excel" not in app.blueprints:
        from assessor.applications.excel_views import bp

        app.register_blueprint(bp)
    return app


@pytest.fixture(scope="module")
def pure_engine():
    return Engine.load()


@pytest.fixture
def park_round(dbs, engine, people):
    return rounds.open_round(dbs, engine, people["province_officer"], title="2025年零碳园区申报",
                             subject="park", year=2023, criteria_id="GZ-P-2024",
                             opens_on=date(2025, 2, 1), closes_on=date(2025, 4, 30),
                             publicity_days=5)


def new_application(client, round_) -> int:
    response = client.post("/applications/new", data={"round": round_.id})
    return int(response.headers["Location"].rstrip("/").split("/")[-2])


def draft_of(dbs, user, application_id):
    dbs.expire_all()
    return services.current_revision(dbs, services.get_visible(dbs, user, application_id))


def rows_by_code(sheet) -> dict[str, int]:
    return {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)
            if sheet.cell(r, 1).value}


def upload(client, application_id, content: bytes, name="自评价.xlsx"):
    return client.post(f"/applications/{application_id}/import",
                       data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def token_of(page: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill_factory(content: bytes) -> bytes:
    """The downloaded template, filled in as an applicant would."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    energy = book["能源消费"]
    rows = rows_by_code(energy)
    energy.cell(rows["natural_gas"], 3, 10)
    energy.cell(rows["natural_gas"], 4, "万Nm3")
    energy.cell(rows["diesel"], 3, "1,250.5")  # a thousands separator is fine
    electricity = book["电力"]
    rows = rows_by_code(electricity)
    for field, quantity, unit in (("grid_purchase", 20000, "MWh"),
                                  ("green_power_trading", 12000, "MWh"),
                                  ("direct_green_supply", 600, "万kWh"),
                                  ("onsite_renewable_self_used", 6000, "MWh")):
        electricity.cell(rows[field], 3, quantity)
        electricity.cell(rows[field], 4, unit)
    book["绿证"].append(["GEC202300000001", 8000])
    book["绿证"].append([202300990001, None])  # typed as a number, count left blank (= 1)
    book["过程排放"].append(["熟料煅烧", 1200, "tCO2"])
    book["产品"].append(["cement_clinker_energy", None, 50, "万t", 49000, "tce"])
    book["碳抵消"].append(["CCER", "CCER-GZ-000001", 300, 300, "tCO2e"])
    declarations = book["声明"]
    rows = rows_by_code(declarations)
    for key, answer in (("compliance_3y", "是"), ("green_factory_title", "国家级绿色工厂"),
                        ("no_obsolete_equipment", "是"), ("zero_carbon_plan", "否")):
        declarations.cell(rows[key], 3, answer)
    reported = book["填报指标"]
    reported.cell(rows_by_code(reported)["meter_auto_collection_rate"], 3, 95)
    return saved(book)


FILLED = {
    "subject": "factory",
    "reporting_year": 2023,
    "organisation": {"name": "贵州测试电子有限公司", "region": "贵阳市"},
    "energy": {"natural_gas": {"quantity": 10.0, "unit": "万Nm3"},
               "diesel": {"quantity": 1250.5, "unit": "t"}},
    "electricity": {
        "grid_purchase": {"quantity": 20000.0, "unit": "MWh"},
        "green_power_trading": {"quantity": 12000.0, "unit": "MWh"},
        "direct_green_supply": {"quantity": 600.0, "unit": "万kWh"},
        "onsite_renewable_self_used": {"quantity": 6000.0, "unit": "MWh"},
        "green_certificates": [{"serial": "GEC202300000001", "count": 8000},
                               {"serial": "202300990001", "count": 1}],
    },
    "process_emissions": [{"source": "熟料煅烧", "quantity": 1200.0, "unit": "tCO2"}],
    "production": [{"benchmark": "cement_clinker_energy",
                    "output": {"quantity": 50.0, "unit": "万t"},
                    "energy": {"quantity": 49000.0, "unit": "tce"}}],
    "offsets": [{"instrument": "ccer", "serial": "CCER-GZ-000001", "count": 300,
                 "quantity": 300.0, "unit": "tCO2e"}],
    "declarations": {"compliance_3y": True, "green_factory_title": "national",
                     "no_obsolete_equipment": True, "zero_carbon_plan": False},
    "reported": {"meter_auto_collection_rate": {"quantity": 95.0, "unit": "%"}},
}


def expected_filled(dbs, people) -> dict:
    from assessor.accounts.models import Organisation

    organisation = dbs.get(Organisation, people["applicant"].organisation_id)
    return {**FILLED, "organisation": {**FILLED["organisation"], "uscc": organisation.uscc}}


def test_units_and_fields_match_the_web_form():
    from assessor.applications import forms

    assert forms.UNITS == UNITS
    assert [f for f, _ in forms.ELECTRICITY_FIELDS] == [f for f, _ in ELECTRICITY_FIELDS]
    assert [str(label) for _, label in forms.ELECTRICITY_FIELDS] == [
        label for _, label in ELECTRICITY_FIELDS]


def test_template_download_has_the_sheets_and_the_draft(client_app, dbs, engine, people,
                                                        factory_round):
    client = login(client_app.test_client(), people["applicant"])
    application_id = new_application(client, factory_round)
    application = services.get_visible(dbs, people["applicant"], application_id)
    data = factory_submission(organisation=expected_filled(dbs, people)["organisation"])
    data.pop("expert_scores")
    services.save_draft(dbs, engine, people["applicant"], application, data, 0, TODAY)

    response = client.get(f"/applications/{application_id}/template.xlsx")
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
    lists = [v for v in energy.data_validations.dataValidation if v.type == "list"]
    assert any(f"D{gas}" in str(v.sqref) for v in lists)  # the unit column has its list
    # downloading it back unchanged is valid and changes nothing
    preview = upload(client, application_id, response.data).get_data(as_text=True)
    assert "没有需要导入的变化" in preview


def test_filled_workbook_is_previewed_then_saved(client_app, dbs, people, factory_round):
    client = login(client_app.test_client(), people["applicant"])
    application_id = new_application(client, factory_round)
    template = client.get(f"/applications/{application_id}/template.xlsx").data

    response = upload(client, application_id, fill_factory(template))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "确认变化" in page
    assert "天然气 · 数量" in page and "10" in page and "（空）" in page
    assert "绿证" in page and "GEC202300000001" in page and "国家级绿色工厂" in page
    assert "评价结果的变化" not in page or "总分" in page
    draft = draft_of(dbs, people["applicant"], application_id)
    assert draft.lock_version == 0 and "energy" not in draft.data  # nothing saved yet

    confirmed = client.post(f"/applications/{application_id}/import/confirm",
                            data={"token": token_of(page)}, follow_redirects=True)
    text = confirmed.get_data(as_text=True)
    assert "已从 Excel 导入并保存草稿" in text and "评价结果" in text and "综合能耗" in text
    draft = draft_of(dbs, people["applicant"], application_id)
    assert draft.lock_version == 1
    assert draft.data == expected_filled(dbs, people)
    # the token was used up
    again = client.post(f"/applications/{application_id}/import/confirm",
                        data={"token": token_of(page)}, follow_redirects=True)
    assert "已使用或已过期" in again.get_data(as_text=True)
    assert draft_of(dbs, people["applicant"], application_id).lock_version == 1


def test_every_problem_is_listed_and_nothing_changes(client_app, dbs, engine, people,
                                                     factory_round):
    client = login(client_app.test_client(), people["applicant"])
    application_id = new_application(client, factory_round)
    application = services.get_visible(dbs, people["applicant"], application_id)
    services.save_draft(dbs, engine, people["applicant"], application,
                        {"subject": "factory", "reporting_year": 2023,
                         "energy": {"coke": {"quantity": 7, "unit": "t"}}}, 0, TODAY)
    before = draft_of(dbs, people["applicant"], application_id)
    before_data, before_version = dict(before.data), before.lock_version

    book = openpyxl.load_workbook(io.BytesIO(
        client.get(f"/applications/{application_id}/template.xlsx").data))
    energy = book["能源消费"]
    rows = rows_by_code(energy)
    energy.cell(rows["natural_gas"], 3, "十万")           # not a number
    energy.cell(rows["diesel"], 3, -3)                   # negative
    energy.cell(rows["lpg"], 3, 5e13)                    # absurdly large
    energy.cell(rows["steam"], 3, 2)
    energy.cell(rows["steam"], 4, "m3")                  # not a unit for steam
    energy.append(["uranium", None, 1, "t"])             # unknown carrier
    electricity = book["电力"]
    rows = rows_by_code(electricity)
    electricity.cell(rows["grid_purchase"], 3, 100)
    electricity.cell(rows["green_power_trading"], 3, 200)  # the engine: more than the grid
    book["绿证"].append(["GEC1", 1])
    book["绿证"].append(["GEC1", 2])                      # duplicate
    book["绿证"].append(["bad serial!", 1.5])             # pattern and count
    book["产品"].append(["cement_clinker_energy", None, 10, "t", 900, "kWh"])  # engine: kind
    declarations = book["声明"]
    declarations.cell(rows_by_code(declarations)["compliance_3y"], 3, "也许")
    response = upload(client, application_id, saved(book))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "草稿没有任何改动" in page
    gas = rows_by_code(energy)["natural_gas"]
    expected = [
        ("能源消费", gas, "C（数量）", "应为数字"),
        ("能源消费", rows_by_code(energy)["diesel"], "C（数量）", "不能为负数"),
        ("能源消费", rows_by_code(energy)["lpg"], "C（数量）", "数值过大"),
        ("能源消费", rows_by_code(energy)["steam"], "D（单位）", "单位“m3”不可用"),
        ("能源消费", energy.max_row, "A（能源品种代码）", "不认识的能源品种“uranium”"),
        ("电力", rows["green_power_trading"], "C（数量）", "绿电交易电量不能大于电网购电总量"),
        ("绿证", 3, "A（绿证起始编号）", "重复（与第 2 行相同）"),
        ("绿证", 4, "A（绿证起始编号）", "只能包含字母、数字"),
        ("绿证", 4, "B（张数）", "应为整数"),
        ("产品", 2, "F（能耗单位）", "不能用于水泥熟料"),
        ("声明", 2, "C（回答）", "回答“也许”不可用"),
    ]
    cells = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td class=\"num\">(.*?)</td>\s*<td>(.*?)</td>"
                       r"\s*<td>(.*?)</td>", page, re.S)
    for sheet, row, column, message in expected:
        assert any(s == sheet and r == str(row) and c == column and message in m
                   for s, r, c, m in cells), (sheet, row, column, message, cells)
    assert len(cells) == len(expected)
    after = draft_of(dbs, people["applicant"], application_id)
    assert after.data == before_data and after.lock_version == before_version


def test_renamed_columns_and_sheets_and_other_files_are_refused(client_app, dbs, people,
                                                                factory_round, park_round):
    client = login(client_app.test_client(), people["applicant"])
    application_id = new_application(client, factory_round)
    template = client.get(f"/applications/{application_id}/template.xlsx").data

    book = openpyxl.load_workbook(io.BytesIO(fill_factory(template)))
    book["能源消费"]["C1"] = "数量（吨）"
    book["碳抵消"].title = "抵消"
    page = upload(client, application_id, saved(book)).get_data(as_text=True)
    assert "列标题“数量（吨）”不是本表的列" in page and "缺少列“数量”" in page
    assert "缺少工作表“碳抵消”" in page and "不认识的工作表“抵消”" in page

    for content, name, message in (
            (PDF, "自评价.xlsx", "这是 PDF 文件"),
            (bytes(range(256)) * 8, "自评价.xlsx", "不是 Excel 工作簿"),
            (b"", "empty.xlsx", "文件为空"),
            (zip_with({"a.txt": b"x"}), "自评价.xlsx", "不是 Excel 工作簿")):
        response = upload(client, application_id, content, name)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True), name

    # a park template does not fit a factory application
    from assessor.engine_service import criteria_engine

    engine = criteria_engine()
    park = build_template(engine.criteria("GZ-P-2024"), engine.reference, year=2023)
    page = upload(client, application_id, park).get_data(as_text=True)
    assert "评价标准“GZ-P-2024”的模板" in page and "不认识的工作表“园区企业”" in page

    draft = draft_of(dbs, people["applicant"], application_id)
    assert draft.lock_version == 0 and "energy" not in draft.data


def zip_with(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_stale_or_forged_preview_is_refused(client_app, dbs, engine, people, factory_round):
    client = login(client_app.test_client(), people["applicant"])
    application_id = new_application(client, factory_round)
    template = client.get(f"/applications/{application_id}/template.xlsx").data
    page = upload(client, application_id, fill_factory(template)).get_data(as_text=True)
    token = token_of(page)

    # the draft changes after the preview (another tab, a colleague)
    application = services.get_visible(dbs, people["applicant"], application_id)
    meanwhile = {"subject": "factory", "reporting_year": 2023,
                 "energy": {"coke": {"quantity": 1.0, "unit": "t"}}}
    services.save_draft(dbs, engine, people["applicant"], application, meanwhile, 0, TODAY)

    refused = client.post(f"/applications/{application_id}/import/confirm",
                          data={"token": token}, follow_redirects=True).get_data(as_text=True)
    assert "已被他人修改" in refused and "本次 Excel 导入没有保存" in refused
    draft = draft_of(dbs, people["applicant"], application_id)
    assert draft.lock_version == 1 and draft.data == meanwhile

    forged = client.post(f"/applications/{application_id}/import/confirm",
                         data={"token": token[:-3] + "abc"}, follow_redirects=True)
    assert "已过期或无效" in forged.get_data(as_text=True)
    assert draft_of(dbs, people["applicant"], application_id).lock_version == 1


def test_other_organisations_get_404(client_app, dbs, people, factory_round):
    anonymous = client_app.test_client()  # first: flask-login caches the user in g
    assert anonymous.get("/applications/1/template.xlsx").status_code == 302
    client = login(client_app.test_client(), people["applicant"])
    application_id = new_application(client, factory_round)
    template = client.get(f"/applications/{application_id}/template.xlsx").data
    token = token_of(upload(client, application_id, fill_factory(template)).get_data(
        as_text=True))

    for role in ("other_applicant", "city_officer", "province_officer", "expert"):
        stranger = login(client_app.test_client(), people[role])
        assert stranger.get(f"/applications/{application_id}/template.xlsx").status_code == 404
        assert upload(stranger, application_id, fill_factory(template)).status_code == 404
        assert stranger.post(f"/applications/{application_id}/import/confirm",
                             data={"token": token}).status_code == 404
    assert draft_of(dbs, people["applicant"], application_id).lock_version == 0


def test_park_workbook_with_two_members_round_trips(client_app, dbs, people, park_round):
    client = login(client_app.test_client(), people["park_applicant"])
    application_id = new_application(client, park_round)
    template = client.get(f"/applications/{application_id}/template.xlsx").data
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
    page = upload(client, application_id, saved(book)).get_data(as_text=True)
    assert "企业“成员甲” · 焦炭 · 数量" in page and "企业“成员乙” · 企业名称" in page
    client.post(f"/applications/{application_id}/import/confirm", data={"token": token_of(page)})

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
    from assessor.engine_service import criteria_engine

    result = criteria_engine().score(data, "GZ-P-2024")
    assert result["indicators"]["member_count"]["value"] == 2
    assert result["indicators"]["electricity_consumption_mwh"]["value"] == 10500

    # out again and back in: the same data, nothing to import
    again = client.get(f"/applications/{application_id}/template.xlsx").data
    assert "没有需要导入的变化" in upload(client, application_id, again).get_data(as_text=True)
    book = openpyxl.load_workbook(io.BytesIO(again))
    book["过程排放"].append(["成员丙", "电极", 5, "tCO2"])  # a member not on 园区企业
    page = upload(client, application_id, saved(book)).get_data(as_text=True)
    assert "所属企业“成员丙”不在“园区企业”表中" in page


def test_ten_thousand_rows_come_back_exactly(pure_engine):
    """A province-sized sheet round-trips row for row (its speed is in benchmarks/excel_speed.py)."""
    criteria = pure_engine.criteria("GZ-F-2024")
    data = {"subject": "factory", "reporting_year": 2023,
            "electricity": {"grid_purchase": {"quantity": 20000.0, "unit": "MWh"},
                            "green_certificates": [{"serial": f"GEC{2023_0000_0000 + 10 * i}",
                                                    "count": 1} for i in range(10_000)]}}
    content = build_template(criteria, pure_engine.reference, data, year=2023)
    parsed = parse_workbook(content, pure_engine, "GZ-F-2024", year=2023)
    assert parsed.problems == []
    assert parsed.data == data


def test_numbers_are_checked_column_by_column(pure_engine):
    criteria = pure_engine.criteria("GZ-F-2024")
    book = openpyxl.load_workbook(io.BytesIO(build_template(criteria, pure_engine.reference,
                                                            year=2023)))
    energy = book["能源消费"]
    rows = rows_by_code(energy)
    cases = {"anthracite": ("nan", "有限的数字"), "lignite": ("#DIV/0!", "错误值"),
             "coke": (True, "应为数字"), "diesel": ("12 吨", "不要带单位"),
             "gasoline": (1e12, None), "kerosene": (3, "请同时填写")}
    for carrier, (value, _message) in cases.items():
        energy.cell(rows[carrier], 3, value)
    energy.cell(rows["kerosene"], 4).value = None
    electricity = book["电力"]
    electricity.cell(rows_by_code(electricity)["grid_purchase"], 3, 1)
    parsed = parse_workbook(saved(book), pure_engine, "GZ-F-2024", year=2023)
    found = {(p.row, p.column): p.message_zh for p in parsed.problems}
    for carrier, (_value, message) in cases.items():
        column = "D" if carrier == "kerosene" else "C"
        if message is None:
            assert (rows[carrier], column) not in found  # exactly 10^12 is allowed
        else:
            assert message in found[(rows[carrier], column)], (carrier, found)
    assert parsed.data is None


def both_kinds(data: dict) -> dict:
    """`data` with green-power-trade certificates next to its unbundled ones."""
    electricity = data["electricity"]
    electricity["green_certificates"] = [{"serial": "GEC202300000001", "count": 8000}]
    electricity["green_power_trade_certificates"] = [
        {"serial": "GEC202300100001", "count": 7000}, {"serial": "GEC202300200001", "count": 5000}]
    return data


def test_green_power_trade_certificates_round_trip(client_app, dbs, engine, people,
                                                   factory_round):
    client = login(client_app.test_client(), people["applicant"])
    application_id = new_application(client, factory_round)
    application = services.get_visible(dbs, people["applicant"], application_id)
    data = both_kinds(factory_submission(organisation=expected_filled(dbs, people)[
        "organisation"]))
    data.pop("expert_scores")
    services.save_draft(dbs, engine, people["applicant"], application, data, 0, TODAY)
    saved_data = draft_of(dbs, people["applicant"], application_id).data

    template = client.get(f"/applications/{application_id}/template.xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(template))
    assert [[c.value for c in row] for row in book["绿证"].iter_rows()] == [
        ["绿证起始编号", "张数", "绿证类型"],
        ["GEC202300000001", 8000, "另购绿证"],
        ["GEC202300100001", 7000, "绿电交易绿证"],
        ["GEC202300200001", 5000, "绿电交易绿证"]]
    # out and back in unchanged: nothing lost, nothing to import
    assert "没有需要导入的变化" in upload(client, application_id, template).get_data(as_text=True)
    parsed = parse_workbook(template, engine, "GZ-F-2024", year=2023,
                            organisation=saved_data["organisation"])
    assert parsed.problems == [] and parsed.data == saved_data

    # a changed count is previewed as a green-power-trade row, then saved
    book["绿证"]["B3"] = 6000
    page = upload(client, application_id, saved(book)).get_data(as_text=True)
    assert "绿电交易绿证 第 1 条 · 张数" in page and "7,000" in page and "6,000" in page
    client.post(f"/applications/{application_id}/import/confirm", data={"token": token_of(page)})
    electricity = draft_of(dbs, people["applicant"], application_id).data["electricity"]
    assert electricity["green_power_trade_certificates"] == [
        {"serial": "GEC202300100001", "count": 6000}, {"serial": "GEC202300200001", "count": 5000}]
    assert electricity["green_certificates"] == [{"serial": "GEC202300000001", "count": 8000}]


def test_park_members_green_power_trade_certificates_round_trip(pure_engine):
    criteria = pure_engine.criteria("GZ-P-2024")
    member = both_kinds({"name": "成员甲", "uscc": "",
                         "electricity": {"grid_purchase": {"quantity": 20000.0, "unit": "MWh"}}})
    data = {"subject": "park", "reporting_year": 2023,
            "electricity": {"green_power_trade_certificates": [
                {"serial": "GEC202300900001", "count": 10}]},
            "members": [member]}
    content = build_template(criteria, pure_engine.reference, data, year=2023)
    sheet = openpyxl.load_workbook(io.BytesIO(content))["绿证"]
    assert [c.value for c in sheet[1]] == ["所属企业", "绿证起始编号", "张数", "绿证类型"]
    parsed = parse_workbook(content, pure_engine, "GZ-P-2024", year=2023)
    assert parsed.problems == []
    assert parsed.data["electricity"] == data["electricity"]
    assert parsed.data["members"] == [member]


def test_a_bad_green_power_trade_row_is_named_by_sheet_and_row(pure_engine):
    criteria = pure_engine.criteria("GZ-F-2024")
    book = openpyxl.load_workbook(io.BytesIO(build_template(criteria, pure_engine.reference,
                                                            year=2023)))
    electricity = book["电力"]
    electricity.cell(rows_by_code(electricity)["grid_purchase"], 3, 1000)
    certificates = book["绿证"]
    certificates.append(["GEC202300100001", 500, "绿电交易绿证"])  # row 2: fine
    certificates.append([None, 500, "绿电交易绿证"])               # row 3: no serial
    certificates.append(["GEC202300200001", 2.5, "绿电交易绿证"])  # row 4: not whole
    certificates.append(["GEC202300300001", 10, "绿电"])          # row 5: no such kind
    certificates.append(["GEC202300100001", 9, "绿电交易绿证"])    # row 6: repeats row 2
    certificates.append(["GEC202300100001", 500, "另购绿证"])      # the other list: the engine's
    parsed = parse_workbook(saved(book), pure_engine, "GZ-F-2024", year=2023)
    assert parsed.data is None
    found = {(p.sheet, p.row, p.column, p.header): p.message_zh for p in parsed.problems}
    assert set(found) == {("绿证", 3, "A", "绿证起始编号"), ("绿证", 4, "B", "张数"),
                          ("绿证", 5, "C", "绿证类型"), ("绿证", 6, "A", "绿证起始编号")}, found
    assert found[("绿证", 3, "A", "绿证起始编号")] == "请填写绿证起始编号"
    assert "应为整数" in found[("绿证", 4, "B", "张数")]
    assert found[("绿证", 5, "C", "绿证类型")] == "绿证类型“绿电”不可用，应为：另购绿证、绿电交易绿证"
    assert "重复（与第 2 行相同）" in found[("绿证", 6, "A", "绿证起始编号")]
    where = {p.where_zh for p in parsed.problems}
    assert "工作表“绿证”，第 3 行，A 列（绿证起始编号）" in where


def test_a_workbook_of_the_earlier_template_still_imports(pure_engine):
    """Made before the 绿证类型 column: its certificates are the unbundled ones, as before."""
    criteria = pure_engine.criteria("GZ-F-2024")
    book = openpyxl.load_workbook(io.BytesIO(build_template(criteria, pure_engine.reference,
                                                            year=2023)))
    sheet = book["绿证"]
    sheet.delete_cols(3)
    sheet.data_validations.dataValidation = [
        v for v in sheet.data_validations.dataValidation if "C2" not in str(v.sqref)]
    assert [c.value for c in sheet[1]] == ["绿证起始编号", "张数"]
    parsed = parse_workbook(fill_factory(saved(book)), pure_engine, "GZ-F-2024", year=2023)
    assert parsed.problems == []
    assert parsed.data == {k: v for k, v in FILLED.items() if k != "organisation"}
