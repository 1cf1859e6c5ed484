"""The workbook for a criteria set: instructions, the data sheets (prefilled when a submission
is given) with their drop-down lists and number checks, the example and the hidden code lists."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ...engine import CriteriaSet, Reference
from ...platform.xlsx import workbook_bytes
from .activity import ACTIVITY_UNITS, BASES, BLOCK_BY_SHEET, UNIT_TITLES, choices, purpose
from .layout import (
    CERTIFICATE_KINDS,
    CERTIFICATES,
    DECLARATIONS,
    ELECTRICITY,
    ELECTRICITY_FIELDS,
    ENERGY,
    EXAMPLE,
    INSTRUMENTS,
    INTRO,
    LISTS,
    MAX_COUNT,
    MEMBERS,
    OFFSETS,
    PROCESS,
    PRODUCTS,
    UNITS,
    Column,
    _choices,
    _columns,
    _product_energy_units,
    data_sheets,
)
from .rows import _sheet_rows, example_submission

_HEADER_FILL = PatternFill("solid", fgColor="D9EAD3")
_INFO_FONT = Font(color="666666")
_BOLD = Font(bold=True)
_VALIDATION_ROWS = 2000


class _Lists:
    """The hidden 代码表 sheet: the values every drop-down list refers to."""

    def __init__(self, sheet, reference: Reference):
        self.sheet = sheet
        self.next_column = 5  # A–C: the benchmark table
        self.ranges: dict[str, str] = {}
        for c, title in enumerate(("能效指标代码", "产品及能效指标", "单位"), start=1):
            sheet.cell(row=1, column=c, value=title).font = _BOLD
        for r, bid in enumerate(reference.benchmarks.index, start=2):
            row = reference.benchmarks.loc[bid]
            sheet.cell(row=r, column=1, value=bid)
            sheet.cell(row=r, column=2, value=f"{row['product_zh']}：{row['indicator_zh']}")
            sheet.cell(row=r, column=3, value=row["unit"])

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


def _header(ws, row: int, columns: list[Column]) -> None:
    for c, column in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=c, value=column.header)
        cell.font, cell.fill = _BOLD, _HEADER_FILL


def _write_sheet(ws, columns: list[Column], rows: list[list]) -> None:
    _header(ws, 1, columns)
    for position, column in enumerate(columns, start=1):
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

    def choose(title: str, values: list[str], cells: str, what: str) -> None:
        _list_validation(ws, lists.range(title, values), cells, what)

    def units(kind: str, cells: str) -> None:
        choose(f"单位（{kind}）", UNITS[kind], cells, "单位")

    if sheet in BLOCK_BY_SHEET:
        for part in BLOCK_BY_SHEET[sheet].parts:
            title = part.zh
            if part.kind in ("amount", "own"):
                _number_validation(ws, span(part.key))
                unit_list = ACTIVITY_UNITS[part.units]
                choose(f"单位（{UNIT_TITLES[part.units]}）", unit_list, span(f"{part.key}_unit"),
                       "单位")
                if part.kind == "own":
                    choose("依据", [zh for _, zh, _en in BASES], span(f"{part.key}_basis"),
                           "依据（计算值或实测值）")
            elif part.kind in ("choice", "material", "carrier"):
                names = [zh for _, zh, _en in choices(reference, part)]
                choose(f"{sheet}：{title}", names, span(part.key), title)
        return
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
            units(kind, " ".join(cells))
    elif sheet == ELECTRICITY:
        units("MWh", span("unit"))
    elif sheet == CERTIFICATES:
        choose("绿证类型", [label for _, label in CERTIFICATE_KINDS], span("kind"), "绿证类型")
    elif sheet == PROCESS:
        units("tCO2", span("unit"))
    elif sheet == PRODUCTS:
        count = len(reference.benchmarks.index)
        _list_validation(ws, f"'{LISTS}'!$A$2:$A${count + 1}", span("benchmark"), "能效指标代码")
        choose("产量单位", UNITS["t"], span("output_unit"), "产量单位")
        choose("能耗单位", _product_energy_units(reference), span("energy_unit"), "能耗单位")
    elif sheet == OFFSETS:
        choose("碳抵消类型", [t for _, t in INSTRUMENTS], span("instrument"), "类型")
        units("tCO2", span("unit"))
    elif sheet == DECLARATIONS:
        answer = _letter(columns, "answer")
        for r, declaration in enumerate(criteria.model.declarations, start=2):
            choose(f"回答：{declaration.id}", _choices(declaration), f"{answer}{r}", "回答")
    elif sheet == MEMBERS:
        items = [c.name_zh for c in reference.carriers.values()] + [
            label for _, label in ELECTRICITY_FIELDS]
        choose("园区企业项目", items, span("item"), "项目")
        every = list(dict.fromkeys(u for kind in ("t", "m3", "GJ", "MWh") for u in UNITS[kind]))
        choose("园区企业单位", every, span("unit"), "单位")


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
        ("7", "碳酸盐、熟料生产线、熟料替代原料、电解铝、钢铁过程材料、碳平衡、数据中心：填写活动数据，"
              "由系统按核算指南计算过程排放；物料、核算方法、碳流类型和依据从下拉列表选择（显示中文名称），没有的工作表留空即可。"),
        (),
        ("工作表", "内容"),
    ]
    lines += [(sheet, purpose(sheet)[0]) for sheet in sheets]
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
        ("7", "The carbonate, clinker, aluminium, steel, carbon-balance and data-centre sheets "
              "take activity data; the system works out the process emissions with the "
              "guidelines. Pick materials, methods, flow kinds and bases from the lists (shown "
              "by their Chinese names); leave a sheet blank when it does not apply."),
        (),
        ("Sheet", "Content"),
    ]
    lines += [(sheet, purpose(sheet)[1]) for sheet in sheets]
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(line, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if len(line) == 1 or line[:1] in (("工作表",), ("Sheet",)):
            for c in range(1, len(line) + 1):
                ws.cell(row=r, column=c).font = _BOLD
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)


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
        _header(ws, r, columns)
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
    lists = _Lists(workbook.create_sheet(LISTS), reference)
    rows = _sheet_rows(criteria, reference, data)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet, index=len(workbook.sheetnames) - 1)
        columns = _columns(sheet, park)
        _write_sheet(ws, columns, rows[sheet])
        _validations(ws, sheet, columns, rows[sheet], lists, criteria, reference)
        ws.cell(row=1, column=1).comment = Comment(purpose(sheet)[0], "assessor", width=300,
                                                   height=120)
    example = workbook.create_sheet(EXAMPLE, index=len(workbook.sheetnames) - 1)
    _example(example, criteria, reference)
    lists.sheet.sheet_state = "hidden"
    workbook.active = 0
    return workbook_bytes(workbook)

