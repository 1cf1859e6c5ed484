"""The checks a criteria set passes before it is used: everything a policy officer could get
wrong, named by file and item. Each check raises the first DataFileError it finds; they run
in the order a reader meets the file (inputs, accounting, derived, items, evidence, points,
levels), so a draft with several mistakes always reports the same one first."""

from __future__ import annotations

import ast
import graphlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .compare import holds
from .criteria_model import Condition, CriteriaModel, Item, Scoring, Text
from .errors import DataFileError
from .indicators import BUILTIN
from .reference import TAGS, Reference
from .units import UnitError, factor, parse_unit


@dataclass(frozen=True)
class Symbol:
    """Something a rule can name: a built-in indicator, a declaration, a reported or derived
    figure."""

    id: str
    kind: Literal["builtin", "declaration", "reported", "derived"]
    unit: str | None  # None for declarations
    title: Text


def check_criteria(model: CriteriaModel, path: Path, reference: Reference):
    """The symbols rules may name, the derived indicators in dependency order and their
    compiled formulas, once every check has passed."""
    symbols = _symbols(model, path)
    _check_accounting(model, path, reference)
    compiled, order = _check_derived(model, path, symbols)
    _check_items(model, path, symbols)
    _check_evidence(model, path)
    _check_total_points(model, path)
    _check_levels(model, path, symbols)
    return symbols, order, compiled


def _symbols(model: CriteriaModel, path: Path) -> dict[str, Symbol]:
    """Built-in indicators, then declarations, reported and derived figures; ids unique."""
    symbols: dict[str, Symbol] = {
        b.id: Symbol(b.id, "builtin", b.unit, Text(zh=b.zh, en=b.en)) for b in BUILTIN.values()}

    def add(symbol: Symbol):
        if symbol.id in symbols:
            raise DataFileError(path, symbol.id, "id is already used by another indicator or "
                                "input", "编号与其他指标或输入重复")
        symbols[symbol.id] = symbol

    for d in model.declarations:
        if d.type == "choice" and len(d.options) < 2:
            raise DataFileError(path, d.id, "a choice declaration needs at least two options",
                                "选择项至少需两个选项")
        add(Symbol(d.id, "declaration", None, d.title))
    for r in model.reported:
        _check_unit(path, r.id, r.unit)
        add(Symbol(r.id, "reported", r.unit, r.title))
    for d in model.derived:
        _check_unit(path, d.id, d.unit)
        add(Symbol(d.id, "derived", d.unit, d.title))
    return symbols


def _check_accounting(model: CriteriaModel, path: Path, reference: Reference):
    grid_names = reference.factor_names()
    for name in (model.accounting.grid_factor, model.accounting.residual_factor):
        if name not in grid_names:
            raise DataFileError(path, "accounting", f"electricity factor '{name}' is not in the "
                                "reference data", f"参考数据中没有电力排放因子“{name}”")


def _check_items(model: CriteriaModel, path: Path, symbols: dict[str, Symbol]):
    item_ids = set()
    for item in model.items:
        if item.id in item_ids:
            raise DataFileError(path, item.id, "duplicate item id", "条目编号重复")
        item_ids.add(item.id)
        if item.source.tag not in TAGS:
            raise DataFileError(path, item.id, "source tag is not V, S, S-weak or U",
                                "来源可靠性标记无效")
        for condition in item.applies_conditions:
            _check_condition(path, item.id, condition, symbols, model)
        if item.rule:
            _check_condition(path, item.id, item.rule, symbols, model)
        for scoring in (item.scoring, item.suggestion):
            if scoring:
                _check_scoring(path, item, scoring, symbols)
        if item.kind == "expert":
            _check_anchored_scale(path, item)


def _check_anchored_scale(path: Path, item: Item):
    points = sorted(a.points for a in item.scale)
    if points[-1] != item.points or len(set(points)) != len(points):
        raise DataFileError(path, item.id, "the anchored scale must end at the item's points, "
                            "each value once", "评分档位须各不相同，且最高档等于该项满分")


def _check_evidence(model: CriteriaModel, path: Path):
    for entry in (*model.declarations, *model.reported, *model.items):
        for kind in entry.evidence:
            if kind not in model.evidence_kinds:
                raise DataFileError(path, entry.id, f"evidence '{kind}' is not listed in "
                                    "evidence_kinds", f"证明材料“{kind}”未在 evidence_kinds 中列出")


def _check_total_points(model: CriteriaModel, path: Path):
    scored_total = sum(i.points for i in model.items if i.kind in ("scored", "expert"))
    if holds("!=", scored_total, model.total_points):
        raise DataFileError(path, "items", f"points of scored and expert items add up to "
                            f"{scored_total:g}, not total_points {model.total_points:g}",
                            f"得分项满分合计 {scored_total:g}，与总分 {model.total_points:g} 不符")


