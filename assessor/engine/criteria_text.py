"""What is wrong with a criteria set's YAML text, each problem at a line and column, for the
text view of the criteria editor.

The text passes the same gates as a loaded set (`criteria.parse_criteria_text`, the pydantic
model, `criteria_checks`); this module only says where. The shape is checked in full (every
pydantic error is listed); the deeper checks stop at their first problem, as loading does.
A location is the start of the YAML node it names, found by composing the text
(`yaml.compose`), so it is exact for what the parser and pydantic name; a deep check names
only an entry id (or `accounting`, `items`), so its problem points at that entry, or at the
value inside it its message quotes (an unknown indicator, an unlisted evidence kind, a
name in a formula)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from pydantic import ValidationError

from .criteria import parse_criteria_text
from .criteria_checks import check_criteria
from .criteria_model import CriteriaModel
from .errors import DataFileError
from .reference import Reference

SECTIONS = ("declarations", "reported", "derived", "items", "levels")  # lists of entries by id


@dataclass(frozen=True)
class TextProblem:
    line: int  # 1-based
    column: int  # 1-based
    where: str  # the entry id, or the key path outside the entries
    zh: str
    en: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "where": self.where,
                "zh": self.zh, "en": self.en}


def problems_in(text: str, reference: Reference) -> list[TextProblem]:
    """Every problem of the text's shape, or else the first of the deeper checks; [] when the
    set loads."""
    try:
        raw = parse_criteria_text(text, "")
    except DataFileError as error:
        return [TextProblem(error.line or 1, error.column or 1, "", error.message_zh,
                            error.message_en)]
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # parses: parse_criteria_text did
    if not isinstance(raw, dict):
        return [TextProblem(1, 1, "", "评价标准应为键值结构", "a criteria set is a mapping")]
    try:
        model = CriteriaModel.model_validate(raw)
    except ValidationError as exc:
        return _shape_problems(exc, root)
    try:
        check_criteria(model, "", reference)
    except DataFileError as error:
        return [_check_problem(error, root)]
    return []


# ---- the shape (pydantic) ----

def _shape_problems(exc: ValidationError, root) -> list[TextProblem]:
    problems, paths, misfits = [], [], {}
    for error in exc.errors(include_url=False):
        node, key_node, path, missing, fits = _walk(root, error["loc"], error["type"])
        if not fits:  # a union member meant for another kind of value (a list, a number)
            misfits.setdefault(id(node), (node, path))
            continue
        zh, en = _plain(error, path, missing)
        mark = (key_node if error["type"] == "extra_forbidden" else node).start_mark
        problems.append(TextProblem(mark.line + 1, mark.column + 1, _where(root, path), zh, en))
        paths.append(path)
    # a value no member of a union accepts, said once where it is
    for node, path in misfits.values():
        if not any(p[:len(path)] == path for p in paths):
            problems.append(TextProblem(node.start_mark.line + 1, node.start_mark.column + 1,
                                        _where(root, path), f"{_named(path)} 的取值类型不对",
                                        f"{_named(path)} has the wrong kind of value"))
            paths.append(path)
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.line, p.column)) or [
        TextProblem(1, 1, "", "字段缺失或取值无效", str(exc))]


def _walk(root, loc, kind: str = ""):
    """The YAML node `loc` names: (node, its key node or None, the keys and indexes that
    matched, the missing key or None, whether each union member `loc` names fits the YAML).
    pydantic puts the union member in `loc` (`Condition`, `list[str]`, `float`): a part that
    is no key of the YAML."""
    node, key_node, path = root, None, []
    for position, part in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                    node, key_node = v, k
                    path.append(part)
                    break
            else:
                if kind == "missing" and position == len(loc) - 1:
                    return node, key_node, path, str(part), True  # the mapping that lacks it
                if not _fits(str(part), node):
                    return node, key_node, path, None, False
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part < len(node.value):
                node, key_node = node.value[part], None
                path.append(part)
        elif isinstance(part, str) and not _fits(part, node):
            return node, key_node, path, None, False
    return node, key_node, path, None, True


def _fits(tag: str, node) -> bool:
    """Whether the union member pydantic tags `tag` could have been meant for `node`."""
    if tag.startswith(("list[", "tuple[", "set[")):
        return isinstance(node, yaml.SequenceNode)
    if tag.startswith("dict[") or tag[:1].isupper():
        return isinstance(node, yaml.MappingNode)
    if tag in ("float", "int", "bool", "str") or tag.startswith("literal["):
        return isinstance(node, yaml.ScalarNode)
    return True  # not a member tag (e.g. a function-after validator): keep


def _dotted(path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


def _named(path) -> str:
    """A key path as a message names it: inside an entry from the entry (`where` names it)."""
    inside_entry = len(path) > 2 and path[0] in SECTIONS and isinstance(path[1], int)
    return _dotted(path[2:] if inside_entry else path)


def _where(root, path) -> str:
    """The entry id when the path is inside an entry, else the key path."""
    if len(path) >= 2 and path[0] in SECTIONS and isinstance(path[1], int):
        entry_id = _entry_id(_walk(root, path[:2])[0])
        if entry_id:
            return entry_id
    return _dotted(path)


_VALIDATOR_ZH = [  # the model validators' messages (criteria_model.py), in Chinese
    (r"a (\w+) item needs '(\w+)'", "缺少字段 {1}（{0} 类条目必填）",
     "missing field {1} (a {0} item needs it)"),
    (r"give exactly one of value or thresholds", "value 与 thresholds 须且只能给出一个", None),
    (r"method bands needs bands", "method 为 bands 时须给出 bands", None),
    (r"method linear needs", "method 为 linear 时须给出 baseline 和不同的 leading", None),
]


def _plain(error: dict, path, missing: str | None) -> tuple[str, str]:
    """A pydantic error in plain words (Chinese, English)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    name = _named(path)
    got = error.get("input")
    if kind == "missing":
        return f"缺少字段 {missing}", f"missing field {missing}"
    if kind == "extra_forbidden":
        key = path[-1] if path else ""
        return f"未知字段 {key}（拼写有误？）", f"unknown key {key} (misspelt?)"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return (f"{name} 的取值“{got}”无效，可选：{expected.replace(' or ', '、')}",
                f"{name}: '{got}' is not one of {expected}")
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "finite_number"):
        return f"{name} 应为数字", f"{name} must be a number"
    if kind in ("bool_type", "bool_parsing"):
        return f"{name} 应为 true 或 false", f"{name} must be true or false"
    if kind == "string_type":
        return f"{name} 应为文字", f"{name} must be text"
    if kind == "list_type":
        return f"{name} 应为列表", f"{name} must be a list"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{name} 应为键值结构", f"{name} must be a mapping (key: value)"
    if kind in ("greater_than", "greater_than_equal"):
        sign, limit = (">", ctx.get("gt")) if kind == "greater_than" else ("≥", ctx.get("ge"))
        return f"{name} 须 {sign} {limit}", f"{name} must be {sign} {limit}"
    if kind == "too_short":
        return (f"{name} 至少需要 {ctx.get('min_length')} 项",
                f"{name} needs at least {ctx.get('min_length')}")
    if kind == "string_pattern_mismatch":
        return (f"{name} 的写法不符合要求（{ctx.get('pattern')}）",
                f"{name} does not match {ctx.get('pattern')}")
    message = re.sub(r"^(Value|Assertion) error, ", "", error["msg"])
    for pattern, zh, en in _VALIDATOR_ZH:
        match = re.search(pattern, message)
        if match:
            return zh.format(*match.groups()), (en or message).format(*match.groups())
    return f"{name}：{message}", f"{name}: {message}"


