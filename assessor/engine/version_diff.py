"""Two versions of a criteria set, or of the reference data, compared item by item: what was
added, removed and changed, each change in words a policy officer reads (Chinese and English),
before and after: "门槛 单位能耗碳排放 ≤ 1.8 tCO2/tce → ≤ 1.5 tCO2/tce".

For the department's internal approval of a new version, on the page and as a PDF. Pure: the
versions come in as parsed models (criteria) and as CSV texts (reference data); nothing here
reads a file or the database. Unchanged things are left out of the entries but counted.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Literal, NamedTuple

from .criteria_model import Condition, CriteriaModel, Item, Level, Scoring, SourceRef
from .indicators import BUILTIN
from .verdicts import say
from .wording import OP_ZH

Kind = Literal["added", "removed", "changed"]


class Words(NamedTuple):
    """One thing said in Chinese and in English; a pair, so templates' pick() takes it."""

    zh: str
    en: str


NOTHING = Words("—", "—")
CHANGE_WORDS = {"added": Words("新增", "Added"), "removed": Words("删除", "Removed"),
                "changed": Words("修改", "Changed")}


@dataclass(frozen=True)
class Change:
    """One aspect of an entry, before and after ("—" on the side where it does not exist)."""

    aspect: Words
    before: Words
    after: Words

    @property
    def sentence(self) -> Words:
        """"门槛 单位能耗碳排放 ≤ 1.8 tCO2/tce → ≤ 1.5 tCO2/tce": the words both sides share
        at the start are said once."""
        zh = _shortened(self.before.zh, self.after.zh)
        en = _shortened(self.before.en, self.after.en)
        return Words(f"{self.aspect.zh} {self.before.zh} → {zh}",
                     f"{self.aspect.en} {self.before.en} → {en}")


@dataclass(frozen=True)
class Entry:
    """An item, level, declaration, table row … that was added, removed or changed."""

    key: str  # its id (item id, level id, a row's natural key such as "guizhou 2024")
    title: Words  # what it is called, in the newer version where it still exists
    change: Kind
    changes: tuple[Change, ...]

    @property
    def change_words(self) -> Words:
        return CHANGE_WORDS[self.change]


@dataclass(frozen=True)
class Section:
    """One part of a version (the items, the levels, one reference table), its entries and how
    many of its things stayed as they were."""

    key: str  # "header", "items", "levels" …; a reference table's file name
    title: Words
    entries: tuple[Entry, ...]
    unchanged: int
    change: Kind | None = None  # reference files only: the whole file added, removed, changed
    notes: tuple[Words, ...] = ()  # e.g. columns added to a table

    @property
    def counts(self) -> dict[str, int]:
        return _counts(self.entries, self.unchanged)


@dataclass(frozen=True)
class _Diff:
    sections: tuple[Section, ...]

    @property
    def entries(self) -> list[Entry]:
        return [e for s in self.sections for e in s.entries]

    @property
    def changed_sections(self) -> list[Section]:
        return [s for s in self.sections if s.entries or s.notes or s.change]

    @property
    def empty(self) -> bool:
        """Whether the two versions say the same."""
        return not self.changed_sections

    @property
    def counts(self) -> dict[str, int]:
        """added, removed, changed and unchanged, over every section."""
        return _counts(self.entries, sum(s.unchanged for s in self.sections))

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


@dataclass(frozen=True)
class CriteriaDiff(_Diff):
    kind: Literal["criteria"] = field(default="criteria", init=False)


@dataclass(frozen=True)
class ReferenceDiff(_Diff):
    kind: Literal["reference"] = field(default="reference", init=False)


def _counts(entries: Iterable[Entry], unchanged: int) -> dict[str, int]:
    counts = {"added": 0, "removed": 0, "changed": 0, "unchanged": unchanged}
    for entry in entries:
        counts[entry.change] += 1
    return counts


def _shortened(before: str, after: str) -> str:
    """`after` without the indicator's name it shares with `before`: cut at a blank both share
    where a comparison follows ("单位能耗碳排放 ≤ 1.5" → "≤ 1.5"), else whole."""
    cut = 0
    for position, (a, b) in enumerate(zip(before, after, strict=False)):
        if a != b:
            break
        if a == " " and after[position + 1:].startswith(_OPERATORS):
            cut = position + 1
    return after[cut:] if cut else after


