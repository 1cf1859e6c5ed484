"""Bad input is refused with every problem listed, in Chinese and English; nothing is guessed."""

import json

import pytest

from assessor.engine import SubmissionError
from tests.conftest import factory_submission


def problems(engine, data, criteria="GZ-F-2024"):
    with pytest.raises(SubmissionError) as error:
        engine.score(data, criteria)
    return {p.path: p for p in error.value.problems}


def test_a_valid_submission_scores(engine):
    result = engine.score(factory_submission(), "GZ-F-2024")
    assert result["level"]["id"] == "zero_carbon"
    json.dumps(result, ensure_ascii=False)  # plain data all the way down


def test_every_problem_is_reported_at_once(engine):
    data = factory_submission(reporting_year="二〇二三", colour="green")
    data["energy"] = {"natural_gas": {"quantity": -5, "unit": "万Nm3"},
                      "moonshine": {"quantity": 1, "unit": "t"}}
    found = problems(engine, data)
    assert {"reporting_year", "colour", "energy.natural_gas.quantity"} <= set(found)
    assert found["colour"].zh == "不认识的字段（请检查拼写）"
    assert found["energy.natural_gas.quantity"].zh == "不能小于 0"


def test_units_of_the_wrong_kind(engine):
    data = factory_submission()
    data["energy"] = {"natural_gas": {"quantity": 5, "unit": "t"},
                      "coke": {"quantity": 5, "unit": "furlongs"}}
    data["electricity"]["grid_purchase"] = {"quantity": 1, "unit": "kgce"}
    found = problems(engine, data)
    assert "体积单位" in found["energy.natural_gas.unit"].zh
    assert {"energy.coke.unit", "electricity.grid_purchase.unit"} <= set(found)


def test_unknown_carrier_and_impossible_green_power(engine):
    data = factory_submission()
    data["energy"] = {"moonshine": {"quantity": 1, "unit": "t"}}
    data["electricity"]["green_power_trading"] = {"quantity": 30000, "unit": "MWh"}
    found = problems(engine, data)
    assert "不认识的能源品种" in found["energy.moonshine"].zh
    assert "不能大于电网购电" in found["electricity.green_power_trading"].zh


@pytest.mark.parametrize(("change", "path"), [
    ({"declarations": {"compliance_3y": "yes"}}, "declarations.compliance_3y"),
    ({"declarations": {"green_factory_title": "gold"}}, "declarations.green_factory_title"),
    ({"declarations": {"invented": True}}, "declarations.invented"),
    ({"reported": {"meter_auto_collection_rate": {"quantity": 140, "unit": "%"}}},
     "reported.meter_auto_collection_rate.quantity"),
    ({"expert_scores": {"F-E1": 11}}, "expert_scores.F-E1"),
    ({"expert_scores": {"F-S1": 5}}, "expert_scores.F-S1"),
    ({"subject": "park"}, "subject"),
    ({"reporting_year": 2019}, "reporting_year"),
    ({"members": [{"name": "某企业"}]}, "members"),
    ({"production": [{"benchmark": "gold_bars", "output": {"quantity": 1, "unit": "t"},
                      "energy": {"quantity": 1, "unit": "kgce"}}]}, "production[0].benchmark"),
])
def test_inputs_checked_against_the_set(engine, change, path):
    assert path in problems(engine, factory_submission(**change))


def test_nothing_reported(engine):
    data = factory_submission(energy={}, electricity={})
    assert "未填报任何能源" in problems(engine, data)["energy"].zh


def test_infinite_and_nan_are_refused(engine):
    data = factory_submission()
    data["electricity"]["grid_purchase"]["quantity"] = float("inf")
    assert "electricity.grid_purchase.quantity" in problems(engine, data)
