"""Score a batch against a criteria set: gates, items, total, level and the gap to each level.

Everything is evaluated over whole columns; there is no loop over submissions. Statuses are
small integers so that a batch of 100,000 stays a handful of arrays.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import numpy as np

from . import indicators
from .batch import Batch
from .compare import holds
from .criteria import Condition, CriteriaSet, Item, Scoring
from .formulas import Evaluation
from .reference import Reference
from .units import factor

PASSED, FAILED, MISSING, NOT_APPLICABLE = 1, 0, -1, 2
STATUS_NAMES = {PASSED: "passed", FAILED: "failed", MISSING: "missing",
                NOT_APPLICABLE: "not_applicable"}
# expert items
EXPERT_SCORED, EXPERT_SUGGESTED, EXPERT_PENDING = 3, 4, 5
STATUS_NAMES.update({EXPERT_SCORED: "expert_scored", EXPERT_SUGGESTED: "suggested",
                     EXPERT_PENDING: "pending"})

@dataclass
class Check:
    """One condition evaluated over the batch (a gate's rule or a level's condition)."""

    status: np.ndarray
    value: np.ndarray
    threshold: np.ndarray
    offsets_needed_tco2: np.ndarray
    green_power_needed_mwh: np.ndarray
    green_power_enough: np.ndarray


@dataclass
class ItemScore:
    status: np.ndarray
    points: np.ndarray
    value: np.ndarray
    band: np.ndarray  # index of the band that held, -1 none (bands scoring only)


@dataclass
class Scores:
    criteria: CriteriaSet
    values: dict[str, np.ndarray]
    gates: dict[str, Check]
    applies: dict[str, np.ndarray]
    items: dict[str, ItemScore]
    level_checks: dict[str, list[Check]]
    total: np.ndarray
    earned: np.ndarray
    applicable_max: np.ndarray
    provisional: np.ndarray
    level: np.ndarray  # index into criteria.levels
    level_gates_ok: dict[str, np.ndarray] = field(default_factory=dict)
    # per item with applies_if: whether each of its conditions holds (not FAILED), in order
    applies_conditions: dict[str, list[np.ndarray]] = field(default_factory=dict)
    # every formula's values, kept for the trace (formulas.Evaluation)
    evaluation: Evaluation | None = None


def evaluate_formula(tree: ast.AST, values: dict[str, np.ndarray]) -> np.ndarray:
    node = tree.body if isinstance(tree, ast.Expression) else tree
    if isinstance(node, ast.Constant):
        return np.float64(node.value)
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        return -evaluate_formula(node.operand, values)
    left, right = evaluate_formula(node.left, values), evaluate_formula(node.right, values)
    if isinstance(node.op, ast.Div):
        with np.errstate(divide="ignore", invalid="ignore"):
            result = np.true_divide(left, right)
        return np.where(np.isfinite(result), result, np.nan)
    return {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply}[type(node.op)](
        left, right)


def score(batch: Batch, criteria: CriteriaSet, reference: Reference) -> Scores:
    evaluation = indicators.evaluate_batch(batch, criteria.accounting_choice, reference)
    values = _values(evaluation, batch, criteria)
    marked = _items(values, criteria, batch)
    total = np.full(batch.size, np.nan)
    np.divide(marked.earned * criteria.model.total_points, marked.applicable_max, out=total,
              where=marked.applicable_max > 0)
    total = np.round(total, 6)
    level_checks, level_gates_ok, choice = _levels(values, criteria, marked.gates, total)
    return Scores(criteria, values, marked.gates, marked.applies, marked.items, level_checks,
                  total, marked.earned, marked.applicable_max, marked.provisional, choice,
                  level_gates_ok, marked.applies_conditions, evaluation)


def _values(evaluation: Evaluation, batch: Batch, criteria: CriteriaSet) -> dict:
    """The built-in indicators, then the set's declarations, reported and derived figures."""
    n = batch.size
    values = indicators.indicator_values(evaluation, n)
    for d in criteria.model.declarations:
        values[d.id] = batch.submissions[f"decl.{d.id}"]
    for r in criteria.model.reported:
        values[r.id] = batch.submissions[f"reported.{r.id}"]
    for derived_id in criteria.derived_order:
        values[derived_id] = np.broadcast_to(
            evaluate_formula(criteria.compiled[derived_id], values), (n,)).astype(float)
    return values


