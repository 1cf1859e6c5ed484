"""Between the editor's forms and the set's YAML: an entry shown in a form (numbers as people
write them: 1.8, 35, never 1.0), and a form read back into the entry's mapping, with a clear
message at each field that cannot be read. What the forms do not show (a condition's source,
size-dependent thresholds, a scoring's own source) is carried over from the entry as it was,
so saving a form never loses it."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from wtforms import FieldList

from ..engine import CriteriaSet
from ..engine.units import UnitError, parse_unit
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


def _rows(field, data: list[dict]) -> None:
    """A FieldList filled with `data` and a few blank rows."""
    while field.entries:
        field.pop_entry()
    for row in data:
        field.append_entry(row)
    for _blank in range(min(BLANK_ROWS, (field.max_entries or 10**9) - len(data))):
        field.append_entry()


def _source_data(source: dict | None) -> dict:
    source = source or {}
    return {"document": source.get("document", ""), "clause": source.get("clause", ""),
            "tag": source.get("tag", "U"), "note": source.get("note", "")}


def _one_line(field) -> None:
    """A source is one line in the file: line breaks typed in its box become spaces."""
    field.data = re.sub(r"\s*[\r\n]+\s*", " ", field.data or "")


def _read_source(reader: Reader, sub, required: bool = True) -> dict | None:
    _one_line(sub.document)
    _one_line(sub.note)
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


def _title(reader: Reader, form) -> dict:
    return {"zh": reader.text(form.title_zh), "en": reader.text(form.title_en)}


# ---- items ----

def fill_item(form, item: dict | None) -> None:
    """A GET's form: the item as written (a new item of `form.kind.data` if None)."""
    item = item or {"kind": form.kind.data or "gate"}
    form.id.data = item.get("id", "")
    form.kind.data = item["kind"]
    form.title_zh.data = item.get("title", {}).get("zh", "")
    form.title_en.data = item.get("title", {}).get("en", "")
    form.category.data = item.get("category", "")
    form.source.form.process(data=_source_data(item.get("source")))
    form.evidence.data = list(item.get("evidence", []))
    form.rule.form.process(data=condition_data(item.get("rule")))
    form.points.data = number_text(item.get("points"))
    scoring = item.get("scoring") or {}
    form.method.data = scoring.get("method", "bands")
    form.scoring_indicator.data = scoring.get("indicator", "")
    form.baseline.data = number_text(scoring.get("baseline"))
    form.leading.data = number_text(scoring.get("leading"))
    _rows(form.bands, [{"op": b["op"], "value": value_text(b["value"]),
                        "points": number_text(b["points"]),
                        "label_zh": (b.get("label") or {}).get("zh", ""),
                        "label_en": (b.get("label") or {}).get("en", "")}
                       for b in scoring.get("bands", [])])
    _rows(form.scale, [{"points": number_text(a["points"]), "label_zh": a["label"]["zh"],
                        "label_en": a["label"]["en"]} for a in item.get("scale", [])])
    suggestion = item.get("suggestion") or {}
    form.suggestion_indicator.data = suggestion.get("indicator", "")
    form.suggestion_baseline.data = number_text(suggestion.get("baseline"))
    form.suggestion_leading.data = number_text(suggestion.get("leading"))
    _rows(form.applies_if, [condition_data(c) for c in conditions_of(item.get("applies_if"))])


def _read_scoring(reader: Reader, form, criteria: CriteriaSet, original: dict | None,
                  item_points) -> dict | None:
    original = dict(original or {})
    indicator = (form.scoring_indicator.data or "").strip()
    symbol = criteria.symbols.get(indicator)
    if not indicator:
        reader.fail(form.scoring_indicator, _("请选择指标"))
    elif symbol is None:
        reader.fail(form.scoring_indicator, _("未知的指标“%(name)s”", name=indicator))
    method = form.method.data
    if method not in ("bands", "linear"):
        reader.fail(form.method, _("请选择评分方式"))
        return None
    if symbol is None:
        return None
    same = original.get("indicator") == indicator
    unit = original.get("unit") if same else default_unit(symbol)
    out = {**original, "method": method, "indicator": indicator}
    out.pop("unit", None)
    if unit:
        out["unit"] = unit
    for key in ("bands", "baseline", "leading"):
        out.pop(key, None)
    if method == "linear":
        baseline = reader.number(form.baseline, unit=unit)
        leading = reader.number(form.leading, unit=unit)
        if baseline is not None and leading is not None and baseline == leading:
            reader.fail(form.leading, _("领先值须与基准值不同"))
        out["baseline"], out["leading"] = baseline, leading
        return out
    bands = []
    for entry in form.bands.entries:
        sub = entry.form
        if not any((f.data or "").strip() for f in (sub.value, sub.points, sub.label_zh,
                                                     sub.label_en)):
            continue  # a blank row
        band = {"op": sub.op.data if sub.op.data in OP_VALUES[:6] else None,
                "value": reader.number(sub.value, unit=unit),
                "points": reader.number(sub.points, not_negative=True)}
        if band["op"] is None:
            reader.fail(sub.op, _("请选择比较方式"))
        if (band["points"] is not None and item_points is not None
                and band["points"] > item_points):
            reader.fail(sub.points, _("分档得分不能超过该项满分"))
        zh, en = (sub.label_zh.data or "").strip(), (sub.label_en.data or "").strip()
        if zh or en:
            if not (zh and en):
                reader.fail(sub.label_zh if not zh else sub.label_en, _("请同时填写中文和英文"))
            band["label"] = {"zh": zh, "en": en}
        bands.append(band)
    if not bands:
        reader.fail(form.bands, _("请至少填写一档"))
    out["bands"] = bands
    return out


