"""Process emissions from a plant's activity data, by the sector guideline it follows.

One function per calculator: carbonates, clinker (national carbon market and CaO/MgO methods),
aluminium electrolysis, iron and steel materials, the carbon balance (carbon_balance.py), and
direct entries for sources no calculator covers. Each returns lines for the trace: the source, the method, the
tCO2 and the arithmetic with every parameter's value, unit and where it came from (the
guideline's default, or the plant's calculated or measured value). Defaults come from the
reference version's process tables (process_tables.py), never from code.

`check` is prepare.py's collector (add, amount): problems are reported there, with the JSON
path and a message in Chinese and English, and a refused figure counts as NaN, never as 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .carbon_balance import carbon_balance
from .process_tables import Factor, ProcessTables
from .process_words import BASIS_EN, BASIS_ZH, guideline_words, process_line
from .reference import CO2_PER_C, Reference
from .schema import AccountingUnit, OwnValue
from .wording import fmt


@dataclass
class ProcessAccount:
    """What one accounting unit's process activity adds up to."""

    tco2: float = 0.0
    feedstock_tco2: float = 0.0  # combustion CO2 of energy used as feedstock (in the balance)
    it_mwh: float = 0.0
    facility_mwh: float = 0.0
    water_m3: float = 0.0
    lines: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Used:
    """A parameter as used: its value, and in words where it came from."""

    value: float
    zh: str
    en: str
    cite: str = ""


def _words(value: float, unit: str) -> str:
    if unit == "fraction":
        return fmt(value, "fraction")
    return f"{value:.6g} {unit}"


def _param(check, own: OwnValue | None, default: Factor | None, unit: str, path: str,
           what_zh: str, what_en: str) -> Used:
    """The plant's own value (in `unit`) when given, else the guideline's default (NaN and a
    problem when neither exists)."""
    if own is not None:
        value = (_share(check, own, path, what_zh, what_en) if unit == "fraction"
                 else check.amount(own, unit, path, what_zh))
        evidence = f"，{own.evidence}" if own.evidence else ""
        return Used(value, f"{what_zh} {_words(value, unit)}（{BASIS_ZH[own.basis]}{evidence}）",
                    f"{what_en} {_words(value, unit)} ({BASIS_EN[own.basis]}"
                    f"{', ' + own.evidence if own.evidence else ''})")
    if default is None:
        check.add(path, f"{what_zh}没有缺省值，请填报计算值或实测值",
                  f"{what_en} has no default: give a calculated or measured value")
        return Used(math.nan, what_zh, what_en)
    # the source is cited beside the line (its `sources`), not inside the arithmetic
    return Used(default.value, f"{what_zh} {default.written()}（缺省值）",
                f"{what_en} {default.written()} (default)", default.source.cite())


def _share(check, amount, path: str, what_zh: str, what_en: str) -> float:
    """A share given in % or as a fraction, between 0 and 1."""
    if amount is None:
        return 0.0
    value = check.amount(amount, "fraction", path, what_zh)
    if value > 1:
        check.add(f"{path}.quantity", f"{what_zh}应在 0–100 % 之间（填报为 {fmt(value, 'fraction')}，"
                  "请检查单位是 % 还是小数）", f"{what_en} must lie between 0 and 100 % (it is "
                  f"{fmt(value, 'fraction')}: check % against a fraction)")
        return math.nan
    return value


def _material(check, tables: ProcessTables, guideline: str, roles: tuple[str, ...],
              material: str, path: str) -> Factor | None:
    known = tables.of_role(guideline, *roles)
    if material not in known:
        listed = "、".join(f.name_zh for f in known.values())
        check.add(path, f"“{material}”不在{tables.guidelines[guideline].name_zh}的参数表中"
                  f"（可选：{listed}）", f"'{material}' is not a material of "
                  f"{tables.guidelines[guideline].name_en}")
        return None
    return known[material]


# -- the calculators ------------------------------------------------------------------------------