_OPERATORS = ("≤", "<", "≥", ">", "=", "≠", "属于", "one of")


# -- numbers and conditions in words ------------------------------------------------------------

def number(value, unit: str | None = None) -> str:
    """A number as the result pages print it (verdicts.say), unless its rounding would hide
    a digit the department typed: 0.55681 stays 0.55681, never "0.5568"."""
    shown = say(value, unit)
    if value is None or isinstance(value, bool) or not math.isfinite(float(value)):
        return shown
    digits = shown.split(" ")[0].replace(",", "").replace("−", "-")
    scale = 100 if unit == "fraction" else 1
    try:
        exact = math.isclose(float(digits), float(value) * scale, rel_tol=1e-12, abs_tol=1e-12)
    except ValueError:
        exact = True
    if exact:
        return shown
    text = f"{float(value) * scale:,.10f}".rstrip("0").rstrip(".").replace("-", "−")
    return text + shown[len(shown.split(" ")[0]):]


class _Names:
    """What a rule's indicator is called in one version: built-ins, declarations, reported
    and derived figures (the version's own titles), evidence kinds."""

    def __init__(self, model: CriteriaModel):
        self.model = model
        self.titles = {b.id: Words(b.zh, b.en) for b in BUILTIN.values()}
        for group in (model.declarations, model.reported, model.derived):
            self.titles.update({x.id: Words(x.title.zh, x.title.en) for x in group})
        self.declarations = {d.id: d for d in model.declarations}

    def indicator(self, name: str) -> Words:
        return self.titles.get(name, Words(name, name))

    def evidence(self, kinds: list[str]) -> Words:
        titles = self.model.evidence_kinds
        if not kinds:
            return Words("无", "none")
        return Words("、".join(titles[k].zh if k in titles else k for k in kinds),
                     ", ".join(titles[k].en if k in titles else k for k in kinds))

    def value(self, indicator: str, value, unit: str | None) -> Words:
        """A rule's value: 是/否, a choice's option titles, or the number with its unit."""
        if isinstance(value, bool):
            return Words("是", "yes") if value else Words("否", "no")
        if isinstance(value, int | float):
            shown = number(value, unit)
            return Words(shown, shown)
        values = value if isinstance(value, list) else [value]
        declaration = self.declarations.get(indicator)
        titles = declaration.option_titles if declaration is not None else {}
        return Words("、".join(titles[v].zh if v in titles else str(v) for v in values),
                     ", ".join(titles[v].en if v in titles else str(v) for v in values))

    def condition(self, condition: Condition) -> Words:
        """"单位能耗碳排放 ≤ 1.8 tCO2/tce"; a threshold banded by another figure lists its bands."""
        name = self.indicator(condition.indicator)
        op_zh, op_en = _op(condition.op)
        if condition.thresholds is None:
            value = self.value(condition.indicator, condition.value, condition.unit)
            return Words(f"{name.zh} {op_zh} {value.zh}", f"{name.en} {op_en} {value.en}")
        t = condition.thresholds
        by = self.indicator(t.by)
        zh, en = [], []
        for band in t.bands:
            shown = number(band.value, condition.unit)
            if band.below is None:
                zh.append(f"{op_zh} {shown}（其余）")
                en.append(f"{op_en} {shown} (otherwise)")
            else:
                limit = number(band.below, t.unit)
                zh.append(f"{op_zh} {shown}（{by.zh}低于 {limit} 时）")
                en.append(f"{op_en} {shown} (while {by.en} is below {limit})")
        return Words(f"{name.zh} {'；'.join(zh)}", f"{name.en} {'; '.join(en)}")

    def conditions(self, conditions: list[Condition], none: Words) -> Words:
        if not conditions:
            return none
        said = [self.condition(c) for c in conditions]
        return Words("，且".join(s.zh for s in said), "; and ".join(s.en for s in said))

    def scoring(self, scoring: Scoring | None) -> Words:
        if scoring is None:
            return Words("无", "none")
        name, unit = self.indicator(scoring.indicator), scoring.unit
        if scoring.method == "linear":
            low, high = number(scoring.baseline, unit), number(scoring.leading, unit)
            return Words(f"{name.zh} 基准值 {low} 得 0 分，引领值 {high} 得满分，其间按比例计分",
                         f"{name.en}: no points at {low}, all points at {high}, in proportion "
                         f"between")
        zh, en = [], []
        for band in scoring.bands:
            op_zh, op_en = _op(band.op)
            value = self.value(scoring.indicator, band.value, unit)
            label_zh = f"（{band.label.zh}）" if band.label else ""
            label_en = f" ({band.label.en})" if band.label else ""
            zh.append(f"{op_zh} {value.zh}{label_zh} 得 {number(band.points)} 分")
            en.append(f"{op_en} {value.en}{label_en}: {_points(band.points).en}")
        return Words(f"{name.zh} {'；'.join(zh)}；其余 0 分",
                     f"{name.en} {'; '.join(en)}; otherwise 0 points")