@dataclass
class _Marked:
    """Gates and items over the batch, with the points earned out of the applicable maximum."""

    applies: dict[str, np.ndarray]
    applies_conditions: dict[str, list[np.ndarray]]
    gates: dict[str, Check]
    items: dict[str, ItemScore]
    earned: np.ndarray
    applicable_max: np.ndarray
    provisional: np.ndarray


def _items(values: dict, criteria: CriteriaSet, batch: Batch) -> _Marked:
    n = batch.size
    marked = _Marked({}, {}, {}, {}, np.zeros(n), np.zeros(n), np.zeros(n, dtype=bool))
    for item in criteria.model.items:
        met = [check(c, values, criteria).status != FAILED for c in item.applies_conditions]
        applies = np.logical_and.reduce(met) if met else np.ones(n, dtype=bool)
        marked.applies[item.id] = applies
        if met:
            marked.applies_conditions[item.id] = met
        if item.kind == "gate":
            result = check(item.rule, values, criteria)
            result.status = np.where(applies, result.status, NOT_APPLICABLE)
            marked.gates[item.id] = result
            continue
        scored = (_score_item(item, values, criteria) if item.kind == "scored"
                  else _expert_item(item, values, criteria, batch))
        scored.points = np.where(applies, scored.points, 0.0)
        scored.status = np.where(applies, scored.status, NOT_APPLICABLE)
        marked.items[item.id] = scored
        marked.earned += scored.points
        marked.applicable_max += np.where(applies, item.points, 0.0)
        if item.kind == "expert":
            marked.provisional |= applies & (scored.status != EXPERT_SCORED)
    return marked


def _levels(values: dict, criteria: CriteriaSet, gates: dict[str, Check], total: np.ndarray):
    """The first level whose gates pass, total suffices and conditions hold; else the
    fallback. Also each level's condition checks and whether its gates pass."""
    n = len(total)
    level_checks: dict[str, list[Check]] = {}
    level_gates_ok: dict[str, np.ndarray] = {}
    choice = np.full(n, len(criteria.model.levels) - 1)
    decided = np.zeros(n, dtype=bool)
    for index, level in enumerate(criteria.model.levels):
        if level.fallback:
            break
        required = list(gates) if level.gates == "all" else level.gates
        gates_ok = np.ones(n, dtype=bool)
        for gate_id in required:
            gates_ok &= np.isin(gates[gate_id].status, (PASSED, NOT_APPLICABLE))
        checks = [check(c, values, criteria) for c in level.conditions]
        ok = gates_ok & holds(">=", total, level.min_total)
        for c in checks:
            ok &= c.status == PASSED
        level_checks[level.id] = checks
        level_gates_ok[level.id] = gates_ok
        choice = np.where(~decided & ok, index, choice)
        decided |= ok
    return level_checks, level_gates_ok, choice


def _symbol_unit(criteria: CriteriaSet, name: str) -> str:
    return criteria.symbols[name].unit or "dimensionless"


def threshold_of(condition: Condition, values, criteria: CriteriaSet) -> np.ndarray:
    n = len(next(iter(values.values())))
    unit = _symbol_unit(criteria, condition.indicator)
    scale = factor(condition.unit or "dimensionless", unit)
    if condition.thresholds is None:
        return np.full(n, float(condition.value) * scale)
    bands = condition.thresholds.bands
    by = values[condition.thresholds.by]
    by_scale = factor(condition.thresholds.unit, _symbol_unit(criteria, condition.thresholds.by))
    limits = np.array([b.below * by_scale for b in bands[:-1]])
    # a band applies while `by` < below: the first band whose limit `by` has not reached (a park
    # whose members sum to 1,000,000 tce, give or take rounding, is in the band from 1,000,000)
    reached = holds(">=", np.nan_to_num(by, nan=0.0)[:, None], limits[None, :])
    chosen = np.sum(reached, axis=1)
    result = np.array([b.value * scale for b in bands])[chosen]
    return np.where(np.isnan(by), np.nan, result)


def check(condition: Condition, values, criteria: CriteriaSet) -> Check:
    value = np.asarray(values[condition.indicator], dtype=float)
    n = len(value)
    symbol = criteria.symbols[condition.indicator]
    if symbol.kind == "declaration":
        declaration = criteria.declarations_by_id[symbol.id]
        if declaration.type == "boolean":
            wanted = np.array([float(condition.value)])
        else:
            options = condition.value if isinstance(condition.value, list) else [condition.value]
            wanted = np.array([float(declaration.options.index(o)) for o in options])
        met = np.isin(value, wanted)
        if condition.op == "!=":
            met = ~met
        threshold = np.full(n, np.nan)
    else:
        threshold = threshold_of(condition, values, criteria)
        met = holds(condition.op, value, threshold)
    missing = np.isnan(value) | (np.isnan(threshold) & (symbol.kind != "declaration"))
    status = np.where(missing, MISSING, np.where(met, PASSED, FAILED)).astype(np.int8)
    offsets, green, enough = _remedies(condition, value, threshold, values)
    failing = status != PASSED
    return Check(status, value, threshold, np.where(failing, offsets, np.nan),
                 np.where(failing, green, np.nan), enough | ~failing)


