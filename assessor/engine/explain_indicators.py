"""The trace of the indicators: each sentence written from the terms its formulas combined.

Every number here is a formula's value or one of its terms (formulas.Terms), for one
submission: nothing is worked out a second time, so the explanation follows the formulas when
they change. A formula that stops using a term this text names makes the trace fail loudly.
"""

from __future__ import annotations

from collections.abc import Callable

from .formulas import Terms
from .reference import Reference
from .wording import fmt, line

TermsOf = Callable[[str], Terms]


def indicator_lines(term: TermsOf, result: dict, accounting, reference: Reference) -> list[dict]:
    """The sentences for energy, electricity, emissions, offsets and shares."""
    factors = result["electricity_factors"]
    return [_energy(term, accounting, reference), _electricity(term), _scope1(term),
            _scope2_location(term, factors["location"], result["reporting_year"]),
            _scope2_market(term, factors["residual"]), _net(term), _carbon_per_energy(term),
            _non_fossil(term)]


def _energy(term: TermsOf, accounting, reference: Reference) -> dict:
    total = term("comprehensive_energy_tce")
    power = term("electricity_energy_tce")
    terms_zh, terms_en, sources = _by_carrier(
        term("fuel_energy_tce").parts, "tce", lambda c: f"{c.coefficient:g} {c.coefficient_unit}",
        lambda c: c.coal_source)
    conversion = accounting.electricity_conversion
    sources.add(reference.electricity_coefficients[conversion][1].cite())
    coefficient = power["electricity_tce_per_mwh"]
    used, tce = power["electricity_consumption_mwh"], power.value
    conv_zh = "当量值" if conversion == "equivalent" else "等价值"
    terms_zh.append(f"电力 {fmt(used, 'MWh')} × {conv_zh} {coefficient:g} tce/MWh = "
                    f"{fmt(tce, 'tce')}")
    terms_en.append(f"electricity {fmt(used, 'MWh')} × {coefficient:g} tce/MWh "
                    f"({conversion.replace('_', ' ')} value) = {fmt(tce, 'tce')}")
    return line("comprehensive_energy_tce",
                f"综合能耗 {fmt(total.value, 'tce')} = " + "；".join(terms_zh) + "。",
                f"Comprehensive energy {fmt(total.value, 'tce')} = " + "; ".join(terms_en) + ".",
                sorted(sources))


def _electricity(term: TermsOf) -> dict:
    used = term("electricity_consumption_mwh")
    trading = fmt(term("renewable_electricity_mwh")["green_trading_mwh"], "MWh")
    certificates = term("excess_certificates_mwh")
    listed = fmt(certificates["certificates_mwh"], "MWh")
    counted = fmt(certificates["certificates_counted_mwh"], "MWh")
    total, grid = fmt(used.value, "MWh"), fmt(used["grid_mwh"], "MWh")
    direct, onsite = fmt(used["direct_green_mwh"], "MWh"), fmt(used["onsite_used_mwh"], "MWh")
    return line(
        "electricity_consumption_mwh",
        f"用电量 {total} = 电网购电 {grid}（其中绿电交易 {trading}）+ 绿电直连 {direct} + 自发自用可再生电力 "
        f"{onsite}；另购绿证 {listed}，计入 {counted}（绿证不超过非绿电购电量）。",
        f"Electricity {total} = grid {grid} (green-power trades {trading}) + direct green supply "
        f"{direct} + on-site renewables {onsite}; certificates {listed}, of which {counted} "
        f"count (no more than the grid power not already green).")


def _scope1(term: TermsOf) -> dict:
    scope1 = term("scope1_tco2")
    combustion = fmt(scope1["scope1_combustion_tco2"], "tCO2")
    process = fmt(scope1["process_emissions_tco2"], "tCO2")
    burnt = term("scope1_combustion_tco2")
    terms_zh, terms_en, sources = _by_carrier(
        burnt.parts, "tCO2",
        lambda c: f"{c.emission_factor:.4g} {c.emission_factor_unit}", lambda c: c.emission_source)
    feedstock = float(burnt["feedstock_tco2"])
    if feedstock > 0:  # their carbon is in the carbon balance, counted once
        terms_zh.append(f"减去作还原剂或原料、已计入碳平衡的燃料 {fmt(feedstock, 'tCO2')}")
        terms_en.append(f"less fuel used as reductant or feedstock, counted in the carbon "
                        f"balance, {fmt(feedstock, 'tCO2')}")
    return line(
        "scope1_tco2",
        f"直接排放 {fmt(scope1.value, 'tCO2')} = 燃料燃烧 {combustion}（"
        + ("；".join(terms_zh) or "无")
        + f"，排放因子 = 低位发热量 × 单位热值含碳量 × 碳氧化率 × 44/12）+ 工业生产过程 {process}"
        + ("（按排放源见下）" if scope1["process_emissions_tco2"] else "") + "。",
        f"Scope 1 {fmt(scope1.value, 'tCO2')} = combustion {combustion} ("
        + ("; ".join(terms_en) or "none")
        + f"; factor = NCV × carbon content × oxidation × 44/12) + process {process}"
        + (" (by source below)" if scope1["process_emissions_tco2"] else "") + ".",
        sorted(sources))


