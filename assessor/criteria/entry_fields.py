"""What an editor types into an entry's fields, read: numbers as people write them (1.8, 35 %,
never 1.0), indicators and their units, conditions and sources, each with a clear message at
the field that cannot be read (`Reader`). The section forms (entries.py) are built on these."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal

from flask_babel import gettext as _
from wtforms import FieldList

from ..engine import CriteriaSet
from .item_forms import BLANK_ROWS

ID = re.compile(r"^[A-Za-z0-9_\-]+$")
LOWER_ID = re.compile(r"^[a-z0-9_]+$")
OP_VALUES = ("<=", "<", ">=", ">", "==", "!=", "in")
_YES = {"是", "true", "yes", "y", "1", "真"}
_NO = {"否", "false", "no", "n", "0", "假"}
_SPLIT = re.compile(r"[,，、;；\s]+")


# ---- numbers as people write them ----

def number_text(value) -> str:
    """20 for 20.0, 1.8 for 1.8, 0.00001 for 1e-05; text as it is."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(float(value))
    return format(Decimal(text), "f") if "e" in text else text


def parse_number(text: str, unit: str | None = None) -> float:
    """A number as typed: full-width digits, thousands separators (5,000) and, where the unit
    is a percentage, a trailing % are fine; a comma that is not a thousands separator (1,5) is
    refused rather than guessed. ValueError otherwise."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    cleaned = re.sub(r"[\s_]", "", cleaned)
    if unit == "%" and cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if "," in cleaned:
        if not re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", cleaned):
            raise ValueError(text)
        cleaned = cleaned.replace(",", "")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", cleaned):
        raise ValueError(text)
    number = float(cleaned)
    if not math.isfinite(number):
        raise ValueError(text)
    return int(number) if number.is_integer() and abs(number) < 1e15 else number


class Reader:
    """Reads fields, putting a message at each one it cannot read; `ok` while none failed."""

    def __init__(self, form):
        self.form, self.ok = form, True

    def fail(self, field, message: str) -> None:
        self.ok = False
        if isinstance(field, FieldList):  # shown at its first row, so the summary links to it
            if not field.entries:
                self.form.form_errors.append(message)
                return
            field = next(iter(field.entries[0].form))
        field.errors = [*field.errors, message]

    def text(self, field, required: bool = True) -> str:
        value = (field.data or "").strip()
        if required and not value:
            self.fail(field, _("此项为必填项"))
        return value

    def number(self, field, *, unit: str | None = None, required: bool = True,
               positive: bool = False, not_negative: bool = False):
        raw = (field.data or "").strip()
        if not raw:
            if required:
                self.fail(field, _("此项为必填项"))
            return None
        try:
            value = parse_number(raw, unit)
        except ValueError:
            self.fail(field, _("请填写数字，例如 1.8 或 35"))
            return None
        if positive and value <= 0:
            self.fail(field, _("须大于 0"))
            return None
        if not_negative and value < 0:
            self.fail(field, _("不能小于 0"))
            return None
        return value

    def identifier(self, field, pattern: re.Pattern, taken: set[str]) -> str:
        value = self.text(field)
        if value and not pattern.match(value):
            self.fail(field, _("编号只能包含小写字母、数字和“_”") if pattern is LOWER_ID
                      else _("编号只能包含字母、数字、“-”和“_”"))
        elif value in taken:
            self.fail(field, _("已有编号为“%(id)s”的条目，请换一个编号", id=value))
        return value

    def evidence(self, field, kinds: dict, written: list[str] | None = None) -> list[str]:
        """The kinds ticked: those written before in their order, new ones in the set's."""
        chosen = list(field.data or [])
        unknown = [k for k in chosen if k not in kinds]
        if unknown:
            self.fail(field, _("未列出的证明材料：%(kinds)s", kinds="、".join(unknown)))
        kept = [k for k in written or [] if k in chosen]
        return kept + [k for k in kinds if k in chosen and k not in kept]


# ---- indicators ----

def default_unit(symbol) -> str | None:
    """The unit a new threshold is written in: a share in % (as the set files write it), a
    count with none."""
    if symbol.unit in (None, "dimensionless"):
        return None
    return "%" if symbol.unit == "fraction" else symbol.unit


def indicator_choices(criteria: CriteriaSet) -> list[tuple[str, str]]:
    kinds = {"declaration": 0, "reported": 1, "derived": 2, "builtin": 3}
    symbols = sorted(criteria.symbols.values(), key=lambda s: (kinds[s.kind], s.id))
    return [("", "—")] + [(s.id, f"{s.title.zh}（{s.id}）") for s in symbols]


