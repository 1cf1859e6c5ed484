"""Edits to a criteria set's YAML text that leave everything else as the officer wrote it:
comments, key order, quoting, flow or block style (ruamel.yaml's round trip).

Each function takes the text and gives the edited text. An entry (an item, level,
declaration, reported or derived figure) is replaced in place: a value that did not change is
not rewritten, a changed scalar keeps its quoting, a mapping or list keeps its flow or block
style, a new key goes where the other entries have it. New values follow the file: a Text
pair {zh, en} and a list of plain values in flow style, a mapping in a list in flow style
unless it holds a list of mappings, the rest as the sibling entries write that key.

The text must load as YAML first (the loader's gate, `criteria.parse_criteria_text`: no
duplicate key, no alias bomb); whether the edited set is valid is for `criteria_text` to say.

Round trip: a file in the house style (criteria/*/GZ-*.yaml) comes back byte for byte, with
ruamel set to its indentation (mapping 2, sequence 4, dash offset 2, guessed from the text)
and no line folding. ruamel re-emits the whole document, so what it cannot reproduce is
normalised on the first edit, anywhere in the file: spaces after a colon or inside flow
brackets (`{ zh: a }` becomes `{zh: a}`), a scalar folded over several lines (joined), mixed
indentation (one step is used), trailing spaces, `~` (written as nothing); `round_trips(text)`
says whether a text is safe from that. A byte order mark, Windows line ends, a missing last
newline and an opening `---` are kept here. ruamel reads YAML 1.2 and the loader PyYAML 1.1:
new text is quoted, and new numbers written (1.0e-05), as PyYAML reads them."""

from __future__ import annotations

import difflib
import io
import itertools
import json
import math
import re
import typing
from collections.abc import Sequence
from dataclasses import dataclass

import yaml
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

from .criteria import parse_criteria_text
from .criteria_model import CriteriaModel, Declaration, Derived, Item, Level, Reported

SECTIONS: dict[str, type[BaseModel]] = {"declarations": Declaration, "reported": Reported,
                                        "derived": Derived, "items": Item, "levels": Level}


# ---- entries of the sections (lists of mappings with an id) ----

def replace_entry(text: str, section: str, entry_id: str, mapping: dict) -> str:
    """The entry with `entry_id` made to say `mapping` (its id may change too). A key left out
    of `mapping` is removed unless it is written with the field's default (a form's
    model_dump(exclude_defaults=True) leaves out `gates: all`, which stays as written)."""
    model, (rt, doc) = _model(section), _load(text)
    entries = _entries(doc, section)
    position = _position(entries, section, entry_id)
    siblings = [e for i, e in enumerate(entries) if i != position]
    old = entries[position]
    if isinstance(old, CommentedMap):
        _merge_mapping(old, _checked(mapping), model, _key_order(siblings), _flow_hints(siblings))
    else:
        entries[position] = _fresh_entry(mapping, siblings)
    return _dump(rt, doc)


def add_entry(text: str, section: str, mapping: dict, after_id: str | None = None) -> str:
    """`mapping` as a new entry after the one with `after_id` (at the end without one)."""
    _model(section)
    rt, doc = _load(text)
    entries = doc.get(section)
    if not isinstance(entries, CommentedSeq):  # no such section yet, or an empty one
        entries = CommentedSeq()
        _put_key(doc, section, entries, [*CriteriaModel.model_fields])
    position = (len(entries) if after_id is None
                else _position(entries, section, after_id) + 1)
    entries.insert(position, _fresh_entry(_checked(mapping), list(entries)))
    return _dump(rt, doc)


def remove_entry(text: str, section: str, entry_id: str) -> str:
    """The text without the entry; a comment above it stays, above the next entry."""
    _model(section)
    rt, doc = _load(text)
    entries = _entries(doc, section)
    position = _position(entries, section, entry_id)
    comments = entries.ca.items
    if position in comments and position + 1 < len(entries) and position + 1 not in comments:
        comments[position + 1] = comments[position]  # a heading such as "# ---- 评分项 ----"
    del entries[position]
    return _dump(rt, doc)


# ---- keys outside the sections ----

