"""A criteria set as people read it (gates, scored and expert items with their points, levels,
the evidence each needs), for the 下载中心's criteria PDF. Built from the engine's model; the
PDF is kept per criteria id and version, since a version never changes once published."""

from __future__ import annotations

import threading

from ..certificates.render import render_document
from ..engine.criteria import CriteriaSet

OP = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "=", "!=": "≠", "in": "属于"}
KINDS = (("gate", "基本要求（一票否决）", "Gates: every one must be met"),
         ("scored", "评分项（按填报数据计分）", "Scored items (from the reported data)"),
         ("expert", "专家评审项", "Expert items"))

_kept: dict[tuple[str, str], bytes] = {}
_lock = threading.Lock()


def _num(value: float) -> str:
    """1,000,000 and 0.25, never 1e+06 or 0.2500."""
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _value(criteria: CriteriaSet, indicator: str, value) -> str:
    """A rule's value in words: 是/否, an option's title, or the number."""
    declaration = criteria.declarations_by_id.get(indicator)
    if isinstance(value, bool):
        return "是" if value else "否"
    if declaration is not None and declaration.type == "choice":
        values = value if isinstance(value, list) else [value]
        titles = declaration.option_titles
        return "、".join(titles[v].zh if v in titles else str(v) for v in values)
    if isinstance(value, int | float):
        return _num(value)
    return str(value)


def _name(criteria: CriteriaSet, indicator: str) -> str:
    symbol = criteria.symbols.get(indicator)
    return symbol.title.zh if symbol is not None else indicator


def condition_text(criteria: CriteriaSet, condition) -> str:
    """E.g. 单位能耗碳排放 ≤ 1.8 tCO2/tce, or a threshold that depends on another figure."""
    name, op = _name(criteria, condition.indicator), OP.get(condition.op, condition.op)
    if condition.thresholds is not None:
        t = condition.thresholds
        bands = [(f"{_name(criteria, t.by)}低于 {_num(b.below)} {t.unit} 时" if b.below is not None
                  else "其余") + f" {op} {_num(b.value)}" for b in t.bands]
        return f"{name}{'（' + condition.unit + '）' if condition.unit else ''}：{'；'.join(bands)}"
    unit = f" {condition.unit}" if condition.unit else ""
    return f"{name} {op} {_value(criteria, condition.indicator, condition.value)}{unit}"


def _scoring_text(criteria: CriteriaSet, scoring) -> str:
    name, unit = _name(criteria, scoring.indicator), scoring.unit or ""
    if scoring.method == "linear":
        return (f"{name}：基准值 {_num(scoring.baseline)} {unit} 得 0 分，引领值 "
                f"{_num(scoring.leading)} {unit} 得满分，其间按比例计分").replace("  ", " ")
    bands = [f"{OP.get(b.op, b.op)} {_value(criteria, scoring.indicator, b.value)} {unit}".strip()
             + (f"（{b.label.zh}）" if b.label else "") + f" 得 {_num(b.points)} 分"
             for b in scoring.bands]
    return f"{name}：" + "；".join(bands) + "；其余 0 分"


def _item(criteria: CriteriaSet, item) -> dict:
    rule = ""
    if item.kind == "gate" and item.rule is not None:
        rule = condition_text(criteria, item.rule)
    elif item.kind == "scored" and item.scoring is not None:
        rule = _scoring_text(criteria, item.scoring)
    elif item.kind == "expert":
        rule = "；".join(f"{_num(a.points)} 分：{a.label.zh}" for a in item.scale)
    return {"id": item.id, "title_zh": item.title.zh, "title_en": item.title.en,
            "points": _num(item.points) if item.points else "", "rule": rule,
            "applies": "且".join(condition_text(criteria, c) for c in item.applies_conditions),
            "evidence": "、".join(criteria.evidence_kinds[e].zh if e in criteria.evidence_kinds
                                 else e for e in item.evidence),
            "source": item.source.cite()}


def _level(criteria: CriteriaSet, level) -> dict:
    gates = ("全部基本要求" if level.gates == "all" else "、".join(level.gates)) if not level.fallback \
        else ""
    return {"title_zh": level.title.zh, "title_en": level.title.en, "fallback": level.fallback,
            "min_total": _num(level.min_total), "gates": gates,
            "conditions": [condition_text(criteria, c) for c in level.conditions]}


def criteria_context(criteria: CriteriaSet) -> dict:
    """Primitives only (render_document's rule)."""
    model = criteria.model
    return {
        "id": model.id, "version": model.version, "title_zh": model.title.zh,
        "title_en": model.title.en, "status": model.status, "notice": model.notice.zh,
        "effective_from": model.effective_from, "total_points": _num(model.total_points),
        "subject": "零碳工厂" if model.subject == "factory" else "零碳工业园区",
        "sections": [{"zh": zh, "en": en, "points": _num(sum(i.points or 0 for i in items)),
                      "items": [_item(criteria, i) for i in items]}
                     for kind, zh, en in KINDS if (items := criteria.items_of(kind))],
        "levels": [_level(criteria, lv) for lv in model.levels],
        "evidence_kinds": [{"zh": t.zh, "en": t.en} for t in model.evidence_kinds.values()],
        "declarations": [d.title.zh for d in model.declarations],
    }


def criteria_pdf(criteria: CriteriaSet) -> bytes:
    """The criteria set as a PDF, rendered once per criteria id and version per process."""
    key = (criteria.model.id, criteria.model.version)
    with _lock:
        kept = _kept.get(key)
    if kept is None:
        kept = render_document("portal/criteria_pdf.html", criteria_context(criteria))
        with _lock:
            _kept[key] = kept
    return kept
