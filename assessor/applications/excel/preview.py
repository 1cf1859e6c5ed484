"""Describing the changes an import makes, for the preview: where each changed value is in the
workbook, in what order to list them, and how to show a value."""

from __future__ import annotations

from ...engine import CriteriaSet, Reference
from .layout import (
    CERTIFICATES,
    DECLARATIONS,
    ELECTRICITY,
    ELECTRICITY_FIELDS,
    ENERGY,
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

