"""Two versions compared item by item (engine/version_diff.py): what a policy officer reads
before approving a new version of the criteria or the reference data."""

import copy
from pathlib import Path

import pytest
import yaml

from assessor.engine.criteria_model import CriteriaModel
from assessor.engine.reference_diff import compare_reference
from assessor.engine.version_diff import compare_criteria

CRITERIA = Path(__file__).resolve().parents[2] / "criteria"


@pytest.fixture(scope="module")
def factory_raw() -> dict:
    return yaml.safe_load((CRITERIA / "factory" / "GZ-F-2024.yaml").read_text(encoding="utf-8"))


def model(raw: dict) -> CriteriaModel:
    return CriteriaModel.model_validate(raw)


def edited(raw: dict, edit) -> CriteriaModel:
    """The set with `edit` applied to a copy of its raw YAML data."""
    copied = copy.deepcopy(raw)
    edit(copied)
    return CriteriaModel.model_validate(copied)


def item(raw: dict, item_id: str) -> dict:
    return next(i for i in raw["items"] if i["id"] == item_id)


def entry(diff, section: str, key: str):
    return next(e for e in diff.section(section).entries if e.key == key)


def sentences(found) -> list[str]:
    return [c.sentence.zh for c in found.changes]


def test_identical_versions_give_no_entries_but_count_everything(factory_raw):
    diff = compare_criteria(model(factory_raw), model(factory_raw))
    assert diff.empty and diff.entries == [] and diff.changed_sections == []
    counts = diff.counts
    assert counts["added"] == counts["removed"] == counts["changed"] == 0
    assert counts["unchanged"] >= len(factory_raw["items"]) + len(factory_raw["levels"])


def test_a_changed_threshold_reads_as_before_and_after(factory_raw):
    new = edited(factory_raw, lambda r: item(r, "F-G6")["rule"].update(value=1.5))
    diff = compare_criteria(model(factory_raw), new)
    found = entry(diff, "items", "F-G6")
    assert found.change == "changed"
    assert sentences(found) == ["门槛 单位能耗碳排放 ≤ 1.8 tCO2/tce → ≤ 1.5 tCO2/tce"]
    assert found.changes[0].sentence.en == ("Threshold CO2 per unit of energy ≤ 1.8 tCO2/tce → "
                                            "≤ 1.5 tCO2/tce")
    assert found.title.zh == "单位能耗碳排放不高于基本要求"
    assert diff.counts["changed"] == 1 and len(diff.entries) == 1  # the others stay out


def test_points_and_tag_changes_are_each_an_aspect(factory_raw):
    def edit(raw):
        item(raw, "F-S1")["points"] = 22
        item(raw, "F-S1")["source"]["tag"] = "V"
        item(raw, "F-S2")["points"] = 13
    diff = compare_criteria(model(factory_raw), edited(factory_raw, edit))
    assert sentences(entry(diff, "items", "F-S1")) == [
        "分值 20 分 → 22 分", "依据可靠性标记 S-weak（单一弱来源） → V（已核实）"]
    en = [c.sentence.en for c in entry(diff, "items", "F-S2").changes]
    assert en == ["Points 15 points → 13 points"]
    said = " ".join(c.sentence.zh + c.sentence.en for e in diff.entries for c in e.changes)
    assert "20.0" not in said and "None" not in said and "S-weak'" not in said


def test_changed_bands_and_applies_if_name_the_indicator_once(factory_raw):
    def edit(raw):
        item(raw, "F-S3")["scoring"]["bands"][1]["points"] = 2
        item(raw, "F-G8")["applies_if"][0]["value"] = 3000
    diff = compare_criteria(model(factory_raw), edited(factory_raw, edit))
    bands = entry(diff, "items", "F-S3").changes[0]
    assert bands.aspect.zh == "计分"
    assert "≥ 20 % 得 3 分" in bands.before.zh and "≥ 20 % 得 2 分" in bands.after.zh
    applies = entry(diff, "items", "F-G8").changes[0]
    assert applies.aspect.zh == "适用条件"
    assert applies.before.zh.startswith("用电量 > 5,000 MWh，且设施类型 ≠ 算力设施（数据中心）")
    assert applies.sentence.zh.endswith("→ > 3,000 MWh，且设施类型 ≠ 算力设施（数据中心）")


def test_an_added_and_a_removed_item(factory_raw):
    def edit(raw):
        raw["items"] = [i for i in raw["items"] if i["id"] != "F-E5"]
        raw["items"].append({
            "id": "F-G10", "kind": "gate", "title": {"zh": "清洁能源消费占比达标", "en": "Clean energy"},
            "source": {"document": "黔工信节能〔2027〕1号", "clause": "二（3）", "tag": "V"},
            "rule": {"indicator": "clean_energy_share", "op": ">=", "value": 50, "unit": "%"}})
    diff = compare_criteria(model(factory_raw), edited(factory_raw, edit))
    added, removed = entry(diff, "items", "F-G10"), entry(diff, "items", "F-E5")
    assert (added.change, removed.change) == ("added", "removed")
    assert added.change_words.zh == "新增" and removed.change_words.en == "Removed"
    said = {c.aspect.zh: (c.before.zh, c.after.zh) for c in added.changes}
    assert said["门槛"] == ("—", "清洁能源消费占比 ≥ 50 %")
    assert said["依据条款"] == ("—", "二（3）")
    gone = {c.aspect.zh: (c.before.zh, c.after.zh) for c in removed.changes}
    assert gone["分值"] == ("5 分", "—")
    assert gone["评分锚点"][0].startswith("0 分：未披露；3 分：发布ESG")
    assert diff.counts["added"] == 1 and diff.counts["removed"] == 1


