"""Describing the changes an import makes, for the preview: where each changed value is in the
workbook, in what order to list them, and how to show a value. The sheet is named as the
workbook names it (in Chinese); the item and the values are in Chinese, or in English with
`english=True`."""

from __future__ import annotations

from ...engine import CriteriaSet, Reference
from .activity import BASES, BLOCK_BY_PATH, header, shown
from .layout import (
    CERTIFICATE_KINDS,
    CERTIFICATES,
    DECLARATIONS,
    ELECTRICITY,
    ELECTRICITY_FIELDS,
    ENERGY,
    FILE,
    INSTRUMENTS,
    MEMBERS,
    NO,
    OFFSETS,
    PROCESS,
    PRODUCTS,
    REPORTED,
    YES,
    _benchmark_title,
    _name,
    _option_title,
    data_sheets,
)
from .problems import _TOKENS

_FIELD_ZH = {"quantity": ("数量", "Quantity"), "unit": ("单位", "Unit"),
             "source": ("排放源", "Source"), "benchmark": ("能效指标", "Efficiency indicator"),
             "registry": ("登记机构", "Registry"), "name": ("企业名称", "Enterprise name"),
             "uscc": ("统一社会信用代码", "USCC")}
_FIELD_BY_SHEET = {
    CERTIFICATES: {"serial": ("起始编号", "First serial"), "count": ("张数", "Certificates")},
    PROCESS: {"quantity": ("排放量", "Emissions"), "method": ("核算方法", "Method")},
    OFFSETS: {"instrument": ("类型", "Type"), "serial": ("登记编号（起始）", "First registry number"),
              "count": ("连续编号个数", "Consecutive numbers"), "quantity": ("抵消量", "Offset")},
    REPORTED: {"quantity": ("数值", "Value")},
}
_ORGANISATION_FIELDS = {"name": ("名称", "Name"), "uscc": ("统一社会信用代码", "USCC"),
                        "region": ("地区", "Region")}
_PRODUCT_PARTS = {"output": ("产量", "Output"), "energy": ("能耗", "Energy use")}
_ELECTRICITY_EN = {
    "grid_purchase": "Grid purchases (incl. green-power trading)",
    "green_power_trading": "of which: green-power trading",
    "direct_green_supply": "Direct green-power supply",
    "onsite_renewable_self_used": "On-site renewables, self-used",
    "onsite_renewable_exported": "On-site renewables fed into the grid",
    "onsite_certificates_sold": "On-site generation with certificates sold",
}
_INSTRUMENTS_EN = {"ccer": "CCER", "forestry_ticket": "Forestry carbon ticket", "other": "Other"}
_CERTIFICATE_KINDS_EN = {"green_certificates": "Unbundled certificates",
                         "green_power_trade_certificates": "Green-power trade certificates"}
ORGANISATION = "单位信息"


def _in(pair: tuple[str, str], english: bool) -> str:
    return pair[1] if english else pair[0]


def _item_name(reference: Reference, item: str, english: bool) -> str:
    """A carrier's or electricity item's name (the id when unknown)."""
    if not english:
        return _name(reference, item)
    carrier = reference.carriers.get(item)
    return carrier.name_en if carrier else _ELECTRICITY_EN.get(item, item)


