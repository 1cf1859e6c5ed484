"""Input refused with a clear message in every entry path. The form, the Excel import, the API
and the command line share the engine's schema: a unit with an offset or of the wrong kind, an
ambiguous ton, a number that is not finite or above the ceiling, a data year after this year or
before the first grid factor, a key given twice, true for a number, 1 for a declaration and a
decimal comma are each refused in the user's language, and nothing is saved or changed."""

from __future__ import annotations

import copy
import html
import io
import json
from dataclasses import dataclass, field
from datetime import date

import openpyxl
import pytest

from assessor.applications import services as applications
from assessor.applications.excel import build_template
from assessor.engine import SubmissionError
from assessor.engine.prepare import current_year
from assessor.engine.units import UnitError, factor, parse_unit
from assessor.rounds import services as rounds
from assessor.rounds.models import Round
from tests.api.helpers import Api, token_for
from tests.conftest import factory_submission
from tests.fixtures import TODAY

BASE = {"energy": {"natural_gas": {"quantity": 10, "unit": "万Nm3"}},
        "electricity": {"grid_purchase": {"quantity": 20000, "unit": "MWh"}}}
BASE_FORM = {"energy-natural_gas-quantity": "10", "energy-natural_gas-unit": "万Nm3",
             "electricity-grid_purchase-quantity": "20000",
             "electricity-grid_purchase-unit": "MWh"}
RAW = "@@raw@@"  # a JSON value put in as text (NaN, 1e400, a repeated key)


@dataclass
class Case:
    """One refusal as each path receives it, and what the user is told (zh, en)."""

    id: str
    json: dict  # changes to the submission: {"energy.natural_gas.unit": "°C"}
    raw: str | None = None  # the text that replaces RAW in the JSON
    form: dict = field(default_factory=dict)  # changed form fields
    excel: dict = field(default_factory=dict)  # (sheet, row code, column) -> cell value
    year: int | None = None  # data year offset from this year (the form and Excel: the round's)
    zh: str = ""
    en: str = ""
    form_zh: str | None = None  # where the form or Excel words it its own way
    excel_zh: str | None = None


