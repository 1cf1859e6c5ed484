"""Two submissions side by side, and one submission's data as a table, in the form's words:
"电力 · 电网购电总量（含绿电交易）  12,000 MWh → 10,000 MWh", never the engine's paths
(electricity.grid_purchase.quantity) nor float noise. Titles are (zh, en) pairs, picked when
the page is rendered."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..engine.verdicts import say
from . import process_terms as pt

Pair = tuple[str, str]

_SECTIONS: dict[str, Pair] = {
    "organisation": ("单位", "Organisation"), "energy": ("能源消费", "Energy"),
    "electricity": ("电力", "Electricity"), "offsets": ("碳抵消", "Offsets"),
    "process_emissions": ("工业生产过程排放", "Process emissions"),
    "production": ("主要产品能效", "Products"), "declarations": ("声明", "Declarations"),
    "carbonates": ("碳酸盐使用", "Carbonates"),
    "clinker_lines": ("水泥熟料生产线", "Clinker lines"),
    "clinker_substitutes": ("熟料非碳酸盐替代原料", "Clinker substitutes"),
    "aluminium": ("电解铝", "Aluminium electrolysis"),
    "steel_materials": ("钢铁熔剂、电极、外购含碳原料和固碳产品", "Steel process materials"),
    "carbon_balance": ("碳平衡", "Carbon balance"),
    "computing": ("算力设施（数据中心）", "Computing facility (data centre)"),
    "reported": ("填报指标", "Reported figures"), "members": ("园区企业", "Park enterprise"),
    "expert_scores": ("专家评分", "Expert scores"),
}
_FIELDS: dict[str, Pair] = {
    "grid_purchase": ("电网购电总量（含绿电交易）", "Grid purchase (green trades included)"),
    "green_power_trading": ("其中：绿电交易电量", "of which green-power trades"),
    "direct_green_supply": ("绿电直连电量", "Direct green supply"),
    "onsite_renewable_self_used": ("自发自用可再生能源电量", "On-site renewables used"),
    "onsite_renewable_exported": ("可再生能源上网电量", "On-site renewables exported"),
    "onsite_certificates_sold": ("已出售绿证的自发电量", "On-site power whose certificates were sold"),
    "green_certificates": ("另购绿证", "Green certificates bought"),
    "green_power_trade_certificates": ("绿电交易所附绿证", "Certificates with green-power trades"),
    "serial": ("起始编号", "first serial"), "count": ("数量", "count"),
    "instrument": ("类型", "type"), "quantity": ("数量", "quantity"),
    "registry": ("登记机构", "registry"), "source": ("排放源", "source"),
    "benchmark": ("产品", "product"), "output": ("产量", "output"),
    "energy": ("能耗", "energy"), "name": ("名称", "name"),
    "uscc": ("统一社会信用代码", "USCC"), "region": ("地区", "region"),
    "reporting_year": ("数据年度", "Data year"),
    "method": ("计算方法", "method"), "material": ("材料", "material"),
    "consumption": ("消耗量", "consumption"), "purity": ("纯度", "purity"),
    "factor": ("自有排放因子", "own emission factor"), "basis": ("数值依据", "basis"),
    "evidence": ("来源", "source of the value"), "line": ("生产线", "line"),
    "clinker_type": ("熟料品种", "clinker type"), "cao": ("熟料中 CaO 含量", "CaO in clinker"),
    "mgo": ("熟料中 MgO 含量", "MgO in clinker"),
    "cao_non_carbonate": ("熟料中非碳酸盐 CaO 含量", "non-carbonate CaO in clinker"),
    "mgo_non_carbonate": ("熟料中非碳酸盐 MgO 含量", "non-carbonate MgO in clinker"),
    "kiln_dust": ("窑头粉尘量", "kiln-head dust"), "bypass_dust": ("旁路放风粉尘量", "bypass dust"),
    "raw_meal": ("生料消耗量", "raw meal"),
    "raw_meal_carbon": ("生料中非燃料碳含量", "non-fuel carbon in raw meal"),
    "guideline": ("核算指南", "guideline"),
    "net_anode": ("吨铝炭阳极净耗", "net anode use"),
    "anode_sulphur": ("炭阳极含硫量", "anode sulphur"), "anode_ash": ("炭阳极灰分", "anode ash"),
    "anode_effect_minutes": ("阳极效应持续时间", "anode-effect duration"),
    "limestone": ("煅烧石灰石用量", "calcined limestone"),
    "process": ("工序", "process"), "flow": ("碳流类型", "flow"), "carbon": ("含碳量", "carbon"),
    "carrier": ("已计入能源消费的品种", "carrier counted in energy"),
    "it_energy": ("IT 设备能耗", "IT equipment energy"),
    "facility_energy": ("数据中心总能耗", "facility energy"), "water": ("用水量", "water"),
}
_IN_CONTEXT: dict[tuple, Pair] = {
    ("offsets", "count"): ("连续编号个数", "serials"),
    ("offsets", "quantity"): ("抵消量", "amount offset"),
    ("green_certificates", "count"): ("张数", "certificates"),
    ("green_power_trade_certificates", "count"): ("张数", "certificates"),
    ("process_emissions", "quantity"): ("排放量", "emissions"),
    ("clinker_lines", "method"): ("核算方法", "method"),
    ("clinker_lines", "factor"): ("自有熟料排放因子", "own clinker factor"),
    ("clinker_substitutes", "factor"): ("自有扣减因子", "own deduction factor"),
    ("clinker_lines", "output"): ("熟料产量", "clinker output"),
    ("aluminium", "output"): ("原铝（铝液）产量", "aluminium output"),
    ("steel_materials", "quantity"): ("用量或产量", "quantity"),
    ("carbon_balance", "material"): ("物料名称", "material"),
}
_HIDDEN = {"schema_version", "subject"}
_INSTRUMENTS = {"ccer": ("CCER", "CCER"), "forestry_ticket": ("林业碳票", "forestry ticket"),
                "other": ("其他", "other")}
_SEGMENT = re.compile(r"^(.*?)(?:\[(\d+)\])?$")


@dataclass
class Row:
    title: Pair
    before: Pair
    after: Pair


def _is_amount(value) -> bool:
    return isinstance(value, dict) and set(value) == {"quantity", "unit"}


def _leaves(value, path: tuple = ()) -> dict[tuple, object]:
    """Leaves by path; an amount ({quantity, unit}) is one leaf."""
    if _is_amount(value) or not isinstance(value, dict | list):
        return {path: value}
    items = value.items() if isinstance(value, dict) else enumerate(value)
    if isinstance(value, dict) and {"quantity", "unit"} <= set(value):  # an offset's, a process'
        items = [(k, {"quantity": v, "unit": value["unit"]} if k == "quantity" else v)
                 for k, v in items if k != "unit"]
    out: dict[tuple, object] = {}
    for key, item in items:
        out.update(_leaves(item, (*path, key)))
    return out


class Words:
    """The titles a criteria set and the reference data give a submission's parts."""

    def __init__(self, criteria=None, reference=None):
        model = criteria.model if criteria is not None else None
        self.declarations = {d.id: d for d in model.declarations} if model else {}
        self.reported = {r.id: r.title for r in model.reported} if model else {}
        self.items = {i.id: i.title for i in model.items} if model else {}
        self.evidence_kinds = dict(model.evidence_kinds) if model else {}
        self.carriers = ({k: (c.name_zh, c.name_en) for k, c in reference.carriers.items()}
                         if reference is not None else {})
        self.terms = pt.terms(reference) if reference is not None else None
        self.benchmarks = ({bid: (row["product_zh"], row["product_en"])
                            for bid, row in reference.benchmarks.iterrows()}
                           if reference is not None else {})

    def title(self, path: tuple) -> Pair:
        zh, en, parent = [], [], None
        for key in path:
            if isinstance(key, int):
                zh[-1], en[-1] = f"{zh[-1]} {key + 1}", f"{en[-1]} {key + 1}"
                continue
            if key in _HIDDEN:
                return ("", "")
            named = self._segment(parent, key)
            zh.append(named[0])
            en.append(named[1])
            parent = key
        return " · ".join(zh), " · ".join(en)

    def _segment(self, parent, key: str) -> Pair:
        if parent == "energy" and key in self.carriers:
            return self.carriers[key]
        if parent == "declarations" and key in self.declarations:
            return self.declarations[key].title.zh, self.declarations[key].title.en
        if parent == "reported" and key in self.reported:
            return self.reported[key].zh, self.reported[key].en
        if parent == "expert_scores" and key in self.items:
            return self.items[key].zh, self.items[key].en
        if (parent, key) in _IN_CONTEXT:
            return _IN_CONTEXT[(parent, key)]
        if parent in (None, "members") and key in _SECTIONS:
            return _SECTIONS[key]
        return _FIELDS.get(key, (key, key))

    def value(self, path: tuple, value) -> Pair:
        if value is None:
            return "—", "—"
        if _is_amount(value):
            text = f"{say(value['quantity'])} {value['unit']}".strip()
            return text, text
        key = path[-1] if path else None
        if len(path) >= 2 and path[-2] == "declarations" and key in self.declarations:
            return self._answer(self.declarations[key], value)
        if key == "instrument" and value in _INSTRUMENTS:
            return _INSTRUMENTS[value]
        if key == "benchmark" and value in self.benchmarks:
            return self.benchmarks[value]
        if (named := self._sector_value(path, value)) is not None:
            return named
        if isinstance(value, bool):
            return ("是", "yes") if value else ("否", "no")
        if isinstance(value, int | float) and key != "reporting_year":
            return say(value), say(value)
        return str(value), str(value)

    def _sector_value(self, path: tuple, value) -> Pair | None:
        """A sector block's material, method, flow, basis, guideline or carrier by its name."""
        key = path[-1]
        block = next((p for p in reversed(path[:-1]) if isinstance(p, str)), None)
        if key == "basis" and value in pt.BASES:
            return pt.BASES[value]
        if block == "clinker_lines" and key == "method":
            return pt.CLINKER_METHODS.get(value)
        if block == "carbon_balance" and key == "flow":
            return pt.FLOWS.get(value)
        if block == "carbon_balance" and key == "carrier" and value in self.carriers:
            return self.carriers[value]
        if self.terms is None:
            return None
        if key == "guideline" and block == "aluminium":
            return self.terms.guideline(str(value))
        if key == "clinker_type" or (key == "material" and block in pt.BLOCK_GUIDELINE):
            return self.terms.name(pt.BLOCK_GUIDELINE[block], str(value))
        return None

    def _answer(self, declaration, value) -> Pair:
        if isinstance(value, bool):
            return ("是", "yes") if value else ("否", "no")
        title = declaration.option_titles.get(value)
        return (title.zh, title.en) if title else (str(value), str(value))