# ---- the deeper checks (criteria_checks.py) ----

def _check_problem(error: DataFileError, root) -> TextProblem:
    line, column = _named_place(root, error.item, error.message_en) or (0, 0)
    return TextProblem(line + 1, column + 1, error.item, error.message_zh, error.message_en)


def _named_place(root, item: str, message_en: str) -> tuple[int, int] | None:
    """Where a deep check's `item` is (an entry id, a top-level key, `items[3]`), or the value
    inside it the message quotes (0-based line and column); the last entry with the id (a
    duplicate id is the second one)."""
    if not isinstance(root, yaml.MappingNode):
        return None
    if match := re.fullmatch(r"(\w+)\[(\d+)\]", item):
        return _place(_walk(root, (match[1], int(match[2])))[0])
    candidates = []
    for key_node, value in root.value:
        if key_node.value == item:
            candidates.append(key_node)
        if key_node.value in SECTIONS and isinstance(value, yaml.SequenceNode):
            candidates += [entry for entry in value.value if _entry_id(entry) == item]
    quoted = re.findall(r"'([^']+)'", message_en)
    for entry in reversed(candidates):
        if inner := _value_named(_entry_body(root, entry), quoted):
            return inner
    return _place(candidates[-1]) if candidates else None


def _place(node) -> tuple[int, int]:
    return node.start_mark.line, node.start_mark.column


def _entry_id(node) -> str | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == "id" and isinstance(v, yaml.ScalarNode):
                return v.value
    return None


def _entry_body(root, node):
    """A top-level key's value (the key node was matched), or the entry itself."""
    for k, v in root.value:
        if k is node:
            return v
    return node


def _value_named(node, names: list[str]) -> tuple[int, int] | None:
    """Where the first scalar value under `node` equal to one of `names` is (in the order
    named), or else the name as a word inside a one-line plain scalar (a formula)."""
    scalars, stack = [], [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            scalars.append(current)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
        elif isinstance(current, yaml.MappingNode):
            stack.extend(v for _, v in reversed(current.value))
    for name in names:
        for scalar in scalars:
            if scalar.value == name:
                return _place(scalar)
    for name in names:
        for scalar in scalars:
            found = re.search(rf"(?<![\w.]){re.escape(name)}(?![\w.])", scalar.value)
            if found and scalar.start_mark.line == scalar.end_mark.line:
                shift = found.start() if scalar.style is None else 0  # quotes may hold escapes
                return scalar.start_mark.line, scalar.start_mark.column + shift
    return None
