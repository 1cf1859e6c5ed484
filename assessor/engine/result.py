"""Results: one submission's explained result as plain data, and a batch summary frame."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .batch import Batch
from .claims import describe
from .compare import difference, holds
from .explain import explain
from .indicators import BUILTIN
from .reference import Reference
from .scoring import MISSING, NOT_APPLICABLE, PASSED, STATUS_NAMES, Check, Scores

ENGINE_VERSION = "1.1.0"  # 1.1: sector process calculators, PUE/WUE, method notes required


def _number(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def indicator_table(scores: Scores, i: int) -> dict[str, dict]:
    criteria = scores.criteria
    out = {}
    for name, symbol in criteria.symbols.items():
        if symbol.kind == "declaration":
            continue
        out[name] = {"value": _number(scores.values[name][i]), "unit": symbol.unit,
                     "zh": symbol.title.zh, "en": symbol.title.en}
    return out


def _check_dict(check: Check, i: int) -> dict:
    return {
        "status": STATUS_NAMES[int(check.status[i])],
        "value": _number(check.value[i]),
        "threshold": _number(check.threshold[i]),
        "offsets_needed_tco2": _number(check.offsets_needed_tco2[i]),
        "green_power_needed_mwh": _number(check.green_power_needed_mwh[i]),
        "green_power_enough": bool(check.green_power_enough[i]),
    }


def submission_result(scores: Scores, batch: Batch, reference: Reference, i: int = 0,
                      double_claims: list[dict] | None = None) -> dict:
    criteria = scores.criteria
    model = criteria.model
    gates = []
    for item in criteria.items_of("gate"):
        entry = {"id": item.id, "title": item.title.model_dump(), "op": item.rule.op,
                 "indicator": item.rule.indicator,
                 "unit": criteria.symbols[item.rule.indicator].unit,
                 "source": item.source.cite(), "provisional": item.source.provisional}
        entry.update(_check_dict(scores.gates[item.id], i))
        gates.append(entry)
    items = []
    for item in model.items:
        if item.kind == "gate":
            continue
        s = scores.items[item.id]
        band = int(s.band[i])
        items.append({
            "id": item.id, "kind": item.kind, "title": item.title.model_dump(),
            "category": item.category, "points": float(s.points[i]), "max": item.points,
            "status": STATUS_NAMES[int(s.status[i])], "value": _number(s.value[i]),
            "band": band if band >= 0 else None,
            "scale": [a.model_dump() for a in item.scale] or None,
            "source": item.source.cite(), "provisional": item.source.provisional,
        })
    level = model.levels[int(scores.level[i])]
    result = {
        "engine_version": ENGINE_VERSION,
        "criteria": {"id": model.id, "version": model.version, "status": model.status,
                     "notice": model.notice.model_dump()},
        "subject": model.subject,
        "reporting_year": int(batch.submissions["reporting_year"][i]),
        "indicators": indicator_table(scores, i),
        "electricity_factors": _factors(scores, reference, i),
        "products": _products(scores, batch, reference, i),
        "gates": gates,
        "items": items,
        "total": {"points": _number(scores.total[i]), "max": model.total_points,
                  "earned": float(scores.earned[i]),
                  "applicable_max": float(scores.applicable_max[i]),
                  "provisional": bool(scores.provisional[i])},
        "level": {"id": level.id, "title": level.title.model_dump()},
        "levels": [_level_requirements(scores, lv, i) for lv in model.levels],
        "gap": gap(scores, i),
        "double_claims": [dict(pair, **describe(pair)) for pair in (double_claims or [])],
        "process_emissions": [dict(line, tco2=_number(line["tco2"]))
                              for line in batch.process_lines_of(i)],
    }
    result["trace"] = explain(result, scores, batch, reference, i)
    return result


def _level_requirements(scores: Scores, level, i: int) -> dict:
    """Whether a level's gates and conditions hold: what a total from elsewhere (the experts'
    aggregate) needs to decide the level with."""
    if level.fallback:
        return {"id": level.id, "title": level.title.model_dump(), "min_total": 0.0,
                "gates_passed": True, "conditions_passed": True, "fallback": True}
    return {"id": level.id, "title": level.title.model_dump(), "min_total": level.min_total,
            "gates_passed": bool(scores.level_gates_ok[level.id][i]),
            "conditions_passed": all(int(c.status[i]) == PASSED
                                     for c in scores.level_checks[level.id]),
            "fallback": False}


def level_for_total(result: dict, total: float) -> dict:
    """The level a result reaches with `total` points in place of its own."""
    for level in result["levels"]:
        if level["fallback"] or (level["gates_passed"] and level["conditions_passed"]
                                 and holds(">=", total, level["min_total"])):
            return level
    return result["levels"][-1]


def _factors(scores: Scores, reference: Reference, i: int) -> dict:
    accounting = scores.criteria.model.accounting
    v = scores.values
    out = {}
    for key, name in (("location", accounting.grid_factor), ("residual", accounting.residual_factor)):
        year = int(v[f"factor.{key}_year"][i])
        used = name if not (key == "residual" and v["factor.residual_is_location"][i]) \
            else accounting.grid_factor
        row = reference.electricity_factor(used, year)
        out[key] = {"factor": used, "data_year": year if year > 0 else None,
                    "value": _number(v[f"factor.{key}"][i]),
                    "source": row.source.cite() if row else None,
                    "name_zh": row.name_zh if row else None,
                    "name_en": row.name_en if row else None,
                    "fallback_to_location": key == "residual" and used != name}
    return out


def _products(scores: Scores, batch: Batch, reference: Reference, i: int) -> list[dict]:
    """Submission i's products, as the formula `product_levels` worked them out."""
    rows = np.flatnonzero(batch.products["submission"] == i)
    if len(rows) == 0:
        return []
    levels = {k: v[rows] for k, v in scores.evaluation.values["product_levels"].items()}
    out = []
    for k, row in enumerate(rows):
        info = reference.benchmarks.iloc[int(batch.products["benchmark"][row])]
        out.append({
            "benchmark": info.name, "product_zh": info["product_zh"],
            "product_en": info["product_en"], "indicator_zh": info["indicator_zh"],
            "unit": info["unit"], "output": float(batch.products["output"][row]),
            "energy": float(batch.products["energy"][row]),
            "unit_energy": _number(levels["unit_energy"][k]),
            "target": _number(levels["target"][k]),
            "grade": _number(levels["grade"][k]),
            "meets_target": bool(levels["meets_target"][k]),
            "evaluable": bool(levels["evaluable"][k]),
            "ratio_to_benchmark": _number(levels["ratio_benchmark"][k]),
            "ratio_to_baseline": _number(levels["ratio_baseline"][k]),
            "levels": {c: _number(info[c]) for c in ("grade_1", "grade_2", "grade_3",
                                                     "benchmark", "baseline")},
            "member": batch.unit_names[int(batch.products["unit"][row])]
            if batch.unit_names and batch.units["is_member"][int(batch.products["unit"][row])]
            else None,
        })
    return out


