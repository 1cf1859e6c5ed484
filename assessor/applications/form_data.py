"""The submitted figures as a table people can read (the 申报书 PDF): each figure with its name
from the criteria and reference data, its number with separators, and its unit."""

from __future__ import annotations

from . import process_terms as pt

ELECTRICITY = {
    "grid_purchase": "电网购电总量（含绿电交易）",
    "green_power_trading": "其中：绿电交易电量",
    "direct_green_supply": "绿电直连电量",
    "onsite_renewable_self_used": "自发自用可再生能源电量",
    "onsite_renewable_exported": "可再生能源上网电量",
    "onsite_certificates_sold": "自发电量已出售的绿证",
}
OXIDES = (("cao", "熟料中 CaO 含量"), ("mgo", "熟料中 MgO 含量"),
          ("cao_non_carbonate", "熟料中非碳酸盐 CaO 含量"),
          ("mgo_non_carbonate", "熟料中非碳酸盐 MgO 含量"), ("kiln_dust", "窑头粉尘量"),
          ("bypass_dust", "旁路放风粉尘量"), ("raw_meal", "生料消耗量"),
          ("raw_meal_carbon", "生料中非燃料碳含量"))
INSTRUMENTS = {"ccer": "国家核证自愿减排量（CCER）", "forestry_ticket": "林业碳票", "other": "其他减排量"}


def number(value) -> str:
    """1234567.5 → 1,234,567.5; whole numbers without decimals; never float noise."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        if float(value).is_integer():
            return f"{int(value):,}"
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return str(value)


def _amount(section: str, label: str, amount) -> dict | None:
    if not isinstance(amount, dict) or "quantity" not in amount:
        return None
    return {"section": section, "label": label, "value": number(amount.get("quantity")),
            "unit": str(amount.get("unit") or "")}


def _unit_rows(unit: dict, reference, prefix: str = "") -> list[dict]:
    """Energy, electricity, process emissions and products of one accounting unit."""
    rows: list[dict | None] = []
    for carrier, amount in (unit.get("energy") or {}).items():
        known = reference.carriers.get(carrier)
        rows.append(_amount(prefix + "能源消费", known.name_zh if known else carrier, amount))
    electricity = unit.get("electricity") or {}
    for key, label in ELECTRICITY.items():
        rows.append(_amount(prefix + "电力", label, electricity.get(key)))
    for key, label in (("green_certificates", "绿证"),
                       ("green_power_trade_certificates", "绿电交易所附绿证")):
        for block in electricity.get(key) or []:
            rows.append({"section": prefix + "电力", "label": f"{label} {block.get('serial')} 起",
                         "value": number(block.get("count", 1)), "unit": "张"})
    for entry in unit.get("process_emissions") or []:
        rows.append(_amount(prefix + "工业生产过程排放", str(entry.get("source", "")), entry))
        if entry.get("method"):
            rows.append(_text(prefix + "工业生产过程排放", f"{entry.get('source', '')}：计算方法",
                              entry["method"]))
    rows += _sector_rows(unit, reference, prefix)
    for product in unit.get("production") or []:
        benchmark = str(product.get("benchmark", ""))
        name = (reference.benchmarks.loc[benchmark, "product_zh"]
                if benchmark in reference.benchmarks.index else benchmark)
        rows.append(_amount(prefix + "主要产品", f"{name}：产量", product.get("output")))
        rows.append(_amount(prefix + "主要产品", f"{name}：能耗", product.get("energy")))
    return [r for r in rows if r]


def _text(section: str, label: str, value) -> dict:
    return {"section": section, "label": label, "value": str(value), "unit": ""}


def _own(section: str, label: str, value) -> dict | None:
    """A plant's own value, with its basis (计算值/实测值) and its source."""
    row = _amount(section, label, value)
    if row:
        basis = pt.basis(value.get("basis"))[0]
        evidence = f"，来源：{value['evidence']}" if value.get("evidence") else ""
        row["label"] = f"{label}（自有{basis}{evidence}）"
    return row


