"""Products against their energy-efficiency levels, one row per product (NDRC 2023 table and the
limit standards' grades, `criteria/reference/energy_efficiency_levels.csv`)."""

from __future__ import annotations

import numpy as np

from .compare import holds
from .reference import Reference


def product_levels(products: dict[str, np.ndarray], reference: Reference) -> dict[str, np.ndarray]:
    """Per product row: unit energy, target, grade and ratios to benchmark and baseline."""
    levels = reference.benchmark_matrix[products["benchmark"]]
    g1, g2, g3, benchmark, baseline = (levels[:, i] for i in range(5))
    output, energy = products["output"], products["energy"]
    unit_energy = np.full(output.shape, np.nan)
    np.divide(energy, output, out=unit_energy, where=output > 0)
    target = np.where(np.isnan(benchmark), g1, benchmark)
    # a unit energy exactly at a grade (after kgce → tce, 万t → t) reaches it
    grade = np.select([holds("<=", unit_energy, g1), holds("<=", unit_energy, g2),
                       holds("<=", unit_energy, g3)], [1.0, 2.0, 3.0], 4.0)
    grade = np.where(np.isnan(unit_energy) | np.isnan(g3), np.nan, grade)
    ratio_benchmark = np.full(output.shape, np.nan)
    np.divide(unit_energy, benchmark, out=ratio_benchmark, where=benchmark > 0)
    ratio_baseline = np.full(output.shape, np.nan)
    np.divide(unit_energy, baseline, out=ratio_baseline, where=baseline > 0)
    return {"unit_energy": unit_energy, "target": target, "grade": grade,
            "meets_target": holds("<=", unit_energy, target),
            "evaluable": ~np.isnan(unit_energy) & ~np.isnan(target),
            "ratio_benchmark": ratio_benchmark, "ratio_baseline": ratio_baseline}