def gap(scores: Scores, i: int) -> list[dict]:
    """For each level above the one reached: what stands between the submission and it."""
    criteria = scores.criteria
    reached = int(scores.level[i])
    out = []
    for index, level in enumerate(criteria.model.levels):
        if index >= reached or level.fallback:
            break
        required = [g.id for g in criteria.items_of("gate")] if level.gates == "all" \
            else level.gates
        blocking = []
        for gate_id in required:
            c = scores.gates[gate_id]
            if int(c.status[i]) in (PASSED, NOT_APPLICABLE):
                continue
            item = next(x for x in criteria.model.items if x.id == gate_id)
            blocking.append(dict(_check_dict(c, i), kind="gate", id=gate_id,
                                 title=item.title.model_dump(), indicator=item.rule.indicator,
                                 op=item.rule.op, unit=criteria.symbols[item.rule.indicator].unit,
                                 difference=_difference(c, i)))
        for condition, c in zip(level.conditions, scores.level_checks[level.id], strict=True):
            if int(c.status[i]) == PASSED:
                continue
            symbol = criteria.symbols[condition.indicator]
            blocking.append(dict(_check_dict(c, i), kind="condition", id=condition.indicator,
                                 title=symbol.title.model_dump(), indicator=condition.indicator,
                                 op=condition.op, unit=symbol.unit, difference=_difference(c, i)))
        total = scores.total[i]
        short = max(difference(level.min_total, 0 if np.isnan(total) else total), 0.0)
        offsets = [b["offsets_needed_tco2"] for b in blocking if b["offsets_needed_tco2"]]
        out.append({
            "level": level.id, "title": level.title.model_dump(),
            "blocking": blocking,
            "points_short": round(short, 6),
            "offsets_needed_tco2": max(offsets) if offsets else None,
            "green_power_needed_mwh": max((b["green_power_needed_mwh"] for b in blocking
                                           if b["green_power_needed_mwh"]), default=None),
            "green_power_enough": all(b["green_power_enough"] for b in blocking),
            "residual_grid_mwh": float(scores.values["residual_grid_mwh"][i]),
            "provisional_points": bool(scores.provisional[i]),
        })
    return out


def _difference(check: Check, i: int) -> float | None:
    if int(check.status[i]) == MISSING:
        return None
    return _number(check.value[i] - check.threshold[i])


def summary(scores: Scores) -> pd.DataFrame:
    """One row per submission: total, level, each gate's status and the main indicators."""
    criteria = scores.criteria
    levels = np.array([level.id for level in criteria.model.levels])
    frame = {"total": scores.total, "level": levels[scores.level],
             "provisional": scores.provisional}
    for gate_id, c in scores.gates.items():
        frame[f"gate.{gate_id}"] = c.status
    for item_id, s in scores.items.items():
        frame[f"points.{item_id}"] = s.points
    for name in BUILTIN:
        frame[name] = scores.values[name]
    return pd.DataFrame(frame)
