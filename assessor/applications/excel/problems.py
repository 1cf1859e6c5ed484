"""Problems with an uploaded workbook, each at its sheet, Excel row and column: the collector
the parser fills, and the mapping of the engine's problem paths back to cells."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from .activity import BLOCK_BY_PATH, BLOCK_BY_SHEET, column_of
from .layout import (
    CERTIFICATES,
    DECLARATIONS,
    ELECTRICITY,
    ENERGY,
    FILE,
    INTRO,
    MEMBERS,
    OFFSETS,
    PROCESS,
    PRODUCTS,
    REPORTED,
)
from .table import _Table


@dataclass(frozen=True, eq=False)
class Text:
    """A message for the person who uploaded the workbook, not yet translated: a Chinese msgid
    with %(name)s placeholders and their values. The package stays free of Flask: `_l` marks
    the msgid for the English catalogue (babel extracts `_l(...)` calls) and the web layer
    translates it where it is shown, with `render(gettext, english)`. str() is the Chinese
    text. A value may itself be a Text (rendered the same way) or a list (joined with 、, or
    with commas in English); `en` is set for a message that already comes in both languages
    (the engine's problems)."""

    msgid: str
    values: dict = field(default_factory=dict)
    en: str | None = None

    def render(self, gettext=None, english: bool = False) -> str:
        if self.en is not None:
            return self.en if english else self.msgid
        values = {k: _render(v, gettext, english) for k, v in self.values.items()}
        text = gettext(self.msgid) if gettext else self.msgid
        return text % values if values else text

    def __str__(self) -> str:
        return self.render()

    def __eq__(self, other) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


def _render(value, gettext, english: bool):
    if isinstance(value, Text):
        return value.render(gettext, english)
    if isinstance(value, list | tuple):
        return (", " if english else "、").join(str(_render(v, gettext, english)) for v in value)
    return value


def _l(msgid: str, **values) -> Text:
    """A message marked for the English catalogue, translated when it is shown."""
    return Text(msgid, values)


def pair(zh: str, en: str) -> Text:
    """A message that comes in both languages already (an engine Problem's zh and en)."""
    return Text(zh, {}, en)


@dataclass(frozen=True)
class SheetProblem:
    """One thing wrong with an uploaded workbook: where (sheet, Excel row, column) and what."""

    sheet: str
    row: int | None
    column: str | None  # the column letter, e.g. "C"
    header: str | None  # that column's header, e.g. "数量"
    message: Text | str

    @property
    def message_zh(self) -> str:
        return str(self.message)

    def text(self, gettext=None, english: bool = False) -> str:
        """The message in the reader's language (`gettext`: the web layer's)."""
        message = self.message if isinstance(self.message, Text) else Text(self.message)
        return message.render(gettext, english)

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


class _Problems:
    """The problems found so far, and the (sheet, row) pairs they are on."""

    def __init__(self):
        self.items: list[SheetProblem] = []
        self.rows: set[tuple[str, int]] = set()

    def add(self, sheet: str, row: int | None, column: str | None, header: str | None,
            message: Text | str) -> None:
        self.items.append(SheetProblem(sheet, row, column, header, message))
        if row:
            self.rows.add((sheet, row))

    def cell(self, table: _Table, row: int | None, key: str | None, message: Text | str) -> None:
        self.add(table.sheet, row, table.letters.get(key) if key else None,
                 table.headers.get(key) if key else None, message)

    def cells(self, table: _Table, mask: pd.Series, key: str, message) -> None:
        """A problem for every row where `mask` holds; `message(row)` or a fixed text."""
        for row in mask.index[mask.to_numpy(dtype=bool)]:
            self.cell(table, int(row), key, message(row) if callable(message) else message)


# -- engine problems back to cells -------------------------------------------------------------

_TOKENS = re.compile(r"[^.\[\]]+|\[\d+\]")  # a JSON path's names and [indexes]
_COLUMNS_BY_SHEET = {
    ENERGY: ({"unit": "unit", "quantity": "quantity"}, "quantity"),
    ELECTRICITY: ({"unit": "unit", "quantity": "quantity"}, "quantity"),
    CERTIFICATES: ({"serial": "serial", "count": "count"}, "serial"),
    PROCESS: ({"source": "source", "quantity": "quantity", "unit": "unit", "method": "method"},
              "quantity"),
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
            if sheet in BLOCK_BY_SHEET:
                block = BLOCK_BY_SHEET[sheet]
                return sheet, row, column_of(block, rest) or block.parts[0].key
            by_rest, default = _COLUMNS_BY_SHEET[sheet]
            if sheet == MEMBERS and end == 2:  # members[m] itself
                default = "name"
            elif sheet == MEMBERS:
                default = "quantity"
            return sheet, row, by_rest.get(rest, by_rest.get(rest.rsplit(".", 1)[-1], default))
    names = [t for t in tokens if not t.startswith("[")]
    for token, sheet in (("green_certificates", CERTIFICATES),
                         ("green_power_trade_certificates", CERTIFICATES),
                         ("process_emissions", PROCESS),
                         *((path, block.sheet) for path, block in BLOCK_BY_PATH.items()),
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