def set_key(text: str, key_path: Sequence[str], value) -> str:
    """`value` at `key_path` (("version",), ("title", "zh"), ("accounting", "grid_factor"),
    ("evidence_kinds", kind)); a mapping value is merged as an entry is, missing mappings on
    the way are made."""
    key_path = _checked_path(key_path)
    rt, doc = _load(text)
    parent = doc
    for depth, key in enumerate(key_path[:-1]):
        child = parent.get(key)
        if child is not None and not isinstance(child, CommentedMap):
            raise ValueError(f"{'.'.join(key_path[:depth + 1])} is not a mapping")
        if child is None and key in parent:  # written empty (`accounting:`)
            child = parent[key] = CommentedMap()
        elif child is None:
            child = CommentedMap()
            _put_key(parent, key, child, _field_order(key_path[:depth]))
        parent = child
    key = key_path[-1]
    if key in parent:
        parent[key] = _merged(parent[key], value, _submodel_at(key_path), {})
    else:
        flow = isinstance(value, dict) and len(key_path) > 1 and (  # top level: block
            _is_text(value) or key_path[0] == "evidence_kinds" or _flow_siblings(parent))
        _put_key(parent, key, _fresh(value, flow=flow), _field_order(key_path[:-1]))
    return _dump(rt, doc)


def remove_key(text: str, key_path: Sequence[str]) -> str:
    key_path = _checked_path(key_path)
    rt, doc = _load(text)
    parent = doc
    for key in key_path[:-1]:
        parent = parent.get(key) if isinstance(parent, CommentedMap) else None
    if not isinstance(parent, CommentedMap) or key_path[-1] not in parent:
        raise KeyError(f"no key {'.'.join(key_path)} in the set（评价标准中没有 "
                       f"{'.'.join(key_path)}）")
    del parent[key_path[-1]]
    return _dump(rt, doc)


def round_trips(text: str) -> bool:
    """Whether an edit changes nothing but what it edits (see the module's note)."""
    rt, doc = _load(text)
    return _dump(rt, doc) == text


# ---- loading and dumping ----

@dataclass(frozen=True)
class _Writer:
    """ruamel set up as the text is written, and what ruamel itself would not keep: a byte
    order mark, Windows line ends (a browser's text box sends them), a missing last newline,
    an opening `---`."""

    rt: YAML
    bom: bool
    crlf: bool
    final_newline: bool
    body: str  # the text as ruamel reads it


def _load(text: str):
    parse_criteria_text(text, "")  # the loader's gate: YAML, no duplicate key, no alias bomb
    bom, body = text.startswith("\ufeff"), text.removeprefix("\ufeff")
    crlf = "\r\n" in body
    body = body.replace("\r\n", "\n")
    rt = YAML()  # round trip
    rt.preserve_quotes = True
    rt.width = 1_000_000  # never fold a long line (a source is often 200 characters)
    mapping, sequence, offset = _indents(body)
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    rt.explicit_start = bool(re.match(r"---\s*\n", body))
    rt.representer.add_representer(float, _float)
    doc = rt.load(body)
    if not isinstance(doc, CommentedMap):
        raise ValueError("a criteria set is a mapping（评价标准应为键值结构）")
    return _Writer(rt, bom, crlf, body.endswith("\n") or not body, body), doc


def _dump(writer: _Writer, doc) -> str:
    out = io.StringIO()
    writer.rt.dump(doc, out)
    text = _keep_separators(writer.body, out.getvalue())
    if not writer.final_newline:
        text = text.removesuffix("\n")
    if writer.crlf:
        text = text.replace("\n", "\r\n")
    return "\ufeff" + text if writer.bom else text


def _float(representer, value: float):
    """A new number as the loader (PyYAML, YAML 1.1) reads a float: 1.0e-05, not 1e-05 (text)."""
    text = repr(value)
    if "e" in text and "." not in text:
        text = text.replace("e", ".0e")
    if not math.isfinite(value):
        text = {"inf": ".inf", "-inf": "-.inf"}.get(text, ".nan")
    return representer.represent_scalar("tag:yaml.org,2002:float", text)


