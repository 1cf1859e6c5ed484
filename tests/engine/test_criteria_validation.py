"""A criteria set with a mistake is refused with the file and the item named."""

import pytest

from assessor.engine import DataFileError, Engine

FACTORY = "factory/GZ-F-2024.yaml"
PARK = "park/GZ-P-2024.yaml"


def _edit(root, name, old, new):
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _error(root) -> DataFileError:
    with pytest.raises(DataFileError) as error:
        Engine.load(root)
    return error.value


def test_shipped_sets_load(engine):
    assert set(engine.sets) == {"GZ-F-2024", "GZ-P-2024", "CN-F-2026", "CN-F-2026-2"}
    for criteria in engine.sets.values():
        assert criteria.model.status == "provisional"
        assert "正式文本" in criteria.model.notice.zh


def test_unknown_indicator(criteria_copy):
    _edit(criteria_copy, FACTORY, "indicator: carbon_per_energy, op: \"<=\", value: 1.8",
          "indicator: carbon_per_energi, op: \"<=\", value: 1.8")
    error = _error(criteria_copy)
    assert error.path.endswith(FACTORY) and error.item == "F-G6"
    assert "carbon_per_energi" in str(error)


def test_unit_mismatch(criteria_copy):
    _edit(criteria_copy, FACTORY, "value: 1.8, unit: tCO2/tce}", "value: 1.8, unit: MWh}")
    error = _error(criteria_copy)
    assert error.item == "F-G6" and "does not match" in str(error)


def test_duplicate_item_id(criteria_copy):
    _edit(criteria_copy, FACTORY, "- id: F-G5", "- id: F-G4")
    assert _error(criteria_copy).item == "F-G4"


def test_points_must_add_up(criteria_copy):
    _edit(criteria_copy, FACTORY, "    points: 20\n", "    points: 25\n")
    error = _error(criteria_copy)
    assert "add up to 105" in str(error) and error.path.endswith(FACTORY)


def test_duplicate_yaml_key(criteria_copy):
    _edit(criteria_copy, FACTORY, "total_points: 100\n", "total_points: 100\ntotal_points: 90\n")
    assert "duplicate key" in str(_error(criteria_copy))


def test_missing_source(criteria_copy):
    _edit(criteria_copy, PARK, "    source: {document: 贵州省绿色园区评价要求 基本要求（3）, tag: V}\n", "")
    error = _error(criteria_copy)
    assert error.item == "P-G3" and "source" in str(error)


def test_derived_cycle_and_units(criteria_copy):
    _edit(criteria_copy, FACTORY, "items:\n", """derived:
  - id: loop_a
    title: {zh: 甲, en: a}
    formula: loop_b * 2
    unit: tce
  - id: loop_b
    title: {zh: 乙, en: b}
    formula: loop_a / 2
    unit: tce
items:
""")
    assert "cycle" in str(_error(criteria_copy))


def test_derived_formula_unit_is_checked(criteria_copy):
    _edit(criteria_copy, FACTORY, "items:\n", """derived:
  - id: mixed
    title: {zh: 混合, en: mixed}
    formula: comprehensive_energy_tce + scope1_tco2
    unit: tce
items:
""")
    error = _error(criteria_copy)
    assert error.item == "mixed" and "cannot add" in str(error)


def test_derived_indicator_is_usable(criteria_copy):
    _edit(criteria_copy, FACTORY, "items:\n", """derived:
  - id: energy_per_mwh
    title: {zh: 每兆瓦时综合能耗, en: energy per MWh}
    formula: comprehensive_energy_tce / electricity_consumption_mwh
    unit: tce/MWh
items:
""")
    engine = Engine.load(criteria_copy)
    assert engine.sets["GZ-F-2024"].symbols["energy_per_mwh"].unit == "tce/MWh"


def test_level_must_name_real_gates(criteria_copy):
    _edit(criteria_copy, PARK, "gates: [P-G1, P-G2, P-G3, P-G5]", "gates: [P-G1, P-G9]")
    error = _error(criteria_copy)
    assert error.item == "cultivation" and "P-G9" in str(error)


def test_evidence_kinds_must_be_listed(criteria_copy):
    _edit(criteria_copy, FACTORY, "evidence: [equipment_list]", "evidence: [equipment_lsit]")
    error = _error(criteria_copy)
    assert error.item == "no_obsolete_equipment" and "equipment_lsit" in str(error)
