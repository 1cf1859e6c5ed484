"""What every process line is made of: its dict, the basis words, a guideline's names (shared
by process.py and carbon_balance.py)."""

from __future__ import annotations

from .process_tables import ProcessTables

BASIS_ZH = {"calculated": "计算值", "measured": "实测值"}
BASIS_EN = {"calculated": "calculated", "measured": "measured"}


def process_line(unit_name: str, source: tuple[str, str], method: tuple[str, str], tco2: float,
         steps: tuple[str, str], sources: list[str]) -> dict:
    return {"unit": unit_name, "source": {"zh": source[0], "en": source[1]},
            "method": {"zh": method[0], "en": method[1]}, "tco2": tco2,
            "steps": {"zh": steps[0], "en": steps[1]},
            "sources": sorted({s for s in sources if s})}


def guideline_words(tables: ProcessTables, guideline: str) -> tuple[str, str]:
    g = tables.guidelines[guideline]
    return g.name_zh, g.name_en