def test_header_levels_and_evidence_kinds(factory_raw):
    def edit(raw):
        raw["version"] = "2025.1"
        raw["status"] = "official"
        raw["levels"][0]["min_total"] = 85
        raw["evidence_kinds"]["site_photos"] = {"zh": "现场照片", "en": "Site photos"}
    diff = compare_criteria(model(factory_raw), edited(factory_raw, edit))
    assert sentences(diff.section("header").entries[0]) == ["版本号 2024.1 → 2025.1",
                                                            "状态 暂行 → 正式"]
    assert sentences(entry(diff, "levels", "zero_carbon")) == ["最低总分 80 分 → 85 分"]
    kind = entry(diff, "evidence_kinds", "site_photos")
    assert kind.change == "added" and kind.changes[0].after.zh == "现场照片"


def test_a_banded_threshold_says_its_bands():
    raw = yaml.safe_load((CRITERIA / "park" / "GZ-P-2024.yaml").read_text(encoding="utf-8"))

    def edit(r):
        item(r, "P-G4")["rule"]["thresholds"]["bands"][1]["value"] = 0.25
    diff = compare_criteria(model(raw), edited(raw, edit))
    change = entry(diff, "items", "P-G4").changes[0]
    assert change.before.zh == ("单位能耗碳排放 ≤ 0.2 tCO2/tce（综合能耗低于 1,000,000 tce 时）；"
                                "≤ 0.3 tCO2/tce（其余）")
    assert change.after.zh.endswith("≤ 0.25 tCO2/tce（其余）")


# -- reference data ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def reference_files() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in (CRITERIA / "reference").iterdir()}


FACTORS = "electricity_emission_factors.csv"
NEW_YEAR = ("guizhou,贵州省电力平均二氧化碳排放因子,Guizhou provincial average electricity CO2 "
            "emission factor,2024,0.5012,tCO2/MWh,公告2026年第1号,2026-12-01,生态环境部,V,\n"
            "national_average,全国电力平均二氧化碳排放因子,National average,2024,0.5200,"
            "tCO2/MWh,公告2026年第1号,2026-12-01,生态环境部,V,\n")


def test_identical_reference_data_gives_no_entries(reference_files):
    diff = compare_reference(reference_files, dict(reference_files))
    assert diff.empty and diff.counts["unchanged"] > 200


def test_a_new_years_factors_and_a_changed_value(reference_files):
    new = dict(reference_files)
    new[FACTORS] = reference_files[FACTORS].replace(",2023,0.5683,", ",2023,0.5690,") + NEW_YEAR
    diff = compare_reference(reference_files, new)
    table = diff.section(FACTORS)
    assert table.title.zh == "电力二氧化碳排放因子" and table.change == "changed"
    assert table.counts == {"added": 2, "removed": 0, "changed": 1, "unchanged": 14}
    changed = next(e for e in table.entries if e.change == "changed")
    assert changed.key == "guizhou 2023"
    assert changed.title.zh == "贵州省电力平均二氧化碳排放因子（guizhou 2023）"
    assert [c.sentence.zh for c in changed.changes] == ["数值 0.5683 tCO2/MWh → 0.5690 tCO2/MWh"]
    added = {e.key: e for e in table.entries if e.change == "added"}
    assert set(added) == {"guizhou 2024", "national_average 2024"}
    assert "数值：0.5012 tCO2/MWh" in added["guizhou 2024"].changes[0].after.zh
    assert [s.key for s in diff.changed_sections] == [FACTORS]  # other tables unchanged


def test_reformatted_numbers_are_no_change_and_files_come_and_go(reference_files):
    new = dict(reference_files)
    new["other_emission_factors.csv"] = reference_files["other_emission_factors.csv"].replace(
        "purchased_heat,外购热力,Purchased heat,0.11,", "purchased_heat,外购热力,Purchased heat,0.1100,")
    del new["benchmark_industries.csv"]
    new["water_factors.csv"] = "id,value,unit\ntap_water,0.168,kgCO2/t\n"
    diff = compare_reference(reference_files, new)
    assert diff.section("other_emission_factors.csv").entries == ()
    gone = diff.section("benchmark_industries.csv")
    assert gone.change == "removed" and gone.counts["removed"] == 79
    came = diff.section("water_factors.csv")
    assert came.change == "added" and came.entries[0].key == "tap_water"
    assert came.entries[0].changes[0].after.zh == "编号：tap_water；数值：0.168 kgCO2/t"


def test_a_carrier_row_changes_by_column(reference_files):
    new = dict(reference_files)
    new["carriers.csv"] = reference_files["carriers.csv"].replace(
        "natural_gas,天然气,Natural gas,natural_gas_gas_field,", "natural_gas,天然气,Natural gas,"
        "natural_gas_oil_field,")
    change = compare_reference(reference_files, new).section("carriers.csv").entries[0]
    assert change.key == "natural_gas" and change.title.en == "Natural gas (natural_gas)"
    assert [c.sentence.zh for c in change.changes] == [
        "折标系数行 natural_gas_gas_field → natural_gas_oil_field"]


def test_levels_tried_in_a_new_order_are_a_change(factory_raw):
    def edit(raw):
        raw["levels"][0], raw["levels"][1] = raw["levels"][1], raw["levels"][0]
    diff = compare_criteria(model(factory_raw), edited(factory_raw, edit))
    levels = diff.section("levels")
    assert levels.entries == () and not diff.empty
    assert levels.notes[0].zh == "评定顺序 零碳工厂、近零碳工厂、未达到 → 近零碳工厂、零碳工厂、未达到"