def _op(op: str) -> tuple[str, str]:
    symbol = OP_ZH.get(op, op)
    return symbol, ("one of" if op == "in" else symbol)


TAG_WORDS = {"V": Words("V（已核实）", "V (verified)"),
             "S": Words("S（二手来源）", "S (secondary source)"),
             "S-weak": Words("S-weak（单一弱来源）", "S-weak (single weak source)"),
             "U": Words("U（未核实，暂行默认值）", "U (unverified, provisional default)")}
KIND_WORDS = {"gate": Words("基本要求（一票否决）", "Gate"),
              "scored": Words("评分项", "Scored item"), "expert": Words("专家评审项", "Expert item")}
STATUS_WORDS = {"provisional": Words("暂行", "provisional"), "official": Words("正式", "official"),
                "draft": Words("草案", "draft")}
SUBJECT_WORDS = {"factory": Words("零碳工厂", "Zero-carbon factory"),
                 "park": Words("零碳工业园区", "Zero-carbon park")}
CONVERSION_WORDS = {"equivalent": Words("当量值", "calorific equivalent"),
                    "equal_value": Words("等价值", "equal value")}


def _same(text: str) -> Words:
    return Words(text, text)


def _points(value: float | None) -> Words:
    if value is None:
        return NOTHING
    return Words(f"{number(value)} 分", f"{number(value)} point" + ("" if value == 1 else "s"))


def _text(value) -> Words:
    """A {zh, en} title from the model as Words."""
    return Words(value.zh, value.en)


def _plain(value) -> Words:
    return NOTHING if value in (None, "") else _same(str(value))


# -- comparing things keyed by id ---------------------------------------------------------------

Describe = Callable[[object, "_Names"], list[tuple[Words, Words]]]


def _aspects(old, new, old_names: _Names | None, new_names: _Names | None,
             describe: Describe) -> tuple[Change, ...]:
    """Changes of each aspect `describe` names, in its order; `old` or `new` may be None (an
    added or removed thing: the other side is "—")."""
    before = dict(describe(old, old_names)) if old is not None else {}
    after = dict(describe(new, new_names)) if new is not None else {}
    aspects = list(after) + [a for a in before if a not in after]
    changes = []
    for aspect in aspects:
        b, a = before.get(aspect, NOTHING), after.get(aspect, NOTHING)
        if b != a:
            changes.append(Change(aspect, b, a))
    return tuple(changes)


def _keyed_section(key: str, title: Words, old: list, new: list, id_of, title_of,
                   old_names: _Names | None, new_names: _Names | None,
                   describe: Describe) -> Section:
    """Things matched by id: added (in the newer order), changed, then removed."""
    old_by = {id_of(x): x for x in old}
    new_by = {id_of(x): x for x in new}
    entries, unchanged = [], 0
    for ident, thing in new_by.items():
        before = old_by.get(ident)
        if before is None:
            entries.append(Entry(ident, title_of(thing), "added",
                                 _aspects(None, thing, None, new_names, describe)))
        elif before != thing:
            changes = _aspects(before, thing, old_names, new_names, describe)
            if not changes:  # a difference no aspect words (should not happen): say so
                changes = (Change(Words("其他内容", "Other details"),
                                  Words("（原内容）", "(as before)"),
                                  Words("（已修改）", "(modified)")),)
            entries.append(Entry(ident, title_of(thing), "changed", changes))
        else:
            unchanged += 1
    for ident, thing in old_by.items():
        if ident not in new_by:
            entries.append(Entry(ident, title_of(thing), "removed",
                                 _aspects(thing, None, old_names, None, describe)))
    order = {"changed": 0, "added": 1, "removed": 2}
    entries.sort(key=lambda e: order[e.change])
    return Section(key, title, tuple(entries), unchanged)