def _sector_rows(unit: dict, reference, prefix: str) -> list[dict | None]:
    """The sector blocks: materials, methods and guidelines by name, own values with their
    basis; a blank own value is the default, so it is not listed."""
    terms = pt.terms(reference)
    rows: list[dict | None] = []
    section = prefix + "碳酸盐使用"
    for c in unit.get("carbonates") or []:
        name = terms.name(pt.CARBONATES, str(c.get("material", "")))[0]
        rows += [_amount(section, f"{name}：消耗量", c.get("consumption")),
                 _amount(section, f"{name}：纯度", c.get("purity")),
                 _own(section, f"{name}：排放因子", c.get("factor"))]
    section = prefix + "水泥熟料生产线"
    for line in unit.get("clinker_lines") or []:
        name = str(line.get("line", ""))
        method = pt.CLINKER_METHODS.get(line.get("method"), (str(line.get("method")),))[0]
        kind = terms.name(pt.CEMENT, str(line.get("clinker_type", "clinker_portland")))[0]
        rows += [_text(section, f"{name}：核算方法", method),
                 _text(section, f"{name}：熟料品种", kind),
                 _amount(section, f"{name}：熟料产量", line.get("output")),
                 _own(section, f"{name}：熟料排放因子", line.get("factor"))]
        rows += [_amount(section, f"{name}：{label}", line.get(key)) for key, label in OXIDES]
    section = prefix + "熟料非碳酸盐替代原料"
    for c in unit.get("clinker_substitutes") or []:
        name = terms.name(pt.CEMENT, str(c.get("material", "")))[0]
        rows += [_amount(section, f"{name}：消耗量", c.get("consumption")),
                 _own(section, f"{name}：扣减因子", c.get("factor"))]
    section = prefix + "电解铝"
    for index, smelter in enumerate(unit.get("aluminium") or [], start=1):
        name = f"电解铝 {index}"
        rows += [_text(section, f"{name}：核算指南",
                       terms.guideline(str(smelter.get("guideline", "")))[0]),
                 _amount(section, f"{name}：原铝（铝液）产量", smelter.get("output")),
                 _own(section, f"{name}：吨铝炭阳极净耗", smelter.get("net_anode")),
                 _own(section, f"{name}：炭阳极含硫量", smelter.get("anode_sulphur")),
                 _own(section, f"{name}：炭阳极灰分", smelter.get("anode_ash")),
                 _amount(section, f"{name}：阳极效应持续时间", smelter.get("anode_effect_minutes")),
                 _amount(section, f"{name}：煅烧石灰石用量", smelter.get("limestone"))]
    section = prefix + "钢铁过程材料"
    for m in unit.get("steel_materials") or []:
        name = terms.name(pt.STEEL, str(m.get("material", "")))[0]
        rows += [_amount(section, f"{name}：数量", m.get("quantity")),
                 _own(section, f"{name}：排放因子", m.get("factor"))]
    section = prefix + "碳平衡"
    for f in unit.get("carbon_balance") or []:
        flow = pt.FLOWS.get(f.get("flow"), (str(f.get("flow")),))[0]
        name = f"{f.get('process', '')}·{flow}·{f.get('material', '')}"
        carbon = _amount(section, f"{name}：含碳量（{pt.basis(f.get('basis'))[0]}）",
                         f.get("carbon"))
        carrier = reference.carriers.get(f.get("carrier") or "")
        rows += [_amount(section, f"{name}：数量", f.get("quantity")), carbon]
        if carrier:
            rows.append(_text(section, f"{name}：已计入能源消费的品种", carrier.name_zh))
    computing = unit.get("computing") or {}
    for key, label in (("it_energy", "IT 设备能耗"), ("facility_energy", "数据中心总能耗"),
                       ("water", "用水量")):
        rows.append(_amount(prefix + "算力设施", label, computing.get(key)))
    return rows


def _declared(declaration, answer) -> str:
    if isinstance(answer, bool):
        return "是" if answer else "否"
    title = declaration.option_titles.get(str(answer)) if declaration else None
    return title.zh if title else number(answer)


def data_rows(data: dict, model, reference) -> list[dict]:
    """Every figure of a submission's data as {section, label, value, unit}, in the form's order."""
    rows = [{"section": "基本信息", "label": "数据年度", "value": str(data.get("reporting_year", "—")),
             "unit": "年"}]
    rows += _unit_rows(data, reference)
    for index, member in enumerate(data.get("members") or [], start=1):
        rows.append({"section": "园区企业", "label": f"{index}. {member.get('name', '')}",
                     "value": member.get("uscc") or "—", "unit": ""})
        rows += _unit_rows(member, reference, f"园区企业 {index}·")
    for offset in data.get("offsets") or []:
        label = f"{INSTRUMENTS.get(offset.get('instrument'), '')} {offset.get('serial', '')} 起 " \
                f"{number(offset.get('count', 1))} 个编号"
        rows.append({"section": "碳抵消", "label": label, "value": number(offset.get("quantity")),
                     "unit": str(offset.get("unit") or "")})
    declarations = {d.id: d for d in model.declarations}
    for key, answer in (data.get("declarations") or {}).items():
        declaration = declarations.get(key)
        rows.append({"section": "声明", "label": declaration.title.zh if declaration else key,
                     "value": _declared(declaration, answer), "unit": ""})
    reported = {r.id: r for r in model.reported}
    for key, amount in (data.get("reported") or {}).items():
        known = reported.get(key)
        row = _amount("自报指标", known.title.zh if known else key, amount)
        if row:
            rows.append(row)
    return rows