def describe_path(path: str, criteria: CriteriaSet, reference: Reference,
                  members: list[dict] | None = None, english: bool = False) -> tuple[str, str]:
    """(sheet, item) for a JSON path of the submission, for the preview: the sheet's name, and
    the item in Chinese (or English). `members` gives the names behind members[i]."""
    tokens = _TOKENS.findall(path)
    names = [t for t in tokens if not t.startswith("[")]
    indexes = [int(t[1:-1]) for t in tokens if t.startswith("[")]
    owner = ""
    if names[:1] == ["members"] and indexes:
        member = (members or [])[indexes[0]] if indexes[0] < len(members or []) else {}
        if english:
            owner = f"Enterprise “{member.get('name') or f'no. {indexes[0] + 1}'}” · "
        else:
            owner = f"企业“{member.get('name') or f'第 {indexes[0] + 1} 家'}” · "
        names, indexes = names[1:], indexes[1:]
        if len(names) == 1 and names[0] in ("name", "uscc"):
            return MEMBERS, owner + _in(_FIELD_ZH[names[0]], english)
    head = names[0] if names else ""
    number = (f"row {indexes[-1] + 1}" if english else f"第 {indexes[-1] + 1} 条") \
        if indexes else ""

    def field(sheet: str) -> str:
        leaf = names[-1] if names else path
        found = _FIELD_BY_SHEET.get(sheet, {}).get(leaf) or _FIELD_ZH.get(leaf)
        return _in(found, english) if found else leaf

    if head == "organisation":
        found = _ORGANISATION_FIELDS.get(names[-1])
        return ORGANISATION, _in(found, english) if found else names[-1]
    if head in ("energy", "electricity") and len(names) >= 2:
        if names[1] in _CERTIFICATE_KINDS_EN:  # the 绿证类型 of the row, then the row
            kind = _CERTIFICATE_KINDS_EN[names[1]] if english else dict(CERTIFICATE_KINDS)[
                names[1]]
            return CERTIFICATES, f"{owner}{kind} {number} · {field(CERTIFICATES)}"
        sheet = MEMBERS if owner else ENERGY if head == "energy" else ELECTRICITY
        return sheet, f"{owner}{_item_name(reference, names[1], english)} · {field(sheet)}"
    if head == "process_emissions":
        return PROCESS, f"{owner}{number} · {field(PROCESS)}"
    if head in BLOCK_BY_PATH:
        return _activity_item(BLOCK_BY_PATH[head], names, owner, number, english)
    if head == "production":
        part = _PRODUCT_PARTS.get(names[1]) if len(names) > 1 else None
        if part:
            unit = (" unit" if english else "单位") if names[-1] == "unit" else ""
            label = _in(part, english) + unit
        else:
            label = field(PRODUCTS)
        return PRODUCTS, f"{owner}{number} · {label}"
    if head == "offsets":
        return OFFSETS, f"{number} · {field(OFFSETS)}"
    if head == "declarations" and len(names) > 1:
        d = criteria.declarations_by_id.get(names[1])
        return DECLARATIONS, _in((d.title.zh, d.title.en), english) if d else names[1]
    if head == "reported" and len(names) > 1:
        r = criteria.reported_by_id.get(names[1])
        title = _in((r.title.zh, r.title.en), english) if r else names[1]
        return REPORTED, f"{title} · {field(REPORTED)}"
    if head == "expert_scores":
        return _in(("专家评分", "Expert scores"), english), names[-1]
    return _in(("其他", "Other"), english), path


def _activity_item(block, names: list[str], owner: str, number: str,
                   english: bool) -> tuple[str, str]:
    """A sector activity sheet's row and column: 第 1 条 · 熟料产量单位 (row 1 · Clinker output
    unit)."""
    part = block.part(names[1]) if len(names) > 1 else None
    if part is None:
        label = names[-1] if len(names) > 1 else ("row" if english else "整行")
    else:
        what = names[2] if len(names) > 2 and names[2] != "quantity" else ""
        zh, en = header(part, what if what in ("unit", "basis", "evidence") else "").split(" / ")
        label = en if english else zh
    lead = f"{owner}{number}" if number else owner.removesuffix(" · ")
    return block.sheet, f"{lead} · {label}" if lead else label


