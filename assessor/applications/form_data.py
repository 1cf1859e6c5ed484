"""The submitted figures as a table people can read (the 申报书 PDF): each figure with its name
from the criteria and reference data, its number with separators, and its unit."""

from __future__ import annotations

ELECTRICITY = {
    "grid_purchase": "电网购电总量（含绿电交易）",
    "green_power_trading": "其中：绿电交易电量",
    "direct_green_supply": "绿电直连电量",
    "onsite_renewable_self_used": "自发自用可再生能源电量",
    "onsite_renewable_exported": "可再生能源上网电量",
    "onsite_certificates_sold": "自发电量已出售的绿证",
}
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
    for product in unit.get("production") or []:
        benchmark = str(product.get("benchmark", ""))
        name = (reference.benchmarks.loc[benchmark, "product_zh"]
                if benchmark in reference.benchmarks.index else benchmark)
        rows.append(_amount(prefix + "主要产品", f"{name}：产量", product.get("output")))
        rows.append(_amount(prefix + "主要产品", f"{name}：能耗", product.get("energy")))
    return [r for r in rows if r]


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
