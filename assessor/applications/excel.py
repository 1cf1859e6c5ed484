"""Self-assessment data as an Excel workbook: the template out, the filled workbook back in.

Pure: no Flask, no database. `build_template` writes the workbook for a criteria set (prefilled
with a submission when one is given); `parse_workbook` reads an uploaded workbook with pandas
into the engine's submission dict (the same shape as forms.form_to_submission makes), or into
problems that each name the sheet, the Excel row (the header is row 1) and the column, in
Chinese. The engine then checks the result and its problems are mapped back to cells too.

Conventions mirror the web form: declarations answered 是/否 or by one of the options, reported
figures in the set's unit (fixed), quantities with a unit chosen from the same lists.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..engine import CriteriaSet, Engine, Reference, SubmissionError

# The unit choices of the web form (forms.UNITS; a test keeps the two equal).
UNITS = {
    "t": ["t", "kg", "万t"],
    "m3": ["m3", "万m3", "Nm3", "万Nm3"],
    "GJ": ["GJ", "MJ", "万GJ"],
    "MWh": ["MWh", "kWh", "万kWh"],
    "tCO2": ["tCO2", "tCO2e", "万tCO2"],
    "product_energy": ["tce", "kgce", "MWh", "kWh", "万kWh"],
}
ELECTRICITY_FIELDS = [
    ("grid_purchase", "电网购电总量（含绿电交易）"),
    ("green_power_trading", "其中：绿电交易电量"),
    ("direct_green_supply", "绿电直连电量"),
    ("onsite_renewable_self_used", "自发自用可再生能源电量"),
    ("onsite_renewable_exported", "可再生能源上网电量"),
    ("onsite_certificates_sold", "已出售绿证的自发电量"),
]
INSTRUMENTS = [("ccer", "CCER"), ("forestry_ticket", "林业碳票"), ("other", "其他")]
YES, NO = "是", "否"
_YES = {"是", "yes", "y", "true", "1", "√", "✓"}
_NO = {"否", "no", "n", "false", "0", "×", "✗"}
MAX_NUMBER = 1e12
MAX_COUNT = 10_000_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a zip bomb is refused before openpyxl opens it
_SERIAL = r"[0-9A-Za-z._:/\-]+"
_EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!",
                 "#GETTING_DATA", "#SPILL!", "#CALC!"}

INTRO, EXAMPLE, LISTS = "说明", "示例", "代码表"
ENERGY, ELECTRICITY, CERTIFICATES, PROCESS = "能源消费", "电力", "绿证", "过程排放"
PRODUCTS, OFFSETS, DECLARATIONS, REPORTED, MEMBERS = "产品", "碳抵消", "声明", "填报指标", "园区企业"
FILE = "（文件）"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 14
    info: bool = False  # shown for reading; optional, never parsed
    text: bool = False  # stored as text (serials, codes, USCC)


def _columns(sheet: str, park: bool) -> list[Column]:
    member = [Column("member", "所属企业", 24, text=True)] if park else []
    return {
        ENERGY: [Column("carrier", "能源品种代码", 18, text=True),
                 Column("name", "能源品种名称", 20, info=True),
                 Column("quantity", "数量"), Column("unit", "单位", 10)],
        ELECTRICITY: [Column("field", "项目代码", 28, text=True),
                      Column("name", "项目名称", 28, info=True),
                      Column("quantity", "数量"), Column("unit", "单位", 10)],
        CERTIFICATES: [*member, Column("serial", "绿证起始编号", 28, text=True),
                       Column("count", "张数")],
        PROCESS: [*member, Column("source", "排放源", 28), Column("quantity", "排放量"),
                  Column("unit", "单位", 10)],
        PRODUCTS: [*member, Column("benchmark", "能效指标代码", 36, text=True),
                   Column("name", "产品及能效指标", 48, info=True),
                   Column("output", "产量"), Column("output_unit", "产量单位", 10),
                   Column("energy", "能耗"), Column("energy_unit", "能耗单位", 10)],
        OFFSETS: [Column("instrument", "类型", 12), Column("serial", "登记编号（起始）", 28, text=True),
                  Column("count", "连续编号个数"), Column("quantity", "抵消量"),
                  Column("unit", "单位", 10)],
        DECLARATIONS: [Column("declaration", "声明代码", 24, text=True),
                       Column("title", "声明内容", 60, info=True),
                       Column("answer", "回答", 24), Column("choices", "可选回答", 40, info=True)],
        REPORTED: [Column("indicator", "指标代码", 26, text=True),
                   Column("title", "指标名称", 40, info=True),
                   Column("value", "数值"), Column("unit", "单位", 10),
                   Column("range", "取值范围", 14, info=True)],
        MEMBERS: [Column("name", "企业名称", 30), Column("uscc", "统一社会信用代码", 22, text=True),
                  Column("item", "项目", 28), Column("quantity", "数量"),
                  Column("unit", "单位", 10)],
    }[sheet]


def data_sheets(subject: str) -> list[str]:
    sheets = [ENERGY, ELECTRICITY, CERTIFICATES, PROCESS, PRODUCTS, OFFSETS, DECLARATIONS,
              REPORTED]
    return [*sheets, MEMBERS] if subject == "park" else sheets


_PURPOSE = {
    ENERGY: ("每种能源一行，填写实物量和单位；不用的品种数量留空。园区在此填写园区自有设施的用能。",
             "One row per energy carrier: physical quantity and unit; leave unused carriers "
             "blank."),
    ELECTRICITY: ("每个电力项目一行，单位为 MWh、kWh 或 万kWh。绿电交易电量是电网购电总量的一部分。",
                  "One row per electricity item, in MWh, kWh or 万kWh. Green-power trading is part "
                  "of the grid purchase."),
    CERTIFICATES: ("单独购买并注销的绿证：每行一个编号段，填起始编号和张数（1 张 = 1 MWh，编号连续）。",
                   "Unbundled green certificates retired: one block per row, first serial and "
                   "count (1 certificate = 1 MWh, consecutive serials)."),
    PROCESS: ("工业生产过程排放：每个排放源一行，按行业核算指南计算，单位 tCO2。",
              "Process emissions: one source per row, worked out with the sector guideline, in "
              "tCO2."),
    PRODUCTS: ("主要产品能效：能效指标代码从下拉列表选择（见“代码表”），能耗按该指标分子的单位填写（kgce 或 kWh）。",
               "Products: pick the benchmark id from the list; energy in the numerator of that "
               "indicator (kgce or kWh)."),
    OFFSETS: ("碳抵消：类型（CCER、林业碳票、其他）、起始登记编号、连续编号个数、抵消量和单位。",
              "Offsets: type, first registry serial, number of consecutive serials, amount, unit."),
    DECLARATIONS: ("声明：在“回答”列填写“是”或“否”，或从下拉列表选择一个选项；留空表示未填写。",
                   "Declarations: answer 是 (yes) or 否 (no), or pick an option; blank means not "
                   "answered."),
    REPORTED: ("填报指标：在“数值”列填写数字，单位固定，请勿修改。",
               "Reported figures: a number in 数值; the unit is fixed."),
    MEMBERS: ("园区企业：每家企业每个项目一行（企业名称、统一社会信用代码、项目、数量、单位）；"
              "项目为能源品种或电力项目，可填名称或代码。只有名称、没有项目的一行表示该企业暂无数据。企业的绿证、过程排放和产品填在对应工作表，"
              "并在“所属企业”列写企业名称（园区自有设施留空）。",
              "Park members: one row per member and item (name, USCC, item, quantity, unit); the "
              "item is an energy carrier or electricity item (name or id). Members' "
              "certificates, process emissions and products go on those sheets with the "
              "member's name in 所属企业 (blank for the park's own facilities)."),
}


# -- problems --------------------------------------------------------------------------------

@dataclass(frozen=True)
class SheetProblem:
    """One thing wrong with an uploaded workbook: where (sheet, Excel row, column) and what."""

    sheet: str
    row: int | None
    column: str | None  # the column letter, e.g. "C"
    header: str | None  # that column's header, e.g. "数量"
    message_zh: str

    @property
    def where_zh(self) -> str:
        parts = [f"工作表“{self.sheet}”" if self.sheet != FILE else "文件"]
        if self.row:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"{self.column} 列" + (f"（{self.header}）" if self.header else ""))
        elif self.header:
            parts.append(f"“{self.header}”列")
        return "，".join(parts)


@dataclass
class ParseResult:
    data: dict | None  # the submission, when there are no problems
    problems: list[SheetProblem]
    result: dict | None = None  # the engine's result for `data`


@dataclass
class _Table:
    sheet: str
    frame: pd.DataFrame  # columns: keys; index: Excel row numbers; non-blank rows only
    letters: dict[str, str]
    headers: dict[str, str]


class _Problems:
    def __init__(self):
        self.items: list[SheetProblem] = []
        self.rows: set[tuple[str, int]] = set()

    def add(self, sheet: str, row: int | None, column: str | None, header: str | None,
            message: str) -> None:
        self.items.append(SheetProblem(sheet, row, column, header, message))
        if row:
            self.rows.add((sheet, row))

    def cell(self, table: _Table, row: int | None, key: str | None, message: str) -> None:
        self.add(table.sheet, row, table.letters.get(key) if key else None,
                 table.headers.get(key) if key else None, message)

    def cells(self, table: _Table, mask: pd.Series, key: str, message) -> None:
        """A problem for every row where `mask` holds; `message(row)` or a fixed text."""
        for row in mask.index[mask.to_numpy(dtype=bool)]:
            self.cell(table, int(row), key, message(row) if callable(message) else message)


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


# -- reading cells, a column at a time -------------------------------------------------------

def _strip(value):
    if isinstance(value, str):
        value = value.strip()
        return value or np.nan
    return value


def _as_text(value):
    """A cell as text: whole numbers lose their '.0' (a serial typed as a number)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return np.nan
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value).strip() or np.nan