def _read_scale(reader: Reader, form, item_points) -> list[dict]:
    anchors = []
    for entry in form.scale.entries:
        sub = entry.form
        if not any((f.data or "").strip() for f in (sub.points, sub.label_zh, sub.label_en)):
            continue
        anchors.append({"points": reader.number(sub.points, not_negative=True),
                        "label": {"zh": reader.text(sub.label_zh),
                                  "en": reader.text(sub.label_en)}})
    points = [a["points"] for a in anchors if a["points"] is not None]
    if not anchors:
        reader.fail(form.scale, _("请至少填写一个评分档位"))
    elif len(points) == len(anchors) and item_points is not None and (
            max(points) != item_points or len(set(points)) != len(points)):
        reader.fail(form.scale, _("评分档位须各不相同，且最高档等于该项满分"))
    return anchors


def _read_suggestion(reader: Reader, form, criteria: CriteriaSet, original: dict | None):
    indicator = (form.suggestion_indicator.data or "").strip()
    if not indicator:
        return None
    symbol = criteria.symbols.get(indicator)
    if symbol is None:
        reader.fail(form.suggestion_indicator, _("未知的指标“%(name)s”", name=indicator))
        return None
    original = dict(original or {})
    same = original.get("indicator") == indicator
    if same and original.get("method") == "bands" and not (
            form.suggestion_baseline.data or "").strip():
        return original  # bands: edited in the YAML text
    unit = original.get("unit") if same else default_unit(symbol)
    out = {**original, "method": "linear", "indicator": indicator}
    out.pop("bands", None)
    out.pop("unit", None)
    if unit:
        out["unit"] = unit
    out["baseline"] = reader.number(form.suggestion_baseline, unit=unit)
    out["leading"] = reader.number(form.suggestion_leading, unit=unit)
    if out["baseline"] is not None and out["baseline"] == out["leading"]:
        reader.fail(form.suggestion_leading, _("领先值须与基准值不同"))
    return out


def read_item(form, criteria: CriteriaSet, original: dict | None) -> dict | None:
    """The item's mapping from the form, or None with messages at the fields."""
    reader = Reader(form)
    taken = {i.id for i in criteria.model.items} - {(original or {}).get("id")}
    out = dict(original or {})
    item_id = (original["id"] if original else reader.identifier(form.id, ID, taken))
    kind = form.kind.data
    if kind not in ("gate", "scored", "expert"):
        reader.fail(form.kind, _("请选择类型"))
        return None
    out.update(id=item_id, kind=kind)
    category = (form.category.data or "").strip()
    out.pop("category", None)
    if category:
        out["category"] = category
    out["title"] = _title(reader, form)
    out["source"] = _read_source(reader, form.source.form)
    conditions = read_conditions(reader, form.applies_if, criteria,
                                 conditions_of((original or {}).get("applies_if")))
    out.pop("applies_if", None)
    if conditions:
        single = len(conditions) == 1 and not isinstance((original or {}).get("applies_if"),
                                                         list)
        out["applies_if"] = conditions[0] if single else conditions
    for key in ("rule", "points", "scoring", "scale", "suggestion"):
        out.pop(key, None)
    if kind == "gate":
        rule = read_condition(reader, form.rule.form, criteria, (original or {}).get("rule"))
        out["rule"] = rule
    else:
        points = reader.number(form.points, positive=True)
        out["points"] = points
        if kind == "scored":
            out["scoring"] = _read_scoring(reader, form, criteria,
                                           (original or {}).get("scoring"), points)
        else:
            out["scale"] = _read_scale(reader, form, points)
            suggestion = _read_suggestion(reader, form, criteria,
                                          (original or {}).get("suggestion"))
            if suggestion:
                out["suggestion"] = suggestion
    evidence = reader.evidence(form.evidence, criteria.model.evidence_kinds,
                               (original or {}).get("evidence"))
    out.pop("evidence", None)
    if evidence:
        out["evidence"] = evidence
    return out if reader.ok else None


