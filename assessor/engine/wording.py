"""How the trace writes numbers and lines (explain.py, explain_indicators.py)."""

from __future__ import annotations

import numpy as np

OP_ZH = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "=", "!=": "≠", "in": "属于"}
OP_SIGN = {**OP_ZH, "in": "∈"}  # where a rule is shown as a formula (bands, the editor)


def fmt(value, unit: str | None = None) -> str:
    """A number as people read it: thousands separated (two decimals at most, trailing zeros
    dropped) from 100 up, four significant digits below; shares in per cent."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if unit == "fraction":
        return f"{_trimmed(f'{value * 100:.2f}')} %"
    magnitude = abs(value)
    text = (_trimmed(f"{value:,.2f}") if magnitude >= 100 else f"{value:.4g}" if magnitude
            else "0")
    return f"{text} {unit}" if unit and unit != "dimensionless" else text


def _trimmed(text: str) -> str:
    """Without the zeros that say nothing: 598,000.00 → 598,000, 39.80 → 39.8."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def line(key: str, zh: str, en: str, sources: list[str] | None = None) -> dict:
    """One sentence of the trace, in Chinese and English, with the sources it cites."""
    return {"id": key, "zh": zh, "en": en, "sources": sources or []}