def _text(table: _Table, key: str) -> pd.Series:
    if key not in table.frame:
        return pd.Series(np.nan, index=table.frame.index, dtype=object)
    return table.frame[key].map(_as_text).astype(object)


def _numbers(table: _Table, key: str, out: _Problems, *, integer: bool = False,
             negative: bool = False, positive: bool = False) -> pd.Series:
    """The column as floats (NaN where blank or wrong); every wrong cell becomes a problem."""
    column = table.frame[key]
    blank = column.isna()
    kinds = column.map(type)
    is_text = kinds.eq(str)
    numeric_kind = kinds.isin([int, float, np.int64, np.float64])
    text = column.where(is_text)
    cleaned = text.str.replace(r"[,，\s]", "", regex=True) if is_text.any() else text
    candidate = column.where(numeric_kind, cleaned)
    values = pd.to_numeric(candidate, errors="coerce").astype(float)
    header = table.headers[key]
    lowered = cleaned.str.lower() if is_text.any() else cleaned
    reasons = [
        (is_text & column.isin(_EXCEL_ERRORS),
         lambda r: f"单元格为错误值 {column[r]}，请填写数字"),
        (~blank & lowered.isin(["nan", "inf", "-inf", "+inf", "infinity", "-infinity"]),
         lambda r: f"“{header}”应为有限的数字（填写的是“{_shown(column[r])}”）"),
        (~blank & values.isna(),
         lambda r: f"“{header}”应为数字，不要带单位或文字（填写的是“{_shown(column[r])}”）"),
        (np.isinf(values), f"“{header}”应为有限的数字"),
        ((values < 0) & (not negative), lambda r: f"“{header}”不能为负数（填写的是 {values[r]:g}）"),
        (values.abs() > MAX_NUMBER,
         lambda r: f"“{header}”数值过大（{values[r]:.4g}，超过 10¹²），请检查单位或小数点位置"),
        ((values <= 0) & positive, f"“{header}”应大于 0"),
        ((values % 1 != 0) & values.notna() & integer,
         lambda r: f"“{header}”应为整数（填写的是 {values[r]:g}）"),
        ((values > MAX_COUNT) & integer, f"“{header}”不能大于 {MAX_COUNT:,}"),
    ]
    bad = pd.Series(False, index=column.index)
    for mask, message in reasons:
        mask = mask.fillna(False).astype(bool) & ~bad
        if mask.any():
            out.cells(table, mask, key, message)
            bad |= mask
    return values.where(~bad)


def _units(table: _Table, key: str, needed: pd.Series, allowed, out: _Problems) -> pd.Series:
    """The unit column; blank where a quantity is given, or a unit not in the list, is a
    problem. `allowed` is one list for every row or a Series of lists, row by row."""
    units = _text(table, key) if key in table.frame else pd.Series(np.nan, index=needed.index)
    header = table.headers.get(key, "单位")
    missing = needed & units.isna()
    out.cells(table, missing, key, f"已填写数量，请同时填写“{header}”")
    if isinstance(allowed, pd.Series):
        known = pd.Series([u in a if isinstance(a, list) else True
                           for u, a in zip(units, allowed, strict=True)], index=units.index)
        choices = allowed
    else:
        known = units.isin(allowed)
        choices = pd.Series([allowed] * len(units), index=units.index, dtype=object)
    wrong = needed & units.notna() & ~known
    out.cells(table, wrong, key, lambda r: f"单位“{units[r]}”不可用，请从下拉列表选择："
                                           f"{'、'.join(choices[r])}")
    return units.where(~wrong)


def _duplicates(table: _Table, keys: pd.DataFrame, mask: pd.Series, key: str, out: _Problems,
                what, advice: str = "同一项目请合计后填一行") -> pd.Series:
    """Rows (among `mask`) repeating an earlier row's `keys`: each a problem naming the first."""
    subset = keys[mask.to_numpy(dtype=bool)]
    if subset.empty:
        return pd.Series(False, index=mask.index)
    repeated = subset.duplicated(keep="first")
    if not repeated.any():
        return pd.Series(False, index=mask.index)
    firsts = subset[~subset.duplicated(keep="first")]
    first_row = {tuple(v): r for r, v in zip(firsts.index, firsts.itertuples(index=False),
                                              strict=True)}
    for row in repeated.index[repeated.to_numpy()]:
        values = tuple(subset.loc[row])
        out.cell(table, int(row), key,
                 f"{what(values)}重复（与第 {first_row[values]} 行相同），{advice}")
    return repeated.reindex(mask.index, fill_value=False)


# -- reading the workbook ----------------------------------------------------------------------

