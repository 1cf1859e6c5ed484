"""Criteria sets: the rules as data (`criteria/factory/*.yaml`, `criteria/park/*.yaml`).

A set lists what the applicant declares and reports, derived indicators, items (gates, scored
items, expert items) and levels. Loading checks everything a policy officer could get wrong
and names the file and the item: unknown indicators, unit mismatches, cycles, duplicate ids,
points that do not add up, thresholds without a source.
"""

from __future__ import annotations

import ast
import graphlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import ValidationError

from .compare import holds
from .criteria_model import (
    AccountingModel,
    Anchor,
    Band,
    Condition,
    CriteriaModel,
    Declaration,
    Derived,
    Item,
    Level,
    Reported,
    ScoreBand,
    Scoring,
    SourceRef,
    Text,
    Thresholds,
)
from .errors import DataFileError
from .indicators import BUILTIN, Accounting
from .reference import TAGS, Reference
from .units import UnitError, factor, parse_unit

__all__ = ["AccountingModel", "Anchor", "Band", "Condition", "CriteriaModel", "CriteriaSet",
           "Declaration", "Derived", "Item", "Level", "Reported", "ScoreBand", "Scoring",
           "SourceRef", "Symbol", "Text", "Thresholds", "criteria_from_mapping",
           "criteria_from_text", "load_criteria"]


@dataclass(frozen=True)
class Symbol:
    """Something a rule can name: a built-in indicator, a declaration, a reported or derived
    figure."""

    id: str
    kind: Literal["builtin", "declaration", "reported", "derived"]
    unit: str | None  # None for declarations
    title: Text


@dataclass
class CriteriaSet:
    model: CriteriaModel
    path: Path
    symbols: dict[str, Symbol]
    derived_order: list[str]  # derived indicators, dependencies first
    compiled: dict[str, ast.Expression]

    def __getattr__(self, name):  # id, subject, items ... straight from the model
        return getattr(self.model, name)

    @property
    def accounting_choice(self) -> Accounting:
        a = self.model.accounting
        return Accounting(a.electricity_conversion, a.grid_factor, a.residual_factor)

    @property
    def declarations_by_id(self) -> dict[str, Declaration]:
        return {d.id: d for d in self.model.declarations}

    @property
    def reported_by_id(self) -> dict[str, Reported]:
        return {r.id: r for r in self.model.reported}

    def items_of(self, kind: str) -> list[Item]:
        return [i for i in self.model.items if i.kind == kind]


def load_criteria(path: Path, reference: Reference) -> CriteriaSet:
    path = Path(path)
    return criteria_from_text(path.read_text(encoding="utf-8"), path, reference)


def criteria_from_text(text: str, path: Path | str, reference: Reference) -> CriteriaSet:
    """A set from YAML text (a draft the department uploads); `path` names it in errors."""
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise DataFileError(path, "", f"not valid YAML: {exc}", "YAML 格式错误") from None
    except RecursionError:  # the YAML parser recurses once per level of nesting
        raise DataFileError(path, "", "nested too deeply", "YAML 嵌套层数过多") from None
    if _expanded_size(raw) > MAX_VALUES:
        raise DataFileError(path, "", f"more than {MAX_VALUES:,} values (an alias counts as "
                            "often as it is used)", f"内容过多：超过 {MAX_VALUES} 个值（引用按使用次数计）")
    return criteria_from_mapping(raw, path, reference)


MAX_VALUES = 200_000  # a shipped set has about 2,000; aliases expanded (a "billion laughs" draft)


def _expanded_size(raw) -> int:
    """How many values `raw` holds with every YAML alias expanded, without expanding them and
    without recursing; stops counting past MAX_VALUES."""
    sizes: dict[int, int] = {}
    stack, seen = [(raw, False)], set()
    while stack:
        node, children_done = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        children = list(node.values()) if isinstance(node, dict) else node
        if children_done:
            sizes[id(node)] = min(1 + sum(sizes.get(id(c), 1) for c in children), MAX_VALUES + 1)
        elif id(node) not in seen:  # a cycle counts its own node once
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children)
    return sizes.get(id(raw), 1)


