"""The sector process-activity sheets of the Excel template (碳酸盐, 熟料生产线, 熟料替代原料, 电解铝,
钢铁过程材料, 碳平衡, 数据中心) and the process sheet's 核算方法 column: a submission with every
block out to the template and back in unchanged, names (never ids) on the sheets, ids accepted
as well, every bad cell named by sheet, row and column with nothing saved, the preview listing
the new rows, and text that looks like a formula kept as text."""

import io

import openpyxl

from assessor.applications.excel import build_template, parse_workbook
from assessor.applications.excel.activity import BLOCKS, choices
from assessor.applications.excel.problems import _locate
from assessor.platform import xlsx
from tests.web.excel_helpers import (
    SECTOR,
    draft_of,
    new_application,
    rows_by_code,
    saved,
    token_of,
    upload,
)

BASE = {"subject": "factory", "reporting_year": 2023,
        "energy": {"coke": {"quantity": 5000.0, "unit": "t"}},  # the balance's reductant coke
        "electricity": {"grid_purchase": {"quantity": 20000.0, "unit": "MWh"}}}
SHEETS = ["碳酸盐", "熟料生产线", "熟料替代原料", "电解铝", "钢铁过程材料", "碳平衡", "数据中心"]
IDS = {"limestone", "soda_ash", "ets_2024", "oxides_2015", "clinker_white", "carbide_slag",
       "cets_2024_aluminium", "ndrc_2013_aluminium", "electrode", "crude_steel_fixed", "input",
       "product", "residue", "offgas_exported", "offgas_burned", "coke", "measured",
       "calculated"}


