"""Editing a criteria set through forms changes the lines edited and nothing else: comments,
key order, quoting and style elsewhere stay byte for byte."""

import difflib
import re
from pathlib import Path

import pytest

from assessor.engine import DataFileError
from assessor.engine.criteria import criteria_from_text
from assessor.engine.criteria_edit import (
    add_entry,
    remove_entry,
    remove_key,
    replace_entry,
    round_trips,
    set_key,
)

CRITERIA = Path(__file__).resolve().parents[2] / "criteria"
FACTORY = (CRITERIA / "factory" / "GZ-F-2024.yaml").read_text(encoding="utf-8")
SECTIONS = ("declarations", "reported", "derived", "items", "levels")


def _form(entry) -> dict:
    """What a form gives back for an entry it was shown."""
    return entry.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def _changed_lines(old: str, new: str) -> tuple[list[int], list[str], list[str]]:
    """The 1-based lines of `old` replaced or removed, and the lines taken out and put in."""
    touched, removed, added = [], [], []
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            touched += range(i1 + 1, max(i2, i1 + 1) + 1) if tag == "insert" else range(
                i1 + 1, i2 + 1)
            removed += old.splitlines()[i1:i2]
            added += new.splitlines()[j1:j2]
    return touched, removed, added


def _lines_of(text: str, entry_id: str) -> range:
    """The lines of the entry `- id: entry_id` (up to the next entry or top-level key)."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() == f"- id: {entry_id}")
    end = next(n for n in range(start + 1, len(lines))
               if re.match(r"^(  - |\S)", lines[n]))
    return range(start + 1, end + 1)


@pytest.fixture(scope="module")
def factory(engine):
    return criteria_from_text(FACTORY, "GZ-F-2024.yaml", engine.reference)


SHIPPED = sorted(p for p in CRITERIA.glob("*/*.yaml") if p.parent.name != "cases")


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_the_round_trip_is_exact(engine, path):
    """Loaded and dumped untouched, and every entry saved unchanged from its form, each shipped
    file comes back byte for byte."""
    text = path.read_text(encoding="utf-8")
    assert round_trips(text)
    model = criteria_from_text(text, "set.yaml", engine.reference).model
    for section in SECTIONS:
        for entry in getattr(model, section):
            assert replace_entry(text, section, entry.id, _form(entry)) == text, entry.id
    assert set_key(text, ("title",), model.title.model_dump()) == text
    assert set_key(text, ("version",), model.version) == text


def test_replacing_an_item_changes_only_its_changed_lines(engine, factory):
    item = _form(next(i for i in factory.model.items if i.id == "F-S3"))
    item["title"]["en"] = "Physically traceable green power: share"
    item["scoring"]["bands"].insert(1, {"op": ">=", "value": 30, "points": 4})
    edited = replace_entry(FACTORY, "items", "F-S3", item)

    touched, removed, added = _changed_lines(FACTORY, edited)
    assert set(touched) <= set(_lines_of(FACTORY, "F-S3"))
    assert removed == [
        '    title: {zh: 非化石能源电力消费物理认定量占比, en: "Physically traceable green power share"}']
    assert added == [
        '    title: {zh: 非化石能源电力消费物理认定量占比, en: "Physically traceable green power: share"}',
        '        - {op: ">=", value: 30, points: 4}']
    scored = criteria_from_text(edited, "edited.yaml", engine.reference)
    bands = next(i for i in scored.model.items if i.id == "F-S3").scoring.bands
    assert [b.value for b in bands] == [35, 30, 20, 10]


def test_comments_elsewhere_survive_every_edit(factory):
    comments = [line for line in FACTORY.splitlines() if line.lstrip().startswith("#")
                or " # " in line]
    gate = _form(next(i for i in factory.model.items if i.id == "F-G6"))
    gate["rule"]["value"] = 1.5
    edits = [
        replace_entry(FACTORY, "items", "F-G6", gate),
        set_key(FACTORY, ("notice", "en"), "Replaced by the official text once published."),
        add_entry(FACTORY, "levels", {"id": "cultivation", "title": {"zh": "培育", "en": "C"},
                                      "min_total": 40}, after_id="near_zero_carbon"),
    ]
    for edited in edits:
        assert [line for line in comments if line not in edited.splitlines()] == []


def test_a_changed_threshold_keeps_the_quoting_and_loads(engine, factory):
    gate = _form(next(i for i in factory.model.items if i.id == "F-G6"))
    gate["rule"]["value"] = 1.5
    edited = replace_entry(FACTORY, "items", "F-G6", gate)
    _, removed, added = _changed_lines(FACTORY, edited)
    assert removed == ['    rule: {indicator: carbon_per_energy, op: "<=", value: 1.8, unit: tCO2/tce}']
    assert added == ['    rule: {indicator: carbon_per_energy, op: "<=", value: 1.5, unit: tCO2/tce}']
    loaded = criteria_from_text(edited, "edited.yaml", engine.reference)
    assert next(i for i in loaded.model.items if i.id == "F-G6").rule.value == 1.5


def test_a_tiny_threshold_is_still_a_number_to_the_loader(engine, factory):
    """Python writes 0.00001 as 1e-05, which the loader (YAML 1.1) would read as text."""
    gate = _form(next(i for i in factory.model.items if i.id == "F-G6"))
    gate["rule"]["value"] = 0.00001
    edited = replace_entry(FACTORY, "items", "F-G6", gate)
    assert "value: 1.0e-05," in edited
    loaded = criteria_from_text(edited, "edited.yaml", engine.reference)
    assert next(i for i in loaded.model.items if i.id == "F-G6").rule.value == 0.00001


def test_a_level_keeps_the_default_it_writes(factory):
    """A form leaves out `gates: all` (the default); the file keeps saying it."""
    level = _form(next(lv for lv in factory.model.levels if lv.id == "near_zero_carbon"))
    assert "gates" not in level
    level["min_total"] = 65
    _, removed, added = _changed_lines(FACTORY, replace_entry(FACTORY, "levels",
                                                              "near_zero_carbon", level))
    assert (removed, added) == (["    min_total: 60"], ["    min_total: 65"])


def test_a_new_item_is_written_in_the_house_style_where_asked(engine, factory):
    item = _form(next(i for i in factory.model.items if i.id == "F-G4"))
    item.update(id="F-G10", evidence=["equipment_list"],
                rule={"indicator": "no_obsolete_equipment", "op": "!=", "value": False})
    edited = add_entry(FACTORY, "items", item, after_id="F-G9")
    touched, _, added = _changed_lines(FACTORY, edited)
    assert added == [
        "  - id: F-G10",
        "    kind: gate",
        "    category: basic",
        "    title: {zh: 无淘汰落后设备, en: No phased-out equipment}",
        "    source: {document: 上海市经信委 2025年度零碳创建和标杆单位征集 申报条件, tag: V}",
        '    rule: {indicator: no_obsolete_equipment, op: "!=", value: false}',
        "    evidence: [equipment_list]",
    ]
    # after F-G9, before the blank line and the heading of the scored items
    assert edited.index("- id: F-G10") < edited.index("# ---- 评分项")
    lines = edited.splitlines()
    at = lines.index("  - id: F-G10")
    assert lines[at - 1].startswith("    rule: {indicator: repeated_serials")
    assert lines[at + len(added)] == ""
    assert len(touched) == 1
    ids = [i.id for i in criteria_from_text(edited, "e.yaml", engine.reference).model.items]
    assert ids[ids.index("F-G9") + 1] == "F-G10"


def test_a_section_the_file_lacks_is_added(engine):
    edited = add_entry(FACTORY, "derived", {
        "id": "twice_products", "title": {"zh": "产品数两倍", "en": "Twice the products"},
        "formula": "product_count * 2", "unit": "dimensionless"})
    assert "derived:\n  - id: twice_products\n    title: {zh: 产品数两倍, en: Twice the products}\n" \
        in edited
    assert edited.index("derived:") < edited.index("\nitems:")
    loaded = criteria_from_text(edited, "e.yaml", engine.reference)
    assert [d.id for d in loaded.model.derived] == ["twice_products"]


def test_removing_an_entry_keeps_the_heading_above_it():
    edited = remove_entry(FACTORY, "items", "F-S1")
    _, removed, added = _changed_lines(FACTORY, edited)
    assert added == [] and removed[0] == "  - id: F-S1" and len(removed) == 7
    assert "  # ---- 评分项 / scored items (60 points) ----\n  - id: F-S2" in edited


def test_keys_outside_the_entries(engine):
    edited = set_key(FACTORY, ("version",), "2024.2")
    assert _changed_lines(FACTORY, edited)[1:] == (['version: "2024.1"'], ['version: "2024.2"'])

    edited = set_key(FACTORY, ("evidence_kinds", "site_photos"), {"zh": "现场照片", "en": "Photos, site"})
    _, removed, added = _changed_lines(FACTORY, edited)
    assert removed == [] and added == ['  site_photos: {zh: 现场照片, en: "Photos, site"}']
    assert "site_photos" in criteria_from_text(edited, "e.yaml", engine.reference).evidence_kinds

    edited = set_key(FACTORY, ("accounting", "grid_factor"), "national")
    (line,) = _changed_lines(FACTORY, edited)[2]
    assert line.startswith("  grid_factor: national ")  # the comment keeps its column
    assert line.index("# location-based") == FACTORY.split("grid_factor")[1].index("#") + 13

    edited = remove_key(FACTORY, ("accounting", "electricity_conversion"))
    assert _changed_lines(FACTORY, edited)[1:] == ([
        "  electricity_conversion: equivalent     # 当量值 0.1229 kgce/kWh (GB/T 2589-2020)"], [])


def test_a_removed_key_leaves_the_blank_line_under_it():
    edited = remove_key(FACTORY, ("accounting", "tco2_per_serial"))
    _, removed, added = _changed_lines(FACTORY, edited)
    assert added == [] and removed == [
        "  tco2_per_serial: {ccer: 1}               # one CCER serial is 1 tCO2e: an entry's "
        "quantity must equal its count"]
    assert "green\n\nevidence_kinds:" in edited


def test_a_new_top_level_text_is_written_in_block_style():
    edited = set_key(remove_key(FACTORY, ("notice",)), ("notice",), {"zh": "暂行", "en": "Interim"})
    assert "status: provisional\nnotice:\n  zh: 暂行\n  en: Interim\neffective_from:" in edited


def test_an_unknown_id_or_key_is_named():
    with pytest.raises(KeyError, match="F-X9"):
        replace_entry(FACTORY, "items", "F-X9", {"id": "F-X9"})
    with pytest.raises(KeyError, match="nowhere"):
        add_entry(FACTORY, "items", {"id": "F-X9"}, after_id="nowhere")
    with pytest.raises(KeyError, match="F-X9"):
        remove_entry(FACTORY, "items", "F-X9")
    with pytest.raises(KeyError, match=r"accounting\.nothing"):
        remove_key(FACTORY, ("accounting", "nothing"))
    with pytest.raises(ValueError, match="gates"):
        replace_entry(FACTORY, "gates", "F-G1", {})


def test_text_the_loader_refuses_is_not_edited():
    with pytest.raises(DataFileError, match="duplicate key"):
        set_key(FACTORY + "total_points: 90\n", ("version",), "2")


def test_windows_line_ends_from_a_text_box_stay(factory):
    text = FACTORY.replace("\n", "\r\n")
    assert round_trips(text)
    edited = set_key(text, ("version",), "2024.2")
    assert edited == text.replace('version: "2024.1"', 'version: "2024.2"')
