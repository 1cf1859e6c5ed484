"""算力设施: the physical green-power share gate (F-G8) does not apply to a computing facility,
written as a second `applies_if` condition in the criteria file."""

import pytest
import yaml

from assessor.engine import DataFileError, Engine
from tests.conftest import CRITERIA

FACTORY = "factory/GZ-F-2024.yaml"


def _submission(facility_type=None):
    case = CRITERIA / "cases" / "f47_computing_facility_below_physical_share.yaml"
    data = yaml.safe_load(case.read_text(encoding="utf-8"))["submission"]
    data["declarations"].pop("facility_type")
    if facility_type is not None:
        data["declarations"]["facility_type"] = facility_type
    return data


def _gate(result, gate_id):
    return next(g for g in result["gates"] if g["id"] == gate_id)


@pytest.mark.parametrize(("facility_type", "status", "level"), [
    ("computing_facility", "not_applicable", "near_zero_carbon"),
    ("industrial", "failed", "not_qualified"),
    (None, "failed", "not_qualified"),  # unanswered: no exemption
])
def test_only_a_computing_facility_is_exempt(engine, facility_type, status, level):
    result = engine.score(_submission(facility_type), "GZ-F-2024")
    assert _gate(result, "F-G8")["status"] == status
    assert result["level"]["id"] == level


def test_the_trace_says_why_the_gate_does_not_apply(engine):
    result = engine.score(_submission("computing_facility"), "GZ-F-2024")
    line = next(t for t in result["trace"] if t["id"] == "F-G8")
    assert "不适用" in line["zh"] and "此处不满足：设施类型 ≠ 算力设施（数据中心）" in line["zh"]
    assert "here not: Facility type != Computing facility (data centre)" in line["en"]
    assert any("算力设施不设物理认定量占比基本要求" in s for s in line["sources"])


def test_the_exemption_is_in_the_criteria_file_with_its_source(engine):
    item = next(i for i in engine.criteria("GZ-F-2024").model.items if i.id == "F-G8")
    exemption = next(c for c in item.applies_conditions if c.indicator == "facility_type")
    assert (exemption.op, exemption.value) == ("!=", "computing_facility")
    assert exemption.source is not None and exemption.source.tag == "S-weak"


def test_an_unknown_option_in_applies_if_is_refused(criteria_copy):
    path = criteria_copy / FACTORY
    text = path.read_text(encoding="utf-8")
    old = "        value: computing_facility\n"
    assert old in text
    path.write_text(text.replace(old, "        value: data_centre\n", 1), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        Engine.load(criteria_copy)
    assert error.value.item == "F-G8" and "facility_type" in str(error.value)
