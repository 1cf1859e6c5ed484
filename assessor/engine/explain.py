"""The trace: every number of a result taken back to its inputs, coefficients and thresholds,
as short sentences in Chinese and English."""

from __future__ import annotations

import numpy as np

from .batch import Batch
from .reference import Reference

_OP_ZH = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "=", "!=": "≠", "in": "属于"}
_STATUS_ZH = {"passed": "通过", "failed": "未通过", "missing": "数据缺失，无法判定",
              "not_applicable": "不适用"}
_STATUS_EN = {"passed": "passed", "failed": "failed", "missing": "missing data",
              "not_applicable": "not applicable"}


def fmt(value, unit: str | None = None) -> str:
    """A number as people read it: thousands separated, four significant digits for small ones;
    shares in per cent."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if unit == "fraction":
        return f"{value * 100:.2f} %"
    magnitude = abs(value)
    text = (f"{value:,.2f}" if magnitude >= 100 else f"{value:.4g}" if magnitude else "0")
    return f"{text} {unit}" if unit and unit != "dimensionless" else text


def _line(key: str, zh: str, en: str, sources: list[str] | None = None) -> dict:
    return {"id": key, "zh": zh, "en": en, "sources": sources or []}


def _used_carriers(batch: Batch, reference: Reference, units: np.ndarray, scope: int | None):
    """(carrier, quantity) for each carrier this submission used, optionally of one scope."""
    for carrier in reference.carriers.values():
        column = batch.units.get(f"energy.{carrier.id}")
        if column is None or (scope is not None and carrier.scope != scope):
            continue
        quantity = float(column[units].sum())
        if quantity:
            yield carrier, quantity


def explain(result: dict, scores, batch: Batch, reference: Reference, i: int) -> list[dict]:
    ind = {k: v["value"] for k, v in result["indicators"].items()}
    lines: list[dict] = []
    units = np.flatnonzero(batch.units["submission"] == i)

    # energy, carrier by carrier
    terms_zh, terms_en, sources = [], [], set()
    for carrier, quantity in _used_carriers(batch, reference, units, None):
        tce = quantity * carrier.tce_per_unit
        terms_zh.append(f"{carrier.name_zh} {fmt(quantity, carrier.unit)} × "
                        f"{carrier.coefficient:g} {carrier.coefficient_unit} = {fmt(tce, 'tce')}")
        terms_en.append(f"{carrier.name_en} {fmt(quantity, carrier.unit)} × "
                        f"{carrier.coefficient:g} {carrier.coefficient_unit} = {fmt(tce, 'tce')}")
        sources.add(carrier.coal_source.cite())
    conversion = scores.criteria.model.accounting.electricity_conversion
    coefficient, e_source = reference.electricity_coefficients[conversion]
    sources.add(e_source.cite())
    conv_zh = "当量值" if conversion == "equivalent" else "等价值"
    terms_zh.append(f"电力 {fmt(ind['electricity_consumption_mwh'], 'MWh')} × {conv_zh} "
                    f"{coefficient:g} tce/MWh = {fmt(ind['electricity_energy_tce'], 'tce')}")
    terms_en.append(f"electricity {fmt(ind['electricity_consumption_mwh'], 'MWh')} × "
                    f"{coefficient:g} tce/MWh ({conversion.replace('_', ' ')} value) = "
                    f"{fmt(ind['electricity_energy_tce'], 'tce')}")
    lines.append(_line("comprehensive_energy_tce",
                       f"综合能耗 {fmt(ind['comprehensive_energy_tce'], 'tce')} = "
                       + "；".join(terms_zh) + "。",
                       f"Comprehensive energy {fmt(ind['comprehensive_energy_tce'], 'tce')} = "
                       + "; ".join(terms_en) + ".", sorted(sources)))

    # electricity split
    u = batch.units
    grid = float(u["grid_mwh"][units].sum())
    trading = float(u["green_trading_mwh"][units].sum())
    certs = float(u["certificates_mwh"][units].sum())
    direct = float(u["direct_green_mwh"][units].sum())
    onsite = float(u["onsite_used_mwh"][units].sum())
    lines.append(_line(
        "electricity_consumption_mwh",
        f"用电量 {fmt(ind['electricity_consumption_mwh'], 'MWh')} = 电网购电 {fmt(grid, 'MWh')}"
        f"（其中绿电交易 {fmt(trading, 'MWh')}）+ 绿电直连 {fmt(direct, 'MWh')} + 自发自用可再生电力 "
        f"{fmt(onsite, 'MWh')}；另购绿证 {fmt(certs, 'MWh')}，计入 "
        f"{fmt(certs - ind['excess_certificates_mwh'], 'MWh')}（绿证不超过非绿电购电量）。",
        f"Electricity {fmt(ind['electricity_consumption_mwh'], 'MWh')} = grid "
        f"{fmt(grid, 'MWh')} (green-power trades {fmt(trading, 'MWh')}) + direct green supply "
        f"{fmt(direct, 'MWh')} + on-site renewables {fmt(onsite, 'MWh')}; certificates "
        f"{fmt(certs, 'MWh')}, of which {fmt(certs - ind['excess_certificates_mwh'], 'MWh')} "
        f"count (no more than the grid power not already green)."))

    # scope 1 and process
    terms_zh, terms_en, sources = [], [], set()
    for carrier, quantity in _used_carriers(batch, reference, units, 1):
        tco2 = quantity * carrier.tco2_per_unit
        terms_zh.append(f"{carrier.name_zh} {fmt(quantity, carrier.unit)} × "
                        f"{carrier.emission_factor:.4g} {carrier.emission_factor_unit} = "
                        f"{fmt(tco2, 'tCO2')}")
        terms_en.append(f"{carrier.name_en} {fmt(quantity, carrier.unit)} × "
                        f"{carrier.emission_factor:.4g} {carrier.emission_factor_unit} = "
                        f"{fmt(tco2, 'tCO2')}")
        sources.add(carrier.emission_source.cite())
    lines.append(_line(
        "scope1_tco2",
        f"直接排放 {fmt(ind['scope1_tco2'], 'tCO2')} = 燃料燃烧 "
        f"{fmt(ind['scope1_combustion_tco2'], 'tCO2')}（" + ("；".join(terms_zh) or "无")
        + f"，排放因子 = 低位发热量 × 单位热值含碳量 × 碳氧化率 × 44/12）+ 工业生产过程 "
        f"{fmt(ind['process_emissions_tco2'], 'tCO2')}。",
        f"Scope 1 {fmt(ind['scope1_tco2'], 'tCO2')} = combustion "
        f"{fmt(ind['scope1_combustion_tco2'], 'tCO2')} (" + ("; ".join(terms_en) or "none")
        + f"; factor = NCV × carbon content × oxidation × 44/12) + process "
        f"{fmt(ind['process_emissions_tco2'], 'tCO2')}.", sorted(sources)))

    # scope 2
    f = result["electricity_factors"]
    loc, res = f["location"], f["residual"]
    year = result["reporting_year"]
    late_zh = (f"（{year}年因子尚未发布，采用{loc['data_year']}年）"
               if loc["data_year"] and loc["data_year"] != year else "")
    late_en = (f" ({year} not yet published; {loc['data_year']} used)"
               if loc["data_year"] and loc["data_year"] != year else "")
    lines.append(_line(
        "scope2_location_tco2",
        f"间接排放（基于位置）{fmt(ind['scope2_location_tco2'], 'tCO2')} = 电网购电 "
        f"{fmt(grid, 'MWh')} × "
        f"{loc['name_zh']} {fmt(loc['value'], 'tCO2/MWh')}{late_zh} + 外购热力和蒸汽 "
        f"{fmt(ind['scope2_heat_tco2'], 'tCO2')}。",
        f"Scope 2 location-based {fmt(ind['scope2_location_tco2'], 'tCO2')} = grid "
        f"{fmt(grid, 'MWh')} × {loc['factor']} {fmt(loc['value'], 'tCO2/MWh')}{late_en} + "
        f"purchased heat and steam {fmt(ind['scope2_heat_tco2'], 'tCO2')}.",
        [s for s in (loc["source"],) if s]))
    residual_grid = float(scores.values["residual_grid_mwh"][i])
    fallback_zh = "（该年份无剩余电力因子，按位置因子计）" if res["fallback_to_location"] else ""
    fallback_en = (" (no residual factor for the year: location factor used)"
                   if res["fallback_to_location"] else "")
    lines.append(_line(
        "scope2_market_tco2",
        f"间接排放（基于市场）{fmt(ind['scope2_market_tco2'], 'tCO2')} = 未认定为绿电的购电 "
        f"{fmt(residual_grid, 'MWh')} × {res['name_zh']} {fmt(res['value'], 'tCO2/MWh')}"
        f"{fallback_zh} + 外购热力和蒸汽 {fmt(ind['scope2_heat_tco2'], 'tCO2')}；绿电交易、绿证和绿电直连按零排放计。",
        f"Scope 2 market-based {fmt(ind['scope2_market_tco2'], 'tCO2')} = grid power not "
        f"claimed green {fmt(residual_grid, 'MWh')} × {res['factor']} "
        f"{fmt(res['value'], 'tCO2/MWh')}{fallback_en} + heat and steam "
        f"{fmt(ind['scope2_heat_tco2'], 'tCO2')}; traded green power, certificates and direct "
        f"supply count as zero.", [s for s in (res["source"],) if s]))
    lines.append(_line(
        "net_emissions_tco2",
        f"抵消后净排放 {fmt(ind['net_emissions_tco2'], 'tCO2')} = 排放总量（基于市场）"
        f"{fmt(ind['total_emissions_market_tco2'], 'tCO2')} − 碳抵消 "
        f"{fmt(ind['offsets_tco2'], 'tCO2')}（不低于零）；抵消比例 "
        f"{fmt(ind['offset_coverage'], 'fraction')}。",
        f"Net emissions {fmt(ind['net_emissions_tco2'], 'tCO2')} = market-based total "
        f"{fmt(ind['total_emissions_market_tco2'], 'tCO2')} − offsets "
        f"{fmt(ind['offsets_tco2'], 'tCO2')} (not below zero); "
        f"{fmt(ind['offset_coverage'], 'fraction')} offset."))
    lines.append(_line(
        "carbon_per_energy",
        f"单位能耗碳排放 {fmt(ind['carbon_per_energy'], 'tCO2/tce')} = 排放总量（基于市场，抵消前）"
        f"{fmt(ind['total_emissions_market_tco2'], 'tCO2')} ÷ 综合能耗 "
        f"{fmt(ind['comprehensive_energy_tce'], 'tce')}。",
        f"CO2 per energy {fmt(ind['carbon_per_energy'], 'tCO2/tce')} = market-based total before "
        f"offsets {fmt(ind['total_emissions_market_tco2'], 'tCO2')} ÷ comprehensive energy "
        f"{fmt(ind['comprehensive_energy_tce'], 'tce')}."))
    lines.append(_line(
        "non_fossil_energy_share",
        f"非化石能源消费占比 {fmt(ind['non_fossil_energy_share'], 'fraction')} = 可再生电力 "
        f"{fmt(ind['renewable_electricity_mwh'], 'MWh')}（绿电交易、绿证、绿电直连、自发自用）折 "
        f"{fmt(ind['non_fossil_energy_tce'], 'tce')} ÷ 综合能耗；可再生电力占比 "
        f"{fmt(ind['renewable_electricity_share'], 'fraction')}，物理认定量占比 "
        f"{fmt(ind['physical_green_electricity_share'], 'fraction')}（仅绿电直连和自发自用）。",
        f"Non-fossil share {fmt(ind['non_fossil_energy_share'], 'fraction')} = renewable "
        f"electricity {fmt(ind['renewable_electricity_mwh'], 'MWh')} as "
        f"{fmt(ind['non_fossil_energy_tce'], 'tce')} ÷ comprehensive energy; renewable power share "
        f"{fmt(ind['renewable_electricity_share'], 'fraction')}, physically traceable "
        f"{fmt(ind['physical_green_electricity_share'], 'fraction')} (direct supply and "
        f"on-site only)."))

    for p in result["products"]:
        energy_unit, output_unit = p["unit"].split("/", 1)
        verdict_zh = ("达到" if p["meets_target"] else "未达到" if p["evaluable"]
                      else "无法计算（产量为零或缺数据）")
        verdict_en = ("met" if p["meets_target"] else "not met" if p["evaluable"]
                      else "cannot be computed")
        grade = "—" if p["grade"] is None else (f"{int(p['grade'])}级" if p["grade"] < 4
                                                else "低于3级")
        lines.append(_line(
            f"product.{p['benchmark']}",
            f"{p['product_zh']}{p['indicator_zh']} {fmt(p['unit_energy'], p['unit'])} "
            f"（{fmt(p['energy'], energy_unit)} ÷ {fmt(p['output'], output_unit)}），"
            f"能效要求 {fmt(p['target'], p['unit'])}：{verdict_zh}；"
            f"能耗限额等级 {grade}。",
            f"{p['product_en']}: {fmt(p['unit_energy'], p['unit'])} against target "
            f"{fmt(p['target'], p['unit'])}: "
            f"{verdict_en}; grade {grade if p['grade'] is None else int(p['grade'])}."))

    for g in result["gates"]:
        op = _OP_ZH.get(g["op"], g["op"])
        lines.append(_line(
            g["id"],
            f"{g['id']} {g['title']['zh']}：{fmt(g['value'], g['unit'])} {op} "
            f"{fmt(g['threshold'], g['unit'])} → {_STATUS_ZH[g['status']]}（{g['source']}）。"
            if g["threshold"] is not None else
            f"{g['id']} {g['title']['zh']}：{_STATUS_ZH[g['status']]}（{g['source']}）。",
            f"{g['id']} {g['title']['en']}: {fmt(g['value'], g['unit'])} {g['op']} "
            f"{fmt(g['threshold'], g['unit'])} → {_STATUS_EN[g['status']]}."
            if g["threshold"] is not None else
            f"{g['id']} {g['title']['en']}: {_STATUS_EN[g['status']]}.",
            [g["source"]]))
        if g["status"] == "not_applicable":
            lines[-1] = _with_conditions(lines[-1], g["id"], scores, i)
    items = {item.id: item for item in scores.criteria.model.items}
    for it in result["items"]:
        rule_zh, rule_en = _rule_text(items[it["id"]], it, scores.criteria)
        status_zh = {"expert_scored": "专家评分", "suggested": "系统建议分，待专家评定",
                     "pending": "待专家评定", "not_applicable": "不适用",
                     "missing": "数据缺失，记0分", "passed": rule_zh}[it["status"]]
        status_en = {"expert_scored": "scored by experts", "suggested": "suggested, experts decide",
                     "pending": "awaiting experts", "not_applicable": "not applicable",
                     "missing": "missing data, 0 points", "passed": rule_en}[it["status"]]
        lines.append(_line(
            it["id"],
            f"{it['id']} {it['title']['zh']}：{it['points']:g}/{it['max']:g} 分（{status_zh}；"
            f"{it['source']}）。",
            f"{it['id']} {it['title']['en']}: {it['points']:g}/{it['max']:g} points "
            f"({status_en}).", [it["source"]]))
    total = result["total"]
    lines.append(_line(
        "total",
        f"总分 {fmt(total['points'])} = 得分 {total['earned']:g} ÷ 适用项满分 "
        f"{total['applicable_max']:g} × {total['max']:g}"
        + ("（含待专家评定项，暂定）" if total["provisional"] else "") + "。",
        f"Total {fmt(total['points'])} = {total['earned']:g} earned ÷ {total['applicable_max']:g} "
        f"applicable × {total['max']:g}" + (" (provisional: expert items pending)"
                                            if total["provisional"] else "") + "."))
    lines.append(_line("level", f"评价等级：{result['level']['title']['zh']}。",
                       f"Level: {result['level']['title']['en']}."))
    return lines


def _with_conditions(line: dict, item_id: str, scores, i: int) -> dict:
    """A not-applicable gate's line with the conditions under which it applies, the ones this
    submission does not meet, and their sources: e.g. F-G8 not for a 算力设施."""
    criteria = scores.criteria
    item = next(x for x in criteria.model.items if x.id == item_id)
    met = scores.applies_conditions[item_id]
    texts, unmet, sources = [], [], []
    for c, held in zip(item.applies_conditions, met, strict=True):
        symbol = criteria.symbols[c.indicator]
        declaration = criteria.declarations_by_id.get(symbol.id)
        if symbol.kind == "declaration" and declaration.type == "boolean":
            shown = ["是" if c.value else "否", "yes" if c.value else "no"]
        elif symbol.kind == "declaration":
            titles = declaration.option_titles
            values = c.value if isinstance(c.value, list) else [c.value]
            shown = ["、".join(titles[v].zh if v in titles else str(v) for v in values),
                     ", ".join(titles[v].en if v in titles else str(v) for v in values)]
        elif c.value is None:  # a banded threshold
            shown = ["分档阈值", "the banded threshold"]
        else:
            shown = [f"{c.value:,g} {c.unit or ''}".strip()] * 2
        text = (f"{symbol.title.zh} {_OP_ZH.get(c.op, c.op)} {shown[0]}",
                f"{symbol.title.en} {c.op} {shown[1]}")
        texts.append(text)
        if not held[i]:
            unmet.append(text)
        if c.source is not None:
            sources.append(c.source.cite())
    line = dict(line)
    line["zh"] = (line["zh"].rstrip("。") + f"；本项仅在{'且'.join(t[0] for t in texts)}时适用，"
                  f"此处不满足：{'；'.join(t[0] for t in unmet)}。")
    line["en"] = (line["en"].rstrip(".") + f"; it applies only where "
                  f"{' and '.join(t[1] for t in texts)}, and here not: "
                  f"{'; '.join(t[1] for t in unmet)}.")
    line["sources"] = list(line.get("sources") or []) + sources
    return line


def _rule_text(item, entry: dict, criteria) -> tuple[str, str]:
    """How a scored item's points came about, e.g. linear between baseline and leading value."""
    scoring = item.scoring
    if scoring is None:
        return "", ""
    unit = criteria.symbols[scoring.indicator].unit
    value = fmt(entry["value"], unit)
    if scoring.method == "linear":
        given = scoring.unit or ""
        return (f"{value}，在基准值 {scoring.baseline:g} {given} 与引领值 {scoring.leading:g} {given} "
                f"之间线性计分：{item.points:g} × 比例 = {entry['points']:g}",
                f"{value}, linear between baseline {scoring.baseline:g} {given} and leading value "
                f"{scoring.leading:g} {given}")
    if entry["band"] is None:
        return f"{value}，未达到任何得分档", f"{value}, below every band"
    band = scoring.bands[entry["band"]]
    shown = band.value if not isinstance(band.value, float) else f"{band.value:g}"
    return (f"{value} {_OP_ZH.get(band.op, band.op)} {shown} {scoring.unit or ''}，得 {band.points:g} 分",
            f"{value} {band.op} {shown} {scoring.unit or ''}: {band.points:g} points")
