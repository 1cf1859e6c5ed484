"""The carbon balance (ferroalloys, calcium carbide, yellow phosphorus, coal chemicals): carbon in
less carbon out, each flow's carbon from the plant's own content (no defaults exist); exported
off-gas takes its carbon out, off-gas burned on site does not; a reductant also reported as energy
names its carrier so that its carbon counts once."""

from __future__ import annotations

import math

from .process_words import BASIS_EN, BASIS_ZH, guideline_words, process_line
from .reference import CO2_PER_C, Reference
from .units import UnitError, factor, parse_unit
from .wording import fmt

_FLOW_ZH = {"input": "投入", "product": "含碳产品", "residue": "炉渣、除尘灰等",
            "offgas_exported": "外供尾气", "offgas_burned": "厂内燃烧或火炬的尾气"}
_FLOW_EN = {"input": "input", "product": "product", "residue": "residue",
            "offgas_exported": "off-gas exported", "offgas_burned": "off-gas burned on site"}
_CONTENTS = (("tC/t", "t"), ("fraction", "t"), ("tC/m3", "m3"))


def carbon_tonnes(check, flow, where: str) -> float:
    """The flow's carbon in tC: quantity × content, the content as a share (%, fraction) or
    tC per t of a solid or liquid, or tC per volume (tC/万Nm3) of a gas."""
    for amount, path in ((flow.quantity, f"{where}.quantity"), (flow.carbon, f"{where}.carbon")):
        try:
            parse_unit(amount.unit)
        except UnitError as error:  # unknown, with an offset or ambiguous: said as everywhere
            check.add(f"{path}.unit", error.zh, error.en, refused=True)
            return math.nan
    for content_unit, amount_unit in _CONTENTS:
        try:
            per = factor(flow.carbon.unit, content_unit)
            factor(flow.quantity.unit, amount_unit)
        except UnitError:
            continue
        content = flow.carbon.quantity * per
        if amount_unit == "t" and content > 1:
            check.add(f"{where}.carbon.quantity", "含碳量不能大于 100 %（请检查单位是 % 还是小数）",
                      "a carbon content cannot exceed 100 % (check % against a fraction)")
            return math.nan
        return check.amount(flow.quantity, amount_unit, f"{where}.quantity", flow.material) \
            * content
    check.add(f"{where}.carbon.unit", f"含碳量单位“{flow.carbon.unit}”与数量单位“{flow.quantity.unit}”"
              "不匹配：固体、液体用 % 或 tC/t，气体用 tC/万Nm3", f"carbon content in "
              f"'{flow.carbon.unit}' does not fit a quantity in '{flow.quantity.unit}': use % or "
              "tC/t for solids and liquids, tC/万Nm3 for gases", refused=True)
    return math.nan


def carbon_balance(check, reference: Reference, unit, path: str,
                   unit_name: str) -> tuple[float, float, list[dict]]:
    """(tCO2, combustion CO2 of feedstock also in the energy section, lines) of a unit's
    balance: per process, 44/12 × (carbon in − carbon out)."""
    tables = reference.process
    total, feedstock_tco2, lines = 0.0, 0.0, []
    co2_per_c = reference.other[CO2_PER_C][0]
    g = guideline_words(tables, "carbon_balance")
    groups: dict[str, list] = {}
    for k, flow in enumerate(unit.carbon_balance):
        where = f"{path}carbon_balance[{k}]"
        tonnes = carbon_tonnes(check, flow, where)
        groups.setdefault(flow.process, []).append((flow, tonnes))
        if flow.carrier:
            feedstock_tco2 += _feedstock(check, reference, unit, flow, where)
    for process, flows in groups.items():
        carbon_in = sum(t for f, t in flows if f.flow == "input")
        carbon_out = sum(t for f, t in flows if f.flow in ("product", "residue",
                                                           "offgas_exported"))
        if carbon_out > carbon_in:
            check.add(f"{path}carbon_balance", f"“{process}”的碳输出（{fmt(carbon_out, 'tC')}）大于碳输入"
                      f"（{fmt(carbon_in, 'tC')}），请检查数量和含碳量", f"carbon out of '{process}' "
                      f"({fmt(carbon_out, 'tC')}) exceeds carbon in ({fmt(carbon_in, 'tC')})")
        tco2 = max(carbon_in - carbon_out, 0.0) * co2_per_c
        parts_zh = "；".join(
            f"{_FLOW_ZH[f.flow]} {f.material} {fmt(f.quantity.quantity, f.quantity.unit)} × "
            f"{fmt(f.carbon.quantity, f.carbon.unit)}（{BASIS_ZH[f.basis]}）= {fmt(t, 'tC')}"
            + ("，碳留在平衡内，不扣减" if f.flow == "offgas_burned" else "")
            for f, t in flows)
        parts_en = "; ".join(
            f"{_FLOW_EN[f.flow]} {f.material} {fmt(f.quantity.quantity, f.quantity.unit)} × "
            f"{fmt(f.carbon.quantity, f.carbon.unit)} ({BASIS_EN[f.basis]}) = {fmt(t, 'tC')}"
            + (", its carbon stays in the balance" if f.flow == "offgas_burned" else "")
            for f, t in flows)
        total += tco2
        lines.append(process_line(
            unit_name, (f"{process}（碳平衡）", f"{process} (carbon balance)"), g, tco2,
            (f"{parts_zh}。（碳输入 {fmt(carbon_in, 'tC')} − 碳输出 {fmt(carbon_out, 'tC')}）× 44/12 = "
             f"{fmt(tco2, 'tCO2')}；外供尾气的碳计为输出，厂内燃烧或火炬的尾气不扣减",
             f"{parts_en}. (carbon in {fmt(carbon_in, 'tC')} − carbon out "
             f"{fmt(carbon_out, 'tC')}) × 44/12 = {fmt(tco2, 'tCO2')}; exported off-gas counts "
             "as an output, off-gas burned on site deducts nothing"),
            [tables.guidelines["carbon_balance"].source.cite()]))
    return total, feedstock_tco2, lines


def _feedstock(check, reference, unit, flow, where) -> float:
    """Combustion CO2 the energy section would count for an input also reported there."""
    carrier = reference.carriers.get(flow.carrier)
    if carrier is None:
        check.add(f"{where}.carrier", f"不认识的能源品种“{flow.carrier}”",
                  f"unknown energy carrier '{flow.carrier}'")
        return 0.0
    if flow.flow != "input":
        check.add(f"{where}.carrier", "只有投入的原料或还原剂可以对应能源品种",
                  "only an input can be an energy carrier of the energy section")
        return 0.0
    used = check.amount(flow.quantity, carrier.unit, f"{where}.quantity", carrier.name_zh)
    reported = unit.energy.get(flow.carrier)
    try:  # a wrong unit there is the energy section's problem, reported at its own path
        reported_value = 0.0 if reported is None else \
            reported.quantity * factor(reported.unit, carrier.unit)
    except UnitError:
        return 0.0
    if used > reported_value:
        check.add(f"{where}.quantity", f"作原料或还原剂的{carrier.name_zh}（{fmt(used, carrier.unit)}）"
                  f"大于能源消费中填报的量（{fmt(reported_value, carrier.unit)}）",
                  f"{carrier.name_en} used as feedstock ({fmt(used, carrier.unit)}) exceeds the "
                  f"amount in the energy section ({fmt(reported_value, carrier.unit)})")
    return used * carrier.tco2_per_unit
