"""The sector process-emission defaults: guidelines, their parameters and GWP values.

Read from criteria/reference/process_guidelines.csv, process_factors.csv and gwp_values.csv (or
a stored reference version's copies). A reference version stored before these tables existed
has none: `load_process_tables` then returns None and the calculators say so. Every value keeps
its source and tag; each is converted once to the unit the calculators work in.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import DataFileError
from .reference import Source, _number, _rows, _source, _unit
from .units import UnitError, convert

GUIDELINES = "process_guidelines.csv"
FACTORS = "process_factors.csv"
GWP = "gwp_values.csv"
FILES = (GUIDELINES, FACTORS, GWP)

# the unit each parameter is worked in, by parameter (first) or by role
_PARAMETER_UNITS = {"net_anode": "tC/t", "anode_sulphur": "fraction", "anode_ash": "fraction",
                    "cf4_factor": "kg/t", "c2f6_factor": "kg/t", "cf4_slope": "kg/t/(min/d)",
                    "c2f6_ratio": "kg/kg"}
_ROLE_UNITS = {role: "tCO2/t" for role in ("carbonate", "clinker", "substitute", "constant",
                                            "flux", "electrode", "purchased", "fixed")}
ROLES = set(_ROLE_UNITS) | {"anode", "pfc"}


def working_unit(parameter: str, role: str) -> str:
    return _PARAMETER_UNITS.get(parameter) or _ROLE_UNITS[role]


@dataclass(frozen=True)
class Guideline:
    id: str
    name_zh: str
    name_en: str
    document: str
    source: Source


@dataclass(frozen=True)
class Factor:
    """A guideline's default: `value` in `unit` (the calculators' unit); `shown` as written."""

    guideline: str
    parameter: str
    name_zh: str
    name_en: str
    role: str
    value: float
    unit: str
    shown: str
    shown_unit: str
    source: Source

    def written(self) -> str:
        return f"{self.shown} {self.shown_unit}"


@dataclass(frozen=True)
class ProcessTables:
    guidelines: dict[str, Guideline]
    factors: dict[tuple[str, str], Factor]
    gwp: dict[tuple[str, str], tuple[float, str, Source]]  # (guideline, gas) -> value, AR, source

    def factor(self, guideline: str, parameter: str) -> Factor | None:
        return self.factors.get((guideline, parameter))

    def of_role(self, guideline: str, *roles: str) -> dict[str, Factor]:
        return {f.parameter: f for (g, _), f in self.factors.items()
                if g == guideline and f.role in roles}


def load_process_tables(files: dict[str, str], folder: Path) -> ProcessTables | None:
    """The tables, checked; None when a version has none of the three files."""
    present = [name for name in FILES if name in files]
    if not present:
        return None
    for name in FILES:
        if name not in files:
            raise DataFileError(folder / name, "", "file is missing (the process tables come "
                                "as three files)", "文件不存在（过程排放参数表共三个文件）")
    guidelines = _guidelines(files, folder / GUIDELINES)
    tables = ProcessTables(guidelines, _factors(files, folder / FACTORS, guidelines),
                           _gwp(files, folder / GWP, guidelines))
    _required(tables, folder)
    return tables


# what the calculators cannot work without (a plant's own value may replace a default, but the
# default must exist); every other row may be added or removed by the department
REQUIRED_GUIDELINES = ("ndrc_carbonates", "cets_2024_cement", "gbt_32151_8_2015",
                       "ndrc_2013_aluminium", "cets_2024_aluminium", "steel", "carbon_balance")
REQUIRED_FACTORS = (
    [("gbt_32151_8_2015", p) for p in ("cao_to_co2", "mgo_to_co2")]
    + [(g, p) for g in ("ndrc_2013_aluminium", "cets_2024_aluminium")
       for p in ("net_anode", "anode_sulphur", "anode_ash", "cf4_factor", "c2f6_factor")])


def _required(tables: ProcessTables, folder: Path) -> None:
    for guideline in REQUIRED_GUIDELINES:
        if guideline not in tables.guidelines:
            raise DataFileError(folder / GUIDELINES, guideline, "row is missing (a calculator "
                                "follows this guideline)", "缺少该行（计算方法依据此指南）")
    for guideline, parameter in REQUIRED_FACTORS:
        if (guideline, parameter) not in tables.factors:
            raise DataFileError(folder / FACTORS, f"{guideline} {parameter}", "row is missing "
                                "(the calculator's default)", "缺少该行（计算方法的缺省值）")


def _guidelines(files, path: Path) -> dict[str, Guideline]:
    out = {}
    for row in _rows(files, path):
        if row["id"] in out:
            raise DataFileError(path, row["id"], "duplicate id", "编号重复")
        out[row["id"]] = Guideline(row["id"], row["name_zh"], row["name_en"], row["document"],
                                   _source(path, row["id"], row))
    return out


def _known_guideline(path: Path, row_id: str, guideline: str, guidelines: dict) -> None:
    if guideline not in guidelines:
        raise DataFileError(path, row_id, f"guideline '{guideline}' is not in {GUIDELINES}",
                            f"指南“{guideline}”不在 {GUIDELINES} 中")


def _factors(files, path: Path, guidelines) -> dict[tuple[str, str], Factor]:
    out = {}
    for row in _rows(files, path):
        key = (row["guideline"], row["parameter"])
        row_id = " ".join(key)
        _known_guideline(path, row_id, key[0], guidelines)
        if key in out:
            raise DataFileError(path, row_id, "duplicate guideline and parameter", "指南与参数重复")
        if row["role"] not in ROLES:
            raise DataFileError(path, row_id, f"role '{row['role']}' is not one of "
                                f"{sorted(ROLES)}", f"类别“{row['role']}”无效")
        target = working_unit(row["parameter"], row["role"])
        unit = _unit(path, row_id, row["unit"])
        value = _number(path, row_id, row, "value")
        try:
            converted = convert(value, unit, target)
        except UnitError:
            raise DataFileError(path, row_id, f"unit {unit} cannot be converted to {target}",
                                f"单位“{unit}”不能换算为 {target}") from None
        if value < 0:
            raise DataFileError(path, row_id, "a factor cannot be negative (deductions are "
                                "negative by their role)", "因子不能为负数")
        out[key] = Factor(key[0], key[1], row["name_zh"], row["name_en"], row["role"],
                          converted, target, row["value"], unit, _source(path, row_id, row))
    return out


def _gwp(files, path: Path, guidelines) -> dict[tuple[str, str], tuple[float, str, Source]]:
    out = {}
    for row in _rows(files, path):
        key = (row["guideline"], row["gas"])
        row_id = " ".join(key)
        _known_guideline(path, row_id, key[0], guidelines)
        if key in out:
            raise DataFileError(path, row_id, "duplicate guideline and gas", "指南与气体重复")
        out[key] = (_number(path, row_id, row, "value"), row.get("assessment_report", ""),
                    _source(path, row_id, row))
    return out


def names(files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    """(guideline, parameter) -> (name_zh, name_en), read straight from the file (for forms)."""
    text = files.get(FACTORS)
    if text is None:
        return {}
    return {(r["guideline"], r["parameter"]): (r["name_zh"], r["name_en"])
            for r in csv.DictReader(io.StringIO(text, newline=""))}
