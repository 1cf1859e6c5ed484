"""The trace: every number of a result taken back to its inputs, coefficients and thresholds,
as short sentences in Chinese and English. The indicators' sentences are written from the terms
their formulas combined (explain_indicators.py); the rest from the scores."""

from __future__ import annotations

from .batch import Batch
from .explain_indicators import indicator_lines
from .reference import Reference
from .verdicts import gate_words
from .wording import OP_ZH as _OP_ZH
from .wording import fmt
from .wording import line as _line

__all__ = ["explain", "fmt"]



def explain(result: dict, scores, batch: Batch, reference: Reference, i: int) -> list[dict]:
    terms = scores.evaluation.terms_of(i)
    lines = indicator_lines(terms, result, scores.criteria.model.accounting, reference)
    lines += [_process(k, p) for k, p in enumerate(result.get("process_emissions", []))]
    lines += [_product(p) for p in result["products"]]
    lines += [_gate(g, scores, i, result["indicators"]) for g in result["gates"]]
    items = {item.id: item for item in scores.criteria.model.items}
    lines += [_item(it, items[it["id"]], scores.criteria) for it in result["items"]]
    lines += _total_and_level(result)
    return lines


def _process(k: int, p: dict) -> dict:
    """One process-emission source: what, by which method, the arithmetic and its sources."""
    who_zh = f"{p['unit']}：" if p["unit"] else ""
    who_en = f"{p['unit']}: " if p["unit"] else ""
    steps = p.get("steps") or {"zh": "", "en": ""}  # a direct entry has none
    return _line(f"process.{k}",
                 f"工业生产过程排放 {who_zh}{p['source']['zh']} {fmt(p['tco2'], 'tCO2')}"
                 f"（{p['method']['zh']}）" + (f"：{steps['zh']}" if steps["zh"] else "") + "。",
                 f"Process emissions {who_en}{p['source']['en']} {fmt(p['tco2'], 'tCO2')} "
                 f"({p['method']['en']})" + (f": {steps['en']}" if steps["en"] else "") + ".",
                 p["sources"])


def _product(p: dict) -> dict:
    energy_unit, output_unit = p["unit"].split("/", 1)
    verdict_zh = ("达到" if p["meets_target"] else "未达到" if p["evaluable"]
                  else "无法计算（产量为零或缺数据）")
    verdict_en = ("met" if p["meets_target"] else "not met" if p["evaluable"]
                  else "cannot be computed")
    grade = "—" if p["grade"] is None else (f"{int(p['grade'])}级" if p["grade"] < 4
                                            else "低于3级")
    return _line(
        f"product.{p['benchmark']}",
        f"{p['product_zh']}{p['indicator_zh']} {fmt(p['unit_energy'], p['unit'])} "
        f"（{fmt(p['energy'], energy_unit)} ÷ {fmt(p['output'], output_unit)}），"
        f"能效要求 {fmt(p['target'], p['unit'])}：{verdict_zh}；"
        f"能耗限额等级 {grade}。",
        f"{p['product_en']}: {fmt(p['unit_energy'], p['unit'])} against target "
        f"{fmt(p['target'], p['unit'])}: "
        f"{verdict_en}; grade {grade if p['grade'] is None else int(p['grade'])}.")


def _gate(g: dict, scores, i: int, indicators: dict) -> dict:
    said = gate_words(g, scores.criteria, indicators)
    line = _line(g["id"], f"{g['id']} {g['title']['zh']}：{said['zh']}（{g['source']}）。",
                 f"{g['id']} {g['title']['en']}: {said['en']}.", [g["source"]])
    if g["status"] == "not_applicable":
        line = _with_conditions(line, g["id"], scores, i)
    return line


def _item(it: dict, item, criteria) -> dict:
    rule_zh, rule_en = _rule_text(item, it, criteria)
    status_zh = {"expert_scored": "专家评分", "suggested": "系统建议分，待专家评定",
                 "pending": "待专家评定", "not_applicable": "不适用",
                 "missing": "数据缺失，记0分", "passed": rule_zh}[it["status"]]
    status_en = {"expert_scored": "scored by experts", "suggested": "suggested, experts decide",
                 "pending": "awaiting experts", "not_applicable": "not applicable",
                 "missing": "missing data, 0 points", "passed": rule_en}[it["status"]]
    return _line(
        it["id"],
        f"{it['id']} {it['title']['zh']}：{it['points']:g}/{it['max']:g} 分（{status_zh}；"
        f"{it['source']}）。",
        f"{it['id']} {it['title']['en']}: {it['points']:g}/{it['max']:g} points "
        f"({status_en}).", [it["source"]])


