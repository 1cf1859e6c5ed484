"""Two versions of the reference data compared table by table: rows added, removed and
changed (keyed by each table's natural key), each change with its column's before and after;
a file that is not a table (the README) line by line. Pure, like version_diff.py, whose
entries and sections it fills.
"""

from __future__ import annotations

import csv
import difflib
import io

from .version_diff import (
    NOTHING,
    Change,
    Entry,
    Kind,
    ReferenceDiff,
    Section,
    Words,
    plain,
    same,
)

# -- reference data ----------------------------------------------------------------------------

# Each table's natural key, as reference.py (and the form's industry list) reads it.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "standard_coal_coefficients.csv": ("id",),
    "fuel_emission_parameters.csv": ("id",),
    "other_emission_factors.csv": ("id",),
    "carriers.csv": ("carrier",),
    "electricity_emission_factors.csv": ("factor", "data_year"),
    "energy_efficiency_levels.csv": ("id",),
    "benchmark_industries.csv": ("benchmark",),
    "process_guidelines.csv": ("id",),
    "process_factors.csv": ("guideline", "parameter"),
    "gwp_values.csv": ("guideline", "gas"),
}
TABLE_TITLES = {
    "standard_coal_coefficients.csv": Words("折标准煤系数", "Standard-coal coefficients"),
    "fuel_emission_parameters.csv": Words("化石燃料排放参数", "Fuel emission parameters"),
    "other_emission_factors.csv": Words("其他排放因子", "Other emission factors"),
    "carriers.csv": Words("能源品种", "Energy carriers"),
    "electricity_emission_factors.csv": Words("电力二氧化碳排放因子",
                                              "Electricity CO2 emission factors"),
    "energy_efficiency_levels.csv": Words("产品能效水平（限额等级、标杆、基准）",
                                          "Product energy-efficiency levels"),
    "benchmark_industries.csv": Words("能效指标所属行业", "Industries of the efficiency indicators"),
    "process_guidelines.csv": Words("工业过程排放核算指南", "Process-emission guidelines"),
    "process_factors.csv": Words("工业过程排放缺省参数", "Process-emission default factors"),
    "gwp_values.csv": Words("全球变暖潜势（GWP）", "Global warming potentials (GWP)"),
    "README.md": Words("参考数据说明", "Reference data notes"),
}
COLUMN_WORDS = {
    "id": Words("编号", "id"), "name_zh": Words("中文名称", "Chinese name"),
    "name_en": Words("英文名称", "English name"), "value": Words("数值", "Value"),
    "unit": Words("单位", "Unit"), "source": Words("来源", "Source"),
    "tag": Words("可靠性标记", "Reliability tag"), "note": Words("备注", "Note"),
    "year": Words("年份", "Year"), "clause": Words("条款", "Clause"),
    "factor": Words("因子", "Factor"), "data_year": Words("数据年份", "Data year"),
    "announcement": Words("公告", "Announcement"), "published": Words("发布日期", "Published"),
    "coefficient": Words("折标系数", "Coefficient"),
    "low_heat_value": Words("低位发热量", "Low heat value"),
    "low_heat_value_unit": Words("低位发热量单位", "Low heat value unit"),
    "ncv": Words("低位发热量", "Net calorific value"), "ncv_unit": Words("低位发热量单位", "NCV unit"),
    "carbon_content": Words("单位热值含碳量", "Carbon content"),
    "carbon_content_unit": Words("含碳量单位", "Carbon content unit"),
    "oxidation_rate": Words("碳氧化率", "Oxidation rate"),
    "derived_factor": Words("排放因子", "Emission factor"),
    "derived_factor_unit": Words("排放因子单位", "Emission factor unit"),
    "carrier": Words("能源品种", "Carrier"), "standard_coal": Words("折标系数行", "Coal row"),
    "emission": Words("排放参数行", "Emission row"), "scope": Words("范围", "Scope"),
    "fossil": Words("化石能源", "Fossil"), "clean": Words("清洁能源", "Clean"),
    "product_zh": Words("产品", "Product (Chinese)"), "product_en": Words("产品（英文）", "Product"),
    "indicator_zh": Words("指标", "Indicator (Chinese)"),
    "indicator_en": Words("指标（英文）", "Indicator"), "standard": Words("标准", "Standard"),
    "grade_1": Words("1级", "Grade 1"), "grade_2": Words("2级", "Grade 2"),
    "grade_3": Words("3级", "Grade 3"), "benchmark": Words("标杆水平", "Benchmark"),
    "baseline": Words("基准水平", "Baseline"),
    "grades_tag": Words("等级值可靠性标记", "Grades' reliability tag"),
    "levels_source": Words("标杆/基准来源", "Benchmark/baseline source"),
    "levels_tag": Words("标杆/基准可靠性标记", "Benchmark/baseline reliability tag"),
    "guizhou_relevant": Words("贵州相关", "Relevant to Guizhou"),
    "industry": Words("行业", "Industry"), "industry_zh": Words("行业名称", "Industry (Chinese)"),
    "industry_en": Words("行业名称（英文）", "Industry (English)"),
    "document": Words("文件", "Document"), "issued": Words("发布日期", "Issued"),
    "guideline": Words("核算指南", "Guideline"), "parameter": Words("参数", "Parameter"),
    "role": Words("用途", "Role"), "gas": Words("温室气体", "Gas"),
    "assessment_report": Words("IPCC 评估报告", "IPCC assessment report"),
}
# a process factor's role (process_factors.csv `role`) in words, here and on the reference page
PROCESS_ROLES = {
    "carbonate": Words("碳酸盐", "Carbonate"), "clinker": Words("熟料", "Clinker"),
    "substitute": Words("替代原料扣减", "Alternative raw material (deducted)"),
    "constant": Words("常数", "Constant"), "anode": Words("阳极", "Anode"),
    "pfc": Words("全氟化碳", "Perfluorocarbons"), "flux": Words("熔剂", "Flux"),
    "electrode": Words("电极", "Electrode"),
    "purchased": Words("外购含碳原料", "Purchased carbon-bearing material"),
    "fixed": Words("固碳产品", "Carbon-fixing product"),
}
# columns whose values are keys said in words (the key itself where it has none)
VALUE_WORDS = {"role": PROCESS_ROLES}
# a number column shown with the unit its row gives it ("0.5683 tCO2/MWh")
UNIT_COLUMN = {"value": "unit", "coefficient": "unit", "grade_1": "unit", "grade_2": "unit",
               "grade_3": "unit", "benchmark": "unit", "baseline": "unit",
               "ncv": "ncv_unit", "carbon_content": "carbon_content_unit",
               "derived_factor": "derived_factor_unit", "low_heat_value": "low_heat_value_unit"}
