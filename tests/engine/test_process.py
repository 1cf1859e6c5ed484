"""Process emissions from activity data: what the worked cases (criteria/cases/s*, d*) do not
show — reference versions without the tables, defaults changed as data, refused units and
figures, and the trace naming each source."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from assessor.engine import DataFileError, Engine, SubmissionError
from assessor.engine.criteria import load_criteria
from assessor.engine.reference import read_folder, reference_from_files

CRITERIA = Path(__file__).resolve().parents[2] / "criteria"

BASE = {
    "subject": "factory", "reporting_year": 2023,
    "electricity": {"grid_purchase": {"quantity": 1000, "unit": "MWh"}},
    "declarations": {"compliance_3y": True},
}


def amount(quantity, unit):
    return {"quantity": quantity, "unit": unit}


def submission(**blocks) -> dict:
    out = copy.deepcopy(BASE)
    out.update(blocks)
    return out


def problems(engine, data) -> dict[str, str]:
    with pytest.raises(SubmissionError) as error:
        engine.score(data, "GZ-F-2024")
    return {p.path: p.zh for p in error.value.problems}


def engine_with(files: dict[str, str]) -> Engine:
    reference = reference_from_files(files, "REF-test")
    criteria = load_criteria(CRITERIA / "factory" / "GZ-F-2024.yaml", reference)
    return Engine(CRITERIA, reference, {"GZ-F-2024": criteria})


CLINKER = [{"line": "1号线", "method": "ets_2024", "clinker_type": "clinker_portland",
            "output": amount(100000, "t")}]


def test_a_reference_version_without_process_tables_says_so(engine):
    files = {k: v for k, v in read_folder(CRITERIA / "reference").items()
             if not k.startswith(("process_", "gwp_"))}
    old = engine_with(files)
    assert old.reference.process is None
    found = problems(old, submission(clinker_lines=CLINKER))
    assert "参考数据版本没有过程排放参数表" in found["process"]
    # a direct entry and a computing facility need no table
    result = old.score(submission(process_emissions=[{"source": "其他", "quantity": 5,
                                                      "unit": "tCO2", "method": "物料衡算"}]),
                       "GZ-F-2024")
    assert result["indicators"]["process_emissions_tco2"]["value"] == 5


def test_half_the_process_tables_is_refused_naming_the_missing_file():
    files = read_folder(CRITERIA / "reference")
    del files["gwp_values.csv"]
    with pytest.raises(DataFileError, match=r"gwp_values\.csv"):
        reference_from_files(files, "REF-test")


def test_a_default_the_calculators_need_cannot_be_removed():
    files = read_folder(CRITERIA / "reference")
    files["process_factors.csv"] = "\n".join(
        line for line in files["process_factors.csv"].splitlines()
        if not line.startswith("cets_2024_aluminium,net_anode,")) + "\n"
    with pytest.raises(DataFileError, match="cets_2024_aluminium net_anode"):
        reference_from_files(files, "REF-test")


def test_a_default_is_data_changing_it_changes_the_result(engine):
    files = read_folder(CRITERIA / "reference")
    files["process_factors.csv"] = files["process_factors.csv"].replace(
        "cets_2024_cement,clinker_portland,硅酸盐水泥熟料,Portland cement clinker,clinker,0.535,",
        "cets_2024_cement,clinker_portland,硅酸盐水泥熟料,Portland cement clinker,clinker,0.5274,")
    edited = engine_with(files)
    data = submission(clinker_lines=CLINKER)
    before = engine.score(data, "GZ-F-2024")["process_emissions"][0]
    after = edited.score(data, "GZ-F-2024")["process_emissions"][0]
    assert before["tco2"] == pytest.approx(53500) and after["tco2"] == pytest.approx(52740)
    assert "0.5274 tCO2/t（缺省值）" in after["steps"]["zh"]


def test_each_source_is_in_the_trace_with_its_method_and_source(engine):
    result = engine.score(submission(clinker_lines=CLINKER), "GZ-F-2024")
    line = next(t for t in result["trace"] if t["id"] == "process.0")
    assert "1号线 熟料生产（硅酸盐水泥熟料） 53,500 tCO2" in line["zh"]
    assert "全国碳市场水泥熟料核算规范（2024）" in line["zh"]
    assert any("C-CLINKER2024" in s for s in line["sources"])
    scope1 = next(t for t in result["trace"] if t["id"] == "scope1_tco2")
    assert "按排放源见下" in scope1["zh"]


@pytest.mark.parametrize(("unit", "why"), [("ton", "含义不明确"), ("°C", "温度"), ("", "未填写单位")])
def test_a_refused_unit_in_a_carbon_balance_is_said_as_everywhere(engine, unit, why):
    flows = [{"process": "炉", "flow": "input", "material": "焦炭", "quantity": amount(10, unit),
              "carbon": amount(85, "%"), "basis": "measured"}]
    if unit == "":
        with pytest.raises(SubmissionError):  # the schema refuses an empty unit
            engine.score(submission(carbon_balance=flows), "GZ-F-2024")
        return
    found = problems(engine, submission(carbon_balance=flows))
    assert why in found["carbon_balance[0].quantity.unit"]


def test_a_gas_in_wan_nm3_takes_its_carbon_per_volume(engine):
    flows = [{"process": "炉", "flow": "input", "material": "焦炭", "quantity": amount(100, "t"),
              "carbon": amount(0.8, "tC/t"), "basis": "measured"},
             {"process": "炉", "flow": "offgas_exported", "material": "尾气",
              "quantity": amount(10, "万Nm3"), "carbon": amount(2, "tC/万Nm3"),
              "basis": "measured"}]
    line = engine.score(submission(carbon_balance=flows), "GZ-F-2024")["process_emissions"][0]
    assert line["tco2"] == pytest.approx((80 - 20) * 44 / 12, rel=1e-5)  # 44/12 as 3.666667
    flows[1]["carbon"] = amount(2, "tC/t")  # a gas in 万Nm3 with a content per tonne
    found = problems(engine, submission(carbon_balance=flows))
    assert "不匹配" in found["carbon_balance[1].carbon.unit"]


def test_a_huge_quantity_after_conversion_is_refused(engine):
    flows = [{"process": "炉", "flow": "input", "material": "尾气",
              "quantity": amount(1e9, "万Nm3"), "carbon": amount(1, "tC/万Nm3"),
              "basis": "measured"}]
    found = problems(engine, submission(carbon_balance=flows))
    assert "数值过大" in found["carbon_balance[0].quantity.quantity"]


def test_feedstock_cannot_exceed_the_fuel_reported(engine):
    flows = [{"process": "炉", "flow": "input", "material": "焦炭", "quantity": amount(900, "t"),
              "carbon": amount(85, "%"), "basis": "measured", "carrier": "coke"}]
    found = problems(engine, submission(energy={"coke": amount(500, "t")}, carbon_balance=flows))
    assert "大于能源消费中填报的量" in found["carbon_balance[0].quantity"]
    flows[0]["carrier"] = "unobtainium"
    found = problems(engine, submission(energy={"coke": amount(500, "t")}, carbon_balance=flows))
    assert "不认识的能源品种" in found["carbon_balance[0].carrier"]


def test_substitutes_need_a_national_carbon_market_line(engine):
    lines = [{"line": "2号线", "method": "oxides_2015", "output": amount(1000, "t"),
              "cao": amount(65, "%"), "mgo": amount(2, "%")}]
    found = problems(engine, submission(clinker_lines=lines, clinker_substitutes=[
        {"material": "carbide_slag", "consumption": amount(10, "t")}]))
    assert "只用于按全国碳市场方法" in found["clinker_substitutes"]


def test_methods_do_not_mix(engine):
    ets = [dict(CLINKER[0], cao=amount(65, "%"))]
    assert "cao" in "".join(problems(engine, submission(clinker_lines=ets)))
    oxides = [{"line": "2号线", "method": "oxides_2015", "output": amount(1000, "t"),
               "factor": {"quantity": 0.5, "unit": "tCO2/t", "basis": "measured"}}]
    found = problems(engine, submission(clinker_lines=oxides))
    assert {"clinker_lines[0].factor", "clinker_lines[0].cao", "clinker_lines[0].mgo"} <= set(found)


def test_an_unknown_material_lists_the_names_to_choose_from(engine):
    found = problems(engine, submission(carbonates=[
        {"material": "chalk", "consumption": amount(10, "t")}]))
    assert "石灰石（CaCO3）" in found["carbonates[0].material"]


def test_an_own_share_above_100_percent_is_refused(engine):
    smelter = [{"guideline": "cets_2024_aluminium", "output": amount(1000, "t"),
                "anode_sulphur": {"quantity": 2, "unit": "fraction", "basis": "measured"}}]
    found = problems(engine, submission(aluminium=smelter))
    assert "0–100 %" in found["aluminium[0].anode_sulphur.quantity"]


def test_a_park_member_names_its_sources(engine):
    park = {"subject": "park", "reporting_year": 2023,
            "electricity": {"grid_purchase": amount(100, "MWh")},
            "members": [{"name": "成员甲", "electricity": {"grid_purchase": amount(100, "MWh")},
                         "carbonates": [{"material": "limestone",
                                         "consumption": amount(100, "t")}]}]}
    result = engine.score(park, "GZ-P-2024")
    assert result["process_emissions"][0]["unit"] == "成员甲"
    assert result["process_emissions"][0]["tco2"] == pytest.approx(44)


def test_a_failing_process_expectation_is_said_in_words():
    from assessor.criteria.case_words import failure_words

    zh, en = failure_words("process source '1号线 熟料生产（硅酸盐水泥熟料）': expected 53000 tCO2, "
                           "got 53500.0", None)
    assert zh == "过程排放源“1号线 熟料生产（硅酸盐水泥熟料）”：人工计算 53000 tCO2，系统计算 53500.0 tCO2"
    assert "53000 tCO2 by hand, 53500.0 computed" in en
    zh, _ = failure_words("process source '电极': method should say '实测值', it says '钢铁'", None)
    assert "计算方法应为“实测值”" in zh
