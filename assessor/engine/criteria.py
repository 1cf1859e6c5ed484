"""Criteria sets: the rules as data (`criteria/factory/*.yaml`, `criteria/park/*.yaml`).

A set lists what the applicant declares and reports, derived indicators, items (gates, scored
items, expert items) and levels. Loading checks everything a policy officer could get wrong
and names the file and the item (`criteria_checks.py`): unknown indicators, unit mismatches,
cycles, duplicate ids, points that do not add up, thresholds without a source.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from .criteria_checks import Symbol, check_criteria
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
from .indicators import Accounting
from .reference import Reference

__all__ = ["AccountingModel", "Anchor", "Band", "Condition", "CriteriaModel", "CriteriaSet",
           "Declaration", "Derived", "Item", "Level", "Reported", "ScoreBand", "Scoring",
           "SourceRef", "Symbol", "Text", "Thresholds", "criteria_from_mapping",
           "criteria_from_text", "load_criteria", "parse_criteria_text"]


@dataclass
class CriteriaSet:
    model: CriteriaModel
    path: Path
    symbols: dict[str, Symbol]
    derived_order: list[str]  # derived indicators, dependencies first
    compiled: dict[str, ast.Expression]
    reference: Reference  # the reference data the set was checked against and scores with

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
    return criteria_from_mapping(parse_criteria_text(text, path), path, reference)


def parse_criteria_text(text: str, path: Path | str):
    """The data in a set's YAML text, refused (DataFileError, with the line and column where
    the parser stopped) when it is longer than MAX_TEXT_CHARS, is not YAML, gives a key twice,
    nests too deeply or expands past MAX_VALUES; the text editor (criteria_text.py,
    criteria_edit.py) passes the same gate."""
    if len(text) > MAX_TEXT_CHARS:  # before parsing: the parser is slow on huge text
        raise DataFileError(path, "", f"longer than {MAX_TEXT_CHARS:,} characters",
                            f"内容过长：超过 {MAX_TEXT_CHARS} 个字符")
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        en, zh = _yaml_problem(exc)
        raise DataFileError(path, "", en, zh, *((mark.line + 1, mark.column + 1) if mark
                                                else ())) from None
    except RecursionError:  # the YAML parser recurses once per level of nesting
        raise DataFileError(path, "", "nested too deeply", "YAML 嵌套层数过多") from None
    if _expanded_size(raw) > MAX_VALUES:
        raise DataFileError(path, "", f"more than {MAX_VALUES:,} values (an alias counts as "
                            "often as it is used)", f"内容过多：超过 {MAX_VALUES} 个值（引用按使用次数计）")
    return raw


def _yaml_problem(exc: yaml.YAMLError) -> tuple[str, str]:
    """The parser's complaint in plain words (English, Chinese)."""
    problem = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, _DuplicateKey):
        return problem, f"键“{exc.key}”出现了两次"
    for said, en, zh in _PLAIN_YAML:
        if said in problem:
            return f"not valid YAML: {en}", f"YAML 格式错误：{zh}"
    return f"not valid YAML: {problem}", f"YAML 格式错误：{problem}"


_PLAIN_YAML = [  # (what PyYAML says, in English, in Chinese)
    ("'\\t'", "a tab cannot indent YAML, use spaces", "不能用制表符（Tab）缩进，请改用空格"),
    ("expected <block end>", "the indentation does not line up", "缩进没有对齐"),
    ("did not find expected key", "the indentation does not line up", "缩进没有对齐"),
    ("could not find expected ':'", "a key is missing its ':'", "键后缺少冒号“:”"),
    ("mapping values are not allowed here", "': ' is not allowed here: a key indented too "
     "far, or text with ': ' not in quotes", "此处不能出现“: ”：键缩进过多，或含“: ”的文字未加引号"),
    ("but found '<stream end>'", "the text ends too early (a bracket or quote not closed?)",
     "文本意外结束（括号或引号未闭合？）"),
    ("found unexpected end of stream", "the text ends too early (a quote not closed?)",
     "文本意外结束（引号未闭合？）"),
    ("did not find expected ',' or", "a [list] or {mapping} lacks a ',' or its closing bracket",
     "方括号或花括号内缺少逗号或右括号"),
    ("expected ',' or", "a [list] or {mapping} lacks a ',' or its closing bracket",
     "方括号或花括号内缺少逗号或右括号"),
    ("found undefined alias", "an alias (*name) refers to no anchor (&name)",
     "引用（*名称）没有对应的锚点（&名称）"),
    ("that cannot start any token", "this character cannot start a value (put the text in "
     "quotes)", "此字符不能作为值的开头（请给文字加引号）"),
    ("found unknown escape character", "an unknown escape (\\...) inside double quotes",
     "双引号内的转义字符（\\...）无效"),
]


MAX_TEXT_CHARS = 1_000_000  # a shipped set has about 25,000 (the what-if upload: 1 MB)
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
    symbols, order, compiled = check_criteria(model, path, reference)
    return CriteriaSet(model, path, symbols, order, compiled, reference)


def _item_name(raw, loc) -> str:
    if len(loc) >= 2 and loc[0] in ("items", "levels", "derived", "reported", "declarations"):
        try:
            return str(raw[loc[0]][loc[1]].get("id", f"{loc[0]}[{loc[1]}]"))
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
    return ".".join(map(str, loc))


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML that refuses a key given twice (it would silently win otherwise)."""


class _DuplicateKey(yaml.constructor.ConstructorError):
    def __init__(self, key, mark):
        super().__init__(None, None, f"duplicate key '{key}'", mark)
        self.key = key


def _no_duplicates(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise _DuplicateKey(key, key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)
