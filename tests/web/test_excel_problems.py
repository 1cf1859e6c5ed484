"""A workbook with mistakes: every problem is listed by sheet, row and column, and nothing is
saved; a renamed column or sheet, another criteria set's template or another kind of file is
refused."""

import io
import re

import openpyxl

from assessor.applications import services
from assessor.applications.excel import build_template, parse_workbook
from tests.fixtures import TODAY
from tests.web.excel_helpers import (
    PDF,
    draft_of,
    fill_factory,
    new_application,
    rows_by_code,
    saved,
    upload,
    zip_with,
)


def test_every_problem_is_listed_and_nothing_changes(
        dbs, engine, people, factory_round, applicant_client):
    application_id = new_application(applicant_client, factory_round)
    application = services.get_visible(dbs, people["applicant"], application_id)
    services.save_draft(dbs, engine, people["applicant"], application,
                        {"subject": "factory", "reporting_year": 2023,
                         "energy": {"coke": {"quantity": 7, "unit": "t"}}}, 0, TODAY)
    before = draft_of(dbs, people["applicant"], application_id)
    before_data, before_version = dict(before.data), before.lock_version

    book = openpyxl.load_workbook(io.BytesIO(
        applicant_client.get(f"/applications/{application_id}/template.xlsx").data))
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
    response = upload(applicant_client, application_id, saved(book))
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
    # each in the error summary, at its sheet, row and column, linking to the file input
    cells = re.findall(r'<a href="#excel-file">(.*?) · 第 (\d+) 行 · (.*?)：(.*?)</a>', page)
    for sheet, row, column, message in expected:
        assert any(s == sheet and r == str(row) and c == column and message in m
                   for s, r, c, m in cells), (sheet, row, column, message, cells)
    assert len(cells) == len(expected)
    after = draft_of(dbs, people["applicant"], application_id)
    assert after.data == before_data and after.lock_version == before_version



def test_renamed_columns_and_sheets_and_other_files_are_refused(
        dbs, people, factory_round, park_round, applicant_client):
    application_id = new_application(applicant_client, factory_round)
    template = applicant_client.get(f"/applications/{application_id}/template.xlsx").data

    book = openpyxl.load_workbook(io.BytesIO(fill_factory(template)))
    book["能源消费"]["C1"] = "数量（吨）"
    book["碳抵消"].title = "抵消"
    page = upload(applicant_client, application_id, saved(book)).get_data(as_text=True)
    assert "列标题“数量（吨）”不是本表的列" in page and "缺少列“数量”" in page
    assert "缺少工作表“碳抵消”" in page and "不认识的工作表“抵消”" in page

    for content, name, message in (
            (PDF, "自评价.xlsx", "这是 PDF 文件"),
            (bytes(range(256)) * 8, "自评价.xlsx", "不是 Excel 工作簿"),
            (b"", "empty.xlsx", "文件为空"),
            (zip_with({"a.txt": b"x"}), "自评价.xlsx", "不是 Excel 工作簿")):
        response = upload(applicant_client, application_id, content, name)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True), name

    # a park template does not fit a factory application
    from assessor.platform.engine_service import criteria_engine

    engine = criteria_engine()
    park = build_template(engine.criteria("GZ-P-2024"), engine.reference, year=2023)
    page = upload(applicant_client, application_id, park).get_data(as_text=True)
    assert "评价标准“GZ-P-2024”的模板" in page and "不认识的工作表“园区企业”" in page

    draft = draft_of(dbs, people["applicant"], application_id)
    assert draft.lock_version == 0 and "energy" not in draft.data



def test_numbers_are_checked_column_by_column(engine):
    criteria = engine.criteria("GZ-F-2024")
    book = openpyxl.load_workbook(io.BytesIO(build_template(criteria, engine.reference,
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
    parsed = parse_workbook(saved(book), engine, "GZ-F-2024", year=2023)
    found = {(p.row, p.column): p.message_zh for p in parsed.problems}
    for carrier, (_value, message) in cases.items():
        column = "D" if carrier == "kerosene" else "C"
        if message is None:
            assert (rows[carrier], column) not in found  # exactly 10^12 is allowed
        else:
            assert message in found[(rows[carrier], column)], (carrier, found)
    assert parsed.data is None