def _scope2_location(term: TermsOf, factor: dict, year: int) -> dict:
    scope2 = term("scope2_location_tco2")
    late = factor["data_year"] and factor["data_year"] != year
    late_zh = f"（{year}年因子尚未发布，采用{factor['data_year']}年）" if late else ""
    late_en = f" ({year} not yet published; {factor['data_year']} used)" if late else ""
    grid = fmt(scope2["grid_purchase_mwh"], "MWh")
    value = fmt(scope2["location_factor"], "tCO2/MWh")
    heat = fmt(scope2["scope2_heat_tco2"], "tCO2")
    return line(
        "scope2_location_tco2",
        f"间接排放（基于位置）{fmt(scope2.value, 'tCO2')} = 电网购电 {grid} × "
        f"{factor['name_zh']} {value}{late_zh} + 外购热力和蒸汽 {heat}。",
        f"Scope 2 location-based {fmt(scope2.value, 'tCO2')} = grid {grid} × {_name_en(factor)} "
        f"{value}{late_en} + purchased heat and steam {heat}.",
        [s for s in (factor["source"],) if s])


def _name_en(factor: dict) -> str:
    # results stored before the English name was kept fall back to the table's id
    return factor.get("name_en") or factor["factor"]


def _scope2_market(term: TermsOf, factor: dict) -> dict:
    scope2 = term("scope2_market_tco2")
    fallback = factor["fallback_to_location"]
    fallback_zh = "（该年份无剩余电力因子，按位置因子计）" if fallback else ""
    fallback_en = " (no residual factor for the year: location factor used)" if fallback else ""
    grid = fmt(scope2["residual_grid_mwh"], "MWh")
    value = fmt(scope2["residual_factor"], "tCO2/MWh")
    heat = fmt(scope2["scope2_heat_tco2"], "tCO2")
    return line(
        "scope2_market_tco2",
        f"间接排放（基于市场）{fmt(scope2.value, 'tCO2')} = 未认定为绿电的购电 {grid} × "
        f"{factor['name_zh']} {value}{fallback_zh} + 外购热力和蒸汽 {heat}；绿电交易、绿证和绿电直连按零排放计。",
        f"Scope 2 market-based {fmt(scope2.value, 'tCO2')} = grid power not claimed green "
        f"{grid} × {_name_en(factor)} {value}{fallback_en} + heat and steam {heat}; traded "
        f"green power, certificates and direct supply count as zero.",
        [s for s in (factor["source"],) if s])


def _net(term: TermsOf) -> dict:
    net = term("net_emissions_tco2")
    gross = fmt(net["total_emissions_market_tco2"], "tCO2")
    offsets = fmt(net["offsets_tco2"], "tCO2")
    coverage = fmt(term("offset_coverage").value, "fraction")
    return line(
        "net_emissions_tco2",
        f"抵消后净排放 {fmt(net.value, 'tCO2')} = 排放总量（基于市场）{gross} − 碳抵消 {offsets}"
        f"（不低于零）；抵消比例 {coverage}。",
        f"Net emissions {fmt(net.value, 'tCO2')} = market-based total {gross} − offsets "
        f"{offsets} (not below zero); {coverage} offset.")


def _carbon_per_energy(term: TermsOf) -> dict:
    ratio = term("carbon_per_energy")
    gross = fmt(ratio["total_emissions_market_tco2"], "tCO2")
    energy = fmt(ratio["comprehensive_energy_tce"], "tce")
    return line(
        "carbon_per_energy",
        f"单位能耗碳排放 {fmt(ratio.value, 'tCO2/tce')} = 排放总量（基于市场，抵消前）{gross} ÷ 综合能耗 "
        f"{energy}。",
        f"CO2 per energy {fmt(ratio.value, 'tCO2/tce')} = market-based total before offsets "
        f"{gross} ÷ comprehensive energy {energy}.")


def _non_fossil(term: TermsOf) -> dict:
    share = term("non_fossil_energy_share")
    non_fossil = term("non_fossil_energy_tce")
    renewable = fmt(non_fossil["renewable_electricity_mwh"], "MWh")
    tce = fmt(share["non_fossil_energy_tce"], "tce")
    power_share = fmt(term("renewable_electricity_share").value, "fraction")
    physical = fmt(term("physical_green_electricity_share").value, "fraction")
    return line(
        "non_fossil_energy_share",
        f"非化石能源消费占比 {fmt(share.value, 'fraction')} = 可再生电力 {renewable}（绿电交易、绿证、"
        f"绿电直连、自发自用）折 {tce} ÷ 综合能耗；可再生电力占比 {power_share}，物理认定量占比 "
        f"{physical}（仅绿电直连和自发自用）。",
        f"Non-fossil share {fmt(share.value, 'fraction')} = renewable electricity {renewable} as "
        f"{tce} ÷ comprehensive energy; renewable power share {power_share}, physically "
        f"traceable {physical} (direct supply and on-site only).")


def _by_carrier(parts, unit: str, factor, source) -> tuple[list[str], list[str], set[str]]:
    """Each carrier's quantity × its factor = its part, as the formula added them up (Chinese,
    English), and the sources of the factors."""
    terms_zh, terms_en, sources = [], [], set()
    for part in parts:
        carrier = part.carrier
        shown = f"{fmt(part.quantity, carrier.unit)} × {factor(carrier)} = {fmt(part.value, unit)}"
        terms_zh.append(f"{carrier.name_zh} {shown}")
        terms_en.append(f"{carrier.name_en} {shown}")
        sources.add(source(carrier).cite())
    return terms_zh, terms_en, sources