def _keep_separators(before: str, after: str) -> str:
    """`after` with the blank and comment lines that closed a removed key put back: ruamel
    keeps them with the key (`tco2_per_serial: {...}` and the blank line under it), so they
    would go with it."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    kept = []
    for tag, i1, i2, j1, j2 in opcodes:
        kept += new[j1:j2]
        if tag in ("delete", "replace"):
            removed, inserted = old[i1:i2], new[j1:j2]
            tail = len(removed)
            while tail > 0 and _separator(removed[tail - 1]):
                tail -= 1
            separators = removed[tail:]
            if tail > 0 and separators and inserted[-len(separators):] != separators:
                kept += separators
    return "".join(kept)


def _separator(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def _indents(text: str) -> tuple[int, int, int]:
    """The file's block indentation: a nested mapping's step, and a list's dash offset and
    item indent under its key (2, 4, 2 in the house style)."""
    mapping = offset = None
    lines = [line for line in text.splitlines() if line.strip() and
             not line.lstrip().startswith("#")]
    for above, line in itertools.pairwise(lines):
        if not re.match(r"^\s*[^\s#-][^#]*:\s*(#.*)?$", above):  # a key opening a block
            continue
        step = len(line) - len(line.lstrip(" ")) - (len(above) - len(above.lstrip(" ")))
        if line.lstrip().startswith("- "):
            offset = step if offset is None and step >= 0 else offset
        elif step > 0 and mapping is None:
            mapping = step
    mapping = mapping or 2
    offset = 2 if offset is None else offset
    return mapping, offset + 2, offset


def _model(section: str) -> type[BaseModel]:
    if section not in SECTIONS:
        raise ValueError(f"'{section}' is not one of {', '.join(SECTIONS)}")
    return SECTIONS[section]


def _entries(doc, section: str) -> CommentedSeq:
    entries = doc.get(section)
    if not isinstance(entries, CommentedSeq):
        raise KeyError(f"the set has no {section}（评价标准中没有 {section}）")
    return entries


def _position(entries, section: str, entry_id: str) -> int:
    for position, entry in enumerate(entries):
        if isinstance(entry, dict) and entry.get("id") == entry_id:
            return position
    raise KeyError(f"no entry '{entry_id}' in {section}（{section} 中没有编号为“{entry_id}”的条目）")


def _checked(mapping) -> dict:
    if not isinstance(mapping, dict):
        raise TypeError("an entry is a mapping (dict)")
    return mapping


def _checked_path(key_path) -> tuple[str, ...]:
    key_path = (key_path,) if isinstance(key_path, str) else tuple(key_path)
    if not key_path or not all(isinstance(k, str) and k for k in key_path):
        raise ValueError("a key path is one or more keys")
    if key_path[0] in SECTIONS:
        raise ValueError(f"{key_path[0]} is edited by entry (replace_entry, add_entry ...)")
    return key_path


# ---- merging a new value into the written one ----

def _merge_mapping(old: CommentedMap, new: dict, model, order: list[str], hints: dict):
    for key in [k for k in old if k not in new]:
        if not _is_default(model, key, old[key]):
            del old[key]
    for key, value in new.items():
        if key in old:
            old[key] = _merged(old[key], value, _submodel(model, key), {})
        else:
            reference = order if key in order else list(new)
            _put_key(old, key, _fresh(value, flow=hints.get(key), in_list=False), reference)


def _merged(old, new, model, hints: dict):
    """`old` made equal to `new`, keeping what is written where it already is."""
    if _same(old, new):
        return old
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        _merge_mapping(old, new, model, [], hints)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        _merge_list(old, new, model)
        return old
    if isinstance(old, (CommentedMap, CommentedSeq)) or isinstance(new, (dict, list)):
        return _fresh(new, flow=_is_flow(old) if isinstance(new, (dict, list)) else None)
    return _scalar_like(old, new)


def _merge_list(old: CommentedSeq, new: list, model):
    """Element by element, matched by equality, so one band added or removed is one line."""
    flow = _is_flow(old[-1]) if old else None
    keys = [json.dumps(_plain(v), sort_keys=True) for v in old]
    opcodes = difflib.SequenceMatcher(None, keys, [json.dumps(v, sort_keys=True) for v in new],
                                      autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(opcodes):  # from the end: positions stay valid
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):
            old[i1 + k] = _merged(old[i1 + k], new[j1 + k], model, {})
        for _ in range(i2 - i1 - paired):
            del old[i1 + paired]
        for k in range(paired, j2 - j1):
            old.insert(i1 + k, _fresh(new[j1 + k], flow=flow, in_list=True))


def _same(old, new) -> bool:
    return json.dumps(_plain(old), sort_keys=True) == json.dumps(_plain(new), sort_keys=True)


def _plain(value):
    """Written data as plain JSON-like data: 20 and 20.0 alike, true and 1 not."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


