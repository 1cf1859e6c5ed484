"""Reading an uploaded workbook: the file checked, each sheet's header row checked, the sheets
parsed (sheets.py) and the submission scored by the engine, every problem at its cell."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

import pandas as pd
from openpyxl.utils import get_column_letter

from ...engine import Engine, SubmissionError
from .cells import _as_text, _strip, ord_
from .guard import ImportLimits, size_problem
from .layout import (
    ACTIVITY_SHEETS,
    EXAMPLE,
    FILE,
    INTRO,
    LISTS,
    MEMBERS,
    Column,
    _columns,
    data_sheets,
)
from .problems import SheetProblem, Text, _l, _locate, _Problems, pair
from .sheets import _submission
from .table import _Table


@dataclass
class ParseResult:
    """What parse_workbook finds: the submission and its result, or the problems."""

    data: dict | None  # the submission, when there are no problems
    problems: list[SheetProblem]
    result: dict | None = None  # the engine's result for `data`


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


def _file_problem(content: bytes, limits: ImportLimits) -> Text | None:
    if not content:
        return _l("文件为空，请上传填写好的 Excel 模板（.xlsx）")
    if content.startswith(b"%PDF"):
        return _l("这是 PDF 文件，不是 Excel 工作簿。请上传从本系统下载并填写的 .xlsx 模板")
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _l("这是旧版 .xls 文件或加密的工作簿，请在 Excel 中取消密码并另存为 .xlsx 后上传")
    if not content.startswith(b"PK\x03\x04"):
        return _l("文件不是 Excel 工作簿（.xlsx）。请上传从本系统下载并填写的模板，不要只修改扩展名")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                return _l("文件是压缩包但不是 Excel 工作簿（.xlsx），请上传从本系统下载的模板")
            return size_problem(archive, limits)  # before openpyxl opens it
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, zlib.error):
        return _l("文件已损坏，无法作为 Excel 工作簿打开")
    return None


def _read_table(raw: pd.DataFrame, sheet: str, columns: list[Column],
                out: _Problems) -> _Table | None:
    expected = [f"“{c.header}”" for c in columns]
    if raw.empty or raw.iloc[0].isna().all():
        out.add(sheet, 1, None, None,
                _l("第 1 行应为列标题：%(columns)s（请勿删除或移动标题行）", columns=expected))
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
                out.add(sheet, 1, letter, None, _l("%(letter)s 列有数据但没有列标题；本表的列为：%(columns)s",
                                                   letter=letter, columns=expected))
                ok = False
            continue
        header = _as_text(value)
        column = by_header.get(header)
        if column is None:
            out.add(sheet, 1, letter, header,
                    _l("列标题“%(header)s”不是本表的列（请勿修改或新增列标题）；本表的列为：%(columns)s",
                       header=header, columns=expected))
            ok = False
        elif column.key in letters:
            out.add(sheet, 1, letter, header, _l("列标题“%(header)s”重复（已在 %(letter)s 列）",
                                                 header=header, letter=letters[column.key]))
            ok = False
        else:
            letters[column.key], headers[column.key] = letter, header
    for column in columns:
        if (column.key not in letters and not column.info and not column.optional
                and column.key != "member"):
            out.add(sheet, 1, None, column.header,
                    _l("缺少列“%(header)s”（可能被改名或删除）；第 1 行应为列标题：%(columns)s",
                       header=column.header, columns=expected))
            ok = False
    if not ok:
        return None
    frame = pd.DataFrame({key: raw.iloc[1:, ord_(letter)] for key, letter in letters.items()})
    frame.index = frame.index + 1  # raw row 1 (after the header at 0) is Excel row 2
    data_keys = [c.key for c in columns if not c.info and c.key in letters]
    filled = frame[data_keys].notna().any(axis=1)
    return _Table(sheet, frame[filled.to_numpy(dtype=bool)], letters, headers)


def _template_criteria_id(raw: pd.DataFrame | None) -> str | None:
    if raw is None or raw.empty or raw.shape[1] < 2:
        return None
    labels = raw.iloc[:, 0].map(_as_text)
    hits = raw.iloc[:, 1][labels.eq("评价标准编号").to_numpy()]
    return _as_text(hits.iloc[0]) if len(hits) else None


def parse_workbook(content: bytes, engine: Engine, criteria_id: str, *, year: int,
                   organisation: dict | None = None, this_year: int | None = None,
                   limits: ImportLimits | None = None) -> ParseResult:
    """The submission in an uploaded workbook, checked cell by cell and then by the engine.
    Any problem at all: `data` is None and every problem is listed. A workbook over `limits`
    (guard.py) is refused before it is parsed. `this_year`: the current year (a later data
    year is refused; default: now, in Beijing)."""
    criteria = engine.criteria(criteria_id)
    out = _Problems()
    message = _file_problem(content, limits or ImportLimits())
    if message:
        return ParseResult(None, [SheetProblem(FILE, None, None, None, message)])
    try:
        book = pd.ExcelFile(io.BytesIO(content), engine="openpyxl")
        names = list(book.sheet_names)
    except Exception:  # openpyxl raises many kinds for a damaged file
        return ParseResult(None, [SheetProblem(FILE, None, None, None,
                                               _l("无法读取该 Excel 文件，文件可能已损坏；请重新下载模板填写"))])
    park = criteria.subject == "park"
    expected = data_sheets(criteria.subject)
    _check_sheet_names(names, expected, out)
    wanted = [s for s in (*expected, INTRO) if s in names]
    try:
        raws = pd.read_excel(book, sheet_name=wanted, header=None, dtype=object,
                             keep_default_na=False, na_values=[])
    except Exception:
        return ParseResult(None, [*out.items, SheetProblem(
            FILE, None, None, None, _l("无法读取工作表内容，文件可能已损坏；请重新下载模板填写"))])
    _check_template(raws.get(INTRO), criteria.id, out)
    tables = _tables(raws, expected, park, out)
    structural = bool(out.items)
    _check_formula_errors(content, tables, out)

    data, b = _submission(tables, criteria, criteria.reference, out, year=year,
                          organisation=organisation)

    result = None
    if not structural:
        result = _scored(engine, data, criteria.id, this_year, tables, b.locations, park, out)
    problems = _in_sheet_order(out.items, expected)
    if problems:
        return ParseResult(None, problems)
    return ParseResult(data, [], result)


def _check_sheet_names(names: list[str], expected: list[str], out: _Problems) -> None:
    """Every data sheet of the template there, and no sheet it does not have."""
    for sheet in expected:
        if sheet not in names and sheet not in ACTIVITY_SHEETS:  # those: an earlier template
            out.add(sheet, None, None, None,
                    _l("缺少工作表“%(sheet)s”（可能被改名或删除）；请勿重命名、删除工作表", sheet=sheet))
    for sheet in names:
        if sheet not in expected and sheet not in (INTRO, EXAMPLE, LISTS):
            hint = _l("；这是园区模板才有的工作表，请下载本申报的模板") if sheet == MEMBERS else ""
            out.add(sheet, None, None, None, _l("不认识的工作表“%(sheet)s”（请勿重命名或新增工作表）%(hint)s",
                                                sheet=sheet, hint=hint))


def _check_template(intro: pd.DataFrame | None, criteria_id: str, out: _Problems) -> None:
    """The template of this application's criteria, not another's (its 说明 sheet says)."""
    template_id = _template_criteria_id(intro)
    if template_id and template_id != criteria_id:
        out.add(INTRO, None, "B", "评价标准编号",
                _l("该文件是评价标准“%(template)s”的模板，本申报使用“%(criteria)s”；请下载本申报的模板后填写",
                   template=template_id, criteria=criteria_id))


def _tables(raws: dict[str, pd.DataFrame], expected: list[str], park: bool,
            out: _Problems) -> dict[str, _Table]:
    """The data sheets whose header row is right, as tables."""
    tables = {}
    for sheet in expected:
        if sheet in raws:
            table = _read_table(raws[sheet], sheet, _columns(sheet, park), out)
            if table is not None:
                tables[sheet] = table
    return tables


def _check_formula_errors(content: bytes, tables: dict[str, _Table], out: _Problems) -> None:
    """A problem at every data cell holding a formula's error value (#DIV/0! and the like)."""
    for sheet, cells in _error_cells(content, set(tables)).items():
        headers = {letter: tables[sheet].headers[key] for key, letter in
                   tables[sheet].letters.items()}
        for row, letter, error in cells:
            if row > 1:
                out.add(sheet, row, letter, headers.get(letter),
                        _l("单元格为错误值 %(error)s（公式出错），请改为数字或留空", error=error))


def _scored(engine: Engine, data: dict, criteria_id: str, this_year: int | None,
            tables: dict[str, _Table], locations: dict[str, tuple[str, int]], park: bool,
            out: _Problems) -> dict | None:
    """The engine's result, or None with the engine's problems put at their cells."""
    try:
        return engine.score(data, criteria_id, this_year=this_year)
    except SubmissionError as error:
        cell_problems = bool(out.items)
        for problem in error.problems:
            sheet, row, key = _locate(problem.path, locations, park)
            if cell_problems and (row is None or (sheet, row) in out.rows):
                continue  # already explained at the cell, or a consequence of it
            if sheet in tables:
                out.cell(tables[sheet], row, key, pair(problem.zh, problem.en))
            else:
                out.add(sheet, row, None, None, pair(problem.zh, problem.en))
        return None


def _in_sheet_order(problems: list[SheetProblem], expected: list[str]) -> list[SheetProblem]:
    """The file's problems first, then sheet by sheet in the template's order, row by row."""
    order = {s: i for i, s in enumerate([FILE, INTRO, *expected])}
    return sorted(problems, key=lambda p: (order.get(p.sheet, len(order)), p.row or 0,
                                           ord_(p.column) if p.column else -1))