CASES = [
    Case("offset_unit", {"energy.natural_gas.unit": "°C"},
         form={"energy-natural_gas-unit": "°C"},
         excel={("能源消费", "natural_gas", 4): "°C"},
         zh="单位“°C”是带零点偏移的温度单位", en="temperature scale with an offset"),
    Case("offset_unit_degF", {"electricity.grid_purchase.unit": "degF"},
         form={"electricity-grid_purchase-unit": "degF"},
         excel={("电力", "grid_purchase", 4): "degF"},
         zh="单位“degF”是带零点偏移的温度单位", en="temperature scale with an offset"),
    Case("wrong_dimension", {"electricity.grid_purchase.unit": "t"},
         form={"electricity-grid_purchase-unit": "t"},
         excel={("电力", "grid_purchase", 4): "t"},
         zh="单位“t”不能用于电网购电", en="cannot be used for",
         excel_zh="单位“t”不可用，请从下拉列表选择：MWh、kWh、万kWh"),
    Case("ton", {"energy.anthracite": {"quantity": 5, "unit": "ton"}},
         form={"energy-anthracite-quantity": "5", "energy-anthracite-unit": "ton"},
         excel={("能源消费", "anthracite", 3): 5, ("能源消费", "anthracite", 4): "ton"},
         zh="单位“ton”含义不明确（可能是美吨 907 kg 或英吨 1016 kg），请使用 t（吨）",
         en="use t (吨"),
    Case("long_ton", {"energy.anthracite": {"quantity": 5, "unit": "long_ton"}},
         form={"energy-anthracite-quantity": "5", "energy-anthracite-unit": "long_ton"},
         excel={("能源消费", "anthracite", 3): 5, ("能源消费", "anthracite", 4): "long_ton"},
         zh="请使用 t（吨）", en="use t (吨"),
    Case("nan", {"energy.natural_gas.quantity": RAW}, raw="NaN",
         form={"energy-natural_gas-quantity": "nan"},
         excel={("能源消费", "natural_gas", 3): "nan"},
         zh="应为有限的数字", en="finite number", excel_zh="“数量”应为有限的数字"),
    Case("infinity", {"energy.natural_gas.quantity": RAW}, raw="-Infinity",
         form={"energy-natural_gas-quantity": "inf"},
         excel={("能源消费", "natural_gas", 3): "inf"},
         zh="应为有限的数字", en="finite number", excel_zh="“数量”应为有限的数字"),
    Case("overflow_1e400", {"energy.natural_gas.quantity": RAW}, raw="1e400",
         form={"energy-natural_gas-quantity": "1e400"},
         excel={("能源消费", "natural_gas", 3): "1e400"},
         zh="应为有限的数字", en="finite number", excel_zh="“数量”应为有限的数字"),
    Case("above_ceiling", {"electricity.grid_purchase.quantity": 2e12},
         form={"electricity-grid_purchase-quantity": "2e12"},
         excel={("电力", "grid_purchase", 3): 2e12},
         zh="数值过大（上限为 10¹²）", en="too large (the ceiling is 10^12)",
         excel_zh="“数量”数值过大（2e+12，超过 10¹²）"),
    Case("above_ceiling_digits", {"electricity.grid_purchase.quantity": RAW}, raw="1" + "0" * 40,
         form={"electricity-grid_purchase-quantity": "1" + "0" * 40},
         excel={("电力", "grid_purchase", 3): "1" + "0" * 40},
         zh="数值过大（上限为 10¹²）", en="too large (the ceiling is 10^12)",
         excel_zh="“数量”数值过大（1e+40，超过 10¹²）"),
    Case("above_ceiling_after_conversion", {"energy.natural_gas.quantity": 5e11},
         form={"energy-natural_gas-quantity": "5e11"},
         excel={("能源消费", "natural_gas", 3): 5e11},
         zh="数值过大（上限为 10¹²），请检查单位或小数点位置（换算为 m3 后为 5e+15）",
         en="it is 5e+15 m3"),
    Case("future_year", {"reporting_year": None}, year=1,
         zh="晚于当前年份", en="after the current year"),
    Case("before_first_factor", {"reporting_year": 2020}, year=0,
         zh="2020 年早于已发布的电力排放因子（“guizhou”最早为 2021 年）",
         en="no 'guizhou' electricity factor is published for 2020"),
    Case("duplicate_key", {"energy.natural_gas": RAW},
         raw='{"quantity": 10, "unit": "万Nm3", "quantity": 100000}',
         form={"energy-natural_gas-quantity": ["10", "100000"]},
         excel={("能源消费", "natural_gas+", 3): 100000},
         zh="键“quantity”在同一个对象中出现了不止一次", en="appears more than once",
         form_zh="表单字段提交了不止一次（energy-natural_gas-quantity）",
         excel_zh="“天然气”重复（与第"),
    Case("true_as_number", {"energy.natural_gas.quantity": True},
         form={"energy-natural_gas-quantity": "true"},
         excel={("能源消费", "natural_gas", 3): True},
         zh="应为数字（不能是文字或 true/false）", en="valid number",
         form_zh="请填写数字", excel_zh="“数量”应为数字，不要带单位或文字（填写的是“True”）"),
    Case("decimal_comma", {"energy.natural_gas.quantity": "1,5"},  # 1.5? 15? never guessed
         form={"energy-natural_gas-quantity": "1,5"},
         excel={("能源消费", "natural_gas", 3): "1,5"},
         zh="应为数字（不能是文字或 true/false）", en="valid number", form_zh="请填写数字",
         excel_zh="“数量”中的逗号或空格位置不对（填写的是“1,5”）：千位分隔符应每三位一个"),
    Case("one_as_declaration", {"declarations.compliance_3y": 1},
         form={"declarations-compliance_3y": "1"},
         excel={("声明", "compliance_3y", 3): 1},
         zh="应为是或否（true/false）或所列选项之一，不能用数字", en="a number is neither",
         form_zh="不是有效的选择", excel_zh="回答“1”不可用，应为：是、否"),
]
IDS = [c.id for c in CASES]
YEAR_CASES = {"future_year", "before_first_factor"}


def submission_text(case: Case, this_year: int) -> str:
    data = factory_submission(**copy.deepcopy(BASE))
    data.pop("offsets"), data.pop("expert_scores")
    for path, value in case.json.items():
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = this_year + case.year if value is None else value
    return json.dumps(data, ensure_ascii=False).replace(f'"{RAW}"', case.raw or "")


def seen(text: str) -> str:
    return html.unescape(text)


# -- the engine: one place decides ---------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_engine_refuses_each(engine, case):
    from assessor.engine.jsontext import load_json

    this_year = 2025
    with pytest.raises(SubmissionError) as raised:
        engine.score(load_json(submission_text(case, this_year)), "GZ-F-2024",
                     this_year=this_year)
    problems = raised.value.problems
    assert any(case.zh in p.zh and case.en in p.en for p in problems), problems
    assert all(p.refused for p in problems)  # input that cannot be stored, not a draft's gap


