"""The words of the sector process blocks (carbonates, clinker lines, substitutes, aluminium,
steel materials, carbon balance, computing): material names from the criteria set's reference
version (criteria/reference/process_factors.csv and process_guidelines.csv), the defaults a
blank own value stands for, and the enumerations in Chinese and English. The form, its
guidance, the 申报书 and the comparison tables read them here, so an id is never shown."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache

Pair = tuple[str, str]

# which guideline's rows name the materials of each block
CARBONATES = "ndrc_carbonates"
CEMENT = "cets_2024_cement"
STEEL = "steel"
BLOCK_GUIDELINE = {"carbonates": CARBONATES, "clinker_substitutes": CEMENT,
                   "steel_materials": STEEL, "clinker_lines": CEMENT}

CLINKER_METHODS: dict[str, Pair] = {
    "ets_2024": ("全国碳市场方法（CETS—AG—02.01—V01—2024）",
                 "National carbon market method (CETS—AG—02.01—V01—2024)"),
    "oxides_2015": ("氧化钙、氧化镁法（GB/T 32151.8-2015）",
                    "Clinker CaO and MgO method (GB/T 32151.8-2015)"),
}
FLOWS: dict[str, Pair] = {
    "input": ("投入（还原剂、电极糊、原料）", "Input (reductants, electrode paste, feedstock)"),
    "product": ("含碳产品", "Carbon-bearing product"),
    "residue": ("炉渣、除尘灰等", "Residue (slag, dust, sludge)"),
    "offgas_exported": ("外供尾气（碳移出）", "Off-gas supplied to others (carbon leaves)"),
    "offgas_burned": ("厂内燃烧或火炬（碳留在平衡内）",
                      "Off-gas burned or flared on site (carbon stays in the balance)"),
}
BASES: dict[str, Pair] = {"calculated": ("计算值", "calculated"),
                          "measured": ("实测值", "measured")}
ALUMINIUM_GUIDELINES = ("cets_2024_aluminium", "ndrc_2013_aluminium")
ALUMINIUM_PARAMETERS = ("net_anode", "anode_sulphur", "anode_ash")


@dataclass(frozen=True)
class Factor:
    guideline: str
    parameter: str
    name: Pair
    role: str
    value: str  # as written in the table (0.535), never float noise
    unit: str


@dataclass(frozen=True)
class Terms:
    factors: tuple[Factor, ...]
    guidelines: dict[str, Pair]

    def rows(self, guideline: str, *roles: str) -> list[Factor]:
        return [f for f in self.factors
                if f.guideline == guideline and (not roles or f.role in roles)]

    def factor(self, guideline: str, parameter: str) -> Factor | None:
        return next((f for f in self.factors
                     if f.guideline == guideline and f.parameter == parameter), None)

    def name(self, guideline: str, parameter: str) -> Pair:
        """A material's names; an id the reference version does not list is shown as typed."""
        found = self.factor(guideline, parameter)
        return found.name if found else (parameter, parameter)

    def guideline(self, gid: str) -> Pair:
        return self.guidelines.get(gid, (gid, gid))


def terms(reference) -> Terms:
    files = getattr(reference, "files", None) or {}
    return _read(files.get("process_factors.csv", ""), files.get("process_guidelines.csv", ""))


@cache
def _read(factors: str, guidelines: str) -> Terms:
    rows = tuple(Factor(r["guideline"].strip(), r["parameter"].strip(),
                        (r["name_zh"].strip(), r["name_en"].strip()), r["role"].strip(),
                        r["value"].strip(), r["unit"].strip())
                 for r in csv.DictReader(io.StringIO(factors, newline="")))
    named = {r["id"].strip(): (r["name_zh"].strip(), r["name_en"].strip())
             for r in csv.DictReader(io.StringIO(guidelines, newline=""))}
    return Terms(rows, named)


def basis(value) -> Pair:
    return BASES.get(str(value), (str(value), str(value)))
