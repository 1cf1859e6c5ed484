"""Reading JSON text (an API body, a file given to the command line) without guessing: a key
given twice in one object is refused, since the parser would keep the last value silently and
the sender may have meant the first. NaN and Infinity (not JSON, but Python reads them) and
numbers too large for a float (1e400) are read as not finite, for the schema to refuse at
their path."""

from __future__ import annotations

import json

from .errors import Problem, SubmissionError


def _reader() -> tuple[dict[int, list[str]], object]:
    """An object hook that keeps plain dicts, noting by id() each one given a key twice."""
    repeated: dict[int, list[str]] = {}

    def pairs(items: list[tuple[str, object]]) -> dict:
        found = dict(items)
        if len(found) != len(items):
            seen: set[str] = set()
            twice = {key for key, _value in items if key in seen or seen.add(key)}
            repeated[id(found)] = sorted(twice)
        return found
    return repeated, pairs


def _paths(document: object, repeated: dict[int, list[str]]) -> list[Problem]:
    out = []
    stack = [(document, "")]
    while stack:  # a loop, not recursion: the depth of the document is the sender's choice
        node, where = stack.pop()
        if isinstance(node, dict):
            for key in repeated.get(id(node), ()):
                at = f"{where}.{key}" if where else key
                out.append(Problem(at, f"键“{key}”在同一个对象中出现了不止一次，无法确定应取哪个值；"
                                       "每个键只能出现一次",
                                   f"the key '{key}' appears more than once in the same "
                                   "object, so which value was meant is unknown: give each "
                                   "key once", refused=True))
            stack.extend((v, f"{where}.{k}" if where else str(k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(node))
    return sorted(out, key=lambda p: p.path)


def load_json(text: str | bytes) -> object:
    """The decoded document; SubmissionError (refused problems, with the path of each repeated
    key) when it is not JSON or repeats a key."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        repeated, pairs = _reader()
        document = json.loads(text, object_pairs_hook=pairs)
    except UnicodeDecodeError:
        raise SubmissionError([Problem("(json)", "内容不是 UTF-8 编码的文本",
                                       "the content is not UTF-8 text", refused=True)]) from None
    except json.JSONDecodeError as error:
        raise SubmissionError([Problem(
            "(json)", f"不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列）",
            f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
            refused=True)]) from None
    except (ValueError, RecursionError):  # over 4,300 digits; nesting deeper than Python's stack
        raise SubmissionError([Problem("(json)", "JSON 中的数字位数过多或嵌套层数过多",
                                       "a number with too many digits, or nesting too deep",
                                       refused=True)]) from None
    if repeated:
        raise SubmissionError(_paths(document, repeated))
    return document
