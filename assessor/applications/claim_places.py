"""Places in a submission in the form's words (a serial block's table and row, a problem's
field): the engine's paths (members[1].electricity.green_certificates[0]) are for machines."""

from __future__ import annotations

import re

from wtforms.fields import FieldList, FormField

from .forms import FORM_NAMES

_SEGMENT = re.compile(r"(\w+)(?:\[(\d+)\])?")
_PLACE = re.compile(r"(?:members\[(\d+)\]\.)?(electricity\.green_certificates|"
                    r"electricity\.green_power_trade_certificates|offsets)\[(\d+)\]$")
# short forms of the form's table headings
_TABLES = {"electricity.green_certificates": ("另购绿证", "green certificates bought separately"),
           "electricity.green_power_trade_certificates": (
               "绿电交易所附绿证", "certificates that came with green-power trades"),
           "offsets": ("碳抵消", "carbon offsets")}


def place(path: str, english: bool) -> str:
    """'园区企业 2 · 另购绿证第 1 行' for members[1].electricity.green_certificates[0]; a path
    of another shape is returned as it is."""
    found = _PLACE.search(path or "")
    if not found:
        return path
    member, table, row = found.groups()
    title = _TABLES[table][english]
    here = f"{title}, row {int(row) + 1}" if english else f"{title}第 {int(row) + 1} 行"
    if member is None:
        return here
    return (f"park enterprise {int(member) + 1}, {here}" if english
            else f"园区企业 {int(member) + 1} · {here}")


def finding(pair: dict, english: bool) -> str:
    """The engine's sentence about a block listed twice, naming the two places as the form
    does."""
    text = pair["en" if english else "zh"]
    a, b = pair["claims"]
    named = f"{a['path']} and {b['path']}" if english else f"{a['path']} 与 {b['path']}"
    if not text.endswith(named):
        return text
    joined = " and " if english else " 与 "
    return text[:-len(named)] + place(a["path"], english) + joined + place(b["path"], english)


def problem_place(form, path: str) -> str:
    """A problem's place as the form labels it ("电力·其中：绿电交易电量"), walking the
    engine's path through the form's fields; the path itself where the form has no such
    field (or no form is at hand)."""
    if form is None or not path:
        return path
    labels, field = [], form
    for segment in path.split("."):
        found = _SEGMENT.fullmatch(segment)
        if found is None:
            return path
        name, index = found.groups()
        name = FORM_NAMES.get(name, name)
        try:
            field = field.form[name] if isinstance(field, FormField) else field[name]
            if index is not None and isinstance(field, FieldList):
                labels.append(f"{field.label.text} {int(index) + 1}")
                field = field[int(index)]
            else:
                labels.append(str(field.label.text))
        except (KeyError, IndexError, TypeError):
            return path
    return "·".join(label for label in labels if label)