def indicator_units(criteria: CriteriaSet) -> dict[str, str]:
    """The unit shown beside a value, by indicator (a declaration's answers instead)."""
    out = {}
    for symbol in criteria.symbols.values():
        if symbol.kind == "declaration":
            declaration = criteria.declarations_by_id[symbol.id]
            out[symbol.id] = (_("是 / 否") if declaration.type == "boolean"
                              else " / ".join(declaration.options))
        else:
            out[symbol.id] = default_unit(symbol) or ""
    return out


def value_text(value) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return number_text(value)


# ---- conditions ----

def condition_data(condition: dict | None) -> dict:
    condition = condition or {}
    return {"indicator": condition.get("indicator", ""), "op": condition.get("op", ">="),
            "value": value_text(condition.get("value"))}


def read_condition(reader: Reader, sub, criteria: CriteriaSet, original: dict | None):
    """One condition's mapping, or None (a message is then at its field)."""
    indicator = (sub.indicator.data or "").strip()
    if not indicator:
        reader.fail(sub.indicator, _("请选择指标"))
        return None
    symbol = criteria.symbols.get(indicator)
    if symbol is None:
        reader.fail(sub.indicator, _("未知的指标“%(name)s”", name=indicator))
        return None
    op = sub.op.data
    if op not in OP_VALUES:
        reader.fail(sub.op, _("请选择比较方式"))
        return None
    same = bool(original) and original.get("indicator") == indicator
    out: dict = {"indicator": indicator, "op": op}
    raw = (sub.value.data or "").strip()
    if symbol.kind == "declaration":
        declaration = criteria.declarations_by_id[indicator]
        if declaration.type == "boolean":
            if op not in ("==", "!="):
                reader.fail(sub.op, _("是否类声明只能用“=”或“≠”"))
            answer = raw.lower()
            if answer not in _YES | _NO:
                reader.fail(sub.value, _("请填写“是”或“否”"))
                return None
            out["value"] = answer in _YES
        else:
            values = [v for v in _SPLIT.split(raw) if v]
            unknown = [v for v in values if v not in declaration.options]
            if not values or unknown:
                reader.fail(sub.value, _("可选的值为：%(options)s",
                                         options="、".join(declaration.options)))
                return None
            if op == "in":
                out["value"] = values
            elif op in ("==", "!=") and len(values) == 1:
                out["value"] = values[0]
            else:
                reader.fail(sub.op, _("选择类声明只能用“=”“≠”（一个值）或“属于”（多个值）"))
                return None
    else:
        if op == "in":
            reader.fail(sub.op, _("数值指标不能用“属于”"))
            return None
        unit = original.get("unit") if same else default_unit(symbol)
        if same and original.get("thresholds") and not raw:
            out["thresholds"] = original["thresholds"]  # by size: edited in the YAML text
        else:
            value = reader.number(sub.value, unit=unit)
            if value is None:
                return None
            out["value"] = value
        if unit:
            out["unit"] = unit
    if same and original.get("source"):
        out["source"] = original["source"]
    return out


def read_conditions(reader: Reader, rows, criteria: CriteriaSet, originals: list[dict]):
    out = []
    for position, entry in enumerate(rows.entries):
        sub = entry.form
        if not (sub.indicator.data or "").strip() and not (sub.value.data or "").strip():
            continue  # a blank row
        original = originals[position] if position < len(originals) else None
        condition = read_condition(reader, sub, criteria, original)
        if condition is not None:
            out.append(condition)
    return out


def conditions_of(value) -> list[dict]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def fill_rows(field, data: list[dict]) -> None:
    """A FieldList filled with `data` and a few blank rows."""
    while field.entries:
        field.pop_entry()
    for row in data:
        field.append_entry(row)
    for _blank in range(min(BLANK_ROWS, (field.max_entries or 10**9) - len(data))):
        field.append_entry()


def source_data(source: dict | None) -> dict:
    source = source or {}
    return {"document": source.get("document", ""), "clause": source.get("clause", ""),
            "tag": source.get("tag", "U"), "note": source.get("note", "")}


def one_line(field) -> None:
    """A source is one line in the file: line breaks typed in its box become spaces."""
    field.data = re.sub(r"\s*[\r\n]+\s*", " ", field.data or "")


def read_source(reader: Reader, sub, required: bool = True) -> dict | None:
    one_line(sub.document)
    one_line(sub.note)
    document = reader.text(sub.document, required)
    if not document:
        return None
    out = {"document": document}
    if (sub.clause.data or "").strip():
        out["clause"] = sub.clause.data.strip()
    if sub.tag.data not in ("V", "S", "S-weak", "U"):
        reader.fail(sub.tag, _("请选择可靠性标记"))
    out["tag"] = sub.tag.data
    if (sub.note.data or "").strip():
        out["note"] = sub.note.data.strip()
    return out


def read_title(reader: Reader, form) -> dict:
    return {"zh": reader.text(form.title_zh), "en": reader.text(form.title_en)}