def change_order(subject: str, reference: Reference):
    """A sort key for (sheet, path): members together, then the workbook's sheets in order,
    rows as the template lists them (carriers, electricity items), quantity before unit."""
    order = {s: i for i, s in enumerate([ORGANISATION, *data_sheets(subject)])}
    rows = {k: i for i, k in enumerate([*reference.carriers, *(f for f, _ in ELECTRICITY_FIELDS),
                                        *(k for k, _ in CERTIFICATE_KINDS), "source",
                                        "quantity", "unit", "basis", "evidence", "method"])}

    def key(sheet: str, path: str) -> tuple:
        parts, block = [], None
        for t in _TOKENS.findall(path):
            if t.startswith("["):
                parts.append((0, int(t[1:-1]), ""))
            elif block is not None and block.part(t) is not None:  # an activity sheet's column
                parts.append((1, [p.key for p in block.parts].index(t), t))
                block = None
            else:
                block = BLOCK_BY_PATH.get(t)
                parts.append((1, rows.get(t, -1), t))
        parts = tuple(parts)
        member_first = parts[:2] if parts[:1] == ((1, -1, "members"),) else ()
        return (member_first, order.get(sheet, len(order)), parts)

    return key


def format_value(path: str, value, criteria: CriteriaSet, reference: Reference | None = None,
                 english: bool = False) -> str:
    """A value as the preview shows it: 是/否 (yes/no), option titles, benchmark names, plain
    numbers."""
    if value is None:
        return "(blank)" if english else "（空）"
    if isinstance(value, bool):
        return ("yes" if value else "no") if english else YES if value else NO
    names = [t for t in _TOKENS.findall(path) if not t.startswith("[")]
    if names[:1] == ["declarations"] and len(names) > 1 and isinstance(value, str):
        d = criteria.declarations_by_id.get(names[1])
        if d is not None and value in d.options:
            title = d.option_titles.get(value)
            return (title.en if title else value) if english else _option_title(d, value)
    own = names[1:] if names[:1] == ["members"] else names  # a member's, or the unit's own
    if own[:1] and own[0] in BLOCK_BY_PATH and len(own) > 1 and isinstance(value, str):
        part = BLOCK_BY_PATH[own[0]].part(own[1])
        if part is not None and part.kind == "own" and names[-1] == "basis":
            return next((en if english else zh for b, zh, en in BASES if b == value), value)
        if part is not None and part.kind in ("choice", "material", "carrier"):
            return str(shown(reference, part, value, english))
    if names[-1:] == ["instrument"]:
        return (_INSTRUMENTS_EN if english else dict(INSTRUMENTS)).get(value, value)
    if names[-1:] == ["benchmark"] and reference is not None and isinstance(value, str):
        if english and value in reference.benchmarks.index:
            row = reference.benchmarks.loc[value]
            return f"{value} ({row['product_en']}: {row['indicator_en']}, {row['unit']})"
        title = _benchmark_title(reference, value)
        return f"{value}（{title}）" if title else value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        if isinstance(value, int):
            return f"{value:,}"
        return f"{value:,.6f}".rstrip("0").rstrip(".") if abs(value) >= 1e-4 else f"{value:g}"
    return str(value)



def import_changes(diff, before: dict, imported: dict, criteria: CriteriaSet,
                   reference: Reference, english: bool = False) -> list[dict]:
    """Every change an import makes (`diff`: the changes between the data before and the
    imported data), as the preview shows them, in the workbook's order."""
    after_members, before_members = imported.get("members") or [], before.get("members") or []
    members = after_members + before_members[len(after_members):]  # removed ones: the old names
    changes = []
    for change in diff:
        sheet, item = describe_path(change.path, criteria, reference, members, english)
        changes.append({"sheet": sheet, "item": item, "path": change.path,
                        "before": format_value(change.path, change.before, criteria, reference,
                                               english),
                        "after": format_value(change.path, change.after, criteria, reference,
                                              english)})
    order = change_order(criteria.subject, reference)
    changes.sort(key=lambda c: order(c["sheet"], c["path"]))
    return changes


def listed_problems(problems, gettext, english: bool = False) -> list[dict]:
    """A workbook's problems as the problems page lists them, each at its sheet, row and column."""
    return [{"sheet": gettext("（文件）") if p.sheet == FILE else p.sheet, "row": p.row,
             "column": p.column, "header": p.header, "message": p.text(gettext, english)}
            for p in problems]