def test_the_base_submission_is_accepted(engine):
    """The cases change one thing each: without it, every path accepts the submission."""
    data = json.loads(submission_text(Case("none", {}), 2025))
    assert engine.score(data, "GZ-F-2024", this_year=2025)["level"]


@pytest.mark.parametrize(("text", "kind"), [
    ("°C", "offset"), ("℃", "offset"), ("degF", "offset"), ("kWh/degC", "offset"),
    ("ton", "ambiguous"), ("tons", "ambiguous"), ("short_ton", "ambiguous"),
    ("long_ton", "ambiguous"), ("UK_ton", "ambiguous"), ("kiloton", "ambiguous"),
    ("cwt", "ambiguous"), ("kt", "ambiguous"),
    ("9**9**9", "unknown"), ("(((9**99)**99)**99)**99", "unknown"), ("t(", "unknown"),
])
def test_units_refused_with_their_reason(text, kind):
    with pytest.raises(UnitError) as raised:
        parse_unit(text)
    assert raised.value.kind == kind and raised.value.zh and raised.value.en
    assert factor("t", "kg") == 1000 and factor("万t", "t") == 10_000  # tonnes stay tonnes


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


# -- the command line -------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_command_line_refuses_each(runner, tmp_path, case):
    path = tmp_path / "submission.json"
    path.write_text(submission_text(case, current_year()), encoding="utf-8")
    zh = runner.invoke(args=["score", str(path), "--criteria", "GZ-F-2024"])
    assert zh.exit_code == 2 and case.zh in zh.output, zh.output
    assert "Traceback" not in zh.output and "等级" not in zh.output  # not scored
    en = runner.invoke(args=["score", str(path), "--criteria", "GZ-F-2024", "--lang", "en"])
    assert en.exit_code == 2 and case.en in en.output, en.output
    assert case.zh not in en.output  # the language chosen


def test_the_command_line_scores_the_base(runner, tmp_path):
    path = tmp_path / "submission.json"
    path.write_text(submission_text(Case("none", {}), current_year()), encoding="utf-8")
    result = runner.invoke(args=["score", str(path), "--criteria", "GZ-F-2024"])
    assert result.exit_code == 0 and "等级" in result.output, result.output


# -- the web form -----------------------------------------------------------------------------

def round_for(dbs, engine, people, factory_round, case: Case) -> Round:
    """The round whose data year the form and the Excel import use: for the year cases, one
    stored with that year (open_round itself refuses it, see below)."""
    if case.id not in YEAR_CASES:
        return factory_round
    year = TODAY.year + case.year if case.json["reporting_year"] is None \
        else case.json["reporting_year"]
    stored = Round(title=f"{year}年数据", subject="factory", year=year, criteria_id="GZ-F-2024",
                   opens_on=date(2025, 2, 1), closes_on=date(2025, 4, 30), publicity_days=5,
                   created_by=people["province_officer"].id)
    dbs.add(stored)
    dbs.commit()
    return stored


def post_form(client, application_id: int, case: Case):
    fields = {**BASE_FORM, "lock_version": "0", **case.form}
    pairs = [(k, v) for k, values in fields.items()
             for v in (values if isinstance(values, list) else [values])]
    from werkzeug.datastructures import MultiDict

    return client.post(f"/applications/{application_id}/edit", data=MultiDict(pairs))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_form_refuses_each_and_saves_nothing(dbs, engine, people, factory_round, case,
                                                 applicant_client):
    round_ = round_for(dbs, engine, people, factory_round, case)
    application = applications.create(dbs, people["applicant"], round_, TODAY)
    before = applications.current_revision(dbs, application)
    data = dict(before.data)
    response = post_form(applicant_client, application.id, case)
    assert response.status_code == 200  # the form again, with the message
    page = seen(response.get_data(as_text=True))
    assert (case.form_zh or case.zh) in page
    assert "不能为负数" not in page  # nan is not called negative, nor "true"
    dbs.expire_all()
    after = applications.current_revision(dbs, application)
    assert (after.data, after.lock_version) == (data, 0)


def test_the_form_saves_the_base(dbs, people, factory_round, applicant_client):
    application = applications.create(dbs, people["applicant"], factory_round, TODAY)
    response = post_form(applicant_client, application.id,
                         Case("none", {}))
    assert response.status_code == 302
    dbs.expire_all()
    assert applications.current_revision(dbs, application).lock_version == 1


@pytest.mark.parametrize("case", [c for c in CASES if c.id in
                                  ("offset_unit", "ton", "nan", "above_ceiling_after_conversion",
                                   "future_year", "duplicate_key")], ids=lambda c: c.id)