def account(check, reference: Reference, unit: AccountingUnit, path: str,
            unit_name: str) -> ProcessAccount:
    """All process emissions of one accounting unit, and its computing-facility figures."""
    out = ProcessAccount()
    _direct(check, unit, path, unit_name, out)
    blocks = (unit.carbonates, unit.clinker_lines, unit.clinker_substitutes, unit.aluminium,
              unit.steel_materials, unit.carbon_balance)
    if any(blocks):
        tables = reference.process
        if tables is None:
            check.add(f"{path}process", "所用参考数据版本没有过程排放参数表，无法按行业方法计算；"
                      "请改用包含这些参数的参考数据版本", "the reference version in use has no "
                      "process-emission tables: use a reference version that has them")
        else:
            _carbonates(check, tables, unit, path, unit_name, out)
            _clinker(check, reference, tables, unit, path, unit_name, out)
            _aluminium(check, reference, tables, unit, path, unit_name, out)
            _steel(check, tables, unit, path, unit_name, out)
            tco2, feedstock, lines = carbon_balance(check, reference, unit, path, unit_name)
            out.tco2 += tco2
            out.feedstock_tco2 += feedstock
            out.lines += lines
    _computing(check, unit, path, out)
    return out


def _direct(check, unit, path, unit_name, out: ProcessAccount) -> None:
    for k, p in enumerate(unit.process_emissions):
        where = f"{path}process_emissions[{k}]"
        tco2 = check.amount(p, "tCO2", where, "过程排放")
        method = p.method.strip()
        if tco2 > 0 and not method:
            check.add(f"{where}.method", "请说明这项过程排放的计算方法（依据的指南、公式和数据）",
                      "say how this process emission was worked out (guideline, formula, data)")
        out.tco2 += tco2
        # no arithmetic to show: the figure is the plant's own (and most submissions have one,
        # so nothing is formatted here that the trace does not need)
        out.lines.append({"unit": unit_name, "source": {"zh": p.source, "en": p.source},
                          "method": {"zh": "直接填报：" + (method or "未说明方法"),
                                     "en": "Entered directly: " + (method or "no method given")},
                          "tco2": tco2, "steps": None, "sources": []})


def _carbonates(check, tables, unit, path, unit_name, out) -> None:
    guideline = "ndrc_carbonates"
    method = guideline_words(tables, guideline)
    for k, c in enumerate(unit.carbonates):
        where = f"{path}carbonates[{k}]"
        default = _material(check, tables, guideline, ("carbonate",), c.material,
                            f"{where}.material")
        name = (default.name_zh, default.name_en) if default else (c.material, c.material)
        consumption = check.amount(c.consumption, "t", f"{where}.consumption", f"{name[0]}消耗量")
        purity = 1.0 if c.purity is None else _share(check, c.purity, f"{where}.purity",
                                                     "纯度", "purity")
        ef = _param(check, c.factor, default, "tCO2/t", f"{where}.factor", "排放因子", "emission factor")
        tco2 = consumption * ef.value * purity
        purity_zh = "纯度按 100 %（未填报）" if c.purity is None else f"纯度 {fmt(purity, 'fraction')}"
        purity_en = "purity 100 % (none given)" if c.purity is None else \
            f"purity {fmt(purity, 'fraction')}"
        out.tco2 += tco2
        out.lines.append(process_line(
            unit_name, (f"{name[0]}分解", f"{name[1]} decomposition"), method, tco2,
            (f"消耗量 {fmt(consumption, 't')} × {ef.zh} × {purity_zh} = {fmt(tco2, 'tCO2')}",
             f"{fmt(consumption, 't')} × {ef.en} × {purity_en} = {fmt(tco2, 'tCO2')}"),
            [ef.cite]))