def _source_aspects(source: SourceRef | None, prefix: Words) -> list[tuple[Words, Words]]:
    """A source's document, clause, tag and note as four aspects (only those it has)."""
    if source is None:
        return []
    said = [(Words(f"{prefix.zh}文件", f"{prefix.en} document"), _same(source.document)),
            (Words(f"{prefix.zh}条款", f"{prefix.en} clause"), _plain(source.clause)),
            (Words(f"{prefix.zh}可靠性标记", f"{prefix.en} reliability tag"),
             TAG_WORDS.get(source.tag, _same(source.tag))),
            (Words(f"{prefix.zh}说明", f"{prefix.en} note"), _plain(source.note))]
    return [(aspect, words) for aspect, words in said if words != NOTHING]


def _condition_sources(conditions: list[Condition], prefix: Words) -> list[tuple[Words, Words]]:
    """Sources attached to conditions and their bands, cited in one line."""
    cited = [c.source.cite() for c in conditions if c.source is not None]
    for c in conditions:
        if c.thresholds is not None:
            cited += [b.source.cite() for b in c.thresholds.bands if b.source is not None]
    return [(prefix, _same("；".join(cited)))] if cited else []


SOURCE = Words("依据", "Source")


def _item_aspects(item: Item, names: _Names) -> list[tuple[Words, Words]]:
    said = [(Words("名称", "Title"), _text(item.title)),
            (Words("类型", "Kind"), KIND_WORDS[item.kind]),
            (Words("类别", "Category"), _plain(item.category)),
            (Words("分值", "Points"), _points(item.points)),
            (Words("门槛", "Threshold"),
             names.condition(item.rule) if item.rule is not None else NOTHING),
            (Words("门槛依据", "Threshold source"), NOTHING),
            (Words("计分", "Scoring"),
             names.scoring(item.scoring) if item.scoring is not None else NOTHING),
            (Words("计分依据", "Scoring source"),
             _same(item.scoring.source.cite()) if item.scoring and item.scoring.source
             else NOTHING),
            (Words("评分锚点", "Scale anchors"),
             Words("；".join(f"{number(a.points)} 分：{a.label.zh}" for a in item.scale),
                   "; ".join(f"{_points(a.points).en}: {a.label.en}" for a in item.scale))
             if item.scale else NOTHING),
            (Words("系统建议分", "Suggested points"),
             names.scoring(item.suggestion) if item.suggestion is not None else NOTHING),
            (Words("适用条件", "Applies if"),
             names.conditions(item.applies_conditions, Words("始终适用", "always"))),
            (Words("适用条件依据", "Applies-if source"), NOTHING)]
    said += _condition_sources(item.applies_conditions, Words("适用条件依据", "Applies-if source"))
    if item.rule is not None:
        said += _condition_sources([item.rule], Words("门槛依据", "Threshold source"))
    said += _source_aspects(item.source, SOURCE)
    said.append((Words("证明材料", "Evidence"), names.evidence(item.evidence)))
    # later pairs of the same aspect win: the placeholders above only fix the order
    return [(a, w) for a, w in dict(said).items() if w != NOTHING]


def _level_aspects(level: Level, names: _Names) -> list[tuple[Words, Words]]:
    gates = (Words("全部基本要求", "every gate") if level.gates == "all"
             else _same("、".join(level.gates) or "无"))
    said = [(Words("名称", "Title"), _text(level.title)),
            (Words("兜底等级（未达到以上等级的）", "Fallback (none of the above)"),
             Words("是", "yes") if level.fallback else Words("否", "no")),
            (Words("须满足的基本要求", "Gates to meet"), gates),
            (Words("最低总分", "Lowest total"), _points(level.min_total)),
            (Words("其他条件", "Other conditions"),
             names.conditions(level.conditions, Words("无", "none")))]
    said += _condition_sources(level.conditions, Words("条件依据", "Conditions' source"))
    said += _source_aspects(level.source, SOURCE)
    return said