def _total_and_level(result: dict) -> list[dict]:
    total = result["total"]
    provisional = total["provisional"]
    return [
        _line("total",
              f"总分 {fmt(total['points'])} = 得分 {total['earned']:g} ÷ 适用项满分 "
              f"{total['applicable_max']:g} × {total['max']:g}"
              + ("（含待专家评定项，暂定）" if provisional else "") + "。",
              f"Total {fmt(total['points'])} = {total['earned']:g} earned ÷ "
              f"{total['applicable_max']:g} applicable × {total['max']:g}"
              + (" (provisional: expert items pending)" if provisional else "") + "."),
        _line("level", f"评价等级：{result['level']['title']['zh']}。",
              f"Level: {result['level']['title']['en']}."),
    ]


def _with_conditions(line: dict, item_id: str, scores, i: int) -> dict:
    """A not-applicable gate's line with the conditions under which it applies, the ones this
    submission does not meet, and their sources: e.g. F-G8 not for a 算力设施."""
    criteria = scores.criteria
    item = next(x for x in criteria.model.items if x.id == item_id)
    met = scores.applies_conditions[item_id]
    texts, unmet, sources = [], [], []
    for c, held in zip(item.applies_conditions, met, strict=True):
        symbol = criteria.symbols[c.indicator]
        declaration = criteria.declarations_by_id.get(symbol.id)
        if symbol.kind == "declaration" and declaration.type == "boolean":
            shown = ["是" if c.value else "否", "yes" if c.value else "no"]
        elif symbol.kind == "declaration":
            titles = declaration.option_titles
            values = c.value if isinstance(c.value, list) else [c.value]
            shown = ["、".join(titles[v].zh if v in titles else str(v) for v in values),
                     ", ".join(titles[v].en if v in titles else str(v) for v in values)]
        elif c.value is None:  # a banded threshold
            shown = ["分档阈值", "the banded threshold"]
        else:
            shown = [f"{c.value:,g} {c.unit or ''}".strip()] * 2
        text = (f"{symbol.title.zh} {_OP_ZH.get(c.op, c.op)} {shown[0]}",
                f"{symbol.title.en} {c.op} {shown[1]}")
        texts.append(text)
        if not held[i]:
            unmet.append(text)
        if c.source is not None:
            sources.append(c.source.cite())
    line = dict(line)
    line["zh"] = (line["zh"].rstrip("。") + f"；本项仅在{'且'.join(t[0] for t in texts)}时适用，"
                  f"此处不满足：{'；'.join(t[0] for t in unmet)}。")
    line["en"] = (line["en"].rstrip(".") + f"; it applies only where "
                  f"{' and '.join(t[1] for t in texts)}, and here not: "
                  f"{'; '.join(t[1] for t in unmet)}.")
    line["sources"] = list(line.get("sources") or []) + sources
    return line


def _rule_text(item, entry: dict, criteria) -> tuple[str, str]:
    """How a scored item's points came about, e.g. linear between baseline and leading value."""
    scoring = item.scoring
    if scoring is None:
        return "", ""
    unit = criteria.symbols[scoring.indicator].unit
    value = fmt(entry["value"], unit)
    if scoring.method == "linear":
        given = scoring.unit or ""
        return (f"{value}，在基准值 {scoring.baseline:g} {given} 与引领值 {scoring.leading:g} {given} "
                f"之间线性计分：{item.points:g} × 比例 = {entry['points']:g}",
                f"{value}, linear between baseline {scoring.baseline:g} {given} and leading value "
                f"{scoring.leading:g} {given}")
    if entry["band"] is None:
        return f"{value}，未达到任何得分档", f"{value}, below every band"
    band = scoring.bands[entry["band"]]
    shown = band.value if not isinstance(band.value, float) else f"{band.value:g}"
    return (f"{value} {_OP_ZH.get(band.op, band.op)} {shown} {scoring.unit or ''}，得 {band.points:g} 分",
            f"{value} {band.op} {shown} {scoring.unit or ''}: {band.points:g} points")