def _clinker(check, reference, tables, unit, path, unit_name, out) -> None:
    ets_total, ets_lines, oxides_lines = 0.0, [], []
    for k, line in enumerate(unit.clinker_lines):
        where = f"{path}clinker_lines[{k}]"
        output = check.amount(line.output, "t", f"{where}.output", "熟料产量")
        if line.method == "ets_2024":
            oxides = [n for n in ("cao", "mgo", "cao_non_carbonate", "mgo_non_carbonate",
                                  "kiln_dust", "bypass_dust", "raw_meal", "raw_meal_carbon")
                      if getattr(line, n) is not None]
            if oxides:
                check.add(f"{where}.{oxides[0]}", "全国碳市场方法按熟料排放因子计算，不使用氧化钙、氧化镁等数据；"
                          "如按成分计算了排放因子，请作为“计算值”填入排放因子",
                          "the national carbon market method uses a clinker factor, not the "
                          "oxide contents: give a factor worked out from them as calculated")
            tco2, entry = _clinker_ets(check, tables, line, output, where, unit_name)
            ets_total += tco2
            ets_lines.append(entry)
        else:
            if line.factor is not None:
                check.add(f"{where}.factor", "氧化钙、氧化镁法由熟料成分计算，不使用熟料排放因子",
                          "the CaO and MgO method works from the clinker's contents, not a factor")
            oxides_lines.append(_clinker_oxides(check, reference, tables, line, output, where,
                                                unit_name))
            out.tco2 += oxides_lines[-1]["tco2"]
    deduction, deduction_lines = _substitutes(check, tables, unit, path, unit_name)
    if unit.clinker_substitutes and not ets_lines:
        check.add(f"{path}clinker_substitutes", "非碳酸盐替代原料的扣减只用于按全国碳市场方法计算的熟料生产线",
                  "non-carbonate substitutes are deducted only from lines on the national "
                  "carbon market method")
    net = max(ets_total - deduction, 0.0) if ets_lines else 0.0
    if ets_lines and ets_total - deduction < 0:
        deduction_lines.append(process_line(
            unit_name, ("扣减后不低于零", "No lower than zero after deductions"),
            guideline_words(tables, "cets_2024_cement"), net - (ets_total - deduction),
            (f"熟料排放 {fmt(ets_total, 'tCO2')} 小于扣减量 {fmt(deduction, 'tCO2')}，按零计",
             f"clinker {fmt(ets_total, 'tCO2')} is below the deductions "
             f"{fmt(deduction, 'tCO2')}: counted as zero"), []))
    out.tco2 += net
    out.lines += ets_lines + deduction_lines + oxides_lines


def _clinker_ets(check, tables, line, output, where, unit_name):
    guideline = "cets_2024_cement"
    default = _material(check, tables, guideline, ("clinker",), line.clinker_type,
                        f"{where}.clinker_type")
    kind = (default.name_zh, default.name_en) if default else (line.clinker_type,) * 2
    ef = _param(check, line.factor, default, "tCO2/t", f"{where}.factor", "熟料排放因子",
                "clinker factor")
    tco2 = output * ef.value
    g = guideline_words(tables, guideline)
    basis = ("缺省值", "default") if line.factor is None else \
        (BASIS_ZH[line.factor.basis], BASIS_EN[line.factor.basis])
    return tco2, process_line(
        unit_name, (f"{line.line} 熟料生产（{kind[0]}）", f"{line.line} clinker ({kind[1]})"),
        (f"{g[0]}，排放因子取{basis[0]}", f"{g[1]}, factor {basis[1]}"), tco2,
        (f"熟料产量 {fmt(output, 't')} × {ef.zh} = {fmt(tco2, 'tCO2')}",
         f"clinker {fmt(output, 't')} × {ef.en} = {fmt(tco2, 'tCO2')}"), [ef.cite])


def _substitutes(check, tables, unit, path, unit_name):
    guideline = "cets_2024_cement"
    total, lines = 0.0, []
    g = guideline_words(tables, guideline)
    for k, s in enumerate(unit.clinker_substitutes):
        where = f"{path}clinker_substitutes[{k}]"
        default = _material(check, tables, guideline, ("substitute",), s.material,
                            f"{where}.material")
        name = (default.name_zh, default.name_en) if default else (s.material,) * 2
        consumption = check.amount(s.consumption, "t", f"{where}.consumption",
                                   f"{name[0]}消耗量")
        ef = _param(check, s.factor, default, "tCO2/t", f"{where}.factor", "扣减因子", "deduction factor")
        tco2 = consumption * ef.value
        total += tco2
        lines.append(process_line(
            unit_name, (f"扣减：非碳酸盐替代原料 {name[0]}", f"Deducted: substitute {name[1]}"),
            g, -tco2, (f"消耗量 {fmt(consumption, 't')} × {ef.zh} = −{fmt(tco2, 'tCO2')}",
                       f"{fmt(consumption, 't')} × {ef.en} = −{fmt(tco2, 'tCO2')}"), [ef.cite]))
    return total, lines