def _declaration_aspects(declaration, names: _Names) -> list[tuple[Words, Words]]:
    titles = declaration.option_titles
    options = Words("、".join(titles[o].zh if o in titles else o for o in declaration.options),
                    ", ".join(titles[o].en if o in titles else o for o in declaration.options))
    said = [(Words("名称", "Title"), _text(declaration.title)),
            (Words("类型", "Type"), Words("是/否", "yes/no") if declaration.type == "boolean"
             else Words("单选", "choice"))]
    if declaration.options:
        said.append((Words("选项", "Options"), options))
    said.append((Words("证明材料", "Evidence"), names.evidence(declaration.evidence)))
    return said


def _reported_aspects(reported, names: _Names) -> list[tuple[Words, Words]]:
    said = [(Words("名称", "Title"), _text(reported.title)),
            (Words("单位", "Unit"), _same(reported.unit))]
    if reported.min is not None:
        said.append((Words("最小值", "Lowest"), _same(number(reported.min))))
    if reported.max is not None:
        said.append((Words("最大值", "Highest"), _same(number(reported.max))))
    said.append((Words("证明材料", "Evidence"), names.evidence(reported.evidence)))
    return said


def _derived_aspects(derived, names: _Names) -> list[tuple[Words, Words]]:
    return [(Words("名称", "Title"), _text(derived.title)),
            (Words("计算公式", "Formula"), _same(derived.formula)),
            (Words("单位", "Unit"), _same(derived.unit))]


def _header_aspects(model: CriteriaModel, names: _Names) -> list[tuple[Words, Words]]:
    a = model.accounting
    serials = "、".join(f"{k} {number(v)} tCO2e" for k, v in sorted(a.tco2_per_serial.items()))
    return [(Words("编号", "Id"), _same(model.id)),
            (Words("版本号", "Version"), _same(model.version)),
            (Words("申报类型", "Subject"), SUBJECT_WORDS[model.subject]),
            (Words("名称", "Title"), _text(model.title)),
            (Words("状态", "Status"), STATUS_WORDS[model.status]),
            (Words("说明", "Notice"), _text(model.notice)),
            (Words("施行日期", "Effective from"), _same(model.effective_from)),
            (Words("满分", "Total points"), _points(model.total_points)),
            (Words("电力折标方法", "Electricity conversion"),
             CONVERSION_WORDS[a.electricity_conversion]),
            (Words("电网排放因子（基于位置）", "Grid factor (location-based)"),
             _same(a.grid_factor)),
            (Words("剩余电网排放因子（基于市场）", "Residual grid factor (market-based)"),
             _same(a.residual_factor)),
            (Words("每个登记编号对应的减排量", "tCO2e per registry serial"),
             _same(serials or "—"))]


def _level_order(old: CriteriaModel, new: CriteriaModel, section: Section) -> Section:
    """Levels are tried in order (the first that holds is awarded), so a new order is a
    change of its own, said as a note."""
    kept = {lv.id for lv in old.levels} & {lv.id for lv in new.levels}
    before = [lv for lv in old.levels if lv.id in kept]
    after = [lv for lv in new.levels if lv.id in kept]
    if [lv.id for lv in before] == [lv.id for lv in after]:
        return section
    note = Words("评定顺序 " + "、".join(lv.title.zh for lv in before) + " → "
                 + "、".join(lv.title.zh for lv in after),
                 "Order tried " + ", ".join(lv.title.en for lv in before) + " → "
                 + ", ".join(lv.title.en for lv in after))
    return replace(section, notes=(*section.notes, note))


