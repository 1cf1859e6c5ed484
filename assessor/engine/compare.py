"""The one rule for comparing a figure with a threshold.

Every threshold in the engine (gates, `applies_if`, scored bands, level conditions and minimum
totals, product grades against 标杆/基准/限额 grades, the park size band at 1,000,000 tce, the
expert anchors a suggestion rounds down to; also the product chart's shared level marks) is
compared through `holds`, so that a value which lands exactly on a threshold after unit
conversion (500 万kWh → 5,000 MWh, kgce → tce) counts as on it, whichever side of it
floating-point arithmetic happened to leave it.

Two numbers a and b are *equal* when

    |a − b| ≤ max(RELATIVE_TOLERANCE × max(|a|, |b|), ABSOLUTE_TOLERANCE)

(`math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)`), in the indicator's own unit (tCO2, tce, MWh,
tCO2/tce, a share as a fraction). One part in 10⁹ is far below any figure that matters (1 kWh
in 1,000 GWh) and far above double-precision noise (about 1 part in 10¹⁶ per operation); the
absolute part does the same for thresholds at zero (net emissions ≤ 0). Then

    a ≤ b  ⇔  a < b or equal        a < b  ⇔  a < b and not equal
    a ≥ b  ⇔  a > b or equal        a > b  ⇔  a > b and not equal
    a == b ⇔  equal                 a != b ⇔  not equal

A missing value (NaN) satisfies no comparison, "!=" included: the caller reports it as missing.
"""

from __future__ import annotations

import numpy as np

RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-9
OPS = ("<=", "<", ">=", ">", "==", "!=")


def _tolerance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        tolerance = np.maximum(RELATIVE_TOLERANCE * np.maximum(np.abs(a), np.abs(b)),
                               ABSOLUTE_TOLERANCE)
    # an open bound (±inf) is near nothing finite: 5 < inf, and 5 is not "equal" to it
    return np.where(np.isfinite(a) & np.isfinite(b), tolerance, 0.0)


def holds(op: str, value, threshold):
    """Whether `value op threshold` holds under the rule above, element by element (arrays
    broadcast; two scalars give a bool)."""
    if op not in OPS:
        raise ValueError(f"unknown comparison {op!r}")
    a = np.asarray(value, dtype=float)
    b = np.asarray(threshold, dtype=float)
    with np.errstate(invalid="ignore"):
        equal = (np.abs(a - b) <= _tolerance(a, b)) | (a == b)  # a == b: ±inf on both sides
        if op in ("==", "!="):
            result = equal if op == "==" else ~equal
        elif op in ("<=", "<"):
            result = (a < b) | equal if op == "<=" else (a < b) & ~equal
        else:
            result = (a > b) | equal if op == ">=" else (a > b) & ~equal
    result = result & ~(np.isnan(a) | np.isnan(b))
    return bool(result) if np.ndim(result) == 0 else result


def difference(a, b):
    """a − b, but exactly 0 where a and b are equal under the rule: what is left after netting
    (emissions − offsets) is then not 10⁻¹³ short of or over zero."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    result = np.where(holds("==", a, b), 0.0, a - b)
    return float(result) if np.ndim(result) == 0 else result
