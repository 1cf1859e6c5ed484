"""The charts of one application's result: energy by carrier, points by category, and the
bundle a result page shows (with the waterfall and product levels from their own modules)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .products import product_levels, product_levels_rows
from .svg import _bar_chart, _figure, _pct, _pick, _rows, fmt, number
from .waterfall import emissions_waterfall, emissions_waterfall_rows

CATEGORY_TITLES: dict[str, tuple[str, str]] = {
    "basic": ("基本要求", "Basic requirements"),
    "core": ("核心指标", "Core indicators"),
    "energy": ("能源结构", "Energy"),
    "product": ("产品能效与碳足迹", "Products"),
    "offset": ("碳抵消", "Offsets"),
    "management": ("能碳管理", "Management"),
    "reduction": ("节能降碳", "Reduction measures"),
    "disclosure": ("信息披露", "Disclosure"),
    "guiding": ("引导性指标", "Guiding indicators"),
    "plan": ("规划与建设", "Planning"),
}


# -- energy by carrier -------------------------------------------------------------------------

ENERGY_TITLE = ("能源消费结构（折标准煤）", "Energy use by carrier (tce)")


def _energy_data(pairs: Iterable[tuple[str, float]] | None) -> list[tuple[str, float, float]]:
    totals: dict[str, float] = {}
    for pair in pairs or ():
        try:
            name, value = pair
        except (TypeError, ValueError):
            continue
        value = number(value)
        if value is None or value <= 0 or name is None:
            continue
        totals[str(name)] = totals.get(str(name), 0.0) + value
    grand = sum(totals.values())
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(name, value, value / grand) for name, value in ordered]


def _energy_rows(pairs: Iterable[tuple[str, float]] | None) -> list[dict]:
    return [{"key": name, "label": name, "value": v, "text": f"{fmt(v, 'tce')}（{_pct(s)}）"}
            for name, v, s in _energy_data(pairs)]


def energy_mix(pairs: Iterable[tuple[str, float]] | None, *, lang: str = "zh") -> str:
    """Horizontal bars of tce by carrier, largest first, each with its value and share.
    Pairs with the same name are added; None, NaN and values not above zero are skipped."""
    data = _energy_rows(pairs)
    total = f"；合计 {fmt(sum(d['value'] for d in data), 'tce')}"
    return _bar_chart("energy-mix", ENERGY_TITLE, data, tail=total)


def energy_mix_rows(pairs: Iterable[tuple[str, float]] | None,
                    *, lang: str = "zh") -> list[tuple[str, str]]:
    rows = _rows(_energy_rows(pairs))
    if rows:
        total = sum(v for _, v, _ in _energy_data(pairs))
        rows.append((_pick(("合计", "Total"), lang), fmt(total, "tce")))
    return rows


# -- points by item category -------------------------------------------------------------------

POINTS_TITLE = ("各类评分项得分与满分", "Points against the maximum by category")


def _category_data(items: Iterable[Mapping] | None, titles: Mapping[str, str] | None,
                   lang: str) -> list[dict]:
    groups: dict[str, list[float]] = {}
    for item in items or ():
        if not isinstance(item, Mapping) or item.get("status") == "not_applicable":
            continue
        points, maximum = number(item.get("points")), number(item.get("max"))
        if points is None or maximum is None:
            continue
        group = groups.setdefault(str(item.get("category") or ""), [0.0, 0.0])
        group[0] += points
        group[1] += maximum
    out = []
    for key, (points, maximum) in groups.items():
        label = (titles or {}).get(key) or (_pick(CATEGORY_TITLES[key], lang)
                                            if key in CATEGORY_TITLES else key or "—")
        share = f"（{_pct(points / maximum)}）" if maximum > 0 else ""
        out.append({"key": key, "label": label, "value": points, "maximum": maximum,
                    "text": f"{fmt(points)} / {fmt(maximum)}{share}"})
    return out


def points_by_category(items: Iterable[Mapping] | None, *, titles: Mapping[str, str] | None = None,
                       lang: str = "zh") -> str:
    """Points earned (filled bar) against the maximum (outline) per item category, in the
    criteria's order. Not-applicable items are left out of both, as in the engine's total.
    `titles` maps category ids to labels (defaults: CATEGORY_TITLES)."""
    return _bar_chart("points", POINTS_TITLE, _category_data(items, titles, lang), "（单位：分）")


def points_by_category_rows(items: Iterable[Mapping] | None, *,
                            titles: Mapping[str, str] | None = None,
                            lang: str = "zh") -> list[tuple[str, str]]:
    return _rows(_category_data(items, titles, lang))


# -- the bundle a result page shows ------------------------------------------------------------

EMISSIONS_CAPTION = ("排放总量、碳抵消与净排放（tCO2，基于市场）",
                     "Emissions, offsets and net emissions (tCO2, market-based)")
PRODUCTS_CAPTION = ("单位产品能耗与能效等级（数值越低越好）",
                    "Unit energy against the efficiency levels (lower is better)")

def carrier_energy(batch, reference, electricity_tce=None, *, submission: int = 0,
                   lang: str = "zh") -> list[tuple[str, float]]:
    """(carrier name, tce) for one submission of an engine batch, as engine/explain.py computes
    them: quantity in the canonical unit × the carrier's tce_per_unit, summed over the
    submission's accounting units (a park's members included); electricity last, from the
    indicator electricity_energy_tce. Duck-typed: takes assessor.engine Batch and Reference."""
    units = [k for k, s in enumerate(batch.units["submission"]) if int(s) == submission]
    pairs = []
    for carrier in reference.carriers.values():
        column = batch.units.get(f"energy.{carrier.id}")
        if column is None:
            continue
        quantity = sum(float(column[k]) for k in units)
        if quantity:
            pairs.append((carrier.name_en if lang == "en" else carrier.name_zh,
                          quantity * carrier.tce_per_unit))
    if number(electricity_tce):
        pairs.append((_pick(("电力", "Electricity"), lang), float(electricity_tce)))
    return pairs


def _value(indicators: Mapping, name: str):
    entry = indicators.get(name)
    return entry.get("value") if isinstance(entry, Mapping) else entry


def result_charts(result: Mapping, energy: Iterable[tuple[str, float]] | None = None,
                  *, lang: str = "zh") -> list[dict]:
    """The charts of one engine result (engine.score / Revision.result): energy mix (when
    `energy` pairs are given), the emissions waterfall, product levels (when there are
    products) and points by category; each {id, svg, caption, rows}."""
    ind = result.get("indicators") or {}
    out = []
    if energy is not None:
        out.append(_figure("energy", _pick(ENERGY_TITLE, lang), energy_mix, energy_mix_rows,
                           list(energy), lang=lang))
    out.append(_figure("emissions", _pick(EMISSIONS_CAPTION, lang), emissions_waterfall,
                       emissions_waterfall_rows, scope1=_value(ind, "scope1_tco2"),
                       scope2_location=_value(ind, "scope2_location_tco2"),
                       scope2_market=_value(ind, "scope2_market_tco2"),
                       offsets=_value(ind, "offsets_tco2"), lang=lang))
    if result.get("products"):
        out.append(_figure("products", _pick(PRODUCTS_CAPTION, lang), product_levels,
                           product_levels_rows, result["products"], lang=lang))
    out.append(_figure("points", _pick(POINTS_TITLE, lang), points_by_category,
                       points_by_category_rows, result.get("items") or [], lang=lang))
    return out