def test_the_form_says_it_in_english_when_the_user_chose_english(
        dbs, engine, people, factory_round, case, applicant_client):
    round_ = round_for(dbs, engine, people, factory_round, case)
    application = applications.create(dbs, people["applicant"], round_, TODAY)
    applicant_client.post("/language", data={"locale": "en", "next": "/"})
    page = seen(post_form(applicant_client, application.id, case).get_data(as_text=True))
    assert "nothing was saved" in page
    if case.id != "duplicate_key":
        assert case.en in page
    assert case.zh not in page


def test_a_round_cannot_be_opened_for_a_year_the_engine_refuses(dbs, engine, people):
    for year, message in ((2026, "数据年度不能晚于申报开始的年份（2025 年）"),
                          (2020, "数据年度 2020 早于已发布电力排放因子的最早年份（2021 年）")):
        with pytest.raises(rounds.RoundError) as raised:
            rounds.open_round(dbs, engine, people["province_officer"], title="x",
                              subject="factory", year=year, criteria_id="GZ-F-2024",
                              opens_on=date(2025, 2, 1), closes_on=date(2025, 4, 30),
                              publicity_days=5)
        assert raised.value.zh == message and raised.value.field == "year"


# -- the Excel import -------------------------------------------------------------------------

def workbook_for(engine, case: Case) -> bytes:
    criteria = engine.criteria("GZ-F-2024")
    book = openpyxl.load_workbook(io.BytesIO(build_template(criteria, engine.reference,
                                                            year=2023)))
    cells = {("能源消费", "natural_gas", 3): 10, ("能源消费", "natural_gas", 4): "万Nm3",
             ("电力", "grid_purchase", 3): 20000, ("电力", "grid_purchase", 4): "MWh",
             **case.excel}
    for (sheet_name, code, column), value in cells.items():
        sheet = book[sheet_name]
        if code.endswith("+"):  # the same item again, on a row of its own
            sheet.append([code[:-1], None, None, "万Nm3"])
            row = sheet.max_row
        else:
            row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == code)
        sheet.cell(row, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, application_id: int, content: bytes):
    return client.post(f"/applications/{application_id}/import",
                       data={"file": (io.BytesIO(content), "自评价.xlsx")},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_excel_import_refuses_each_and_changes_nothing(
        dbs, engine, people, factory_round, case, applicant_client):
    round_ = round_for(dbs, engine, people, factory_round, case)
    application = applications.create(dbs, people["applicant"], round_, TODAY)
    before = applications.current_revision(dbs, application)
    data = dict(before.data)
    response = upload(applicant_client, application.id,
                      workbook_for(engine, case))
    page = seen(response.get_data(as_text=True))
    assert response.status_code == 422, page[:500]
    assert (case.excel_zh or case.zh) in page and "草稿没有任何改动" in page
    dbs.expire_all()
    after = applications.current_revision(dbs, application)
    assert (after.data, after.lock_version) == (data, 0)


def test_the_excel_import_accepts_the_base(dbs, engine, people, factory_round, applicant_client):
    application = applications.create(dbs, people["applicant"], factory_round, TODAY)
    response = upload(applicant_client, application.id,
                      workbook_for(engine, Case("none", {})))
    assert response.status_code == 200 and 'name="token"' in response.get_data(as_text=True)


@pytest.mark.parametrize("case", [c for c in CASES if c.id in
                                  ("ton", "offset_unit", "above_ceiling_after_conversion",
                                   "future_year")], ids=lambda c: c.id)
def test_the_excel_import_says_it_in_english_when_the_user_chose_english(
        dbs, engine, people, factory_round, case, applicant_client):
    round_ = round_for(dbs, engine, people, factory_round, case)
    application = applications.create(dbs, people["applicant"], round_, TODAY)
    applicant_client.post("/language", data={"locale": "en", "next": "/"})
    page = seen(upload(applicant_client, application.id, workbook_for(engine, case)
                       ).get_data(as_text=True))
    assert case.en in page and case.zh not in page


def test_the_criteria_command_refuses_a_key_given_twice_in_a_worked_case(
        app, criteria_copy, runner):
    (criteria_copy / "cases" / "twice.yaml").write_text(
        "name: twice\ncriteria: GZ-F-2024\nsubmission:\n  subject: factory\n"
        "  reporting_year: 2023\n  reporting_year: 2019\nexpect: {}\n", encoding="utf-8")
    app.config["CRITERIA_ROOT"] = str(criteria_copy)
    result = runner.invoke(args=["criteria", "test"])
    assert result.exit_code == 1 and "duplicate key 'reporting_year'" in result.output
    assert "Traceback" not in result.output


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
