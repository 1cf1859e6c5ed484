"""Numbers and verdicts in words (engine/verdicts.py): what the result pages print."""

import pytest

from assessor.engine.verdicts import gate_words, remedies, say
from tests.conftest import factory_submission


@pytest.mark.parametrize("value, unit, shown", [
    (4.10571, "tCO2/tce", "4.106 tCO2/tce"), (1.8, "tCO2/tce", "1.8 tCO2/tce"),
    (0.3, "fraction", "30 %"), (0.30000000000000004, "fraction", "30 %"),
    (1234.5678, "MWh", "1,235 MWh"), (598000.0, "MWh", "598,000 MWh"), (0, "tCO2", "0 tCO2"),
    (2.0, "dimensionless", "2"), (5.0, None, "5"), (-400.0, "tCO2", "−400 tCO2"),
    (None, "MWh", "—"), (float("nan"), "MWh", "—"), (True, None, "—"),
])
def test_numbers_are_rounded_separated_and_in_human_units(value, unit, shown):
    assert say(value, unit) == shown


def test_gates_read_as_sentences(engine):
    data = factory_submission()
    data["energy"] = {"bituminous_coal": {"quantity": 40000, "unit": "t"}}
    data["declarations"] = dict(data["declarations"], compliance_3y=False)
    result = engine.score(data, "GZ-F-2024", this_year=2025)
    criteria = engine.criteria("GZ-F-2024")
    said = {g["id"]: gate_words(g, criteria, result["indicators"]) for g in result["gates"]}
    assert said["F-G1"]["zh"].startswith("未声明近三年") and said["F-G1"]["zh"].endswith("→ 未通过")
    assert said["F-G1"]["en"].startswith("Not declared: ")
    assert said["F-G4"]["zh"] == "已声明未使用国家明令淘汰的落后设备和工艺 → 通过"
    assert said["F-G2"]["zh"] == ("绿色工厂称号：国家级绿色工厂，要求为国家级绿色工厂或省级绿色（低碳）工厂"
                                  " → 通过")
    assert "要求不高于 1.8 tCO2/tce → 未通过" in said["F-G6"]["zh"]
    assert said["F-G7"]["zh"].endswith("要求不低于 30 % → 通过") or "未通过" in said["F-G7"]["zh"]
    assert all("==" not in s["zh"] and "None" not in s["zh"] and "fraction" not in s["en"]
               for s in said.values())
    # the trace says the same, with its source
    trace = {line["id"]: line for line in result["trace"]}
    assert said["F-G6"]["zh"] in trace["F-G6"]["zh"]
    blocking = next(b for b in result["gap"][0]["blocking"] if b["id"] == "net_emissions_tco2")
    ways = [w["zh"] for w in remedies(blocking, result["gap"][0]["residual_grid_mwh"])]
    assert ways[0].startswith("再购买约 ") and ways[-1].startswith("或取得约 ")