_ERROR_CELL = re.compile(rb'<c\s[^>]*?\bt="e"[^>]*>')
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def _error_cells(content: bytes, sheets: set[str]) -> dict[str, list[tuple[int, str, str]]]:
    """(row, column letter, error) of every error cell (#DIV/0!, #REF! …) in `sheets`: pandas
    reads them as blank, so they are found in the sheet XML instead."""
    from xml.etree import ElementTree

    found: dict[str, list[tuple[int, str, str]]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "")
                       for r in rels.findall("p:Relationship", _NS)}
            for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
                name = sheet.get("name")
                target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
                if name not in sheets or not target:
                    continue
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                xml = archive.read(path)
                if b't="e"' not in xml:
                    continue
                for match in _ERROR_CELL.finditer(xml):
                    ref = _REF.search(match.group(0))
                    if ref is None:
                        continue
                    end = xml.find(b"</c>", match.end())
                    value = _VALUE.search(xml, match.end(), end if end > 0 else len(xml))
                    found.setdefault(name, []).append(
                        (int(ref.group(2)), ref.group(1).decode(),
                         value.group(1).decode("utf-8", "replace") if value else "#ERROR"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError):
        return found  # the ordinary reading reports a damaged file
    return found


def _file_problem(content: bytes) -> str | None:
    if not content:
        return "文件为空，请上传填写好的 Excel 模板（.xlsx）"
    if content.startswith(b"%PDF"):
        return "这是 PDF 文件，不是 Excel 工作簿。请上传从本系统下载并填写的 .xlsx 模板"
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "这是旧版 .xls 文件或加密的工作簿，请在 Excel 中取消密码并另存为 .xlsx 后上传"
    if not content.startswith(b"PK\x03\x04"):
        return "文件不是 Excel 工作簿（.xlsx）。请上传从本系统下载并填写的模板，不要只修改扩展名"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                return "文件是压缩包但不是 Excel 工作簿（.xlsx），请上传从本系统下载的模板"
            if sum(i.file_size for i in archive.infolist()) > MAX_UNCOMPRESSED:
                return "文件解压后过大，请只保留模板中的工作表和数据"
    except zipfile.BadZipFile:
        return "文件已损坏，无法作为 Excel 工作簿打开"
    return None


def _read_table(raw: pd.DataFrame, sheet: str, columns: list[Column],
                out: _Problems) -> _Table | None:
    expected = "、".join(f"“{c.header}”" for c in columns)
    if raw.empty or raw.iloc[0].isna().all():
        out.add(sheet, 1, None, None, f"第 1 行应为列标题：{expected}（请勿删除或移动标题行）")
        return None
    raw = raw.map(_strip)
    by_header = {c.header: c for c in columns}
    letters: dict[str, str] = {}
    headers: dict[str, str] = {}
    ok = True
    for position, value in enumerate(raw.iloc[0]):
        letter = get_column_letter(position + 1)
        has_data = raw.iloc[1:, position].notna().any()
        if pd.isna(value):
            if has_data:
                out.add(sheet, 1, letter, None, f"{letter} 列有数据但没有列标题；本表的列为：{expected}")
                ok = False
            continue
        header = _as_text(value)
        column = by_header.get(header)
        if column is None:
            out.add(sheet, 1, letter, header, f"列标题“{header}”不是本表的列（请勿修改或新增列标题）；"
                    f"本表的列为：{expected}")
            ok = False
        elif column.key in letters:
            out.add(sheet, 1, letter, header, f"列标题“{header}”重复（已在 {letters[column.key]} 列）")
            ok = False
        else:
            letters[column.key], headers[column.key] = letter, header
    for column in columns:
        if column.key not in letters and not column.info and column.key != "member":
            out.add(sheet, 1, None, column.header,
                    f"缺少列“{column.header}”（可能被改名或删除）；第 1 行应为列标题：{expected}")
            ok = False
    if not ok:
        return None
    frame = pd.DataFrame({key: raw.iloc[1:, ord_(letter)] for key, letter in letters.items()})
    frame.index = frame.index + 1  # raw row 1 (after the header at 0) is Excel row 2
    data_keys = [c.key for c in columns if not c.info and c.key in letters]
    filled = frame[data_keys].notna().any(axis=1)
    return _Table(sheet, frame[filled.to_numpy(dtype=bool)], letters, headers)


def ord_(letter: str) -> int:
    """The 0-based position of a column letter (A → 0, AA → 26)."""
    number = 0
    for char in letter:
        number = number * 26 + ord(char) - 64
    return number - 1


# -- parsing sheets into a submission ----------------------------------------------------------

class _Builder:
    """The submission being built, and where each part of it came from."""

    def __init__(self, criteria: CriteriaSet, reference: Reference):
        self.criteria, self.reference = criteria, reference
        self.units: dict[str | None, dict] = {None: {}}
        self.member_order: list[str] = []
        self.members: dict[str, dict] = {}
        self.locations: dict[str, tuple[str, int]] = {}
        self.data: dict = {}

    def prefix(self, member: str | None) -> str:
        return "" if member is None else f"members[{self.member_order.index(member)}]."

    def unit(self, member: str | None) -> dict:
        return self.units.setdefault(member, {})


def _items(reference: Reference) -> tuple[dict[str, tuple[str, str, str]], dict[str, str]]:
    """(id → (section, id, canonical unit kind)) for carriers and electricity fields, and the
    Chinese names → id."""
    items = {c.id: ("energy", c.id, c.unit) for c in reference.carriers.values()}
    items.update({f: ("electricity", f, "MWh") for f, _ in ELECTRICITY_FIELDS})
    names = {c.name_zh: c.id for c in reference.carriers.values()}
    names.update({label: f for f, label in ELECTRICITY_FIELDS})
    return items, names


def _resolve(table: _Table, key: str, name_key: str | None, ids, names: dict[str, str],
             out: _Problems, what: str, needed: pd.Series) -> pd.Series:
    """Codes of a column, taking the name column where the code is blank."""
    code = _text(table, key)
    direct = code.where(code.isin(set(ids)))
    resolved = direct.where(direct.notna(), code.map(names))  # a name typed as the code
    if name_key:
        resolved = resolved.where(code.notna(), _text(table, name_key).map(names))
    unknown = code.notna() & resolved.isna()
    header = table.headers.get(key, what)
    out.cells(table, unknown, key, lambda r: f"不认识的{what}“{_shown(code[r])}”，请使用模板中的{header}")
    missing = code.isna() & resolved.isna() & needed
    out.cells(table, missing, key, f"请填写{header}")
    return resolved


def _fixed_amounts(tables: dict[str, _Table], b: _Builder, out: _Problems) -> None:
    """能源消费 and 电力: one row per carrier or field."""
    items, names = _items(b.reference)
    for sheet, section, key in ((ENERGY, "energy", "carrier"), (ELECTRICITY, "electricity",
                                                                 "field")):
        table = tables.get(sheet)
        if table is None:
            continue
        ids = [i for i, v in items.items() if v[0] == section]
        given = table.frame["quantity"].notna() | table.frame["unit"].notna()
        code = _resolve(table, key, "name" if "name" in table.frame else None, ids, names, out,
                        "能源品种" if section == "energy" else "电力项目", given)
        quantities = _numbers(table, "quantity", out)
        has = table.frame["quantity"].notna()
        allowed = code.map(lambda c: UNITS[items[c][2]] if isinstance(c, str) else None)
        units = _units(table, "unit", has & code.notna(), allowed, out)
        valid = has & code.notna() & quantities.notna() & units.notna()
        repeated = _duplicates(table, code.to_frame(), has & code.notna(), key, out,
                               lambda v: f"“{_name(b.reference, v[0])}”")
        valid &= ~repeated
        target = b.unit(None).setdefault(section, {})
        for row, c, q, u in zip(code.index[valid], code[valid], quantities[valid], units[valid],
                                strict=True):
            target[c] = {"quantity": float(q), "unit": u}
            b.locations[f"{section}.{c}"] = (sheet, int(row))


def _name(reference: Reference, item: str) -> str:
    carrier = reference.carriers.get(item)
    return carrier.name_zh if carrier else dict(ELECTRICITY_FIELDS).get(item, item)


def _blank(table: _Table) -> pd.Series:
    return pd.Series(np.nan, index=table.frame.index, dtype=object)


def _member_column(table: _Table, b: _Builder, out: _Problems) -> pd.Series:
    member = _text(table, "member")
    unknown = member.notna() & ~member.isin(b.member_order)
    out.cells(table, unknown, "member", lambda r: f"所属企业“{_shown(member[r])}”不在“{MEMBERS}”表中；"
                                                  "园区自有设施请留空")
    return member.where(~unknown)


def _serials(table: _Table, key: str, out: _Problems) -> pd.Series:
    serial = _text(table, key)
    long = serial.str.len() > 80
    out.cells(table, long.fillna(False), key, "编号过长（最多 80 个字符）")
    pattern = serial.notna() & ~long.fillna(False) & ~serial.str.fullmatch(_SERIAL).fillna(False)
    out.cells(table, pattern, key, lambda r: f"编号“{_shown(serial[r])}”只能包含字母、数字和 . _ : / -")
    return serial.where(~(long.fillna(False) | pattern))


def _certificates(table: _Table, b: _Builder, out: _Problems, park: bool) -> None:
    member = _member_column(table, b, out) if park else _blank(table)
    serial = _serials(table, "serial", out)
    out.cells(table, _text(table, "serial").isna(), "serial", "请填写绿证起始编号")
    counts = _numbers(table, "count", out, integer=True, positive=True)
    counts = counts.where(table.frame["count"].notna(), 1.0)
    keys = pd.DataFrame({"member": member.fillna(""), "serial": serial})
    repeated = _duplicates(table, keys, serial.notna(), "serial", out,
                           lambda v: f"绿证编号“{v[1]}”", "每个编号段只能填一次")
    bad_member = _text(table, "member").notna() & member.isna()
    valid = serial.notna() & counts.notna() & ~repeated & ~bad_member
    for row, m, s, c in zip(serial.index[valid], member[valid], serial[valid], counts[valid],
                            strict=True):
        owner = None if pd.isna(m) else m
        blocks = b.unit(owner).setdefault("electricity", {}).setdefault("green_certificates", [])
        b.locations[f"{b.prefix(owner)}electricity.green_certificates[{len(blocks)}]"] = (
            table.sheet, int(row))
        blocks.append({"serial": s, "count": int(c)})


def _long_text(table: _Table, key: str, out: _Problems, limit: int) -> pd.Series:
    text = _text(table, key)
    long = text.str.len().gt(limit).fillna(False)
    out.cells(table, long, key, f"“{table.headers.get(key, key)}”过长（最多 {limit} 个字符）")
    return text.where(~long)


def _process(table: _Table, b: _Builder, out: _Problems, park: bool) -> None:
    member = _member_column(table, b, out) if park else _blank(table)
    source = _long_text(table, "source", out, 200)
    quantity = _numbers(table, "quantity", out)
    out.cells(table, table.frame["quantity"].isna(), "quantity", "请填写排放量")
    units = _units(table, "unit", table.frame["quantity"].notna(), UNITS["tCO2"], out)
    bad_member = _text(table, "member").notna() & member.isna()
    valid = quantity.notna() & units.notna() & ~bad_member & ~(
        _text(table, "source").notna() & source.isna())
    for row, m, s, q, u in zip(quantity.index[valid], member[valid], source[valid],
                               quantity[valid], units[valid], strict=True):
        owner = None if pd.isna(m) else m
        rows = b.unit(owner).setdefault("process_emissions", [])
        b.locations[f"{b.prefix(owner)}process_emissions[{len(rows)}]"] = (table.sheet, int(row))
        rows.append({"source": "—" if pd.isna(s) else s, "quantity": float(q), "unit": u})


def _product_energy_units(reference: Reference) -> list[str]:
    extra = sorted(set(reference.benchmarks["energy_unit"]) - set(UNITS["product_energy"]))
    return UNITS["product_energy"] + extra


def _products(table: _Table, b: _Builder, out: _Problems, park: bool) -> None:
    member = _member_column(table, b, out) if park else _blank(table)
    benchmark = _text(table, "benchmark")
    out.cells(table, benchmark.isna(), "benchmark", "请填写能效指标代码（从下拉列表选择）")
    unknown = benchmark.notna() & ~benchmark.isin(list(b.reference.benchmarks.index))
    out.cells(table, unknown, "benchmark",
              lambda r: f"能效对标表中没有“{_shown(benchmark[r])}”，请从下拉列表选择能效指标代码")
    output = _numbers(table, "output", out)
    energy = _numbers(table, "energy", out)
    out.cells(table, table.frame["output"].isna(), "output", "请填写产量")
    out.cells(table, table.frame["energy"].isna(), "energy", "请填写能耗")
    output_unit = _units(table, "output_unit", table.frame["output"].notna(), UNITS["t"], out)
    energy_unit = _units(table, "energy_unit", table.frame["energy"].notna(),
                         _product_energy_units(b.reference), out)
    bad_member = _text(table, "member").notna() & member.isna()
    valid = (benchmark.notna() & ~unknown & output.notna() & energy.notna() & output_unit.notna()
             & energy_unit.notna() & ~bad_member)
    for row, m, bid, o, ou, e, eu in zip(benchmark.index[valid], member[valid], benchmark[valid],
                                         output[valid], output_unit[valid], energy[valid],
                                         energy_unit[valid], strict=True):
        owner = None if pd.isna(m) else m
        rows = b.unit(owner).setdefault("production", [])
        b.locations[f"{b.prefix(owner)}production[{len(rows)}]"] = (table.sheet, int(row))
        rows.append({"benchmark": bid, "output": {"quantity": float(o), "unit": ou},
                     "energy": {"quantity": float(e), "unit": eu}})


def _offsets(table: _Table, b: _Builder, out: _Problems) -> None:
    names = {**{k: k for k, _ in INSTRUMENTS}, **{v.lower(): k for k, v in INSTRUMENTS}}
    given = _text(table, "instrument")
    instrument = given.str.lower().map(names) if given.notna().any() else given
    out.cells(table, given.isna(), "instrument", "请填写类型（CCER、林业碳票或其他）")
    out.cells(table, given.notna() & instrument.isna(), "instrument",
              lambda r: f"类型“{_shown(given[r])}”不可用，应为：CCER、林业碳票、其他")
    serial = _serials(table, "serial", out)
    out.cells(table, _text(table, "serial").isna(), "serial", "请填写登记编号（起始）")
    counts = _numbers(table, "count", out, integer=True, positive=True)
    counts = counts.where(table.frame["count"].notna(), 1.0)
    quantity = _numbers(table, "quantity", out, positive=True)
    out.cells(table, table.frame["quantity"].isna(), "quantity", "请填写抵消量")
    units = _units(table, "unit", table.frame["quantity"].notna(), UNITS["tCO2"], out)
    repeated = _duplicates(table, pd.DataFrame({"i": instrument, "s": serial}),
                           serial.notna() & instrument.notna(), "serial", out,
                           lambda v: f"登记编号“{v[1]}”", "每个编号段只能填一次")
    valid = (instrument.notna() & serial.notna() & counts.notna() & quantity.notna()
             & units.notna() & ~repeated)
    rows = []
    for row, i, s, c, q, u in zip(serial.index[valid], instrument[valid], serial[valid],
                                  counts[valid], quantity[valid], units[valid], strict=True):
        b.locations[f"offsets[{len(rows)}]"] = (table.sheet, int(row))
        rows.append({"instrument": i, "serial": s, "count": int(c), "quantity": float(q),
                     "unit": u})
    if rows:
        b.data["offsets"] = rows


def _declarations(table: _Table, b: _Builder, out: _Problems) -> None:
    criteria = b.criteria
    titles = {d.title.zh: d.id for d in criteria.model.declarations}
    answer = _text(table, "answer")
    code = _resolve(table, "declaration", "title" if "title" in table.frame else None,
                    criteria.declarations_by_id, titles, out, "声明代码", answer.notna())
    repeated = _duplicates(table, code.to_frame(), code.notna(), "declaration", out,
                           lambda v: f"声明“{v[0]}”", "每项声明只能回答一次")
    answers = {}
    for row in code.index[(code.notna() & answer.notna() & ~repeated).to_numpy()]:
        declaration = criteria.declarations_by_id[code[row]]
        value = _answer(declaration, answer[row])
        if value is None:
            out.cell(table, int(row), "answer", f"回答“{_shown(answer[row])}”不可用，应为："
                                                f"{'、'.join(_choices(declaration))}")
            continue
        answers[declaration.id] = value
        b.locations[f"declarations.{declaration.id}"] = (table.sheet, int(row))
    if answers:
        b.data["declarations"] = {d.id: answers[d.id] for d in criteria.model.declarations
                                  if d.id in answers}


def _choices(declaration) -> list[str]:
    if declaration.type == "boolean":
        return [YES, NO]
    return [declaration.option_titles[o].zh if o in declaration.option_titles else o
            for o in declaration.options]


def _answer(declaration, text: str):
    lowered = text.strip().lower()
    if declaration.type == "boolean":
        return True if lowered in _YES else False if lowered in _NO else None
    for option in declaration.options:
        title = declaration.option_titles.get(option)
        if lowered in {option.lower(), *((title.zh.lower(), title.en.lower()) if title else ())}:
            return option
    return None


def _reported(table: _Table, b: _Builder, out: _Problems) -> None:
    criteria = b.criteria
    titles = {r.title.zh: r.id for r in criteria.model.reported}
    code = _resolve(table, "indicator", "title" if "title" in table.frame else None,
                    criteria.reported_by_id, titles, out, "指标代码",
                    table.frame["value"].notna())
    values = _numbers(table, "value", out, negative=True)
    unit = _text(table, "unit")
    repeated = _duplicates(table, code.to_frame(), code.notna() & values.notna(), "indicator",
                           out, lambda v: f"指标“{v[0]}”", "每个指标只能填一行")
    reported = {}
    for row in code.index[(code.notna() & values.notna() & ~repeated).to_numpy()]:
        figure = criteria.reported_by_id[code[row]]
        given = unit[row]
        if isinstance(given, str) and given.replace("％", "%") != figure.unit:
            out.cell(table, int(row), "unit", f"单位固定为“{figure.unit}”，请勿修改（填写的是“{_shown(given)}”）")
            continue
        reported[figure.id] = {"quantity": float(values[row]), "unit": figure.unit}
        b.locations[f"reported.{figure.id}"] = (table.sheet, int(row))
    if reported:
        b.data["reported"] = {r.id: reported[r.id] for r in criteria.model.reported
                              if r.id in reported}


def _members(table: _Table, b: _Builder, out: _Problems) -> None:
    items, names = _items(b.reference)
    name = _long_text(table, "name", out, 200)
    out.cells(table, _text(table, "name").isna(), "name", "请填写企业名称")
    uscc = _text(table, "uscc").str.upper()
    long = uscc.str.len().gt(18).fillna(False)
    out.cells(table, long, "uscc", "统一社会信用代码应为 18 位")
    first_rows: dict[str, int] = {}
    codes: dict[str, str] = {}
    for row, n, u in zip(name.index, name, uscc.where(~long), strict=True):
        if pd.isna(n):
            continue
        if n not in first_rows:
            first_rows[n] = int(row)
            b.member_order.append(n)
            b.members[n] = {"name": n, "uscc": "" if pd.isna(u) else u}
            b.locations[f"members[{len(b.member_order) - 1}]"] = (table.sheet, int(row))
            codes[n] = "" if pd.isna(u) else u
        elif not pd.isna(u) and u != codes[n]:
            if codes[n]:
                out.cell(table, int(row), "uscc", f"企业“{n}”的统一社会信用代码与第 {first_rows[n]} 行不一致")
            else:
                codes[n] = b.members[n]["uscc"] = u
    item = _resolve(table, "item", None, items, names, out, "项目（能源品种或电力项目）",
                    table.frame["quantity"].notna())
    quantities = _numbers(table, "quantity", out)
    has = table.frame["quantity"].notna()
    allowed = item.map(lambda c: UNITS[items[c][2]] if isinstance(c, str) else None)
    units = _units(table, "unit", has & item.notna(), allowed, out)
    repeated = _duplicates(table, pd.DataFrame({"n": name, "i": item}),
                           has & item.notna() & name.notna(), "item", out,
                           lambda v: f"企业“{v[0]}”的“{_name(b.reference, v[1])}”")
    valid = name.notna() & has & item.notna() & quantities.notna() & units.notna() & ~repeated
    for row, n, i, q, u in zip(item.index[valid], name[valid], item[valid], quantities[valid],
                               units[valid], strict=True):
        section = items[i][0]
        b.unit(n).setdefault(section, {})[i] = {"quantity": float(q), "unit": u}
        b.locations[f"{b.prefix(n)}{section}.{i}"] = (table.sheet, int(row))


def _unit_data(unit: dict) -> dict:
    """One accounting unit in the form's shape: electricity fields in the form's order."""
    out: dict = {}
    if unit.get("energy"):
        out["energy"] = unit["energy"]
    electricity = unit.get("electricity") or {}
    ordered = {f: electricity[f] for f, _ in ELECTRICITY_FIELDS if f in electricity}
    if electricity.get("green_certificates"):
        ordered["green_certificates"] = electricity["green_certificates"]
    if ordered:
        out["electricity"] = ordered
    for key in ("process_emissions", "production"):
        if unit.get(key):
            out[key] = unit[key]
    return out


def _template_criteria_id(raw: pd.DataFrame | None) -> str | None:
    if raw is None or raw.empty or raw.shape[1] < 2:
        return None
    labels = raw.iloc[:, 0].map(_as_text)
    hits = raw.iloc[:, 1][labels.eq("评价标准编号").to_numpy()]
    return _as_text(hits.iloc[0]) if len(hits) else None


def parse_workbook(content: bytes, engine: Engine, criteria_id: str, *, year: int,
                   organisation: dict | None = None) -> ParseResult:
    """The submission in an uploaded workbook, checked cell by cell and then by the engine.
    Any problem at all: `data` is None and every problem is listed."""
    criteria = engine.criteria(criteria_id)
    out = _Problems()
    message = _file_problem(content)
    if message:
        return ParseResult(None, [SheetProblem(FILE, None, None, None, message)])
    try:
        book = pd.ExcelFile(io.BytesIO(content), engine="openpyxl")
        names = list(book.sheet_names)
    except Exception:  # openpyxl raises many kinds for a damaged file
        return ParseResult(None, [SheetProblem(FILE, None, None, None,
                                               "无法读取该 Excel 文件，文件可能已损坏；请重新下载模板填写")])
    park = criteria.subject == "park"
    expected = data_sheets(criteria.subject)
    for sheet in expected:
        if sheet not in names:
            out.add(sheet, None, None, None, f"缺少工作表“{sheet}”（可能被改名或删除）；请勿重命名、删除工作表")
    for sheet in names:
        if sheet not in expected and sheet not in (INTRO, EXAMPLE, LISTS):
            hint = "；这是园区模板才有的工作表，请下载本申报的模板" if sheet == MEMBERS else ""
            out.add(sheet, None, None, None, f"不认识的工作表“{sheet}”（请勿重命名或新增工作表）{hint}")
    wanted = [s for s in (*expected, INTRO) if s in names]
    try:
        raws = pd.read_excel(book, sheet_name=wanted, header=None, dtype=object,
                             keep_default_na=False, na_values=[])
    except Exception:
        return ParseResult(None, [*out.items, SheetProblem(
            FILE, None, None, None, "无法读取工作表内容，文件可能已损坏；请重新下载模板填写")])
    template_id = _template_criteria_id(raws.get(INTRO))
    if template_id and template_id != criteria.id:
        out.add(INTRO, None, "B", "评价标准编号",
                f"该文件是评价标准“{template_id}”的模板，本申报使用“{criteria.id}”；请下载本申报的模板后填写")
    tables = {}
    for sheet in expected:
        if sheet in raws:
            table = _read_table(raws[sheet], sheet, _columns(sheet, park), out)
            if table is not None:
                tables[sheet] = table
    structural = bool(out.items)
    for sheet, cells in _error_cells(content, set(tables)).items():
        headers = {letter: tables[sheet].headers[key] for key, letter in
                   tables[sheet].letters.items()}
        for row, letter, error in cells:
            if row > 1:
                out.add(sheet, row, letter, headers.get(letter),
                        f"单元格为错误值 {error}（公式出错），请改为数字或留空")

    b = _Builder(criteria, engine.reference)
    if park and MEMBERS in tables:
        _members(tables[MEMBERS], b, out)
    _fixed_amounts(tables, b, out)
    for sheet, parse in ((CERTIFICATES, _certificates), (PROCESS, _process),
                         (PRODUCTS, _products)):
        if sheet in tables:
            parse(tables[sheet], b, out, park)
    for sheet, parse in ((OFFSETS, _offsets), (DECLARATIONS, _declarations),
                         (REPORTED, _reported)):
        if sheet in tables:
            parse(tables[sheet], b, out)

    data = {"subject": criteria.subject, "reporting_year": year}
    if organisation is not None:
        data["organisation"] = organisation
    data.update(_unit_data(b.unit(None)))
    data.update({k: b.data[k] for k in ("offsets", "declarations", "reported") if k in b.data})
    if park and b.member_order:
        data["members"] = [{**b.members[n], **_unit_data(b.unit(n))} for n in b.member_order]

    result = None
    if not structural:
        try:
            result = engine.score(data, criteria.id)
        except SubmissionError as error:
            cell_problems = bool(out.items)
            for problem in error.problems:
                sheet, row, key = _locate(problem.path, b.locations, park)
                if cell_problems and (row is None or (sheet, row) in out.rows):
                    continue  # already explained at the cell, or a consequence of it
                table = tables.get(sheet)
                letter = table.letters.get(key) if table and key else None
                header = table.headers.get(key) if table and key else None
                out.add(sheet, row, letter, header, problem.zh)
    order = {s: i for i, s in enumerate([FILE, INTRO, *expected])}
    problems = sorted(out.items, key=lambda p: (order.get(p.sheet, len(order)), p.row or 0,
                                                ord_(p.column) if p.column else -1))
    if problems:
        return ParseResult(None, problems)
    return ParseResult(data, [], result)


# -- engine problems back to cells -------------------------------------------------------------

_TOKENS = re.compile(r"[^.\[\]]+|\[\d+\]")
_COLUMNS_BY_SHEET = {
    ENERGY: ({"unit": "unit", "quantity": "quantity"}, "quantity"),
    ELECTRICITY: ({"unit": "unit", "quantity": "quantity"}, "quantity"),
    CERTIFICATES: ({"serial": "serial", "count": "count"}, "serial"),
    PROCESS: ({"source": "source", "quantity": "quantity", "unit": "unit"}, "quantity"),
    PRODUCTS: ({"benchmark": "benchmark", "output": "output", "output.quantity": "output",
                "output.unit": "output_unit", "energy": "energy", "energy.quantity": "energy",
                "energy.unit": "energy_unit"}, "benchmark"),
    OFFSETS: ({"instrument": "instrument", "serial": "serial", "count": "count",
               "quantity": "quantity", "unit": "unit"}, "serial"),
    DECLARATIONS: ({}, "answer"),
    REPORTED: ({"quantity": "value", "unit": "unit"}, "value"),
    MEMBERS: ({"name": "name", "uscc": "uscc", "unit": "unit", "quantity": "quantity"}, None),
}


def _join(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        text += token if token.startswith("[") or not text else f".{token}"
    return text


def _locate(path: str, locations: dict[str, tuple[str, int]],
            park: bool) -> tuple[str, int | None, str | None]:
    """(sheet, row, column key) of an engine problem's JSON path."""
    path = re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", path)  # pydantic's members.0.name
    tokens = _TOKENS.findall(path)
    for end in range(len(tokens), 0, -1):
        found = locations.get(_join(tokens[:end]))
        if found:
            sheet, row = found
            rest = _join(tokens[end:])
            by_rest, default = _COLUMNS_BY_SHEET[sheet]
            if sheet == MEMBERS and end == 2:  # members[m] itself
                default = "name"
            elif sheet == MEMBERS:
                default = "quantity"
            return sheet, row, by_rest.get(rest, by_rest.get(rest.rsplit(".", 1)[-1], default))
    names = [t for t in tokens if not t.startswith("[")]
    for token, sheet in (("green_certificates", CERTIFICATES), ("process_emissions", PROCESS),
                         ("production", PRODUCTS), ("offsets", OFFSETS),
                         ("declarations", DECLARATIONS), ("reported", REPORTED)):
        if token in names:
            return sheet, None, None
    if park and names[:1] == ["members"]:
        return MEMBERS, None, None
    if names[:1] == ["energy"]:
        return ENERGY, None, None
    if names[:1] == ["electricity"]:
        return ELECTRICITY, None, None
    return INTRO, None, None


# -- the template ------------------------------------------------------------------------------

def _option_title(declaration, option: str) -> str:
    title = declaration.option_titles.get(option)
    return title.zh if title else option


def _sheet_rows(criteria: CriteriaSet, reference: Reference, data: dict) -> dict[str, list[list]]:
    """The rows of every data sheet (without headers) for `data`."""
    park = criteria.subject == "park"
    rows: dict[str, list[list]] = {s: [] for s in data_sheets(criteria.subject)}
    energy = data.get("energy") or {}
    for carrier in reference.carriers.values():
        amount = energy.get(carrier.id) or {}
        rows[ENERGY].append([carrier.id, carrier.name_zh, amount.get("quantity"),
                             amount.get("unit") or UNITS[carrier.unit][0]])
    for carrier_id, amount in energy.items():  # kept so that the check can point at it
        if carrier_id not in reference.carriers:
            rows[ENERGY].append([carrier_id, "", amount.get("quantity"), amount.get("unit")])
    electricity = data.get("electricity") or {}
    for name, label in ELECTRICITY_FIELDS:
        amount = electricity.get(name) or {}
        rows[ELECTRICITY].append([name, label, amount.get("quantity"),
                                  amount.get("unit") or "MWh"])
    units = [(None, data)] + [(m.get("name") or "", m) for m in data.get("members") or []]
    for owner, unit in units:
        lead = [owner] if park else []
        for block in (unit.get("electricity") or {}).get("green_certificates") or []:
            rows[CERTIFICATES].append([*lead, block.get("serial"), block.get("count")])
        for process in unit.get("process_emissions") or []:
            rows[PROCESS].append([*lead, process.get("source"), process.get("quantity"),
                                  process.get("unit")])
        for product in unit.get("production") or []:
            bid = product.get("benchmark")
            rows[PRODUCTS].append([*lead, bid, _benchmark_title(reference, bid),
                                   (product.get("output") or {}).get("quantity"),
                                   (product.get("output") or {}).get("unit"),
                                   (product.get("energy") or {}).get("quantity"),
                                   (product.get("energy") or {}).get("unit")])
    titles = dict(INSTRUMENTS)
    for offset in data.get("offsets") or []:
        rows[OFFSETS].append([titles.get(offset.get("instrument"), offset.get("instrument")),
                              offset.get("serial"), offset.get("count"), offset.get("quantity"),
                              offset.get("unit")])
    answers = data.get("declarations") or {}
    for d in criteria.model.declarations:
        value = answers.get(d.id)
        if value is None:
            shown = None
        elif d.type == "boolean":
            shown = YES if value is True else NO if value is False else str(value)
        else:
            shown = _option_title(d, value) if value in d.options else str(value)
        rows[DECLARATIONS].append([d.id, d.title.zh, shown, "、".join(_choices(d))])
    reported = data.get("reported") or {}
    for r in criteria.model.reported:
        low = "" if r.min is None else f"{r.min:g}"
        high = "" if r.max is None else f"{r.max:g}"
        rows[REPORTED].append([r.id, r.title.zh, (reported.get(r.id) or {}).get("quantity"),
                               r.unit, f"{low}–{high}" if low or high else ""])
    if park:
        for member in data.get("members") or []:
            name, uscc = member.get("name"), member.get("uscc") or None
            before = len(rows[MEMBERS])
            for values in (member.get("energy") or {}, member.get("electricity") or {}):
                for item, amount in values.items():
                    if item == "green_certificates" or not isinstance(amount, dict):
                        continue
                    rows[MEMBERS].append([name, uscc, _name(reference, item),
                                          amount.get("quantity"), amount.get("unit")])
            if len(rows[MEMBERS]) == before:
                rows[MEMBERS].append([name, uscc, None, None, None])
    return rows


def _benchmark_title(reference: Reference, bid) -> str:
    if bid not in reference.benchmarks.index:
        return ""
    row = reference.benchmarks.loc[bid]
    return f"{row['product_zh']}：{row['indicator_zh']}（{row['unit']}）"


_HEADER_FILL = PatternFill("solid", fgColor="D9EAD3")
_INFO_FONT = Font(color="666666")
_BOLD = Font(bold=True)
_VALIDATION_ROWS = 2000


class _Lists:
    """The hidden 代码表 sheet: the values every drop-down list refers to."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.next_column = 5  # A–C: the benchmark table
        self.ranges: dict[str, str] = {}

    def range(self, title: str, values: list[str]) -> str:
        key = title + "|" + "|".join(values)
        if key not in self.ranges:
            letter = get_column_letter(self.next_column)
            self.sheet.cell(row=1, column=self.next_column, value=title).font = _BOLD
            for i, value in enumerate(values, start=2):
                self.sheet.cell(row=i, column=self.next_column, value=value)
            self.ranges[key] = f"'{LISTS}'!${letter}$2:${letter}${len(values) + 1}"
            self.next_column += 1
        return self.ranges[key]


def _list_validation(ws, formula: str, cells: str, title: str) -> None:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True,
                                showErrorMessage=True, errorTitle="不可用的值",
                                error=f"请从下拉列表选择{title}")
    for cell_range in cells.split():
        validation.add(cell_range)
    ws.add_data_validation(validation)


def _number_validation(ws, cells: str, whole: bool = False) -> None:
    validation = DataValidation(type="whole" if whole else "decimal", operator="between",
                                formula1="1" if whole else "0",
                                formula2=str(MAX_COUNT) if whole else "1000000000000",
                                allow_blank=True, showErrorMessage=True, errorTitle="数值不正确",
                                error="请填写 1 至 10,000,000 的整数" if whole
                                else "请填写不小于 0 的数字，不要带单位")
    validation.add(cells)
    ws.add_data_validation(validation)


def _write_sheet(ws, columns: list[Column], rows: list[list]) -> None:
    for position, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=position, value=column.header)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        letter = get_column_letter(position)
        ws.column_dimensions[letter].width = column.width
        if column.text:
            ws.column_dimensions[letter].number_format = "@"
    for r, values in enumerate(rows, start=2):
        for c, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c, value=str(value) if column.text else value)
            if column.text:
                cell.number_format = "@"
            if column.info:
                cell.font = _INFO_FONT
    ws.freeze_panes = "A2"


def _letter(columns: list[Column], key: str) -> str:
    return get_column_letter(next(i for i, c in enumerate(columns, start=1) if c.key == key))


def _validations(ws, sheet: str, columns: list[Column], rows: list[list], lists: _Lists,
                 criteria: CriteriaSet, reference: Reference) -> None:
    last = max(len(rows) + 1, _VALIDATION_ROWS)

    def span(key: str) -> str:
        letter = _letter(columns, key)
        return f"{letter}2:{letter}{last}"

    for column in columns:
        if column.key in ("quantity", "output", "energy"):
            _number_validation(ws, span(column.key))
        elif column.key == "count":
            _number_validation(ws, span("count"), whole=True)
    if sheet == ENERGY:
        by_kind: dict[str, list[str]] = {}
        unit_letter = _letter(columns, "unit")
        for r, values in enumerate(rows, start=2):
            carrier = reference.carriers.get(values[0])
            if carrier:
                by_kind.setdefault(carrier.unit, []).append(f"{unit_letter}{r}")
        for kind, cells in by_kind.items():
            _list_validation(ws, lists.range(f"单位（{kind}）", UNITS[kind]), " ".join(cells),
                             "单位")
    elif sheet == ELECTRICITY:
        _list_validation(ws, lists.range("单位（MWh）", UNITS["MWh"]), span("unit"), "单位")
    elif sheet == PROCESS:
        _list_validation(ws, lists.range("单位（tCO2）", UNITS["tCO2"]), span("unit"), "单位")
    elif sheet == PRODUCTS:
        count = len(reference.benchmarks.index)
        _list_validation(ws, f"'{LISTS}'!$A$2:$A${count + 1}", span("benchmark"), "能效指标代码")
        _list_validation(ws, lists.range("产量单位", UNITS["t"]), span("output_unit"), "产量单位")
        _list_validation(ws, lists.range("能耗单位", _product_energy_units(reference)),
                         span("energy_unit"), "能耗单位")
    elif sheet == OFFSETS:
        _list_validation(ws, lists.range("碳抵消类型", [t for _, t in INSTRUMENTS]),
                         span("instrument"), "类型")
        _list_validation(ws, lists.range("单位（tCO2）", UNITS["tCO2"]), span("unit"), "单位")
    elif sheet == DECLARATIONS:
        answer = _letter(columns, "answer")
        for r, declaration in enumerate(criteria.model.declarations, start=2):
            _list_validation(ws, lists.range(f"回答：{declaration.id}", _choices(declaration)),
                             f"{answer}{r}", "回答")
    elif sheet == MEMBERS:
        items = [c.name_zh for c in reference.carriers.values()] + [
            label for _, label in ELECTRICITY_FIELDS]
        _list_validation(ws, lists.range("园区企业项目", items), span("item"), "项目")
        every = list(dict.fromkeys(u for kind in ("t", "m3", "GJ", "MWh") for u in UNITS[kind]))
        _list_validation(ws, lists.range("园区企业单位", every), span("unit"), "单位")


def _intro(ws, criteria: CriteriaSet, year: int | None, sheets: list[str]) -> None:
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 110
    lines: list[tuple] = [
        (f"{criteria.title.zh} · 自评价数据 Excel 模板",),
        ("评价标准编号", criteria.id),
        ("评价标准", f"{criteria.title.zh}（{criteria.title.en}）"),
        ("数据年度", year or ""),
        ("模板格式版本", "1"),
        (),
        ("填写说明",),
        ("1", "每个工作表第 1 行是列标题，请勿修改、删除或移动列标题，也不要重命名、删除或新增工作表；"
              "从第 2 行起填写数据，空行会被忽略。"),
        ("2", "数量只填数字（可带千位分隔符），不要带单位或文字；单位在“单位”列从下拉列表选择，"
              "可用“万”（如 万Nm3、万kWh、万t）。"),
        ("3", "数量不能为负数，也不能超过 10¹²；张数、编号个数为正整数。公式请在 Excel 中计算并保存后再上传。"),
        ("4", "上传后系统逐表、逐行检查，并用评价引擎核算；有任何问题都会列出工作表、行号和列，草稿不会有任何改动。"),
        ("5", "没有问题时，系统先列出将发生变化的每一项（原值 → 新值），确认后才保存。"
              "导入会以本文件的内容整体替换草稿中的填报数据，文件里删除的数据在草稿中也会被删除。"),
        ("6", "“示例”工作表是一个填好的样例，仅供参考，不会被导入；“代码表”（隐藏）列出下拉选项。"),
        (),
        ("工作表", "内容"),
    ]
    lines += [(sheet, _PURPOSE[sheet][0]) for sheet in sheets]
    lines += [
        (),
        ("Instructions (English)",),
        ("1", "Row 1 of every sheet holds the column headers: do not rename, delete or move them, "
              "and do not rename, delete or add sheets. Data starts in row 2; blank rows are "
              "ignored."),
        ("2", "Quantities are plain numbers (no units or text); pick the unit from the list in "
              "the unit column. Units may carry 万 (10⁴), e.g. 万Nm3, 万kWh."),
        ("3", "No negative numbers, nothing above 10¹²; counts are positive whole numbers. "
              "Formulas must be calculated and saved in Excel before uploading."),
        ("4", "The upload is checked sheet by sheet and by the criteria engine; every problem is "
              "listed with its sheet, row and column, and the draft is left unchanged."),
        ("5", "Without problems you see every value that will change (old → new) and confirm "
              "before anything is saved. The workbook replaces the draft's data as a whole."),
        ("6", "The 示例 sheet is a filled example and is never imported."),
        (),
        ("Sheet", "Content"),
    ]
    lines += [(sheet, _PURPOSE[sheet][1]) for sheet in sheets]
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(line, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if len(line) == 1 or line[:1] in (("工作表",), ("Sheet",)):
            for c in range(1, len(line) + 1):
                ws.cell(row=r, column=c).font = _BOLD
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)


def example_submission(criteria: CriteriaSet, reference: Reference) -> dict:
    """A filled example for the 示例 sheet: a factory, or a park with two members."""
    benchmark = ("cement_clinker_energy" if "cement_clinker_energy" in reference.benchmarks.index
                 else reference.benchmarks.index[0])
    factory = {
        "energy": {"natural_gas": {"quantity": 10, "unit": "万Nm3"},
                   "diesel": {"quantity": 12.5, "unit": "t"}},
        "electricity": {
            "grid_purchase": {"quantity": 20000, "unit": "MWh"},
            "green_power_trading": {"quantity": 12000, "unit": "MWh"},
            "direct_green_supply": {"quantity": 600, "unit": "万kWh"},
            "onsite_renewable_self_used": {"quantity": 6000, "unit": "MWh"},
            "green_certificates": [{"serial": "GEC202300000001", "count": 8000}],
        },
        "process_emissions": [{"source": "熟料煅烧", "quantity": 1200, "unit": "tCO2"}],
        "production": [{"benchmark": benchmark, "output": {"quantity": 50, "unit": "万t"},
                        "energy": {"quantity": 49000, "unit": "tce"}}],
    }
    data: dict = {"offsets": [{"instrument": "ccer", "serial": "CCER-GZ-000001", "count": 300,
                               "quantity": 300, "unit": "tCO2e"}]}
    data["declarations"] = {d.id: True if d.type == "boolean" else d.options[0]
                            for d in criteria.model.declarations}
    data["reported"] = {r.id: {"quantity": 90 if r.max is None or r.max >= 90 else r.max,
                               "unit": r.unit} for r in criteria.model.reported}
    if criteria.subject == "park":
        data["electricity"] = {"grid_purchase": {"quantity": 1500, "unit": "MWh"}}
        data["members"] = [
            {"name": "贵州示例材料有限公司", "uscc": "", **factory},
            {"name": "贵州示例电子有限公司", "uscc": "",
             "energy": {"natural_gas": {"quantity": 3, "unit": "万Nm3"}},
             "electricity": {"grid_purchase": {"quantity": 9000, "unit": "MWh"}}},
        ]
    else:
        data.update(factory)
    return data


def _example(ws, criteria: CriteriaSet, reference: Reference) -> None:
    park = criteria.subject == "park"
    rows = _sheet_rows(criteria, reference, example_submission(criteria, reference))
    title = "示例（仅供参考，不会被导入）：各工作表填好后的样子。能源消费、电力只列出有数量的行。"
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
    r = 3
    for sheet in data_sheets(criteria.subject):
        columns = _columns(sheet, park)
        ws.cell(row=r, column=1, value=f"【{sheet}】").font = _BOLD
        r += 1
        for c, column in enumerate(columns, start=1):
            cell = ws.cell(row=r, column=c, value=column.header)
            cell.font, cell.fill = _BOLD, _HEADER_FILL
        r += 1
        shown = rows[sheet]
        if sheet in (ENERGY, ELECTRICITY):
            shown = [row for row in shown if row[2] is not None]
        for values in shown:
            for c, value in enumerate(values, start=1):
                ws.cell(row=r, column=c, value=value)
            r += 1
        r += 1
    for c in range(1, 8):
        ws.column_dimensions[get_column_letter(c)].width = 24


def build_template(criteria: CriteriaSet, reference: Reference, data: dict | None = None, *,
                   year: int | None = None) -> bytes:
    """The workbook (.xlsx bytes) for `criteria`, prefilled with `data` when given."""
    data = data or {}
    park = criteria.subject == "park"
    workbook = Workbook()
    intro = workbook.active
    intro.title = INTRO
    sheets = data_sheets(criteria.subject)
    _intro(intro, criteria, year or data.get("reporting_year"), sheets)
    lists_sheet = workbook.create_sheet(LISTS)
    for c, title in enumerate(("能效指标代码", "产品及能效指标", "单位"), start=1):
        lists_sheet.cell(row=1, column=c, value=title).font = _BOLD
    for r, bid in enumerate(reference.benchmarks.index, start=2):
        row = reference.benchmarks.loc[bid]
        lists_sheet.cell(row=r, column=1, value=bid)
        lists_sheet.cell(row=r, column=2, value=f"{row['product_zh']}：{row['indicator_zh']}")
        lists_sheet.cell(row=r, column=3, value=row["unit"])
    lists = _Lists(lists_sheet)
    rows = _sheet_rows(criteria, reference, data)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet, index=len(workbook.sheetnames) - 1)
        columns = _columns(sheet, park)
        _write_sheet(ws, columns, rows[sheet])
        _validations(ws, sheet, columns, rows[sheet], lists, criteria, reference)
        ws.cell(row=1, column=1).comment = Comment(_PURPOSE[sheet][0], "assessor", width=300,
                                                   height=120)
    example = workbook.create_sheet(EXAMPLE, index=len(workbook.sheetnames) - 1)
    _example(example, criteria, reference)
    lists_sheet.sheet_state = "hidden"
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- describing changes for the preview --------------------------------------------------------

_FIELD_ZH = {"quantity": "数量", "unit": "单位", "source": "排放源", "benchmark": "能效指标",
             "registry": "登记机构", "name": "企业名称", "uscc": "统一社会信用代码"}
_FIELD_BY_SHEET = {
    CERTIFICATES: {"serial": "起始编号", "count": "张数"},
    PROCESS: {"quantity": "排放量"},
    OFFSETS: {"instrument": "类型", "serial": "登记编号（起始）", "count": "连续编号个数",
              "quantity": "抵消量"},
    REPORTED: {"quantity": "数值"},
}
ORGANISATION = "单位信息"


def describe_path(path: str, criteria: CriteriaSet, reference: Reference,
                  members: list[dict] | None = None) -> tuple[str, str]:
    """(sheet, item) in Chinese for a JSON path of the submission, for the preview.
    `members` gives the names behind members[i]."""
    tokens = _TOKENS.findall(path)
    names = [t for t in tokens if not t.startswith("[")]
    indexes = [int(t[1:-1]) for t in tokens if t.startswith("[")]
    owner = ""
    if names[:1] == ["members"] and indexes:
        member = (members or [])[indexes[0]] if indexes[0] < len(members or []) else {}
        owner = f"企业“{member.get('name') or f'第 {indexes[0] + 1} 家'}” · "
        names, indexes = names[1:], indexes[1:]
        if len(names) == 1 and names[0] in ("name", "uscc"):
            return MEMBERS, owner + _FIELD_ZH[names[0]]
    head = names[0] if names else ""
    number = f"第 {indexes[-1] + 1} 条" if indexes else ""

    def field(sheet: str) -> str:
        leaf = names[-1] if names else path
        return _FIELD_BY_SHEET.get(sheet, {}).get(leaf) or _FIELD_ZH.get(leaf, leaf)

    if head == "organisation":
        return ORGANISATION, {"name": "名称", "uscc": "统一社会信用代码", "region": "地区"}.get(
            names[-1], names[-1])
    if head in ("energy", "electricity") and len(names) >= 2:
        if names[1] == "green_certificates":
            return CERTIFICATES, f"{owner}{number} · {field(CERTIFICATES)}"
        sheet = MEMBERS if owner else ENERGY if head == "energy" else ELECTRICITY
        return sheet, f"{owner}{_name(reference, names[1])} · {field(sheet)}"
    if head == "process_emissions":
        return PROCESS, f"{owner}{number} · {field(PROCESS)}"
    if head == "production":
        part = {"output": "产量", "energy": "能耗"}.get(names[1], "") if len(names) > 1 else ""
        label = f"{part}{'单位' if names[-1] == 'unit' else ''}" if part else field(PRODUCTS)
        return PRODUCTS, f"{owner}{number} · {label}"
    if head == "offsets":
        return OFFSETS, f"{number} · {field(OFFSETS)}"
    if head == "declarations" and len(names) > 1:
        d = criteria.declarations_by_id.get(names[1])
        return DECLARATIONS, d.title.zh if d else names[1]
    if head == "reported" and len(names) > 1:
        r = criteria.reported_by_id.get(names[1])
        return REPORTED, f"{r.title.zh if r else names[1]} · {field(REPORTED)}"
    if head == "expert_scores":
        return "专家评分", names[-1]
    return "其他", path


def change_order(subject: str, reference: Reference):
    """A sort key for (sheet, path): members together, then the workbook's sheets in order,
    rows as the template lists them (carriers, electricity items), quantity before unit."""
    order = {s: i for i, s in enumerate([ORGANISATION, *data_sheets(subject)])}
    rows = {k: i for i, k in enumerate([*reference.carriers, *(f for f, _ in ELECTRICITY_FIELDS),
                                        "green_certificates", "quantity", "unit"])}

    def key(sheet: str, path: str) -> tuple:
        parts = tuple((0, int(t[1:-1]), "") if t.startswith("[") else (1, rows.get(t, -1), t)
                      for t in _TOKENS.findall(path))
        member_first = parts[:2] if parts[:1] == ((1, -1, "members"),) else ()
        return (member_first, order.get(sheet, len(order)), parts)

    return key


def format_value(path: str, value, criteria: CriteriaSet, reference: Reference | None = None
                 ) -> str:
    """A value as the preview shows it: 是/否, option titles, benchmark names, plain numbers."""
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return YES if value else NO
    names = [t for t in _TOKENS.findall(path) if not t.startswith("[")]
    if names[:1] == ["declarations"] and len(names) > 1 and isinstance(value, str):
        d = criteria.declarations_by_id.get(names[1])
        if d is not None and value in d.options:
            return _option_title(d, value)
    if names[-1:] == ["instrument"]:
        return dict(INSTRUMENTS).get(value, value)
    if names[-1:] == ["benchmark"] and reference is not None and isinstance(value, str):
        title = _benchmark_title(reference, value)
        return f"{value}（{title}）" if title else value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        if isinstance(value, int):
            return f"{value:,}"
        return f"{value:,.6f}".rstrip("0").rstrip(".") if abs(value) >= 1e-4 else f"{value:g}"
    return str(value)


__all__ = ["FILE", "ParseResult", "SheetProblem", "build_template", "change_order",
           "data_sheets", "describe_path", "example_submission", "format_value",
           "parse_workbook"]