def _check_levels(model: CriteriaModel, path: Path, symbols: dict[str, Symbol]):
    gate_ids = {i.id for i in model.items if i.kind == "gate"}
    level_ids = set()
    for position, level in enumerate(model.levels):
        if level.id in level_ids:
            raise DataFileError(path, level.id, "duplicate level id", "等级编号重复")
        level_ids.add(level.id)
        if level.gates != "all":
            for gate in level.gates:
                if gate not in gate_ids:
                    raise DataFileError(path, level.id, f"gate '{gate}' is not a gate of this "
                                        "set", f"等级引用了不存在的否决项“{gate}”")
        if level.min_total > model.total_points:
            raise DataFileError(path, level.id, "min_total is above total_points",
                                "等级最低分高于总分")
        for condition in level.conditions:
            _check_condition(path, level.id, condition, symbols, model)
        if level.fallback != (position == len(model.levels) - 1):
            raise DataFileError(path, level.id, "exactly the last level must be the fallback "
                                "(fallback: true)", "最后一个等级须为兜底等级（fallback: true），且仅此一个")


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
        _check_declaration_condition(path, item, condition, symbol, model)
        return
    if condition.op == "in" or isinstance(condition.value, (bool, str, list)):
        raise DataFileError(path, item, f"'{symbol.id}' is a number: compare it with a number",
                            "数值指标只能与数字比较")
    _check_value_unit(path, item, symbol, condition.unit)
    if condition.thresholds:
        _check_thresholds(path, item, condition, symbols)


def _check_declaration_condition(path, item, condition: Condition, symbol: Symbol,
                                 model: CriteriaModel):
    declaration = next(d for d in model.declarations if d.id == symbol.id)
    if declaration.type == "boolean":
        if condition.op not in ("==", "!=") or not isinstance(condition.value, bool):
            raise DataFileError(path, item, f"'{symbol.id}' is yes/no: use == true or false",
                                "是否类声明只能用 == true/false")
        return
    values = condition.value if isinstance(condition.value, list) else [condition.value]
    if condition.op not in ("in", "==", "!=") or any(
            v not in declaration.options for v in values):
        raise DataFileError(path, item, f"'{symbol.id}' takes {declaration.options}; use in/==",
                            f"“{symbol.id}”只能取 {declaration.options}")


def _check_thresholds(path, item, condition: Condition, symbols):
    """Size-dependent thresholds: the indicator they depend on, rising band limits."""
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
    """Each formula compiled, the derived indicators ordered dependencies first, and each
    formula's unit the one declared."""
    compiled: dict[str, ast.Expression] = {}
    graph: dict[str, set[str]] = {}
    for d in model.derived:
        tree = _compile_formula(path, d.id, d.formula, symbols)
        compiled[d.id] = tree
        graph[d.id] = {n for n in formula_names(tree) if symbols[n].kind == "derived"}
    order = _dependency_order(path, graph)
    for d in model.derived:
        _check_formula_unit(path, d.id, d.unit, compiled[d.id], symbols)
    return compiled, order


def _compile_formula(path, item, formula: str, symbols) -> ast.Expression:
    """A formula parsed, within the size limits, using only indicators, numbers and + - * /."""
    if len(formula) > MAX_FORMULA_LENGTH:
        raise DataFileError(path, item, f"formula is longer than {MAX_FORMULA_LENGTH} "
                            "characters", f"公式超过 {MAX_FORMULA_LENGTH} 个字符")
    try:
        tree = ast.parse(formula, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise DataFileError(path, item, f"formula is not valid: {formula[:80]}",
                            "公式格式错误") from None
    if _depth(tree) > MAX_FORMULA_DEPTH:  # scoring and unit checks recurse once a level
        raise DataFileError(path, item, f"formula is nested more than {MAX_FORMULA_DEPTH} "
                            "levels deep", f"公式嵌套超过 {MAX_FORMULA_DEPTH} 层")
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED) or (
                isinstance(node, ast.Constant) and (
                    isinstance(node.value, bool) or not isinstance(node.value, (int, float))
                    or not math.isfinite(node.value))):
            raise DataFileError(path, item, "formula may use only indicators, finite "
                                "numbers and + - * /", "公式只能包含指标、有限的数字和 + - * /")
    for name in formula_names(tree):
        symbol = _symbol(path, item, name, symbols)
        if symbol.kind == "declaration":
            raise DataFileError(path, item, f"'{name}' is a declaration, not a number",
                                "声明项不能参与计算")
    return tree


def _dependency_order(path, graph: dict[str, set[str]]) -> list[str]:
    try:
        return list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        cycle = " → ".join(exc.args[1])
        raise DataFileError(path, exc.args[1][0], f"derived indicators form a cycle: {cycle}",
                            f"派生指标循环引用：{cycle}") from None


def _check_formula_unit(path, item, declared: str, tree: ast.Expression, symbols):
    unit = _formula_unit(path, item, tree.body, symbols)
    try:
        scale = float((unit / parse_unit(declared)).to("dimensionless").magnitude)
    except Exception:
        raise DataFileError(path, item, f"formula gives {unit.units:~}, not {declared}",
                            f"公式结果单位为 {unit.units:~}，与声明的 {declared} 不符") from None
    if abs(scale - 1) > 1e-12:
        raise DataFileError(path, item, f"formula gives {unit.units:~}, which is {scale:g} × "
                            f"{declared}: declare the unit it gives",
                            f"公式结果单位为 {unit.units:~}，请声明该单位")


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
