"""Named formulas, as OpenFisca has them: one small function per indicator, registered by name.

A formula's parameters name what it uses: other formulas, or the inputs a batch provides
(`indicators.inputs`). `evaluate` runs them in dependency order over whole columns, and keeps
every value, so that the trace of submission i is written from the very terms each formula
combined (`Evaluation.terms`), never from a second calculation.

    @indicator("tce", "综合能耗", "Comprehensive energy consumption")
    def comprehensive_energy_tce(fuel_energy_tce, electricity_energy_tce):
        return fuel_energy_tce + electricity_energy_tce

A formula that adds carriers returns a `CarrierSum`, which keeps each carrier's part.
"""

from __future__ import annotations

import graphlib
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

# what a formula gives one value per; SHARED: one number for the whole batch
SUBMISSION, UNIT, PRODUCT, SHARED = "submission", "unit", "product", "shared"


@dataclass(frozen=True)
class IndicatorInfo:
    id: str
    unit: str
    zh: str
    en: str


@dataclass(frozen=True)
class Formula:
    name: str
    uses: tuple[str, ...]  # its parameters: the formulas and inputs it combines
    function: Callable[..., Any]
    per: str = SUBMISSION  # one value per submission, accounting unit or product row
    info: IndicatorInfo | None = None  # set for the indicators a criteria set can name


FORMULAS: dict[str, Formula] = {}


def _register(function: Callable, per: str, info: IndicatorInfo | None) -> Callable:
    name = function.__name__
    if name in FORMULAS:
        raise ValueError(f"formula '{name}' is defined twice")
    uses = tuple(inspect.signature(function).parameters)
    FORMULAS[name] = Formula(name, uses, function, per, info)
    return function


def indicator(unit: str, zh: str, en: str) -> Callable[[Callable], Callable]:
    """Register a built-in indicator: one value per submission, with its unit and titles."""
    return lambda function: _register(function, SUBMISSION,
                                      IndicatorInfo(function.__name__, unit, zh, en))


def variable(per: str = SUBMISSION) -> Callable[[Callable], Callable]:
    """Register a step that indicators use but that no criteria set names."""
    return lambda function: _register(function, per, None)


def builtin_indicators() -> dict[str, IndicatorInfo]:
    return {f.name: f.info for f in FORMULAS.values() if f.info is not None}


@dataclass(frozen=True)
class Rows:
    """Rows that belong to submissions (accounting units, products): sums and maxima per
    submission, and one submission's sum for the trace."""

    owner: np.ndarray  # submission index of each row
    n: int  # submissions

    def sum(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.owner, weights=values, minlength=self.n)[:self.n]

    def count(self) -> np.ndarray:
        return np.bincount(self.owner, minlength=self.n)[:self.n].astype(float)

    def worst(self, values: np.ndarray) -> np.ndarray:
        """The largest value per submission, ignoring NaN (NaN where there is none)."""
        result = np.full(self.n, -np.inf)
        np.fmax.at(result, self.owner, np.where(np.isnan(values), -np.inf, values))
        return np.where(np.isinf(result), np.nan, result)


@dataclass(frozen=True)
class Part:
    """One carrier's term of a sum: quantity (per accounting unit) × coefficient."""

    carrier: Any  # reference.Carrier
    quantity: np.ndarray
    coefficient: float


@dataclass(frozen=True)
class CarrierSum:
    value: np.ndarray  # per submission
    parts: list[Part]


def carrier_sum(units: Rows, amounts: Iterable, coefficient: Callable[[Any], float],
                keep: Callable[[Any], bool] = lambda carrier: True) -> CarrierSum:
    """Σ quantity × coefficient over the carriers `keep` accepts, per submission."""
    total = np.zeros(len(units.owner))
    parts = []
    for carrier, quantity in amounts:
        if keep(carrier):
            k = coefficient(carrier)
            total += quantity * k
            parts.append(Part(carrier, quantity, k))
    return CarrierSum(units.sum(total), parts)


_order_cache: dict[tuple, list[str]] = {}


def order() -> list[str]:
    """Formula names, each after the formulas it uses."""
    key = tuple((f.name, f.uses) for f in FORMULAS.values())
    if key not in _order_cache:
        graph = {f.name: {u for u in f.uses if u in FORMULAS} for f in FORMULAS.values()}
        _order_cache.clear()
        _order_cache[key] = list(graphlib.TopologicalSorter(graph).static_order())
    return _order_cache[key]


def evaluate(inputs: dict[str, Any], units: Rows, unit_inputs: Iterable[str] = ()) -> Evaluation:
    """Every formula over the batch's inputs, in dependency order. `units`: the batch's
    accounting units; `unit_inputs`: the inputs that hold one value per accounting unit."""
    values = dict(inputs)
    parts: dict[str, list[Part]] = {}
    for name in order():
        formula = FORMULAS[name]
        try:
            value = formula.function(*[values[u] for u in formula.uses])
        except KeyError as missing:
            raise KeyError(f"formula '{name}' uses {missing}, which is neither a formula nor "
                           "an input") from None
        if isinstance(value, CarrierSum):
            parts[name] = value.parts
            value = value.value
        values[name] = value
    return Evaluation(values, parts, units, frozenset(unit_inputs))


@dataclass(frozen=True)
class CarrierTerm:
    carrier: Any  # reference.Carrier
    quantity: float  # in the carrier's unit, summed over the submission's accounting units
    coefficient: float
    value: float  # quantity × coefficient


@dataclass(frozen=True)
class Terms:
    """What one formula combined for one submission: its value, the value of each thing it
    uses, and for a sum over carriers each carrier used."""

    name: str
    value: Any
    used: dict[str, Any]
    parts: list[CarrierTerm]

    def __getitem__(self, name: str):
        return self.used[name]


@dataclass
class Evaluation:
    """Every value the formulas computed for a batch, and the carriers' parts of the sums."""

    values: dict[str, Any]
    parts: dict[str, list[Part]]
    units: Rows
    unit_inputs: frozenset[str] = frozenset()

    def at(self, name: str, i: int, rows: np.ndarray):
        """`name` for submission i (summed over its accounting units `rows` if per unit)."""
        value = self.values[name]
        formula = FORMULAS.get(name)
        per = formula.per if formula else (UNIT if name in self.unit_inputs else None)
        if per == UNIT:
            return float(value[rows].sum())
        if per == SUBMISSION:  # an array, or a pair of arrays (a factor and its year)
            return tuple(float(v[i]) for v in value) if isinstance(value, tuple) else float(value[i])
        return value  # a number the whole batch shares, a table or the reference data

    def terms_of(self, i: int) -> Callable[[str], Terms]:
        """For submission i: the terms of any formula, by name."""
        rows = np.flatnonzero(self.units.owner == i)
        return lambda name: self._terms(name, i, rows)

    def _terms(self, name: str, i: int, rows: np.ndarray) -> Terms:
        used = {u: self.at(u, i, rows) for u in FORMULAS[name].uses}
        parts = []
        for part in self.parts.get(name, []):
            quantity = float(part.quantity[rows].sum())
            if quantity:
                parts.append(CarrierTerm(part.carrier, quantity, part.coefficient,
                                         quantity * part.coefficient))
        return Terms(name, self.at(name, i, rows), used, parts)