def _clinker_oxides(check, reference, tables, line, output, where, unit_name) -> dict:
    guideline = "gbt_32151_8_2015"
    for needed, zh in (("cao", "熟料中氧化钙含量"), ("mgo", "熟料中氧化镁含量")):
        if getattr(line, needed) is None:
            check.add(f"{where}.{needed}", f"氧化钙、氧化镁法需要填报{zh}",
                      f"the CaO and MgO method needs the clinker's {needed.upper()} content")
    cao = _share(check, line.cao, f"{where}.cao", "氧化钙含量", "CaO content")
    mgo = _share(check, line.mgo, f"{where}.mgo", "氧化镁含量", "MgO content")
    cao0 = _share(check, line.cao_non_carbonate, f"{where}.cao_non_carbonate",
                  "非碳酸盐氧化钙含量", "non-carbonate CaO content")
    mgo0 = _share(check, line.mgo_non_carbonate, f"{where}.mgo_non_carbonate",
                  "非碳酸盐氧化镁含量", "non-carbonate MgO content")
    for part, whole, name in ((cao0, cao, "cao_non_carbonate"), (mgo0, mgo, "mgo_non_carbonate")):
        if part > whole:
            check.add(f"{where}.{name}", "非碳酸盐来源的含量不能大于熟料中的总含量",
                      "the non-carbonate part cannot exceed the clinker's content")
    kiln = check.amount(line.kiln_dust, "t", f"{where}.kiln_dust", "窑头粉尘")
    bypass = check.amount(line.bypass_dust, "t", f"{where}.bypass_dust", "旁路放风粉尘")
    k_cao = tables.factor(guideline, "cao_to_co2")
    k_mgo = tables.factor(guideline, "mgo_to_co2")
    mass = output + kiln + bypass
    per_t = (cao - cao0) * k_cao.value + (mgo - mgo0) * k_mgo.value
    tco2 = mass * per_t
    steps_zh = (f"（熟料 {fmt(output, 't')} + 窑头粉尘 {fmt(kiln, 't')} + 旁路放风粉尘 "
                f"{fmt(bypass, 't')}）× [（{fmt(cao, 'fraction')} − {fmt(cao0, 'fraction')}）× "
                f"{k_cao.shown} + （{fmt(mgo, 'fraction')} − {fmt(mgo0, 'fraction')}）× "
                f"{k_mgo.shown}] = {fmt(tco2, 'tCO2')}")
    steps_en = (f"(clinker {fmt(output, 't')} + kiln dust {fmt(kiln, 't')} + bypass dust "
                f"{fmt(bypass, 't')}) × [({fmt(cao, 'fraction')} − {fmt(cao0, 'fraction')}) × "
                f"{k_cao.shown} + ({fmt(mgo, 'fraction')} − {fmt(mgo0, 'fraction')}) × "
                f"{k_mgo.shown}] = {fmt(tco2, 'tCO2')}")
    if (line.raw_meal is None) != (line.raw_meal_carbon is None):
        missing = "raw_meal_carbon" if line.raw_meal_carbon is None else "raw_meal"
        check.add(f"{where}.{missing}", "生料消耗量与生料中非燃料碳含量须同时填报（非燃料碳含量没有缺省值）",
                  "give the raw meal and its non-fuel carbon content together (there is no "
                  "default carbon content)")
    if line.raw_meal is not None and line.raw_meal_carbon is not None:
        meal = check.amount(line.raw_meal, "t", f"{where}.raw_meal", "生料消耗量")
        carbon = _share(check, line.raw_meal_carbon, f"{where}.raw_meal_carbon",
                        "生料中非燃料碳含量", "raw meal non-fuel carbon")
        co2_per_c = reference.other[CO2_PER_C][0]
        organic = meal * carbon * co2_per_c
        tco2 += organic
        steps_zh += (f"；生料 {fmt(meal, 't')} × 非燃料碳 {fmt(carbon, 'fraction')} × 44/12 = "
                     f"{fmt(organic, 'tCO2')}；合计 {fmt(tco2, 'tCO2')}")
        steps_en += (f"; raw meal {fmt(meal, 't')} × non-fuel carbon {fmt(carbon, 'fraction')} "
                     f"× 44/12 = {fmt(organic, 'tCO2')}; total {fmt(tco2, 'tCO2')}")
    g = guideline_words(tables, guideline)
    return process_line(unit_name, (f"{line.line} 熟料生产（原料碳酸盐分解）",
                             f"{line.line} clinker (raw-material carbonates)"),
                 (f"{g[0]}，成分为实测值", f"{g[1]}, measured contents"), tco2,
                 (steps_zh, steps_en), [k_cao.source.cite()])


