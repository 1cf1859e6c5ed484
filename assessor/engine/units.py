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
    """A unit string that is unknown, or of the wrong kind for where it is used. `zh` and `en`
    say why, for the person who typed it; `kind` is unknown, offset, ambiguous or dimension."""

    def __init__(self, en: str, zh: str = "", kind: str = "unknown"):
        super().__init__(en)
        self.en, self.zh, self.kind = en, zh or en, kind


# Names pint reads in a way the person typing them rarely means: "ton" is a US short ton
# (907 kg) and long_ton a British one (1016 kg); kt is a knot, not a kilotonne. Refused with
# the unit to use instead, whatever prefix they carry (kiloton, megaton).
_TON = ("可能是美吨 907 kg 或英吨 1016 kg", "t（吨）", "t (吨, a metric tonne)")
_CWT = ("英担，美制与英制不同", "t（吨）或 kg", "t (吨) or kg")
_AMBIGUOUS = {
    "ton": _TON, "long_ton": _TON, "US_ton": _TON, "UK_ton": _TON,
    "hundredweight": _CWT, "long_hundredweight": _CWT, "US_hundredweight": _CWT,
    "UK_hundredweight": _CWT,
    "knot": ("会被读作“节”（速度），不是千吨", "t（吨）或 万t", "t (吨) or 万t"),
}
# A power of a number or a bracket, or a chained, bracketed or long exponent (9**9**9,
# ((9**99)**99)**99) makes pint compute a huge number before it can say "not a unit":
# refused unread.
_POWER = r"(\*\*|\^)"
_COSTLY = re.compile(rf"{_POWER}\s*[-+]?\s*(\(|\d{{3,}}|[\w.]+\s*{_POWER})"
                     rf"|(^|[^A-Za-z_\u4e00-\u9fff\d])[\d.]+\s*{_POWER}|\)\s*{_POWER}")


def _normalise(text: str) -> str:
    text = text.strip()
    if text in _ALIASES:
        return _ALIASES[text]
    text = text.replace("³", "3").replace("·", "*").replace("％", "percent").replace("%", "percent")
    text = text.replace("℃", "degC").replace("℉", "degF")
    return _WAN.sub(lambda m: f"(10000*{m.group(1)})", text)


def _offset_error(text: str) -> UnitError:
    return UnitError(f"'{text}' is a temperature scale with an offset, not an amount that can "
                     "be converted", f"单位“{text}”是带零点偏移的温度单位（如 °C、°F），不能作为数量的单位",
                     "offset")


@lru_cache(maxsize=1024)
def parse_unit(text: str) -> pint.Quantity:
    """The pint quantity of one `text` unit; UnitError when pint does not know it, when it is
    a temperature with an offset (°C, degF) or when it is ambiguous (ton)."""
    if not isinstance(text, str) or not text.strip():
        raise UnitError("empty unit", "未填写单位")
    unknown = UnitError(f"unknown unit '{text}'", f"不认识的单位“{text}”")
    if len(text) > 80 or _COSTLY.search(text):
        raise unknown
    try:
        parsed = registry.parse_expression(_normalise(text))
    except pint.errors.OffsetUnitCalculusError as exc:
        raise _offset_error(text) from exc
    except Exception as exc:  # pint's parser raises many kinds (TokenError, ...)
        raise unknown from exc
    if not isinstance(parsed, pint.Quantity) or (parsed.magnitude != 1 and not re.search("万", text)):
        raise UnitError(f"'{text}' is not a unit", f"“{text}”不是单位")
    if parsed._get_non_multiplicative_units():
        raise _offset_error(text)
    for name in parsed.units._units:
        for _prefix, root, _suffix in registry.parse_unit_name(name):
            if root in _AMBIGUOUS:
                why, use_zh, use_en = _AMBIGUOUS[root]
                raise UnitError(f"unit '{text}' is ambiguous (it reads as {root}): use {use_en}",
                                f"单位“{text}”含义不明确（{why}），请使用 {use_zh}", "ambiguous")
    return parsed


@lru_cache(maxsize=4096)
def factor(from_unit: str, to_unit: str) -> float:
    """The number that turns a value in `from_unit` into `to_unit`; UnitError when the two
    measure different things (t and m3, kWh and kgce)."""
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    try:
        return float((source / target).to("dimensionless").magnitude)
    except pint.errors.PintError as exc:
        raise UnitError(f"'{from_unit}' cannot be converted to '{to_unit}'",
                        f"单位“{from_unit}”不能换算为 {to_unit}", "dimension") from exc


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