def criteria_from_mapping(raw, path: Path | str, reference: Reference) -> CriteriaSet:
    """A set from decoded data, checked exactly as a file is."""
    path = Path(str(path))
    if not isinstance(raw, dict):
        raise DataFileError(path, "", "a criteria set is a mapping", "评价标准应为键值结构")
    for position, item in enumerate(raw.get("items") or []):
        if isinstance(item, dict) and "id" not in item:
            raise DataFileError(path, f"items[{position}]", "item has no id", "条目缺少编号")
    try:
        model = CriteriaModel.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = _item_name(raw, first["loc"])
        raise DataFileError(path, where, f"{first['msg']} (at {'.'.join(map(str, first['loc']))})",
                            "字段缺失或取值无效") from None
    return _check(model, path, reference)


def _item_name(raw, loc) -> str:
    if len(loc) >= 2 and loc[0] in ("items", "levels", "derived", "reported", "declarations"):
        try:
            return str(raw[loc[0]][loc[1]].get("id", f"{loc[0]}[{loc[1]}]"))
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
    return ".".join(map(str, loc))


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML that refuses a key given twice (it would silently win otherwise)."""


def _no_duplicates(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'",
                                                    key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def _check(model: CriteriaModel, path: Path, reference: Reference) -> CriteriaSet:
    def fail(item: str, en: str, zh: str):
        raise DataFileError(path, item, en, zh)

    symbols: dict[str, Symbol] = {
        b.id: Symbol(b.id, "builtin", b.unit, Text(zh=b.zh, en=b.en)) for b in BUILTIN.values()}

    def add(symbol: Symbol):
        if symbol.id in symbols:
            fail(symbol.id, "id is already used by another indicator or input",
                 "编号与其他指标或输入重复")
        symbols[symbol.id] = symbol

    for d in model.declarations:
        if d.type == "choice" and len(d.options) < 2:
            fail(d.id, "a choice declaration needs at least two options", "选择项至少需两个选项")
        add(Symbol(d.id, "declaration", None, d.title))
    for r in model.reported:
        _check_unit(path, r.id, r.unit)
        add(Symbol(r.id, "reported", r.unit, r.title))
    for d in model.derived:
        _check_unit(path, d.id, d.unit)
        add(Symbol(d.id, "derived", d.unit, d.title))

    grid_names = reference.factor_names()
    for name in (model.accounting.grid_factor, model.accounting.residual_factor):
        if name not in grid_names:
            fail("accounting", f"electricity factor '{name}' is not in the reference data",
                 f"参考数据中没有电力排放因子“{name}”")

    compiled, order = _check_derived(model, path, symbols)

    item_ids = set()
    for item in model.items:
        if item.id in item_ids:
            fail(item.id, "duplicate item id", "条目编号重复")
        item_ids.add(item.id)
        if item.source.tag not in TAGS:
            fail(item.id, "source tag is not V, S, S-weak or U", "来源可靠性标记无效")
        for condition in item.applies_conditions:
            _check_condition(path, item.id, condition, symbols, model)
        if item.rule:
            _check_condition(path, item.id, item.rule, symbols, model)
        for scoring in (item.scoring, item.suggestion):
            if scoring:
                _check_scoring(path, item, scoring, symbols)
        if item.kind == "expert":
            points = sorted(a.points for a in item.scale)
            if points[-1] != item.points or len(set(points)) != len(points):
                fail(item.id, "the anchored scale must end at the item's points, each value once",
                     "评分档位须各不相同，且最高档等于该项满分")

    for entry in (*model.declarations, *model.reported, *model.items):
        for kind in entry.evidence:
            if kind not in model.evidence_kinds:
                fail(entry.id, f"evidence '{kind}' is not listed in evidence_kinds",
                     f"证明材料“{kind}”未在 evidence_kinds 中列出")

    scored_total = sum(i.points for i in model.items if i.kind in ("scored", "expert"))
    if holds("!=", scored_total, model.total_points):
        fail("items", f"points of scored and expert items add up to {scored_total:g}, "
             f"not total_points {model.total_points:g}",
             f"得分项满分合计 {scored_total:g}，与总分 {model.total_points:g} 不符")

    gate_ids = {i.id for i in model.items if i.kind == "gate"}
    level_ids = set()
    for position, level in enumerate(model.levels):
        if level.id in level_ids:
            fail(level.id, "duplicate level id", "等级编号重复")
        level_ids.add(level.id)
        if level.gates != "all":
            for gate in level.gates:
                if gate not in gate_ids:
                    fail(level.id, f"gate '{gate}' is not a gate of this set",
                         f"等级引用了不存在的否决项“{gate}”")
        if level.min_total > model.total_points:
            fail(level.id, "min_total is above total_points", "等级最低分高于总分")
        for condition in level.conditions:
            _check_condition(path, level.id, condition, symbols, model)
        if level.fallback != (position == len(model.levels) - 1):
            fail(level.id, "exactly the last level must be the fallback (fallback: true)",
                 "最后一个等级须为兜底等级（fallback: true），且仅此一个")
    return CriteriaSet(model, path, symbols, order, compiled)


def _check_unit(path, item, unit):
    try:
        parse_unit(unit)
    except UnitError as exc:
        raise DataFileError(path, item, str(exc), f"无法识别的单位“{unit}”") from None


def _symbol(path, item, name, symbols) -> Symbol:
    if name not in symbols:
        raise DataFileError(path, item, f"unknown indicator or input '{name}'",
                            f"未知的指标或输入“{name}”")
    return symbols[name]


def _check_value_unit(path, item, symbol: Symbol, unit: str | None):
    if symbol.kind == "declaration":
        if unit:
            raise DataFileError(path, item, f"'{symbol.id}' is a declaration and has no unit",
                                "声明项没有单位")
        return
    given = unit or "dimensionless"
    try:
        factor(given, symbol.unit)
    except UnitError:
        raise DataFileError(path, item, f"unit '{given}' does not match '{symbol.id}' "
                            f"({symbol.unit})",
                            f"单位“{given}”与指标“{symbol.id}”的单位（{symbol.unit}）不符") from None


def _check_condition(path, item, condition: Condition, symbols, model: CriteriaModel):
    symbol = _symbol(path, item, condition.indicator, symbols)
    if symbol.kind == "declaration":
        declaration = next(d for d in model.declarations if d.id == symbol.id)
        if declaration.type == "boolean":
            if condition.op not in ("==", "!=") or not isinstance(condition.value, bool):
                raise DataFileError(path, item, f"'{symbol.id}' is yes/no: use == true or false",
                                    "是否类声明只能用 == true/false")
        else:
            values = condition.value if isinstance(condition.value, list) else [condition.value]
            if condition.op not in ("in", "==", "!=") or any(
                    v not in declaration.options for v in values):
                raise DataFileError(path, item,
                                    f"'{symbol.id}' takes {declaration.options}; use in/==",
                                    f"“{symbol.id}”只能取 {declaration.options}")
        return
    if condition.op == "in" or isinstance(condition.value, (bool, str, list)):
        raise DataFileError(path, item, f"'{symbol.id}' is a number: compare it with a number",
                            "数值指标只能与数字比较")
    _check_value_unit(path, item, symbol, condition.unit)
    if condition.thresholds:
        by = _symbol(path, item, condition.thresholds.by, symbols)
        _check_value_unit(path, item, by, condition.thresholds.unit)
        bands = condition.thresholds.bands
        if bands[-1].below is not None or any(b.below is None for b in bands[:-1]):
            raise DataFileError(path, item, "threshold bands: every band but the last needs "
                                "'below', the last none", "分档阈值：除最后一档外须给出 below")
        limits = [b.below for b in bands[:-1]]
        if limits != sorted(limits):
            raise DataFileError(path, item, "threshold bands must rise", "分档界限须递增")


def _check_scoring(path, item: Item, scoring: Scoring, symbols):
    symbol = _symbol(path, item.id, scoring.indicator, symbols)
    if symbol.kind != "declaration":
        _check_value_unit(path, item.id, symbol, scoring.unit)
    for band in scoring.bands:
        if band.points > (item.points or 0):
            raise DataFileError(path, item.id, f"band gives {band.points:g} points, more than "
                                f"the item's {item.points:g}", "分档得分超过该项满分")
    if scoring.source is None and item.source is None:
        raise DataFileError(path, item.id, "no source", "未注明来源")


_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Load, ast.Constant,
            ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub)


MAX_FORMULA_LENGTH = 500  # characters
MAX_FORMULA_DEPTH = 50  # levels of the parsed formula: "a + b + c" is three


def _depth(tree: ast.AST) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node))
    return deepest


def formula_names(tree: ast.AST) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def _check_derived(model: CriteriaModel, path: Path, symbols: dict[str, Symbol]):
    compiled: dict[str, ast.Expression] = {}
    graph: dict[str, set[str]] = {}
    for d in model.derived:
        if len(d.formula) > MAX_FORMULA_LENGTH:
            raise DataFileError(path, d.id, f"formula is longer than {MAX_FORMULA_LENGTH} "
                                "characters", f"公式超过 {MAX_FORMULA_LENGTH} 个字符")
        try:
            tree = ast.parse(d.formula, mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            raise DataFileError(path, d.id, f"formula is not valid: {d.formula[:80]}",
                                "公式格式错误") from None
        if _depth(tree) > MAX_FORMULA_DEPTH:  # scoring and unit checks recurse once a level
            raise DataFileError(path, d.id, f"formula is nested more than {MAX_FORMULA_DEPTH} "
                                "levels deep", f"公式嵌套超过 {MAX_FORMULA_DEPTH} 层")
        for node in ast.walk(tree):
            if not isinstance(node, _ALLOWED) or (
                    isinstance(node, ast.Constant) and (
                        isinstance(node.value, bool) or not isinstance(node.value, (int, float))
                        or not math.isfinite(node.value))):
                raise DataFileError(path, d.id, "formula may use only indicators, finite "
                                    "numbers and + - * /", "公式只能包含指标、有限的数字和 + - * /")
        for name in formula_names(tree):
            symbol = _symbol(path, d.id, name, symbols)
            if symbol.kind == "declaration":
                raise DataFileError(path, d.id, f"'{name}' is a declaration, not a number",
                                    "声明项不能参与计算")
        compiled[d.id] = tree
        graph[d.id] = {n for n in formula_names(tree) if symbols[n].kind == "derived"}
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        cycle = " → ".join(exc.args[1])
        raise DataFileError(path, exc.args[1][0], f"derived indicators form a cycle: {cycle}",
                            f"派生指标循环引用：{cycle}") from None
    for d in model.derived:
        unit = _formula_unit(path, d.id, compiled[d.id].body, symbols)
        try:
            scale = float((unit / parse_unit(d.unit)).to("dimensionless").magnitude)
        except Exception:
            raise DataFileError(path, d.id, f"formula gives {unit.units:~}, not {d.unit}",
                                f"公式结果单位为 {unit.units:~}，与声明的 {d.unit} 不符") from None
        if abs(scale - 1) > 1e-12:
            raise DataFileError(path, d.id, f"formula gives {unit.units:~}, which is {scale:g} × "
                                f"{d.unit}: declare the unit it gives",
                                f"公式结果单位为 {unit.units:~}，请声明该单位")
    return compiled, order


def _formula_unit(path, item, node, symbols):
    """The unit a formula gives, as a pint quantity of magnitude 1 (errors name the item)."""
    if isinstance(node, ast.Constant):
        return parse_unit("dimensionless")
    if isinstance(node, ast.Name):
        return parse_unit(symbols[node.id].unit)
    if isinstance(node, ast.UnaryOp):
        return _formula_unit(path, item, node.operand, symbols)
    left = _formula_unit(path, item, node.left, symbols)
    right = _formula_unit(path, item, node.right, symbols)
    if isinstance(node.op, (ast.Add, ast.Sub)):
        try:
            same = abs(float((left / right).to("dimensionless").magnitude) - 1) < 1e-12
        except Exception:
            same = False
        if not same:
            raise DataFileError(path, item, f"cannot add or subtract {left.units:~} and "
                                f"{right.units:~}", f"单位不同的量不能相加减：{left.units:~} 与 "
                                f"{right.units:~}")
        return left
    return left * right if isinstance(node.op, ast.Mult) else left / right
