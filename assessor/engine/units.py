"""Units: one pint registry with the project's carbon-accounting units.

Standard coal (kgce), CO2 (kgCO2) and carbon (kgC) are their own dimensions on purpose: pint
must never turn kWh into kgce by heat content or tC into tCO2 silently; those conversions go
through coefficients that carry a source.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pint

registry = pint.UnitRegistry(autoconvert_offset_to_baseunit=False)
for line in (
    "kgce = [standard_coal]",
    "tce = 1000 * kgce",
    "kgoe = [oil_equivalent]",
    "kgCO2 = [carbon_dioxide]",
    "tCO2 = 1000 * kgCO2",
    "kgCO2e = kgCO2",
    "tCO2e = tCO2",
    "kgC = [carbon]",
    "tC = 1000 * kgC",
    "yuan = [currency]",
    "Nm3 = meter ** 3",
    "m3 = meter ** 3",
    "吨 = metric_ton",
    "千克 = kilogram",
    "公斤 = kilogram",
    "千瓦时 = kilowatt_hour",
    "度 = kilowatt_hour",
    "兆瓦时 = megawatt_hour",
    "吉焦 = gigajoule",
    "立方米 = meter ** 3",
    "标准立方米 = meter ** 3",
    "吨标准煤 = tce",
    "吨标煤 = tce",
    "千克标准煤 = kgce",
    "元 = yuan",
    "fraction = 1",
):
    registry.define(line)

Quantity = registry.Quantity

# 万 (10^4) prefixes a unit anywhere in a unit string: 万kWh, GJ/万Nm3, 万tce, 万元.
_WAN = re.compile(r"万\s*([A-Za-z\u4e00-\u9fff][\w]*)")
_ALIASES = {"%": "percent", "％": "percent", "m³": "m3", "Nm³": "Nm3"}


class UnitError(ValueError):
    """A unit string that is unknown, or of the wrong kind for where it is used."""


def _normalise(text: str) -> str:
    text = text.strip()
    if text in _ALIASES:
        return _ALIASES[text]
    text = text.replace("³", "3").replace("·", "*").replace("％", "percent").replace("%", "percent")
    return _WAN.sub(lambda m: f"(10000*{m.group(1)})", text)


@lru_cache(maxsize=1024)
def parse_unit(text: str) -> pint.Quantity:
    """The pint quantity of one `text` unit; UnitError when pint does not know it."""
    if not isinstance(text, str) or not text.strip():
        raise UnitError("empty unit")
    try:
        parsed = registry.parse_expression(_normalise(text))
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError,
            TypeError, SyntaxError, ValueError, AssertionError) as exc:
        raise UnitError(f"unknown unit '{text}'") from exc
    if not isinstance(parsed, pint.Quantity) or (parsed.magnitude != 1 and not re.search("万", text)):
        raise UnitError(f"'{text}' is not a unit")
    return parsed


@lru_cache(maxsize=4096)
def factor(from_unit: str, to_unit: str) -> float:
    """The number that turns a value in `from_unit` into `to_unit`; UnitError when the two
    measure different things (t and m3, kWh and kgce)."""
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    try:
        return float((source / target).to("dimensionless").magnitude)
    except pint.errors.DimensionalityError as exc:
        raise UnitError(f"'{from_unit}' cannot be converted to '{to_unit}'") from exc


def compatible(from_unit: str, to_unit: str) -> bool:
    try:
        factor(from_unit, to_unit)
    except UnitError:
        return False
    return True


def dimensionality(unit: str) -> str:
    return str(parse_unit(unit).dimensionality)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    return value * factor(from_unit, to_unit)