def compare_criteria(old: CriteriaModel, new: CriteriaModel) -> CriteriaDiff:
    """Two versions of a criteria set compared: the header, evidence kinds, declarations,
    reported and derived figures, items and levels (matched by id)."""
    old_names, new_names = _Names(old), _Names(new)
    header = _aspects(old, new, old_names, new_names, _header_aspects)
    header_section = Section(
        "header", Words("基本信息", "General"),
        (Entry(new.id, _text(new.title), "changed", header),) if header else (),
        0 if header else 1)

    def titled(x) -> Words:
        return _text(x.title)

    sections = [
        header_section,
        _keyed_section("items", Words("评价条目", "Items"), old.items, new.items,
                       lambda i: i.id, titled, old_names, new_names, _item_aspects),
        _level_order(old, new, _keyed_section(
            "levels", Words("评价等级", "Levels"), old.levels, new.levels, lambda lv: lv.id,
            titled, old_names, new_names, _level_aspects)),
        _keyed_section("declarations", Words("需声明的事项", "Declarations"), old.declarations,
                       new.declarations, lambda d: d.id, titled, old_names, new_names,
                       _declaration_aspects),
        _keyed_section("reported", Words("直接填报的数据", "Reported figures"), old.reported,
                       new.reported, lambda r: r.id, titled, old_names, new_names,
                       _reported_aspects),
        _keyed_section("derived", Words("派生指标", "Derived indicators"), old.derived,
                       new.derived, lambda d: d.id, titled, old_names, new_names,
                       _derived_aspects),
        _keyed_section("evidence_kinds", Words("证明材料种类", "Kinds of evidence"),
                       list(old.evidence_kinds.items()), list(new.evidence_kinds.items()),
                       lambda kv: kv[0], lambda kv: _text(kv[1]), old_names, new_names,
                       lambda kv, _names: [(Words("名称", "Title"), _text(kv[1]))]),
    ]
    return CriteriaDiff(tuple(sections))


# -- reference data ----------------------------------------------------------------------------

# Each table's natural key, as reference.py (and the form's industry list) reads it.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "standard_coal_coefficients.csv": ("id",),
    "fuel_emission_parameters.csv": ("id",),
    "other_emission_factors.csv": ("id",),
    "carriers.csv": ("carrier",),
    "electricity_emission_factors.csv": ("factor", "data_year"),
    "energy_efficiency_levels.csv": ("id",),
    "benchmark_industries.csv": ("benchmark",),
}
TABLE_TITLES = {
    "standard_coal_coefficients.csv": Words("折标准煤系数", "Standard-coal coefficients"),
    "fuel_emission_parameters.csv": Words("化石燃料排放参数", "Fuel emission parameters"),
    "other_emission_factors.csv": Words("其他排放因子", "Other emission factors"),
    "carriers.csv": Words("能源品种", "Energy carriers"),
    "electricity_emission_factors.csv": Words("电力二氧化碳排放因子",
                                              "Electricity CO2 emission factors"),
    "energy_efficiency_levels.csv": Words("产品能效水平（限额等级、标杆、基准）",
                                          "Product energy-efficiency levels"),
    "benchmark_industries.csv": Words("能效指标所属行业", "Industries of the efficiency indicators"),
    "README.md": Words("参考数据说明", "Reference data notes"),
}
COLUMN_WORDS = {
    "id": Words("编号", "id"), "name_zh": Words("中文名称", "Chinese name"),
    "name_en": Words("英文名称", "English name"), "value": Words("数值", "Value"),
    "unit": Words("单位", "Unit"), "source": Words("来源", "Source"),
    "tag": Words("可靠性标记", "Reliability tag"), "note": Words("备注", "Note"),
    "year": Words("年份", "Year"), "clause": Words("条款", "Clause"),
    "factor": Words("因子", "Factor"), "data_year": Words("数据年份", "Data year"),
    "announcement": Words("公告", "Announcement"), "published": Words("发布日期", "Published"),
    "coefficient": Words("折标系数", "Coefficient"),
    "low_heat_value": Words("低位发热量", "Low heat value"),
    "low_heat_value_unit": Words("低位发热量单位", "Low heat value unit"),
    "ncv": Words("低位发热量", "Net calorific value"), "ncv_unit": Words("低位发热量单位", "NCV unit"),
    "carbon_content": Words("单位热值含碳量", "Carbon content"),
    "carbon_content_unit": Words("含碳量单位", "Carbon content unit"),
    "oxidation_rate": Words("碳氧化率", "Oxidation rate"),
    "derived_factor": Words("排放因子", "Emission factor"),
    "derived_factor_unit": Words("排放因子单位", "Emission factor unit"),
    "carrier": Words("能源品种", "Carrier"), "standard_coal": Words("折标系数行", "Coal row"),
    "emission": Words("排放参数行", "Emission row"), "scope": Words("范围", "Scope"),
    "fossil": Words("化石能源", "Fossil"), "clean": Words("清洁能源", "Clean"),
    "product_zh": Words("产品", "Product (Chinese)"), "product_en": Words("产品（英文）", "Product"),
    "indicator_zh": Words("指标", "Indicator (Chinese)"),
    "indicator_en": Words("指标（英文）", "Indicator"), "standard": Words("标准", "Standard"),
    "grade_1": Words("1级", "Grade 1"), "grade_2": Words("2级", "Grade 2"),
    "grade_3": Words("3级", "Grade 3"), "benchmark": Words("标杆水平", "Benchmark"),
    "baseline": Words("基准水平", "Baseline"),
    "grades_tag": Words("等级值可靠性标记", "Grades' reliability tag"),
    "levels_source": Words("标杆/基准来源", "Benchmark/baseline source"),
    "levels_tag": Words("标杆/基准可靠性标记", "Benchmark/baseline reliability tag"),
    "guizhou_relevant": Words("贵州相关", "Relevant to Guizhou"),
    "industry": Words("行业", "Industry"), "industry_zh": Words("行业名称", "Industry (Chinese)"),
    "industry_en": Words("行业名称（英文）", "Industry (English)"),
}
# a number column shown with the unit its row gives it ("0.5683 tCO2/MWh")
UNIT_COLUMN = {"value": "unit", "coefficient": "unit", "grade_1": "unit", "grade_2": "unit",
               "grade_3": "unit", "benchmark": "unit", "baseline": "unit",
               "ncv": "ncv_unit", "carbon_content": "carbon_content_unit",
               "derived_factor": "derived_factor_unit", "low_heat_value": "low_heat_value_unit"}