def total_with(criteria: CriteriaSet, item_id: str | None, item: dict | None) -> float:
    """The items' points added up once `item_id` is replaced by `item` (removed if None,
    added if `item_id` is None)."""
    total = sum(i.points for i in criteria.model.items
                if i.kind in ("scored", "expert") and i.id != item_id)
    if item and item.get("kind") in ("scored", "expert"):
        total += item.get("points") or 0
    return total


# ---- levels ----

def fill_level(form, level: dict | None) -> None:
    level = level or {}
    form.id.data = level.get("id", "")
    form.title_zh.data = level.get("title", {}).get("zh", "")
    form.title_en.data = level.get("title", {}).get("en", "")
    gates = level.get("gates", "all")
    form.all_gates.data = "all" if gates == "all" else "some"
    form.gates.data = [] if gates == "all" else list(gates)
    form.min_total.data = number_text(level.get("min_total", 0))
    form.fallback.data = bool(level.get("fallback", False))
    form.source.form.process(data=_source_data(level.get("source")))
    _rows(form.conditions, [condition_data(c) for c in level.get("conditions", [])])


def read_level(form, criteria: CriteriaSet, original: dict | None) -> dict | None:
    reader = Reader(form)
    taken = {lv.id for lv in criteria.model.levels} - {(original or {}).get("id")}
    out = dict(original or {})
    out["id"] = original["id"] if original else reader.identifier(form.id, LOWER_ID, taken)
    out["title"] = _title(reader, form)
    out.pop("gates", None)
    if form.all_gates.data == "some":
        gate_ids = [i.id for i in criteria.items_of("gate")]
        chosen = list(form.gates.data or [])
        unknown = [g for g in chosen if g not in gate_ids]
        if unknown:
            reader.fail(form.gates, _("不是本标准的门槛：%(ids)s", ids="、".join(unknown)))
        out["gates"] = [g for g in gate_ids if g in chosen]
    minimum = reader.number(form.min_total, required=False, not_negative=True)
    out.pop("min_total", None)
    if minimum:
        out["min_total"] = minimum
        if minimum > criteria.model.total_points:
            reader.fail(form.min_total, _("最低总分不能高于总分 %(total)s",
                                          total=number_text(criteria.model.total_points)))
    conditions = read_conditions(reader, form.conditions, criteria,
                                 (original or {}).get("conditions", []))
    out.pop("conditions", None)
    if conditions:
        out["conditions"] = conditions
    out.pop("fallback", None)
    if form.fallback.data:
        out["fallback"] = True
    source = _read_source(reader, form.source.form, required=False)
    out.pop("source", None)
    if source:
        out["source"] = source
    return out if reader.ok else None


# ---- declarations and reported figures ----

def fill_declaration(form, declaration: dict | None) -> None:
    declaration = declaration or {}
    form.id.data = declaration.get("id", "")
    form.type.data = declaration.get("type", "boolean")
    form.title_zh.data = declaration.get("title", {}).get("zh", "")
    form.title_en.data = declaration.get("title", {}).get("en", "")
    titles = declaration.get("option_titles", {})
    _rows(form.options, [{"key": o, "zh": titles.get(o, {}).get("zh", ""),
                          "en": titles.get(o, {}).get("en", "")}
                         for o in declaration.get("options", [])])
    form.evidence.data = list(declaration.get("evidence", []))


def _taken_inputs(criteria: CriteriaSet, original: dict | None) -> set[str]:
    return set(criteria.symbols) - {(original or {}).get("id")}


