"""Engine speed: one submission, a 100,000-row batch, and the two side by side in one run.

    .venv/bin/python benchmarks/engine_speed.py [--batch 100000] [--loop 1000] [--repeat 5]

Targets (issue 2): one submission scored and explained, median under 5 ms; 100,000 synthetic
submissions as one batch under 3 s, and at least 50 times faster per submission than the
single-submission path in a loop. Medians of several runs; the ratio is taken within this run.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import timed

from assessor.engine import Batch, Engine

CRITERIA = "GZ-F-2024"


def synthetic_submission(rng: np.random.Generator, k: int) -> dict:
    """A plausible factory: coal, gas, grid power partly green, one clinker product."""
    grid = float(rng.uniform(5_000, 80_000))
    return {
        "subject": "factory",
        "reporting_year": int(rng.choice([2021, 2022, 2023, 2024])),
        "energy": {"bituminous_coal": {"quantity": float(rng.uniform(0, 50_000)), "unit": "t"},
                   "natural_gas": {"quantity": float(rng.uniform(0, 300)), "unit": "万Nm3"},
                   "diesel": {"quantity": float(rng.uniform(0, 500)), "unit": "t"}},
        "electricity": {
            "grid_purchase": {"quantity": grid, "unit": "MWh"},
            "green_power_trading": {"quantity": grid * float(rng.uniform(0, 0.6)), "unit": "MWh"},
            "onsite_renewable_self_used": {"quantity": float(rng.uniform(0, 8_000)), "unit": "MWh"},
            "green_certificates": [{"serial": f"GEC{k:08d}000000", "count": int(rng.integers(1, 5000))}],
        },
        "process_emissions": [{"source": "熟料煅烧", "quantity": float(rng.uniform(0, 2e5)),
                               "unit": "tCO2", "method": "熟料产量 × 排放因子（基准测试数据）"}],
        "production": [{"benchmark": "cement_clinker_energy",
                        "output": {"quantity": float(rng.uniform(1e5, 2e6)), "unit": "t"},
                        "energy": {"quantity": float(rng.uniform(9e3, 2.4e5)), "unit": "tce"}}],
        "offsets": [{"instrument": "ccer", "serial": f"CCER{k:08d}0000",
                     "count": 100, "quantity": 100, "unit": "tCO2e"}],
        "declarations": {"compliance_3y": bool(rng.random() < 0.95),
                         "green_factory_title": str(rng.choice(["national", "provincial", "none"])),
                         "no_obsolete_equipment": True, "zero_carbon_plan": bool(rng.random() < 0.8)},
        "reported": {"meter_auto_collection_rate": {"quantity": float(rng.uniform(0, 100)),
                                                    "unit": "%"}},
    }


def synthetic_batch(engine: Engine, n: int, rng: np.random.Generator) -> Batch:
    """The same kind of factories laid out directly as columns (canonical units)."""
    criteria = engine.criteria(CRITERIA)
    grid = rng.uniform(5_000, 80_000, n)
    submissions = {"reporting_year": rng.choice([2021, 2022, 2023, 2024], n),
                   "offsets_tco2": np.full(n, 100.0)}
    for d in criteria.model.declarations:
        submissions[f"decl.{d.id}"] = (rng.random(n) < 0.9).astype(float) if d.type == "boolean" \
            else rng.integers(0, len(d.options), n).astype(float)
    for r in criteria.model.reported:
        submissions[f"reported.{r.id}"] = rng.uniform(0, 100, n)
    for item in criteria.items_of("expert"):
        submissions[f"expert.{item.id}"] = np.full(n, np.nan)
    units = pd.DataFrame({
        "submission": np.arange(n), "is_member": np.zeros(n, dtype=bool),
        "energy.bituminous_coal": rng.uniform(0, 50_000, n),
        "energy.natural_gas": rng.uniform(0, 3e6, n), "energy.diesel": rng.uniform(0, 500, n),
        "grid_mwh": grid, "green_trading_mwh": grid * rng.uniform(0, 0.6, n),
        "direct_green_mwh": np.zeros(n), "onsite_used_mwh": rng.uniform(0, 8_000, n),
        "onsite_exported_mwh": np.zeros(n), "onsite_sold_mwh": np.zeros(n),
        "certificates_mwh": rng.integers(1, 5000, n).astype(float),
        "process_tco2": rng.uniform(0, 2e5, n),
    })
    products = pd.DataFrame({
        "submission": np.arange(n), "unit": np.arange(n),
        "benchmark": np.full(n, engine.reference.benchmark_index["cement_clinker_energy"]),
        "output": rng.uniform(1e5, 2e6, n), "energy": rng.uniform(9e6, 2.4e8, n)})
    ids = np.arange(n)
    claims = pd.DataFrame({
        "submission": np.concatenate([ids, ids]), "unit": np.concatenate([ids, np.full(n, -1)]),
        "kind": np.array(["gec"] * n + ["ccer"] * n, dtype=object),
        "serial": np.array([f"S{k}" for k in range(2 * n)], dtype=object),
        "prefix": np.array(["GEC#14"] * n + ["CCER#12"] * n, dtype=object),
        "start": np.concatenate([ids * 1_000_000, ids * 10_000]),
        "count": np.concatenate([units["certificates_mwh"].to_numpy(int), np.full(n, 100)]),
        "quantity_tco2": np.concatenate([np.full(n, np.nan), np.full(n, 100.0)]),
        "path": np.array([""] * (2 * n), dtype=object)})
    return Batch.from_frames(pd.DataFrame(submissions), units, products, claims)


def score_round(engine: Engine, batch: Batch):
    """What a round needs: every submission scored, and every serial checked for double claims."""
    return engine.score_batch(batch, CRITERIA), engine.double_claims(batch)



def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--loop", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    engine = Engine.load()
    rng = np.random.default_rng(2024)
    singles = [synthetic_submission(rng, k) for k in range(args.loop)]
    batch = synthetic_batch(engine, args.batch, rng)
    engine.score(singles[0], CRITERIA)  # warm caches
    score_round(engine, batch)

    one = timed(lambda: engine.score(singles[0], CRITERIA), 200)
    loop_runs, batch_runs = [], []
    for _ in range(args.repeat):  # alternate the two so machine drift hits both alike
        loop_runs += timed(lambda: [engine.score(s, CRITERIA) for s in singles], 1)
        batch_runs += timed(lambda: score_round(engine, batch), 1)
    per_single = statistics.median(loop_runs) / args.loop
    per_batched = statistics.median(batch_runs) / args.batch
    report = {
        "machine": f"{platform.machine()} {platform.python_version()}",
        "single_submission_median_ms": round(statistics.median(one) * 1000, 3),
        "single_path_loop_per_submission_ms": round(per_single * 1000, 3),
        "batch_size": args.batch,
        "batch_median_s": round(statistics.median(batch_runs), 3),
        "batch_min_max_s": [round(min(batch_runs), 3), round(max(batch_runs), 3)],
        "speedup_batch_vs_loop": round(per_single / per_batched, 1),
        "targets": {"single_ms": 5, "batch_s": 3, "speedup": 50},
    }
    report["meets_targets"] = (report["single_submission_median_ms"] < 5
                               and report["batch_median_s"] < 3
                               and report["speedup_batch_vs_loop"] >= 50)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
