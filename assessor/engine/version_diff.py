"""Two versions of a criteria set compared item by item (the reference data: reference_diff.py):
what was added, removed and changed, each change in words a policy officer reads (Chinese and English),
before and after: "门槛 单位能耗碳排放 ≤ 1.8 tCO2/tce → ≤ 1.5 tCO2/tce".

For the department's internal approval of a new version, on the page and as a PDF. Pure: the
versions come in as parsed models (criteria) and as CSV texts (reference data); nothing here
reads a file or the database. Unchanged things are left out of the entries but counted.
"""

from __future__ import annotations

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
        zh = shortened(self.before.zh, self.after.zh)
        en = shortened(self.before.en, self.after.en)
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


def shortened(before: str, after: str) -> str:
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


def same(text: str) -> Words:
    return Words(text, text)


def _points(value: float | None) -> Words:
    if value is None:
        return NOTHING
    return Words(f"{number(value)} 分", f"{number(value)} point" + ("" if value == 1 else "s"))


def _text(value) -> Words:
    """A {zh, en} title from the model as Words."""
    return Words(value.zh, value.en)


def plain(value) -> Words:
    return NOTHING if value in (None, "") else same(str(value))


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
    said = [(Words(f"{prefix.zh}文件", f"{prefix.en} document"), same(source.document)),
            (Words(f"{prefix.zh}条款", f"{prefix.en} clause"), plain(source.clause)),
            (Words(f"{prefix.zh}可靠性标记", f"{prefix.en} reliability tag"),
             TAG_WORDS.get(source.tag, same(source.tag))),
            (Words(f"{prefix.zh}说明", f"{prefix.en} note"), plain(source.note))]
    return [(aspect, words) for aspect, words in said if words != NOTHING]


def _condition_sources(conditions: list[Condition], prefix: Words) -> list[tuple[Words, Words]]:
    """Sources attached to conditions and their bands, cited in one line."""
    cited = [c.source.cite() for c in conditions if c.source is not None]
    for c in conditions:
        if c.thresholds is not None:
            cited += [b.source.cite() for b in c.thresholds.bands if b.source is not None]
    return [(prefix, same("；".join(cited)))] if cited else []


SOURCE = Words("依据", "Source")


def _item_aspects(item: Item, names: _Names) -> list[tuple[Words, Words]]:
    said = [(Words("名称", "Title"), _text(item.title)),
            (Words("类型", "Kind"), KIND_WORDS[item.kind]),
            (Words("类别", "Category"), plain(item.category)),
            (Words("分值", "Points"), _points(item.points)),
            (Words("门槛", "Threshold"),
             names.condition(item.rule) if item.rule is not None else NOTHING),
            (Words("门槛依据", "Threshold source"), NOTHING),
            (Words("计分", "Scoring"),
             names.scoring(item.scoring) if item.scoring is not None else NOTHING),
            (Words("计分依据", "Scoring source"),
             same(item.scoring.source.cite()) if item.scoring and item.scoring.source
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
             else same("、".join(level.gates) or "无"))
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
            (Words("单位", "Unit"), same(reported.unit))]
    if reported.min is not None:
        said.append((Words("最小值", "Lowest"), same(number(reported.min))))
    if reported.max is not None:
        said.append((Words("最大值", "Highest"), same(number(reported.max))))
    said.append((Words("证明材料", "Evidence"), names.evidence(reported.evidence)))
    return said


def _derived_aspects(derived, names: _Names) -> list[tuple[Words, Words]]:
    return [(Words("名称", "Title"), _text(derived.title)),
            (Words("计算公式", "Formula"), same(derived.formula)),
            (Words("单位", "Unit"), same(derived.unit))]


def _header_aspects(model: CriteriaModel, names: _Names) -> list[tuple[Words, Words]]:
    a = model.accounting
    serials = "、".join(f"{k} {number(v)} tCO2e" for k, v in sorted(a.tco2_per_serial.items()))
    return [(Words("编号", "Id"), same(model.id)),
            (Words("版本号", "Version"), same(model.version)),
            (Words("申报类型", "Subject"), SUBJECT_WORDS[model.subject]),
            (Words("名称", "Title"), _text(model.title)),
            (Words("状态", "Status"), STATUS_WORDS[model.status]),
            (Words("说明", "Notice"), _text(model.notice)),
            (Words("施行日期", "Effective from"), same(model.effective_from)),
            (Words("满分", "Total points"), _points(model.total_points)),
            (Words("电力折标方法", "Electricity conversion"),
             CONVERSION_WORDS[a.electricity_conversion]),
            (Words("电网排放因子（基于位置）", "Grid factor (location-based)"),
             same(a.grid_factor)),
            (Words("剩余电网排放因子（基于市场）", "Residual grid factor (market-based)"),
             same(a.residual_factor)),
            (Words("每个登记编号对应的减排量", "tCO2e per registry serial"),
             same(serials or "—"))]


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