def _book(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def test_every_sector_block_comes_back_exactly(engine):
    criteria = engine.criteria("GZ-F-2024")
    data = {**BASE, **SECTOR}
    content = build_template(criteria, engine.reference, data, year=2023)
    parsed = parse_workbook(content, engine, "GZ-F-2024", year=2023)
    assert parsed.problems == []
    assert parsed.data == data
    assert parsed.result is not None


def test_the_sheets_show_names_with_bilingual_headers_and_lists(engine):
    criteria = engine.criteria("GZ-F-2024")
    book = _book(build_template(criteria, engine.reference, {**BASE, **SECTOR}, year=2023))
    names = book.sheetnames
    assert names[names.index("过程排放") + 1: names.index("产品")] == SHEETS
    assert [c.value for c in book["过程排放"][1]] == ["排放源", "排放量", "单位", "核算方法 / Method"]
    assert book["过程排放"]["D2"].value == SECTOR["process_emissions"][0]["method"]
    for sheet in SHEETS:
        headers = [c.value for c in book[sheet][1]]
        chinese_first = [h for h in headers if "\u4e00" <= h[0] <= "\u9fff" or h.startswith("IT ")]
        assert all(" / " in h for h in headers) and chinese_first == headers, (sheet, headers)
        shown = {c.value for row in book[sheet].iter_rows(min_row=2) for c in row}
        assert not shown & IDS, (sheet, shown & IDS)  # never an internal key
    clinker = book["熟料生产线"]
    assert [c.value for c in clinker[2]][:5] == [
        "1号线", "全国碳市场方法（CETS—AG—02.01—V01—2024）", "白色硅酸盐水泥熟料", 50, "万t"]
    assert clinker["B3"].value == "氧化钙、氧化镁法（GB/T 32151.8-2015）"
    assert [c.value for c in book["碳平衡"]["B"]][1:] == [
        "碳流类型 / Flow", "投入", "含碳产品", "炉渣、除尘灰等", "外供尾气", "厂内燃烧或火炬"][1:]
    assert book["碳平衡"]["H2"].value == "实测值" and book["碳平衡"]["I2"].value == "焦炭"
    assert book["电解铝"]["A2"].value == "全国碳市场铝冶炼核算规范（2024）"
    assert book["电解铝"]["A3"].value == "电解铝生产企业核算指南（2013）"
    # each list column offers the reference's Chinese names, from the hidden 代码表
    lists = book["代码表"]
    by_block = {b.sheet: b for b in BLOCKS}
    for sheet, column, key in (("碳酸盐", "A", "material"), ("熟料生产线", "C", "clinker_type"),
                               ("熟料替代原料", "A", "material"), ("钢铁过程材料", "A", "material"),
                               ("熟料生产线", "B", "method"), ("碳平衡", "B", "flow"),
                               ("电解铝", "A", "guideline"), ("碳平衡", "I", "carrier")):
        validation = next(v for v in book[sheet].data_validations.dataValidation
                          if v.type == "list" and str(v.sqref).startswith(f"{column}2:"))
        letter = validation.formula1.split("!$")[1].split("$")[0]
        offered = [c.value for c in lists[letter][1:] if c.value is not None]
        part = by_block[sheet].part(key)
        assert offered == [zh for _, zh, _en in choices(engine.reference, part)], (sheet, key)
        assert not set(offered) & IDS
    assert "石灰石（CaCO3）" in [c.value for c in lists[
        next(v for v in book["碳酸盐"].data_validations.dataValidation
             if str(v.sqref).startswith("A2:")).formula1.split("!$")[1].split("$")[0]]]
    titles = " ".join(str(c.value) for c in lists[1])
    assert not any(f"（{key}）" in titles for key in ("share", "flow", "carbon", "water", "min/d"))


def test_ids_and_english_names_are_accepted_too(engine):
    criteria = engine.criteria("GZ-F-2024")
    book = _book(build_template(criteria, engine.reference, BASE, year=2023))
    book["碳酸盐"].append(["limestone", 10, "t"])
    book["碳酸盐"].append(["  纯碱（Na2CO3） ", "1,500", "kg", 98, "%"])
    book["熟料生产线"].append(["L1", "ets_2024", "clinker_portland", 5, "万t", 0.5, "tCO2/t",
                              "Measured"])
    book["熟料生产线"].append(["L2", "ETS_2024", None, 6, "t"])  # clinker type left blank
    book["电解铝"].append(["ndrc_2013_aluminium", 100, "t"])
    book["碳平衡"].append(["电石", "Input", "焦炭", 10, "t", 85, "%", "measured", "coke"])
    parsed = parse_workbook(saved(book), engine, "GZ-F-2024", year=2023)
    assert parsed.problems == []
    assert parsed.data["carbonates"] == [
        {"material": "limestone", "consumption": {"quantity": 10.0, "unit": "t"}},
        {"material": "soda_ash", "consumption": {"quantity": 1500.0, "unit": "kg"},
         "purity": {"quantity": 98.0, "unit": "%"}}]
    assert parsed.data["clinker_lines"] == [
        {"line": "L1", "method": "ets_2024", "clinker_type": "clinker_portland",
         "output": {"quantity": 5.0, "unit": "万t"},
         "factor": {"quantity": 0.5, "unit": "tCO2/t", "basis": "measured"}},
        {"line": "L2", "method": "ets_2024", "output": {"quantity": 6.0, "unit": "t"}}]
    assert parsed.data["aluminium"] == [{"guideline": "ndrc_2013_aluminium",
                                         "output": {"quantity": 100.0, "unit": "t"}}]
    assert parsed.data["carbon_balance"][0]["flow"] == "input"
    assert parsed.data["carbon_balance"][0]["carrier"] == "coke"


def test_every_bad_cell_is_named_and_nothing_changes(dbs, people, factory_round,
                                                     applicant_client):
    application_id = new_application(applicant_client, factory_round)
    book = _book(applicant_client.get(f"/applications/{application_id}/template.xlsx").data)
    electricity = book["电力"]
    electricity.cell(rows_by_code(electricity)["grid_purchase"], 3, 100)
    book["过程排放"].append(["尿素", 5, "tCO2", "说明" * 501])
    book["碳酸盐"].append(["大理石", 5, "t"])
    book["碳酸盐"].append(["石灰石（CaCO3）", -5, "t", 90, "ppm", 0.4, "tCO2/t"])
    book["碳酸盐"].append(["limestone", 5, None, None, None, None, None, "实测值"])
    book["熟料生产线"].append(["1号线", "国标法", "硅酸盐水泥熟料", None, None])
    book["熟料生产线"].append([None, "ets_2024", "普通熟料", 5, "m3"])
    book["熟料替代原料"].append(["电石渣", 10, "t", 0.4, "tCO2/t", "估算"])
    book["电解铝"].append(["2013", 10, "t"])
    book["钢铁过程材料"].append(["电极", "十吨", "t"])
    book["碳平衡"].append(["硅铁", "产出", "兰炭", 10, "t", 80, "%", "估计", "铀"])
    book["碳平衡"].append(["硅铁", "投入", "兰炭", 10, "t", 80, "min/d", "实测值"])
    book["数据中心"].append([100, "MWh", 130, "MWh"])
    book["数据中心"].append([110, "MWh", 140, "MWh"])
    response = upload(applicant_client, application_id, saved(book))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "草稿没有任何改动" in page
    expected = [
        ("过程排放", 2, "D", "“核算方法 / Method”过长（最多 1000 个字符）"),
        ("碳酸盐", 2, "A", "“碳酸盐品种 / Carbonate”中没有“大理石”，请从下拉列表选择"),
        ("碳酸盐", 3, "B", "不能为负数"),
        ("碳酸盐", 3, "E", "单位“ppm”不可用"),
        ("碳酸盐", 3, "H", "请同时填写“自有排放因子依据 / Own emission factor basis”"),
        ("碳酸盐", 4, "C", "已填写数量，请同时填写“消耗量单位 / Consumption unit”"),
        ("碳酸盐", 4, "F", "已填写依据或证明材料"),
        ("熟料生产线", 2, "B", "不能填“国标法”"),
        ("熟料生产线", 2, "D", "请填写“熟料产量 / Clinker output”"),
        ("熟料生产线", 3, "A", "请填写“生产线 / Line”"),
        ("熟料生产线", 3, "C", "中没有“普通熟料”"),
        ("熟料生产线", 3, "E", "单位“m3”不可用"),
        ("熟料替代原料", 2, "F", "不能填“估算”，应为“计算值”、“实测值”之一"),
        ("电解铝", 2, "A", "应为“全国碳市场铝冶炼核算规范（2024）”、“电解铝生产企业核算指南（2013）”之一"),
        ("钢铁过程材料", 2, "B", "应为数字"),
        ("碳平衡", 2, "B", "“炉渣、除尘灰等”"),
        ("碳平衡", 2, "H", "不能填“估计”"),
        ("碳平衡", 2, "I", "中没有“铀”"),
        ("碳平衡", 3, "G", "单位“min/d”不可用"),
        ("数据中心", 3, "A", "重复（与第 2 行相同），每个核算单元只填一行"),
    ]
    from assessor.platform.engine_service import criteria_engine

    parsed = parse_workbook(saved(book), criteria_engine(), "GZ-F-2024", year=2023)
    found = [(p.sheet, p.row, p.column, p.message_zh) for p in parsed.problems]
    for sheet, row, column, message in expected:
        assert any(s == sheet and r == row and c == column and message in m
                   for s, r, c, m in found), (sheet, row, column, message, found)
        assert f"{sheet} · 第 {row} 行 · {column}（" in page, (sheet, row, column)
    assert len(found) == len(expected), found
    draft = draft_of(dbs, people["applicant"], application_id)
    assert draft.lock_version == 0 and "carbonates" not in draft.data


def test_english_problems_name_the_cell_too(engine):
    from pathlib import Path

    from babel.support import Translations

    from assessor.applications.excel import listed_problems

    folder = Path(__file__).resolve().parents[2] / "assessor" / "translations"
    gettext = Translations.load(str(folder), ["en"]).gettext
    criteria = engine.criteria("GZ-F-2024")
    book = _book(build_template(criteria, engine.reference, BASE, year=2023))
    book["碳平衡"].append(["硅铁", "产出", "兰炭", 10, "t", 80, "%", None])
    parsed = parse_workbook(saved(book), engine, "GZ-F-2024", year=2023)
    listed = {(p["sheet"], p["row"], p["column"]): p["message"]
              for p in listed_problems(parsed.problems, gettext, english=True)}
    assert listed == {
        ("碳平衡", 2, "B"): "“碳流类型 / Flow” cannot be “产出”; it should be one of “投入”, “含碳产品”, "
                          "“炉渣、除尘灰等”, “外供尾气”, “厂内燃烧或火炬”",
        ("碳平衡", 2, "H"): "Fill in “含碳量依据 / Carbon basis”"}


def test_the_preview_lists_the_new_rows_and_a_park_member_keeps_its_blocks(
        dbs, people, park_round, park_client):
    application_id = new_application(park_client, park_round)
    book = _book(park_client.get(f"/applications/{application_id}/template.xlsx").data)
    assert [c.value for c in book["熟料生产线"][1]][:2] == ["所属企业", "生产线 / Line"]
    electricity = book["电力"]
    electricity.cell(rows_by_code(electricity)["grid_purchase"], 3, 1000)
    book["园区企业"].append(["成员甲", None, "焦炭", 5, "t"])
    book["园区企业"].append(["成员乙", None, "grid_purchase", 900, "MWh"])
    book["熟料生产线"].append(["成员甲", "1号线", "全国碳市场方法（CETS—AG—02.01—V01—2024）",
                              "硅酸盐水泥熟料", 50, "万t"])
    book["碳平衡"].append(["成员乙", "硅铁冶炼", "投入", "兰炭", 3000, "t", 82, "%", "实测值"])
    book["碳平衡"].append(["成员乙", "硅铁冶炼", "外供尾气", "煤气", 500, "万Nm3", 1.5, "tC/万Nm3",
                         "计算值"])
    book["数据中心"].append([None, 100, "MWh", 130, "MWh"])  # the park's own facilities
    book["过程排放"].append(["成员甲", "尿素脱硝", 12, "tCO2", "尿素用量 × 0.733"])
    declarations = book["声明"]
    rows = rows_by_code(declarations)
    declarations.cell(rows["development_zone_level"], 3, "国家级开发区")
    declarations.cell(rows["clear_boundary"], 3, "是")
    response = upload(park_client, application_id, saved(book))
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    for shown in ("熟料生产线", "企业“成员甲” · 第 1 条 · 熟料产量", "企业“成员甲” · 第 1 条 · 核算方法",
                  "全国碳市场方法（CETS—AG—02.01—V01—2024）", "硅酸盐水泥熟料",
                  "企业“成员乙” · 第 2 条 · 碳流类型", "外供尾气", "计算值",
                  "数据中心", "IT 设备用电量", "过程排放", "尿素用量 × 0.733"):
        assert shown in page, shown
    for key in ("ets_2024", "clinker_portland", "offgas_exported", "calculated"):
        assert key not in page, key
    park_client.post(f"/applications/{application_id}/import/confirm",
                     data={"token": token_of(page)})
    data = draft_of(dbs, people["park_applicant"], application_id).data
    assert data["members"][0]["clinker_lines"] == [
        {"line": "1号线", "method": "ets_2024", "clinker_type": "clinker_portland",
         "output": {"quantity": 50.0, "unit": "万t"}}]
    assert data["members"][0]["process_emissions"][0]["method"] == "尿素用量 × 0.733"
    assert data["members"][1]["carbon_balance"][1:] == [
        {"process": "硅铁冶炼", "flow": "offgas_exported", "material": "煤气",
         "quantity": {"quantity": 500.0, "unit": "万Nm3"},
         "carbon": {"quantity": 1.5, "unit": "tC/万Nm3"}, "basis": "calculated"}]
    assert data["computing"] == {"it_energy": {"quantity": 100.0, "unit": "MWh"},
                                 "facility_energy": {"quantity": 130.0, "unit": "MWh"}}
    assert "computing" not in data["members"][0]
    # out again and back in: nothing to import
    again = park_client.get(f"/applications/{application_id}/template.xlsx").data
    assert "没有需要导入的变化" in upload(park_client, application_id, again).get_data(as_text=True)


def test_formula_like_text_stays_text_and_comes_back(engine):
    criteria = engine.criteria("GZ-F-2024")
    hostile = {**BASE,
               "process_emissions": [{"source": "+1", "quantity": 1.0, "unit": "tCO2",
                                      "method": '=HYPERLINK("http://x","点击")'}],
               "clinker_lines": [{"line": "=1+1", "method": "ets_2024",
                                  "output": {"quantity": 5.0, "unit": "t"},
                                  "factor": {"quantity": 0.5, "unit": "tCO2/t",
                                             "basis": "measured", "evidence": "@SUM(A1)"}}],
               "carbon_balance": [{"process": "-2+3", "flow": "input", "material": "\tx",
                                   "quantity": {"quantity": 1.0, "unit": "t"},
                                   "carbon": {"quantity": 80.0, "unit": "%"},
                                   "basis": "measured"}]}
    content = build_template(criteria, engine.reference, hostile, year=2023)
    book = _book(content)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    for value in ('=HYPERLINK("http://x","点击")', "=1+1", "@SUM(A1)", "-2+3", "+1", "\tx"):
        found = [c for c in cells if c.value == value]
        assert found and all(c.data_type == "s" for c in found), value
        assert all(c.quotePrefix for c in found if value.startswith(xlsx.FORMULA_STARTS))
    parsed = parse_workbook(content, engine, "GZ-F-2024", year=2023)
    assert parsed.problems == []
    assert parsed.data["clinker_lines"] == hostile["clinker_lines"]
    assert parsed.data["process_emissions"] == hostile["process_emissions"]


def test_a_workbook_without_the_sector_sheets_still_imports(engine):
    """Made before the sector sheets and the 核算方法 column: it imports as before, and a
    process row there is asked for its method (the engine needs one)."""
    criteria = engine.criteria("GZ-F-2024")
    book = _book(build_template(criteria, engine.reference, BASE, year=2023))
    for sheet in SHEETS:
        del book[sheet]
    book["过程排放"].delete_cols(4)
    parsed = parse_workbook(saved(book), engine, "GZ-F-2024", year=2023)
    assert parsed.problems == [] and parsed.data == BASE
    book["过程排放"].append(["熟料煅烧", 1200, "tCO2"])
    parsed = parse_workbook(saved(book), engine, "GZ-F-2024", year=2023)
    assert [(p.sheet, p.row, p.column) for p in parsed.problems] == [("过程排放", 2, None)]
    assert "计算方法" in parsed.problems[0].message_zh


def test_engine_problems_find_the_sector_cells():
    locations = {"clinker_lines[0]": ("熟料生产线", 2), "members[1].carbonates[2]": ("碳酸盐", 7),
                 "computing": ("数据中心", 3), "process_emissions[0]": ("过程排放", 4)}
    assert _locate("clinker_lines.0.output.unit", locations, False) == (
        "熟料生产线", 2, "output_unit")
    assert _locate("clinker_lines[0].factor.basis", locations, False) == (
        "熟料生产线", 2, "factor_basis")
    assert _locate("clinker_lines[0].output.quantity", locations, False) == (
        "熟料生产线", 2, "output")
    assert _locate("clinker_lines[0]", locations, False) == ("熟料生产线", 2, "line")
    assert _locate("members.1.carbonates.2.material", locations, True) == (
        "碳酸盐", 7, "material")
    assert _locate("computing.water.unit", locations, False) == ("数据中心", 3, "water_unit")
    assert _locate("process_emissions[0].method", locations, False) == ("过程排放", 4, "method")
    assert _locate("carbon_balance[3].carbon", {}, False) == ("碳平衡", None, None)