def _aluminium(check, reference, tables, unit, path, unit_name, out) -> None:
    co2_per_c = reference.other[CO2_PER_C][0]
    for k, smelter in enumerate(unit.aluminium):
        where = f"{path}aluminium[{k}]"
        guideline = smelter.guideline
        g = guideline_words(tables, guideline)
        output = check.amount(smelter.output, "t", f"{where}.output", "铝产量")
        nc = _param(check, smelter.net_anode, tables.factor(guideline, "net_anode"), "tC/t",
                    f"{where}.net_anode", "吨铝炭阳极净耗", "net anode use")
        sulphur = _param(check, smelter.anode_sulphur, tables.factor(guideline, "anode_sulphur"),
                         "fraction", f"{where}.anode_sulphur", "阳极含硫量", "anode sulphur")
        ash = _param(check, smelter.anode_ash, tables.factor(guideline, "anode_ash"), "fraction",
                     f"{where}.anode_ash", "阳极灰分", "anode ash")
        if sulphur.value + ash.value >= 1:
            check.add(f"{where}.anode_sulphur", "阳极含硫量与灰分之和应小于 100 %（请检查 % 与小数）",
                      "anode sulphur and ash must add up to less than 100 %")
        anode = output * nc.value * (1 - sulphur.value - ash.value) * co2_per_c
        out.lines.append(process_line(
            unit_name, ("炭阳极消耗", "Carbon anode consumption"), g, anode,
            (f"铝产量 {fmt(output, 't')} × {nc.zh} × (1 − {sulphur.zh} − {ash.zh}) × 44/12 = "
             f"{fmt(anode, 'tCO2')}", f"{fmt(output, 't')} Al × {nc.en} × (1 − {sulphur.en} − "
             f"{ash.en}) × 44/12 = {fmt(anode, 'tCO2')}"), [nc.cite, sulphur.cite, ash.cite]))
        out.tco2 += anode
        pfc = _pfc(check, tables, smelter, output, where, unit_name, g)
        if pfc is not None:
            out.lines.append(pfc)
            out.tco2 += pfc["tco2"]
        if smelter.limestone is not None:
            default = tables.factor(guideline, "limestone")
            if default is None:
                check.add(f"{where}.limestone", f"{g[0]}没有石灰石排放因子，请在“碳酸盐”部分填报石灰石",
                          f"{g[1]} has no limestone factor: report limestone under carbonates")
                continue
            stone = check.amount(smelter.limestone, "t", f"{where}.limestone", "石灰石消耗量")
            tco2 = stone * default.value
            out.lines.append(process_line(
                unit_name, ("煅烧石灰石", "Calcined limestone"), g, tco2,
                (f"石灰石 {fmt(stone, 't')} × {default.written()}（缺省值）= {fmt(tco2, 'tCO2')}",
                 f"limestone {fmt(stone, 't')} × {default.written()} (default) = "
                 f"{fmt(tco2, 'tCO2')}"), [default.source.cite()]))
            out.tco2 += tco2