def data_rows(data: dict, words: Words) -> list[Row]:
    """One submission's data as rows (title, value) in the form's order of sections."""
    rows = []
    for path, value in _leaves(data).items():
        title = words.title(path)
        if title[0]:
            shown = words.value(path, value)
            rows.append(Row(title, shown, shown))
    return rows


def data_changes(before: dict, after: dict, words: Words) -> list[Row]:
    old, new = _leaves(before), _leaves(after)
    rows = []
    for path in [*old, *(p for p in new if p not in old)]:
        if old.get(path) == new.get(path):
            continue
        title = words.title(path)
        if title[0]:
            rows.append(Row(title, words.value(path, old.get(path)),
                            words.value(path, new.get(path))))
    return rows


def result_changes(before: dict | None, after: dict | None) -> list[Row]:
    """Total, level and every indicator whose shown value changed."""
    if not before or not after:
        return []
    rows = []
    if before["total"]["points"] != after["total"]["points"]:
        rows.append(Row(("总分", "Total"), _twice(say(before["total"]["points"])),
                        _twice(say(after["total"]["points"]))))
    if before["level"]["id"] != after["level"]["id"]:
        rows.append(Row(("评价等级", "Level"), _title(before["level"]["title"]),
                        _title(after["level"]["title"])))
    old, new = before["indicators"], after["indicators"]
    for key, ind in new.items():
        was = old.get(key, {}).get("value")
        shown = say(was, ind["unit"]), say(ind["value"], ind["unit"])
        if shown[0] != shown[1]:
            rows.append(Row((ind["zh"], ind["en"]), _twice(shown[0]), _twice(shown[1])))
    return rows


def _twice(text: str) -> Pair:
    return text, text


def _title(title: dict) -> Pair:
    return title["zh"], title["en"]
