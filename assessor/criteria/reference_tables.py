"""A reference version's tables as people read them: the values as the file writes them (no
digits added or lost), long numbers grouped, units with their superscripts, tags in words."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from ..engine.reference_diff import PROCESS_ROLES
from ..engine.version_diff import Words
from . import reference_edit
from .reference_changes import ELECTRICITY, LEVELS, TAG_WORDS

COAL = "standard_coal_coefficients.csv"
FUELS = "fuel_emission_parameters.csv"
OTHER = "other_emission_factors.csv"
GUIDELINES = "process_guidelines.csv"
PROCESS_FACTORS = "process_factors.csv"
GWP = "gwp_values.csv"
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
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


def gas(text: str) -> str:
    """CF4 → CF₄, C2F6 → C₂F₆: a gas's formula with its counts set low (display only)."""
    return re.sub(r"(?<=[A-Za-z)])\d+", lambda m: m.group(0).translate(_SUBSCRIPT),
                  (text or "").strip())


def role(text: str) -> Words | None:
    """A process factor's role in words (熟料 for `clinker`); None for a role not known here."""
    return PROCESS_ROLES.get((text or "").strip())


def has_process_tables(files: dict[str, str]) -> bool:
    """Whether the version holds any of the process-emission tables (older ones hold none)."""
    return any(name in files for name in (GUIDELINES, PROCESS_FACTORS, GWP))


def guidelines(files: dict[str, str]) -> dict[str, dict[str, str]]:
    """The process-emission guidelines by id, in the table's order."""
    return {(row.get("id") or "").strip(): row for row in reference_edit.rows(files.get(GUIDELINES, ""))}


def process_factors(files: dict[str, str]) -> list[tuple[dict[str, str], list[dict[str, str]]]]:
    """(guideline, its factors) in the guidelines' order, each guideline once, also one with no
    default factors (the carbon balance); a factor whose guideline the table does not name
    comes last under a guideline that has only its id."""
    groups: dict[str, tuple[dict[str, str], list[dict[str, str]]]] = {
        key: (row, []) for key, row in guidelines(files).items()}
    for row in reference_edit.rows(files.get(PROCESS_FACTORS, "")):
        key = (row.get("guideline") or "").strip()
        groups.setdefault(key, ({"id": key}, []))[1].append(row)
    return list(groups.values())


def gwp(files: dict[str, str]) -> list[dict[str, str]]:
    return reference_edit.rows(files.get(GWP, ""))
