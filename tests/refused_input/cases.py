"""Input refused with a clear message in every entry path. The form, the Excel import, the API
and the command line share the engine's schema: a unit with an offset or of the wrong kind, an
ambiguous ton, a number that is not finite or above the ceiling, a data year after this year or
before the first grid factor, a key given twice, true for a number, 1 for a declaration and a
decimal comma are each refused in the user's language, and nothing is saved or changed."""

from __future__ import annotations

import copy
import html
import json
from dataclasses import dataclass, field
from datetime import date

from assessor.rounds.models import Round
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
         zh="应为数字（不能是文字或 true/false）", en="valid number", form_zh="千位分隔符位置不对",
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


def round_for(dbs, engine, people, factory_round, case: Case) -> Round:
    """The round whose data year the form and the Excel import use: for the year cases, one
    stored with that year (open_round itself refuses it: test_form_and_excel.py)."""
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
