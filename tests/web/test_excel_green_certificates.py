"""Green-power-trade certificates beside the unbundled ones on the 绿证 sheet: out and back in,
for a factory and a park's members, and a bad row named by sheet and row."""

import io

import openpyxl

from assessor.applications import services
from assessor.applications.excel import build_template, parse_workbook
from tests.conftest import factory_submission
from tests.fixtures import TODAY
from tests.web.excel_helpers import (
    draft_of,
    expected_filled,
    new_application,
    rows_by_code,
    saved,
    token_of,
    upload,
)


def both_kinds(data: dict) -> dict:
    """`data` with green-power-trade certificates next to its unbundled ones."""
    electricity = data["electricity"]
    electricity["green_certificates"] = [{"serial": "GEC202300000001", "count": 8000}]
    electricity["green_power_trade_certificates"] = [
        {"serial": "GEC202300100001", "count": 7000}, {"serial": "GEC202300200001", "count": 5000}]
    return data



def test_green_power_trade_certificates_round_trip(
        dbs, engine, people, factory_round, applicant_client):
    application_id = new_application(applicant_client, factory_round)
    application = services.get_visible(dbs, people["applicant"], application_id)
    data = both_kinds(factory_submission(organisation=expected_filled(dbs, people)[
        "organisation"]))
    data.pop("expert_scores")
    services.save_draft(dbs, engine, people["applicant"], application, data, 0, TODAY)
    saved_data = draft_of(dbs, people["applicant"], application_id).data

    template = applicant_client.get(f"/applications/{application_id}/template.xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(template))
    assert [[c.value for c in row] for row in book["绿证"].iter_rows()] == [
        ["绿证起始编号", "张数", "绿证类型"],
        ["GEC202300000001", 8000, "另购绿证"],
        ["GEC202300100001", 7000, "绿电交易绿证"],
        ["GEC202300200001", 5000, "绿电交易绿证"]]
    # out and back in unchanged: nothing lost, nothing to import
    assert "没有需要导入的变化" in upload(applicant_client, application_id, template).get_data(as_text=True)
    parsed = parse_workbook(template, engine, "GZ-F-2024", year=2023,
                            organisation=saved_data["organisation"])
    assert parsed.problems == [] and parsed.data == saved_data

    # a changed count is previewed as a green-power-trade row, then saved
    book["绿证"]["B3"] = 6000
    page = upload(applicant_client, application_id, saved(book)).get_data(as_text=True)
    assert "绿电交易绿证 第 1 条 · 张数" in page and "7,000" in page and "6,000" in page
    applicant_client.post(f"/applications/{application_id}/import/confirm",
                          data={"token": token_of(page)})
    electricity = draft_of(dbs, people["applicant"], application_id).data["electricity"]
    assert electricity["green_power_trade_certificates"] == [
        {"serial": "GEC202300100001", "count": 6000}, {"serial": "GEC202300200001", "count": 5000}]
    assert electricity["green_certificates"] == [{"serial": "GEC202300000001", "count": 8000}]



def test_park_members_green_power_trade_certificates_round_trip(engine):
    criteria = engine.criteria("GZ-P-2024")
    member = both_kinds({"name": "成员甲", "uscc": "",
                         "electricity": {"grid_purchase": {"quantity": 20000.0, "unit": "MWh"}}})
    data = {"subject": "park", "reporting_year": 2023,
            "electricity": {"green_power_trade_certificates": [
                {"serial": "GEC202300900001", "count": 10}]},
            "members": [member]}
    content = build_template(criteria, engine.reference, data, year=2023)
    sheet = openpyxl.load_workbook(io.BytesIO(content))["绿证"]
    assert [c.value for c in sheet[1]] == ["所属企业", "绿证起始编号", "张数", "绿证类型"]
    parsed = parse_workbook(content, engine, "GZ-P-2024", year=2023)
    assert parsed.problems == []
    assert parsed.data["electricity"] == data["electricity"]
    assert parsed.data["members"] == [member]



def test_a_bad_green_power_trade_row_is_named_by_sheet_and_row(engine):
    criteria = engine.criteria("GZ-F-2024")
    book = openpyxl.load_workbook(io.BytesIO(build_template(criteria, engine.reference,
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
    parsed = parse_workbook(saved(book), engine, "GZ-F-2024", year=2023)
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