def read_declaration(form, criteria: CriteriaSet, original: dict | None) -> dict | None:
    reader = Reader(form)
    out = dict(original or {})
    out["id"] = (original["id"] if original
                 else reader.identifier(form.id, LOWER_ID, _taken_inputs(criteria, original)))
    if form.type.data not in ("boolean", "choice"):
        reader.fail(form.type, _("请选择类型"))
    out["type"] = form.type.data
    out["title"] = _title(reader, form)
    for key in ("options", "option_titles"):
        out.pop(key, None)
    if form.type.data == "choice":
        options, titles = [], {}
        for entry in form.options.entries:
            sub = entry.form
            key = (sub.key.data or "").strip()
            zh, en = (sub.zh.data or "").strip(), (sub.en.data or "").strip()
            if not (key or zh or en):
                continue
            if not LOWER_ID.match(key):
                reader.fail(sub.key, _("编号只能包含小写字母、数字和“_”"))
            elif key in options:
                reader.fail(sub.key, _("选项重复"))
            options.append(key)
            if zh or en:
                titles[key] = {"zh": reader.text(sub.zh), "en": reader.text(sub.en)}
        if len(options) < 2:
            reader.fail(form.options, _("选择项至少需两个选项"))
        out["options"] = options
        if titles:
            out["option_titles"] = titles
    evidence = reader.evidence(form.evidence, criteria.model.evidence_kinds,
                               (original or {}).get("evidence"))
    out.pop("evidence", None)
    if evidence:
        out["evidence"] = evidence
    return out if reader.ok else None


def fill_reported(form, reported: dict | None) -> None:
    reported = reported or {}
    form.id.data = reported.get("id", "")
    form.title_zh.data = reported.get("title", {}).get("zh", "")
    form.title_en.data = reported.get("title", {}).get("en", "")
    form.unit.data = reported.get("unit", "")
    form.min.data = number_text(reported.get("min"))
    form.max.data = number_text(reported.get("max"))
    form.evidence.data = list(reported.get("evidence", []))


def read_reported(form, criteria: CriteriaSet, original: dict | None) -> dict | None:
    reader = Reader(form)
    out = dict(original or {})
    out["id"] = (original["id"] if original
                 else reader.identifier(form.id, LOWER_ID, _taken_inputs(criteria, original)))
    out["title"] = _title(reader, form)
    unit = reader.text(form.unit)
    if unit:
        try:
            parse_unit(unit)
        except UnitError:
            reader.fail(form.unit, _("无法识别的单位“%(unit)s”", unit=unit))
    out["unit"] = unit
    for key in ("min", "max"):
        value = reader.number(form[key], unit=unit, required=False)
        out.pop(key, None)
        if value is not None:
            out[key] = value
    if "min" in out and "max" in out and out["min"] > out["max"]:
        reader.fail(form.max, _("最大值不能小于最小值"))
    evidence = reader.evidence(form.evidence, criteria.model.evidence_kinds,
                               (original or {}).get("evidence"))
    out.pop("evidence", None)
    if evidence:
        out["evidence"] = evidence
    return out if reader.ok else None


# ---- evidence kinds and the header ----

def fill_evidence_kinds(form, kinds: dict) -> None:
    _rows(form.kinds, [{"key": k, "zh": t["zh"], "en": t["en"]} for k, t in kinds.items()])


def read_evidence_kinds(form) -> dict | None:
    reader = Reader(form)
    out: dict[str, dict] = {}
    for entry in form.kinds.entries:
        sub = entry.form
        key = (sub.key.data or "").strip()
        if not (key or (sub.zh.data or "").strip() or (sub.en.data or "").strip()):
            continue
        if not LOWER_ID.match(key):
            reader.fail(sub.key, _("编号只能包含小写字母、数字和“_”"))
        elif key in out:
            reader.fail(sub.key, _("已有编号为“%(id)s”的条目，请换一个编号", id=key))
        out[key] = {"zh": reader.text(sub.zh), "en": reader.text(sub.en)}
    return out if reader.ok else None


def fill_header(form, model) -> None:
    form.title_zh.data, form.title_en.data = model.title.zh, model.title.en
    form.version.data = model.version
    form.notice_zh.data, form.notice_en.data = model.notice.zh, model.notice.en
    form.effective_from.data = model.effective_from
    form.total_points.data = number_text(model.total_points)


def read_header(form) -> dict | None:
    """(key path) -> value for each header field."""
    reader = Reader(form)
    values = {("title", "zh"): reader.text(form.title_zh),
              ("title", "en"): reader.text(form.title_en),
              ("version",): reader.text(form.version),
              ("notice", "zh"): reader.text(form.notice_zh).replace("\r\n", "\n"),
              ("notice", "en"): reader.text(form.notice_en).replace("\r\n", "\n"),
              ("effective_from",): reader.text(form.effective_from),
              ("total_points",): reader.number(form.total_points, positive=True)}
    effective = values[("effective_from",)]
    if effective:
        try:
            date.fromisoformat(effective)
        except ValueError:
            reader.fail(form.effective_from, _("请按“2024-01-01”的格式填写日期"))
    return values if reader.ok else None