def _pfc(check, tables, smelter, output, where, unit_name, g) -> dict | None:
    guideline = smelter.guideline
    gwp_cf4, gwp_c2f6 = tables.gwp.get((guideline, "CF4")), tables.gwp.get((guideline, "C2F6"))
    if gwp_cf4 is None or gwp_c2f6 is None:
        check.add(f"{where}.guideline", f"参考数据中没有{g[0]}的 CF4、C2F6 全球变暖潜势值",
                  f"the reference data has no CF4 and C2F6 GWP for {g[1]}")
        return None
    if smelter.anode_effect_minutes is not None:
        slope, ratio = tables.factor(guideline, "cf4_slope"), tables.factor(guideline, "c2f6_ratio")
        if slope is None or ratio is None:
            check.add(f"{where}.anode_effect_minutes", f"{g[0]}没有斜率法参数，请删除阳极效应持续时间或改用 2024 规范",
                      f"{g[1]} has no slope method: remove the anode-effect duration or use "
                      "the 2024 specification")
            return None
        minutes = check.amount(smelter.anode_effect_minutes, "min/d",
                               f"{where}.anode_effect_minutes", "阳极效应持续时间")
        ef_cf4 = slope.value * minutes
        ef_c2f6 = ratio.value * ef_cf4
        how = (f"斜率法：CF4 {slope.shown} × {minutes:.6g} 分钟/槽日 = {ef_cf4:.6g} kg/t，"
               f"C2F6 {ratio.shown} × CF4 = {ef_c2f6:.6g} kg/t",
               f"slope method: CF4 {slope.shown} × {minutes:.6g} min/cell-day = {ef_cf4:.6g} "
               f"kg/t, C2F6 {ratio.shown} × CF4 = {ef_c2f6:.6g} kg/t")
        method = (f"{g[0]}，斜率法（阳极效应持续时间为实测值）",
                  f"{g[1]}, slope method (measured anode-effect duration)")
        cites = [slope.source.cite()]
    else:
        cf4, c2f6 = tables.factor(guideline, "cf4_factor"), tables.factor(guideline, "c2f6_factor")
        ef_cf4, ef_c2f6 = cf4.value, c2f6.value
        how = (f"缺省排放因子 CF4 {cf4.written()}、C2F6 {c2f6.written()}",
               f"default factors CF4 {cf4.written()}, C2F6 {c2f6.written()}")
        method = (f"{g[0]}，缺省排放因子（未实测阳极效应持续时间）",
                  f"{g[1]}, default factors (anode-effect duration not measured)")
        cites = [cf4.source.cite(), c2f6.source.cite()]
    tco2e = output * (ef_cf4 * gwp_cf4[0] + ef_c2f6 * gwp_c2f6[0]) / 1000
    gwp_words = f"GWP CF4 {gwp_cf4[0]:g}、C2F6 {gwp_c2f6[0]:g}（{gwp_cf4[1]}）"
    return process_line(
        unit_name, ("阳极效应（CF4、C2F6）", "Anode effect (CF4, C2F6)"), method, tco2e,
        (f"{how[0]}；铝产量 {fmt(output, 't')} × ({ef_cf4:.6g} × {gwp_cf4[0]:g} + {ef_c2f6:.6g} × "
         f"{gwp_c2f6[0]:g}) ÷ 1000 = {fmt(tco2e, 'tCO2e')}（{gwp_words}）",
         f"{how[1]}; {fmt(output, 't')} Al × ({ef_cf4:.6g} × {gwp_cf4[0]:g} + {ef_c2f6:.6g} × "
         f"{gwp_c2f6[0]:g}) / 1000 = {fmt(tco2e, 'tCO2e')} (GWP {gwp_cf4[1]})"),
        [*cites, gwp_cf4[2].cite()])


def _steel(check, tables, unit, path, unit_name, out) -> None:
    guideline = "steel"
    g = guideline_words(tables, guideline)
    for k, m in enumerate(unit.steel_materials):
        where = f"{path}steel_materials[{k}]"
        default = _material(check, tables, guideline,
                            ("flux", "electrode", "purchased", "fixed"), m.material,
                            f"{where}.material")
        name = (default.name_zh, default.name_en) if default else (m.material,) * 2
        quantity = check.amount(m.quantity, "t", f"{where}.quantity", name[0])
        ef = _param(check, m.factor, default, "tCO2/t", f"{where}.factor", "排放因子", "factor")
        fixed = default is not None and default.role == "fixed"
        tco2 = -quantity * ef.value if fixed else quantity * ef.value
        sign = "−" if fixed else ""
        out.tco2 += tco2
        out.lines.append(process_line(
            unit_name, (("扣减：" if fixed else "") + name[0], ("Deducted: " if fixed else "")
                        + name[1]), g, tco2,
            (f"{fmt(quantity, 't')} × {ef.zh} = {sign}{fmt(abs(tco2), 'tCO2')}",
             f"{fmt(quantity, 't')} × {ef.en} = {sign}{fmt(abs(tco2), 'tCO2')}"), [ef.cite]))


def _computing(check, unit, path, out) -> None:
    facility = unit.computing
    if facility is None:
        return
    where = f"{path}computing"
    out.it_mwh = check.amount(facility.it_energy, "MWh", f"{where}.it_energy", "IT 设备能耗")
    out.facility_mwh = check.amount(facility.facility_energy, "MWh",
                                    f"{where}.facility_energy", "数据中心总能耗")
    out.water_m3 = (math.nan if facility.water is None else
                    check.amount(facility.water, "m3", f"{where}.water", "用水量"))
    if not out.it_mwh > 0:
        check.add(f"{where}.it_energy.quantity", "IT 设备能耗应大于零", "IT energy must be above zero")
    elif out.facility_mwh < out.it_mwh:
        check.add(f"{where}.facility_energy.quantity", "数据中心总能耗不能小于 IT 设备能耗（PUE 不小于 1）",
                  "the facility's energy cannot be below its IT energy (PUE is at least 1)")