NAME_COLUMNS = ("name_zh", "product_zh", "industry_zh"), ("name_en", "product_en", "industry_en")


def _table(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """Columns and rows of a CSV text, cells stripped as reference.py reads them."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    rows = [{(k or "").strip(): (v or "").strip() if isinstance(v, str) else ""
             for k, v in row.items()} for row in reader]
    return [c.strip() for c in reader.fieldnames or []], rows


def _keyed_rows(name: str, columns: list[str], rows: list[dict[str, str]]) -> dict[str, dict]:
    """Rows by their natural key ("guizhou 2024"); a table this module does not know is keyed
    by its first column; a key given twice keeps both rows (the second as "… #2")."""
    key_columns = TABLE_KEYS.get(name) or tuple(columns[:1])
    if not all(k in columns for k in key_columns):
        key_columns = tuple(columns[:1])
    keyed: dict[str, dict] = {}
    for row in rows:
        key = " ".join(row.get(k, "") for k in key_columns) or "—"
        base, count = key, 1
        while key in keyed:
            count += 1
            key = f"{base} #{count}"
        keyed[key] = row
    return keyed


def _cell(row: dict[str, str], column: str) -> str:
    text = row.get(column, "")
    unit = row.get(UNIT_COLUMN.get(column, ""), "")
    return f"{text} {unit}" if text and unit else text


def _same_cell(before: str, after: str) -> bool:
    """0.5 and 0.5000 are the same number: a reformatted cell is no change."""
    if before == after:
        return True
    try:
        return float(before) == float(after)
    except ValueError:
        return False


def _row_changes(before: dict[str, str], after: dict[str, str],
                 columns: list[str]) -> tuple[Change, ...]:
    """The cells that differ; a number is shown with its unit, and a unit column is named on
    its own only where no number of its row already shows the new unit."""
    def differs(column: str) -> bool:
        return not _same_cell(before.get(column, ""), after.get(column, ""))

    units = set(UNIT_COLUMN.values())
    changed = [c for c in columns if c not in units and (
        differs(c) or (c in UNIT_COLUMN and differs(UNIT_COLUMN[c])
                       and (before.get(c) or after.get(c))))]
    shown_units = {UNIT_COLUMN[c] for c in changed if c in UNIT_COLUMN}
    changed += [c for c in columns if c in units and c not in shown_units and differs(c)]
    return tuple(Change(COLUMN_WORDS.get(c, _same(c)), _plain(_cell(before, c)),
                        _plain(_cell(after, c))) for c in changed)


def _row_title(key: str, row: dict[str, str]) -> Words:
    zh = next((row[c] for c in NAME_COLUMNS[0] if row.get(c)), "")
    en = next((row[c] for c in NAME_COLUMNS[1] if row.get(c)), "")
    return Words(f"{zh}（{key}）" if zh else key, f"{en} ({key})" if en else key)


def _row_summary(row: dict[str, str], columns: list[str]) -> Change:
    said = [(COLUMN_WORDS.get(c, _same(c)), _cell(row, c)) for c in columns
            if row.get(c) and c not in UNIT_COLUMN.values()]
    return Change(Words("整行", "Whole row"), NOTHING,
                  Words("；".join(f"{w.zh}：{v}" for w, v in said),
                        "; ".join(f"{w.en}: {v}" for w, v in said)))


def _flipped(change: Change) -> Change:
    return Change(change.aspect, change.after, change.before)


def _table_section(name: str, old_text: str | None, new_text: str | None) -> Section:
    title = TABLE_TITLES.get(name, _same(name))
    if not name.lower().endswith(".csv"):
        return _text_section(name, title, old_text, new_text)
    old_columns, old_rows = _table(old_text or "")
    new_columns, new_rows = _table(new_text or "")
    old_by = _keyed_rows(name, old_columns, old_rows)
    new_by = _keyed_rows(name, new_columns, new_rows)
    columns = new_columns + [c for c in old_columns if c not in new_columns]
    entries, unchanged = [], 0
    for key, row in new_by.items():
        before = old_by.get(key)
        if before is None:
            entries.append(Entry(key, _row_title(key, row), "added",
                                 (_row_summary(row, new_columns),)))
            continue
        changes = _row_changes(before, row, columns)
        if changes:
            entries.append(Entry(key, _row_title(key, row), "changed", changes))
        else:
            unchanged += 1
    for key, row in old_by.items():
        if key not in new_by:
            entries.append(Entry(key, _row_title(key, row), "removed",
                                 (_flipped(_row_summary(row, old_columns)),)))
    notes = []
    if old_text is not None and new_text is not None:
        if added := [c for c in new_columns if c not in old_columns]:
            notes.append(Words(f"新增列：{'、'.join(added)}", f"Columns added: {', '.join(added)}"))
        if removed := [c for c in old_columns if c not in new_columns]:
            notes.append(Words(f"删除列：{'、'.join(removed)}",
                               f"Columns removed: {', '.join(removed)}"))
    change = _file_change(old_text, new_text, bool(entries or notes))
    return Section(name, title, tuple(entries), unchanged, change, tuple(notes))


def _file_change(old_text, new_text, differs: bool) -> Kind | None:
    if old_text is None:
        return "added"
    if new_text is None:
        return "removed"
    return "changed" if differs else None


def _text_section(name: str, title: Words, old_text: str | None, new_text: str | None) -> Section:
    """A file that is not a table (the folder's README): its changed lines."""
    old_lines = (old_text or "").splitlines()
    new_lines = (new_text or "").splitlines()
    entries = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        kind: Kind = {"insert": "added", "delete": "removed"}.get(tag, "changed")
        before, after = "\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2])
        where = f"{j1 + 1}" if kind != "removed" else f"{i1 + 1}"
        entries.append(Entry(where, Words(f"第 {where} 行", f"line {where}"), kind,
                             (Change(Words("内容", "Text"), _plain(before), _plain(after)),)))
    unchanged = sum(size for *_, size in matcher.get_matching_blocks())
    return Section(name, title, tuple(entries), unchanged,
                   _file_change(old_text, new_text, bool(entries)))


def compare_reference(old_files: dict[str, str], new_files: dict[str, str]) -> ReferenceDiff:
    """Two versions of the reference data (file name → CSV text) compared table by table, rows
    matched by their natural key; files added or removed whole."""
    names = list(new_files) + [n for n in old_files if n not in new_files]
    known = list(TABLE_TITLES)
    names.sort(key=lambda n: (known.index(n) if n in known else len(known), n))
    return ReferenceDiff(tuple(_table_section(n, old_files.get(n), new_files.get(n))
                               for n in names))