NAME_COLUMNS = ("name_zh", "product_zh", "industry_zh"), ("name_en", "product_en", "industry_en")


def _table(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """Columns and rows of a CSV text, cells stripped as reference.py reads them."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    rows = [{(k or "").strip(): (v or "").strip() if isinstance(v, str) else ""
             for k, v in row.items()} for row in reader]
    return [c.strip() for c in reader.fieldnames or []], rows


def _keyed_rows(name: str, columns: list[str], rows: list[dict[str, str]]) -> dict[str, dict]:
    """Rows by their natural key ("guizhou 2024"); a table this module does not know is keyed
    by its first column; a key given twice keeps both rows (the second as "… #2")."""
    key_columns = TABLE_KEYS.get(name) or tuple(columns[:1])
    if not all(k in columns for k in key_columns):
        key_columns = tuple(columns[:1])
    keyed: dict[str, dict] = {}
    for row in rows:
        key = " ".join(row.get(k, "") for k in key_columns) or "—"
        base, count = key, 1
        while key in keyed:
            count += 1
            key = f"{base} #{count}"
        keyed[key] = row
    return keyed


def _cell(row: dict[str, str], column: str) -> str:
    text = row.get(column, "")
    unit = row.get(UNIT_COLUMN.get(column, ""), "")
    return f"{text} {unit}" if text and unit else text


def _said(row: dict[str, str], column: str) -> Words:
    """A cell as the comparison says it: a key column's value in words ("clinker" → 熟料)."""
    words = VALUE_WORDS.get(column, {}).get(row.get(column, ""))
    return words or plain(_cell(row, column))


def _same_cell(before: str, after: str) -> bool:
    """0.5 and 0.5000 are the same number: a reformatted cell is no change."""
    if before == after:
        return True
    try:
        return float(before) == float(after)
    except ValueError:
        return False


def _row_changes(before: dict[str, str], after: dict[str, str],
                 columns: list[str]) -> tuple[Change, ...]:
    """The cells that differ; a number is shown with its unit, and a unit column is named on
    its own only where no number of its row already shows the new unit."""
    def differs(column: str) -> bool:
        return not _same_cell(before.get(column, ""), after.get(column, ""))

    units = set(UNIT_COLUMN.values())
    changed = [c for c in columns if c not in units and (
        differs(c) or (c in UNIT_COLUMN and differs(UNIT_COLUMN[c])
                       and (before.get(c) or after.get(c))))]
    shown_units = {UNIT_COLUMN[c] for c in changed if c in UNIT_COLUMN}
    changed += [c for c in columns if c in units and c not in shown_units and differs(c)]
    return tuple(Change(COLUMN_WORDS.get(c, same(c)), _said(before, c), _said(after, c))
                 for c in changed)


def _row_title(key: str, row: dict[str, str]) -> Words:
    zh = next((row[c] for c in NAME_COLUMNS[0] if row.get(c)), "")
    en = next((row[c] for c in NAME_COLUMNS[1] if row.get(c)), "")
    return Words(f"{zh}（{key}）" if zh else key, f"{en} ({key})" if en else key)


def _row_summary(row: dict[str, str], columns: list[str]) -> Change:
    said = [(COLUMN_WORDS.get(c, same(c)), _said(row, c)) for c in columns
            if row.get(c) and c not in UNIT_COLUMN.values()]
    return Change(Words("整行", "Whole row"), NOTHING,
                  Words("；".join(f"{w.zh}：{v.zh}" for w, v in said),
                        "; ".join(f"{w.en}: {v.en}" for w, v in said)))


def _flipped(change: Change) -> Change:
    return Change(change.aspect, change.after, change.before)


def _table_section(name: str, old_text: str | None, new_text: str | None) -> Section:
    title = TABLE_TITLES.get(name, same(name))
    if not name.lower().endswith(".csv"):
        return _text_section(name, title, old_text, new_text)
    old_columns, old_rows = _table(old_text or "")
    new_columns, new_rows = _table(new_text or "")
    old_by = _keyed_rows(name, old_columns, old_rows)
    new_by = _keyed_rows(name, new_columns, new_rows)
    columns = new_columns + [c for c in old_columns if c not in new_columns]
    entries, unchanged = [], 0
    for key, row in new_by.items():
        before = old_by.get(key)
        if before is None:
            entries.append(Entry(key, _row_title(key, row), "added",
                                 (_row_summary(row, new_columns),)))
            continue
        changes = _row_changes(before, row, columns)
        if changes:
            entries.append(Entry(key, _row_title(key, row), "changed", changes))
        else:
            unchanged += 1
    for key, row in old_by.items():
        if key not in new_by:
            entries.append(Entry(key, _row_title(key, row), "removed",
                                 (_flipped(_row_summary(row, old_columns)),)))
    notes = []
    if old_text is not None and new_text is not None:
        if added := [c for c in new_columns if c not in old_columns]:
            notes.append(Words(f"新增列：{'、'.join(added)}", f"Columns added: {', '.join(added)}"))
        if removed := [c for c in old_columns if c not in new_columns]:
            notes.append(Words(f"删除列：{'、'.join(removed)}",
                               f"Columns removed: {', '.join(removed)}"))
    change = _file_change(old_text, new_text, bool(entries or notes))
    return Section(name, title, tuple(entries), unchanged, change, tuple(notes))


def _file_change(old_text, new_text, differs: bool) -> Kind | None:
    if old_text is None:
        return "added"
    if new_text is None:
        return "removed"
    return "changed" if differs else None


def _text_section(name: str, title: Words, old_text: str | None, new_text: str | None) -> Section:
    """A file that is not a table (the folder's README): its changed lines."""
    old_lines = (old_text or "").splitlines()
    new_lines = (new_text or "").splitlines()
    entries = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        kind: Kind = {"insert": "added", "delete": "removed"}.get(tag, "changed")
        before, after = "\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2])
        where = f"{j1 + 1}" if kind != "removed" else f"{i1 + 1}"
        entries.append(Entry(where, Words(f"第 {where} 行", f"line {where}"), kind,
                             (Change(Words("内容", "Text"), plain(before), plain(after)),)))
    unchanged = sum(size for *_, size in matcher.get_matching_blocks())
    return Section(name, title, tuple(entries), unchanged,
                   _file_change(old_text, new_text, bool(entries)))


def compare_reference(old_files: dict[str, str], new_files: dict[str, str]) -> ReferenceDiff:
    """Two versions of the reference data (file name → CSV text) compared table by table, rows
    matched by their natural key; files added or removed whole."""
    names = list(new_files) + [n for n in old_files if n not in new_files]
    known = list(TABLE_TITLES)
    names.sort(key=lambda n: (known.index(n) if n in known else len(known), n))
    return ReferenceDiff(tuple(_table_section(n, old_files.get(n), new_files.get(n))
                               for n in names))
