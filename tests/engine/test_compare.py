"""The one comparison rule (engine/compare.py): a value on a threshold is on it, whatever
floating-point arithmetic did to it, and the worked boundary cases depend on that rule."""

import math

import numpy as np
import pytest
import yaml

from assessor.engine import compare
from assessor.engine.cases import case_files, run_case
from assessor.engine.compare import ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE, difference, holds
from assessor.engine.result import level_for_total
from tests.conftest import CRITERIA

T = 1000.0
TOL = RELATIVE_TOLERANCE * T  # 1e-6 at a threshold of 1,000
# value: (≤, <, ≥, >, ==, !=) against T
TABLE = {
    T - 2 * TOL: (True, True, False, False, False, True),     # just outside, below
    T - 0.5 * TOL: (True, False, True, False, True, False),  # just inside, below: equal
    T: (True, False, True, False, True, False),              # on
    T + 0.5 * TOL: (True, False, True, False, True, False),  # just inside, above: equal
    T + 2 * TOL: (False, False, True, True, False, True),    # just outside, above
}
OPS = ("<=", "<", ">=", ">", "==", "!=")


@pytest.mark.parametrize("value", list(TABLE))
def test_inside_on_and_outside_the_tolerance(value):
    for op, expected in zip(OPS, TABLE[value], strict=True):
        assert holds(op, value, T) is expected, (op, value)


def test_arrays_give_the_same_answers_element_by_element():
    values = np.array(list(TABLE))
    for k, op in enumerate(OPS):
        assert holds(op, values, T).tolist() == [row[k] for row in TABLE.values()]


def test_the_tolerance_is_relative_to_the_larger_number_with_an_absolute_floor():
    assert holds("<=", 1.8000000000000003, 1.8)            # 1.8 after arithmetic
    assert not holds("<=", 1.8 * (1 + 3 * RELATIVE_TOLERANCE), 1.8)
    assert holds("<=", 0.5 * ABSOLUTE_TOLERANCE, 0.0)      # net emissions of 10^-13 t are 0
    assert not holds("<=", 3 * ABSOLUTE_TOLERANCE, 0.0)
    assert holds(">=", 1e6 - 1e-10, 1e6) and not holds(">=", 1e6 - 0.01, 1e6)


def test_it_is_math_isclose():
    rng = np.random.default_rng(7)
    a = rng.uniform(0, 10, 2000)
    b = a * (1 + rng.uniform(-3e-9, 3e-9, 2000))
    expected = [math.isclose(x, y, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE)
                for x, y in zip(a, b, strict=True)]
    assert holds("==", a, b).tolist() == expected


def test_an_open_bound_is_never_equal_to_a_finite_value():
    inf = float("inf")
    assert holds("<", 5.0, inf) and holds("<=", 5.0, inf) and not holds(">=", 5.0, inf)
    assert holds(">", 5.0, -inf) and not holds("<=", 5.0, -inf) and not holds("==", 5.0, inf)
    assert holds("==", inf, inf) and holds("<=", inf, inf)


def test_missing_values_satisfy_nothing():
    for op in OPS:
        assert holds(op, float("nan"), 1.0) is False
        assert holds(op, 1.0, float("nan")) is False


def test_difference_is_zero_where_equal():
    assert difference(501 * 0.6096, 305409.6 * 0.001) == 0.0
    assert difference(305.5, 305.4) == pytest.approx(0.1)


def test_an_unknown_operator_is_refused():
    with pytest.raises(ValueError):
        holds("=<", 1.0, 1.0)


def test_a_total_a_hair_below_the_minimum_reaches_the_level(engine):
    result = engine.score(_case_submission("f45_boundary_net_zero_offsets_in_kgco2e.yaml"),
                          "GZ-F-2024")
    assert level_for_total(result, 80 - 1e-9)["id"] == "zero_carbon"
    assert level_for_total(result, 79.99)["id"] == "near_zero_carbon"


BOUNDARY_CASES = [p for p in case_files(CRITERIA)
                  if "_boundary_" in p.name or p.name.startswith(("f11_", "f11c_"))]


def test_there_is_a_boundary_case_for_each_kind_of_threshold():
    names = " ".join(p.name for p in BOUNDARY_CASES)
    for part in ("cpe_1_8", "non_fossil_share_30", "electricity_5000", "physical_share_20",
                 "offset_coverage_80", "net_zero", "product_exactly_at_benchmark",
                 "members_sum_1m_tce", "physical_share_10_and_offsets_50",
                 "park_cpe_exactly_0_2", "product_exactly_at_baseline_grade_3",
                 "physical_share_35_above_5000", "carbon_per_energy_0_2_target"):
        assert part in names


@pytest.mark.parametrize("path", BOUNDARY_CASES, ids=[p.stem for p in BOUNDARY_CASES])
def test_each_boundary_case_needs_the_rule(engine, path, monkeypatch):
    """Compared exactly, each boundary case lands on the wrong side of its threshold: the case
    really sits on a floating-point edge, and only the rule gives the hand-worked answer."""
    assert run_case(engine, path).passed
    monkeypatch.setattr(compare, "RELATIVE_TOLERANCE", 0.0)
    monkeypatch.setattr(compare, "ABSOLUTE_TOLERANCE", 0.0)
    assert not run_case(engine, path).passed


def _case_submission(name):
    return yaml.safe_load((CRITERIA / "cases" / name).read_text(encoding="utf-8"))["submission"]
