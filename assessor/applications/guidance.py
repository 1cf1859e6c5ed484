"""填报说明: what each field of the self-assessment form means, its unit, and which indicators
and items of the round's criteria set use it. The meanings are written here, once; units,
coefficients, evidence and the items come from the reference data and the criteria set, so a
new criteria version explains itself.

Which items use a field is worked out from the engine's formulas: a field feeds some of the
engine's inputs, every formula that uses those (directly or through another formula) depends
on it, and an item uses the field when its rule, condition or scoring names one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..engine import CriteriaSet, Reference
from ..engine.formulas import FORMULAS, builtin_indicators
from ..platform.i18n import is_english, pick
from . import process_terms as pt
from .numbertext import show_number


@dataclass(frozen=True)
class Guide:
    unit: str  # the unit to report in ("" where the field has none)
    text: str  # what to report
    uses: str  # the indicators and items it counts in ("" where none)


# what each electricity figure is, and the engine input it feeds
ELECTRICITY = {
    "grid_purchase": ("grid_mwh", _l("全年从电网购入的电量（按电费结算单），含绿电交易电量。")),
    "green_power_trading": ("green_trading_mwh",
                            _l("通过电力交易中心购买的绿电电量，已包含在电网购电量中。")),
    "direct_green_supply": ("direct_green_mwh",
                            _l("由专线直接供给本单位的风电、光伏等可再生能源电量（不经电网）。")),
    "onsite_renewable_self_used": ("onsite_used_mwh",
                                   _l("厂区内光伏、风电等自发并自用的电量。")),
    "onsite_renewable_exported": ("onsite_exported_mwh",
                                  _l("自发电量中送入电网的部分；不计入本单位用电量。")),
    "onsite_certificates_sold": ("onsite_sold_mwh",
                                 _l("自发自用电量中绿证已出售的部分：该部分不再算作绿电。")),
}
CERTIFICATES = (("certificates_mwh", "repeated_serials"),
                _l("每行填写一段连续编号的起始编号和张数；1 张绿证对应 1 MWh，"
                   "同一编号只能申报一次。"))
TRADE_CERTIFICATES = (("repeated_serials",),
                      _l("绿电交易随电量附带的绿证编号，仅用于核对重复申报，电量不再重复计算。"))
PROCESS = (("process_tco2",),
           _l("下列各行业活动数据未涵盖、已在别处算出的过程排放（非燃料燃烧产生），按温室气体核算报告"
              "填写；填写排放量时须说明计算方法（依据的指南、公式和数据），供审核人员和专家核对。"))
SECTORS = {
    "carbonates": _l("石灰石、白云石、纯碱等碳酸盐的年消耗量：排放量 = 消耗量 × 排放因子 × 纯度。"
                     "品种名称后括号内为缺省排放因子。"),
    "clinker_lines": _l("每条熟料生产线一行。全国碳市场方法：熟料产量 × 熟料品种的排放因子；"
                        "氧化钙、氧化镁法：按熟料及窑头、旁路粉尘中来自碳酸盐的 CaO、MgO 含量"
                        "和生料中非燃料碳计算（下方“氧化钙、氧化镁法的数据”）。"),
    "clinker_substitutes": _l("电石渣、钢渣等非碳酸盐替代原料的消耗量：按其扣减因子从全国碳市场方法"
                              "的熟料排放中扣减。名称后括号内为缺省扣减因子。"),
    "aluminium": _l("电解铝：阳极消耗产生的 CO2（产量 × 吨铝炭阳极净耗 × (1 − 含硫量 − 灰分) × 44/12）"
                    "加阳极效应全氟化碳（按所选指南的 GWP 折算）；测得阳极效应持续时间（分钟/槽日）"
                    "时按斜率法计算。阳极参数留空则使用所选指南的缺省值。"),
    "steel_materials": _l("钢铁生产使用的熔剂、电极和外购含碳原料，以及固碳产品（生铁、粗钢、甲醇，"
                          "从排放中扣减）：数量 × 所选材料的排放因子（名称后括号内为缺省值）。"),
    "carbon_balance": _l("铁合金、电石、黄磷、煤化工等按碳平衡计算：CO2 = 44/12 × (投入的碳 − 产品、"
                         "炉渣、外供尾气带出的碳)。厂内燃烧或火炬的尾气，其碳仍在平衡内，不扣减。"
                         "含碳量没有缺省值，须填写本厂的计算值或实测值；投入物已作为能源品种计入"
                         "能源消费时，请选择该品种，避免燃烧排放重复计算。"),
}
COMPUTING = _l("数据中心（算力设施）全年的 IT 设备能耗、数据中心总能耗和用水量。系统计算："
               "PUE（电能利用效率）= 数据中心总能耗 ÷ IT 设备能耗，越接近 1 越好；"
               "WUE（水资源利用效率）= 用水量（升）÷ IT 设备能耗（千瓦时），单位 L/kWh。")
OWN = _l("可填写本厂的自有数值（计算值或实测值）并注明来源（检测报告或计算书）；留空则使用缺省值")
OXIDES = _l("仅用于氧化钙、氧化镁法：含量按熟料的质量分数填写（%）；粉尘量和生料量按吨填写。"
            "CaO 折算系数 44/56，MgO 折算系数 44/40（GB/T 32151.8-2015）。")
PRODUCTION = (("product_rows",),
              _l("选择产品及其能效指标；产量按指标分母（通常为吨）填写，能耗按指标分子"
                 "（kgce 或 kWh）填写，即该产品的全年综合能耗或电耗。"))
OFFSETS = (("offsets_tco2", "repeated_serials"),
           _l("已注销的 CCER、林业碳票等，每行一段连续编号；抵消量为该段的总量。"))
MEMBERS = _l("园区内企业各自的能源、电力、排放和产品；不填写企业名称的行不计入。")


def guide_for(criteria: CriteriaSet, reference: Reference) -> dict[str, Guide]:
    """The guidance of every field, by its path relative to an accounting unit (energy.coke,
    electricity.grid_purchase, production) or to the form (declarations.x, reported.y)."""
    uses = _Uses(criteria)
    out: dict[str, Guide] = {}
    for carrier in reference.carriers.values():
        out[f"energy.{carrier.id}"] = Guide(carrier.unit, _carrier_text(carrier),
                                            uses.of("carrier_amounts"))
    for name, (source, text) in ELECTRICITY.items():
        out[f"electricity.{name}"] = Guide("MWh", str(text), uses.of(source))
    for key, (sources, text), unit in (
            ("electricity.green_certificates", CERTIFICATES, _("张")),
            ("electricity.green_power_trade_certificates", TRADE_CERTIFICATES, _("张")),
            ("process_emissions", PROCESS, "tCO2"), ("production", PRODUCTION, "")):
        out[key] = Guide(unit, str(text), uses.of(*sources))
    out["offsets"] = Guide("tCO2e", str(OFFSETS[1]) + _serial_rule(criteria),
                           uses.of(*OFFSETS[0]))
    out["members"] = Guide("", str(MEMBERS), "")
    out.update(_sector_guides(reference, uses))
    for d in criteria.model.declarations:
        out[f"declarations.{d.id}"] = Guide("", _evidence(criteria, d.evidence),
                                            uses.items_of(d.id))
    for r in criteria.model.reported:
        limits = _range(r.min, r.max, r.unit)
        out[f"reported.{r.id}"] = Guide(r.unit, " ".join(
            t for t in (limits, _evidence(criteria, r.evidence)) if t), uses.items_of(r.id))
    return out


def _sector_guides(reference: Reference, uses: _Uses) -> dict[str, Guide]:
    """The sector blocks, and each own value with the default a blank one stands for."""
    terms = pt.terms(reference)
    process = uses.of("process_tco2")
    out = {key: Guide("", str(text), process) for key, text in SECTORS.items()}
    out["computing"] = Guide("", str(COMPUTING), uses.of("pue", "wue"))
    own = str(OWN)
    chosen = _("（所选品种的缺省值见其名称后括号内）。")
    for key in ("carbonates", "clinker_substitutes", "steel_materials"):
        out[f"{key}.factor"] = Guide("tCO2/t", own + chosen, "")
    clinkers = pick(("；", "; ")).join(
        f"{pick(f.name)} {f.value} {f.unit}" for f in terms.rows(pt.CEMENT, "clinker"))
    out["clinker_lines.factor"] = Guide("tCO2/t", own + _(
        "（仅用于全国碳市场方法，%(guideline)s：%(defaults)s）。",
        guideline=pick(terms.guideline(pt.CEMENT)), defaults=clinkers), "")
    for parameter in pt.ALUMINIUM_PARAMETERS:
        defaults = pick(("；", "; ")).join(
            f"{pick(terms.guideline(g))} {found.value} {found.unit}"
            for g in pt.ALUMINIUM_GUIDELINES if (found := terms.factor(g, parameter)))
        out[f"aluminium.{parameter}"] = Guide("", own + _("（按所选指南：%(defaults)s）。",
                                                          defaults=defaults), "")
    out["clinker_lines.oxides"] = Guide("", str(OXIDES), "")
    return out


def _carrier_text(carrier) -> str:
    return _("全年消费的实物量。折标准煤 %(coal)s %(coal_unit)s；排放因子 %(co2)s %(co2_unit)s。",
             coal=show_number(float(f"{carrier.coefficient:.5g}")),
             coal_unit=carrier.coefficient_unit,
             co2=show_number(float(f"{carrier.emission_factor:.5g}")),
             co2_unit=carrier.emission_factor_unit)


def _serial_rule(criteria: CriteriaSet) -> str:
    per = criteria.model.accounting.tco2_per_serial
    names = {"ccer": "CCER", "forestry_ticket": _("林业碳票"), "other": _("其他")}
    return "".join(_("%(name)s 每个编号 %(n)s tCO2e。", name=names[k], n=show_number(v))
                   for k, v in per.items())


def _range(low, high, unit: str) -> str:
    if low is None or high is None:
        return ""
    return _("填写 %(low)s 至 %(high)s 之间的数值（%(unit)s）。", low=show_number(low),
             high=show_number(high), unit=unit)


def _evidence(criteria: CriteriaSet, kinds: list[str]) -> str:
    titles = [pick(criteria.model.evidence_kinds[k]) for k in kinds
              if k in criteria.model.evidence_kinds]
    return _("需上传证明材料：%(titles)s。", titles="、".join(titles)) if titles else ""


class _Uses:
    """Which of the set's items each engine input ends up in, worded for the page."""

    def __init__(self, criteria: CriteriaSet):
        self.criteria = criteria
        self.titles = {i.id: (i.zh, i.en) for i in builtin_indicators().values()}
        for named in (*criteria.model.declarations, *criteria.model.reported,
                      *criteria.model.derived):
            self.titles[named.id] = (named.title.zh, named.title.en)
        # indicator -> item ids naming it, in the set's order
        self.items: dict[str, list[str]] = {}
        for item in criteria.model.items:
            for name in _named(item):
                self.items.setdefault(name, [])
                if item.id not in self.items[name]:
                    self.items[name].append(item.id)

    def items_of(self, name: str) -> str:
        """A declaration's or reported figure's items, by their titles (the field's own label
        already names the indicator)."""
        kinds = {"gate": _("一票否决"), "scored": _("评分"), "expert": _("专家评审参考")}
        titled = {i.id: i for i in self.criteria.model.items}
        parts = [f"{i} {pick(titled[i].title)}{pick(('（', ' ('))}{kinds[titled[i].kind]}"
                 f"{pick(('）', ')'))}" for i in self.items.get(name, [])]
        return _("用于：%(parts)s", parts=pick(("；", "; ")).join(parts)) if parts else ""

    def of(self, *sources: str) -> str:
        reached = _dependents(set(sources), self.criteria)
        english = is_english()
        parts = [pick(self.titles.get(name, (name, name)))
                 + (f" ({', '.join(ids)})" if english else f"（{'、'.join(ids)}）")
                 for name, ids in self.items.items() if name in reached]
        if not parts:
            return ""
        return _("用于：%(parts)s", parts=("; " if english else "；").join(parts))


def _named(item) -> list[str]:
    conditions = [*item.applies_conditions, *([item.rule] if item.rule else [])]
    names = [c.indicator for c in conditions]
    names += [c.thresholds.by for c in conditions if c.thresholds]
    names += [s.indicator for s in (item.scoring, item.suggestion) if s]
    return names


def _dependents(sources: set[str], criteria: CriteriaSet) -> set[str]:
    """The sources and every formula (and the set's derived figures) using them, however
    indirectly."""
    reached = set(sources)
    formulas = [(f.name, set(f.uses)) for f in FORMULAS.values()]
    formulas += [(d.id, set(re.findall(r"[A-Za-z_]\w*", d.formula)))
                 for d in criteria.model.derived]
    grown = True
    while grown:
        grown = False
        for name, used in formulas:
            if name not in reached and used & reached:
                reached.add(name)
                grown = True
    return reached