def _remedies(condition: Condition, value, threshold, values):
    """What closes a failing condition: tCO2 of offsets, or MWh of green power bought in place
    of grid power (which saves the residual factor per MWh)."""
    nan = np.full(len(value), np.nan)
    residual = values["factor.residual"]
    grid_left = values["residual_grid_mwh"]
    offsets, green = nan, nan
    name = condition.indicator
    with np.errstate(invalid="ignore", divide="ignore"):
        if name == "net_emissions_tco2":
            gap = np.maximum(value - threshold, 0)
            offsets, green = gap, gap / residual
        elif name == "total_emissions_market_tco2":
            green = np.maximum(value - threshold, 0) / residual
        elif name == "offset_coverage":
            gross = values["total_emissions_market_tco2"]
            offsets = np.maximum(threshold * gross - values["offsets_tco2"], 0)
            green = np.maximum(gross - values["offsets_tco2"] / threshold, 0) / residual
        elif name == "carbon_per_energy":
            green = np.maximum(value - threshold, 0) * values["comprehensive_energy_tce"] / residual
        elif name in ("renewable_electricity_share", "physical_green_electricity_share"):
            green = np.maximum(threshold - value, 0) * values["electricity_consumption_mwh"]
        elif name in ("non_fossil_energy_share", "clean_energy_share"):
            green = (np.maximum(threshold - value, 0) * values["comprehensive_energy_tce"]
                     / values["factor.electricity_tce_per_mwh"])
    enough = np.isnan(green) | holds("<=", green, grid_left)
    return offsets, green, enough


def _score_item(item: Item, values, criteria: CriteriaSet) -> ItemScore:
    points, band, value = _scale_points(item.scoring, item.points, values, criteria)
    status = np.where(np.isnan(value), MISSING, PASSED).astype(np.int8)
    return ItemScore(status, points, value, band)


def _scale_points(scoring: Scoring, maximum: float, values, criteria: CriteriaSet):
    value = np.asarray(values[scoring.indicator], dtype=float)
    n = len(value)
    if scoring.method == "linear":
        scale = factor(scoring.unit or "dimensionless", _symbol_unit(criteria, scoring.indicator))
        baseline, leading = scoring.baseline * scale, scoring.leading * scale
        with np.errstate(invalid="ignore"):
            fraction = np.clip((value - baseline) / (leading - baseline), 0.0, 1.0)
        points = np.where(np.isnan(value), 0.0, np.round(fraction * maximum, 6))
        return points, np.full(n, -1), value
    masks = []
    for b in scoring.bands:
        condition = Condition(indicator=scoring.indicator, op=b.op, value=b.value,
                              unit=scoring.unit)
        masks.append(check(condition, values, criteria).status == PASSED)
    points = np.select(masks, [b.points for b in scoring.bands], 0.0)
    band = np.select(masks, list(range(len(scoring.bands))), -1)
    return points, band, value


def _expert_item(item: Item, values, criteria: CriteriaSet, batch: Batch) -> ItemScore:
    n = batch.size
    given = batch.submissions[f"expert.{item.id}"]
    anchors = np.array(sorted(a.points for a in item.scale))
    if item.suggestion is not None:
        raw, _, value = _scale_points(item.suggestion, item.points, values, criteria)
        # the highest anchored value not above the computed one
        reached = np.sum(holds("<=", anchors[None, :], raw[:, None]), axis=1)
        suggested = anchors[np.clip(reached - 1, 0, None)]
        suggested = np.where(np.isnan(value), np.nan, suggested)
    else:
        suggested, value = np.full(n, np.nan), np.full(n, np.nan)
    points = np.where(~np.isnan(given), given, np.nan_to_num(suggested, nan=0.0))
    status = np.where(~np.isnan(given), EXPERT_SCORED,
                      np.where(~np.isnan(suggested), EXPERT_SUGGESTED, EXPERT_PENDING))
    return ItemScore(status.astype(np.int8), points, value, np.full(n, -1))
