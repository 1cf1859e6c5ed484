"""Between the editor's forms and the set's YAML, section by section (items, levels,
declarations, reported figures, evidence kinds, the header): an entry shown in a form, and a
form read back into the entry's mapping (its fields read by entry_fields.py). What the forms
do not show (a condition's source, size-dependent thresholds, a scoring's own source) is
carried over from the entry as it was, so saving a form never loses it."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ..engine import CriteriaSet
from ..engine.units import UnitError, parse_unit
from .entry_fields import (
    ID,
    LOWER_ID,
    OP_VALUES,
    Reader,
    condition_data,
    conditions_of,
    default_unit,
    fill_rows,
    number_text,
    read_condition,
    read_conditions,
    read_source,
    read_title,
    source_data,
    value_text,
)

# ---- items ----

def fill_item(form, item: dict | None) -> None:
    """A GET's form: the item as written (a new item of `form.kind.data` if None)."""
    item = item or {"kind": form.kind.data or "gate"}
    form.id.data = item.get("id", "")
    form.kind.data = item["kind"]
    form.title_zh.data = item.get("title", {}).get("zh", "")
    form.title_en.data = item.get("title", {}).get("en", "")
    form.category.data = item.get("category", "")
    form.source.form.process(data=source_data(item.get("source")))
    form.evidence.data = list(item.get("evidence", []))
    form.rule.form.process(data=condition_data(item.get("rule")))
    form.points.data = number_text(item.get("points"))
    scoring = item.get("scoring") or {}
    form.method.data = scoring.get("method", "bands")
    form.scoring_indicator.data = scoring.get("indicator", "")
    form.baseline.data = number_text(scoring.get("baseline"))
    form.leading.data = number_text(scoring.get("leading"))
    fill_rows(form.bands, [{"op": b["op"], "value": value_text(b["value"]),
                        "points": number_text(b["points"]),
                        "label_zh": (b.get("label") or {}).get("zh", ""),
                        "label_en": (b.get("label") or {}).get("en", "")}
                       for b in scoring.get("bands", [])])
    fill_rows(form.scale, [{"points": number_text(a["points"]), "label_zh": a["label"]["zh"],
                        "label_en": a["label"]["en"]} for a in item.get("scale", [])])
    suggestion = item.get("suggestion") or {}
    form.suggestion_indicator.data = suggestion.get("indicator", "")
    form.suggestion_baseline.data = number_text(suggestion.get("baseline"))
    form.suggestion_leading.data = number_text(suggestion.get("leading"))
    fill_rows(form.applies_if, [condition_data(c) for c in conditions_of(item.get("applies_if"))])


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
    out["title"] = read_title(reader, form)
    out["source"] = read_source(reader, form.source.form)
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
    form.source.form.process(data=source_data(level.get("source")))
    fill_rows(form.conditions, [condition_data(c) for c in level.get("conditions", [])])


def read_level(form, criteria: CriteriaSet, original: dict | None) -> dict | None:
    reader = Reader(form)
    taken = {lv.id for lv in criteria.model.levels} - {(original or {}).get("id")}
    out = dict(original or {})
    out["id"] = original["id"] if original else reader.identifier(form.id, LOWER_ID, taken)
    out["title"] = read_title(reader, form)
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
    source = read_source(reader, form.source.form, required=False)
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
    fill_rows(form.options, [{"key": o, "zh": titles.get(o, {}).get("zh", ""),
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
    out["title"] = read_title(reader, form)
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
    out["title"] = read_title(reader, form)
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
    fill_rows(form.kinds, [{"key": k, "zh": t["zh"], "en": t["en"]} for k, t in kinds.items()])


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
