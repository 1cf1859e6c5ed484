"""A reference version's tables as people read them: the values as the file writes them (no
digits added or lost), long numbers grouped, units with their superscripts, tags in words."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from . import reference_edit
from .reference_changes import ELECTRICITY, LEVELS, TAG_WORDS

COAL = "standard_coal_coefficients.csv"
FUELS = "fuel_emission_parameters.csv"
OTHER = "other_emission_factors.csv"
_PLAIN_NUMBER = re.compile(r"^(-?)(\d+)(\.\d+)?$")
_IDENTIFIER = re.compile(r"(?<![\w@./-])[a-z]+(?:_[a-z0-9]+)+(?![\w@.-])")
_GROUP = "\u202f"  # narrow no-break space: 20 908 stays on one line


def number(text: str) -> str:
    """`text` as written, its whole part grouped in threes from five digits on; '—' if empty."""
    text = (text or "").strip()
    match = _PLAIN_NUMBER.match(text)
    if not text:
        return "—"
    if not match or len(match.group(2)) < 5:
        return text
    sign, whole, fraction = match.groups()
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + _GROUP.join(groups) + (fraction or "")


def unit(text: str) -> str:
    """tCO2/MWh → tCO₂/MWh, m3 → m³ (display only; the file keeps what the parser reads)."""
    text = (text or "").strip()
    text = re.sub(r"CO2", "CO₂", text)
    return re.sub(r"(?<=m)3\b", "³", text)


def prose(text: str) -> Markup:
    """A source or note as written, the column and row names it mentions (low_heat_value)
    set as code, so they read as names rather than words; '—' if empty."""
    text = (text or "").strip()
    if not text:
        return Markup("—")
    return Markup(_IDENTIFIER.sub(lambda m: f"<code>{m.group(0)}</code>", str(escape(text))))


def tag(text: str) -> tuple[str, str]:
    """(the tag's words, the tag as written): ('已核实', 'V'); ('', '') when there is none."""
    text = (text or "").strip()
    if not text:
        return "", ""
    words = TAG_WORDS.get(text.split(" ")[0])
    return (str(words) if words else ""), text


def electricity(files: dict[str, str]) -> list[dict[str, str]]:
    """The grid factors by factor (in the order the table first names them), then data year."""
    rows = reference_edit.rows(files.get(ELECTRICITY, ""))
    order = {}
    for row in rows:
        order.setdefault(row["factor"], len(order))
    return sorted(rows, key=lambda r: (order[r["factor"]], r["data_year"]))


def levels(files: dict[str, str]) -> list[dict[str, str]]:
    return reference_edit.rows(files.get(LEVELS, ""))


def coal(files: dict[str, str]) -> list[dict[str, str]]:
    return reference_edit.rows(files.get(COAL, ""))


def fuels(files: dict[str, str]) -> list[dict[str, str]]:
    return reference_edit.rows(files.get(FUELS, ""))


def other(files: dict[str, str]) -> list[dict[str, str]]:
    return reference_edit.rows(files.get(OTHER, ""))