def _scalar_like(old, new):
    """`new` written as `old` was: the same quotes for text."""
    if isinstance(new, str) and isinstance(old, ScalarString):
        return type(old)(new)
    return _fresh(new)


def _is_default(model, key, written) -> bool:
    field = model.model_fields.get(key) if model else None
    if field is None or field.is_required():
        return False
    return _same(written, _dumped(field.get_default(call_default_factory=True)))


def _dumped(value):
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def _submodel(model, key):
    """The pydantic model a key's value (or its list's elements) has, if any."""
    field = model.model_fields.get(key) if model else None
    return _model_in(field.annotation) if field else None


def _model_in(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found:
            return found
    return None


def _submodel_at(key_path) -> type[BaseModel] | None:
    model = CriteriaModel
    for key in key_path:
        model = _submodel(model, key)
    return model


def _field_order(key_path) -> list[str]:
    model = _submodel_at(key_path) if key_path else CriteriaModel
    return [*model.model_fields] if model else []


# ---- new values in the file's style ----

def _fresh_entry(mapping: dict, siblings: list) -> CommentedMap:
    order = _key_order(siblings)
    keys = sorted(mapping, key=lambda k: order.index(k) if k in order else len(order))
    hints = _flow_hints(siblings)
    return CommentedMap((k, _fresh(mapping[k], flow=hints.get(k))) for k in keys)


def _fresh(value, flow: bool | None = None, in_list: bool = False):
    if isinstance(value, dict):
        node = CommentedMap((k, _fresh(v)) for k, v in value.items())
        if flow is None:
            flow = _is_text(value) or in_list
        if flow and not _holds_list_of_mappings(value):
            node.fa.set_flow_style()
        else:
            node.fa.set_block_style()
        return node
    if isinstance(value, list):
        node = CommentedSeq(_fresh(v, flow=flow if isinstance(v, dict) else None, in_list=True)
                            for v in value)
        if all(not isinstance(v, (dict, list)) for v in value):
            node.fa.set_flow_style()
        else:
            node.fa.set_block_style()
        return node
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)  # 20, as the file writes points, not 20.0
    if isinstance(value, str) and _needs_quotes(value):
        return DoubleQuotedScalarString(value)  # the house style's "<=" and "%"
    return value


def _needs_quotes(text: str) -> bool:
    if text in ("<=", "<", ">=", ">", "==", "!="):  # the house style quotes every comparison
        return True
    if not text or text != text.strip() or re.search(r"[,\[\]{}#]|: |:$", text):
        return True
    if text[0] in "!&*-?:|>@`%'\"":
        return True
    try:
        return yaml.safe_load(text) != text  # PyYAML reads it as the loader will
    except yaml.YAMLError:
        return True


def _is_text(value) -> bool:
    return isinstance(value, dict) and set(value) == {"zh", "en"}


def _holds_list_of_mappings(value: dict) -> bool:
    return any((isinstance(v, list) and any(isinstance(e, dict) for e in v))
               or (isinstance(v, dict) and _holds_list_of_mappings(v)) for v in value.values())


def _is_flow(node) -> bool | None:
    fa = getattr(node, "fa", None)
    return fa.flow_style() if fa is not None else None


def _flow_siblings(parent: CommentedMap) -> bool:
    return any(_is_flow(v) for v in parent.values() if isinstance(v, CommentedMap))


def _flow_hints(siblings) -> dict[str, bool]:
    """Per key, whether the sibling entries write its mapping in flow style."""
    hints: dict[str, bool] = {}
    for entry in siblings:
        if isinstance(entry, CommentedMap):
            for key, value in entry.items():
                if isinstance(value, CommentedMap) and key not in hints:
                    hints[key] = bool(_is_flow(value))
    return hints


def _key_order(siblings) -> list[str]:
    """The keys in the order the sibling entries write them (each after the key before it)."""
    order: list[str] = []
    for entry in siblings:
        if not isinstance(entry, dict):
            continue
        before = None
        for key in entry:
            if key not in order:
                order.insert(order.index(before) + 1 if before in order else 0, key)
            before = key
    return order


def _put_key(mapping: CommentedMap, key, value, order: list[str]):
    """A new key after the keys that come before it in `order` (at the end otherwise)."""
    position = len(mapping)
    if key in order:
        earlier = set(order[:order.index(key)])
        later = [i for i, k in enumerate(mapping) if k not in earlier and k in order]
        position = later[0] if later else len(mapping)
    mapping.insert(position, key, value)
