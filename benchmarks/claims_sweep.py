"""Claims sweep: every certificate and credit serial range of a province checked at once.

    .venv/bin/python benchmarks/claims_sweep.py [--sizes 10000 100000 1000000] [--repeat 5]

Target (issue 13): 1,000,000 ranges checked for serials claimed by two organisations in at most
2 s, with the growth shown (time per range at each size: a sort and a sweep grow as n log n).
The ranges are what the claim-range table holds for a data year: registry, prefix (given as
text, as the database returns them), first serial and count, and the claiming organisation.
One range in a thousand is planted to overlap, in part, another organisation's; the report
checks that exactly those are found. Medians of several runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import timed

from assessor.engine.claims import owner_conflicts, repeated_serials

PREFIXES = [("gec", "GEC"), ("gec", "GZ-GEC-"), ("ccer", "CCER-GZ-"), ("forestry_ticket", "LY-")]
PLANTED_SHARE = 0.001


def province(n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, int]:
    """n ranges of n / 10 organisations, disjoint but for the planted overlaps."""
    which = rng.integers(0, len(PREFIXES), n)
    slot = rng.permutation(n).astype(np.int64)  # each range its own block of 10,000 numbers
    count = rng.integers(1, 5_000, n).astype(np.int64)
    start = slot * 10_000 + rng.integers(0, 5_000, n)
    owner = rng.integers(0, max(n // 10, 2), n).astype(np.int64)
    planted = rng.choice(n // 2, int(n * PLANTED_SHARE), replace=False) * 2
    # a planted range moves to the next range's block, from its first serial, under another
    # owner: the two share min(count) serials and nothing else (a block holds both)
    partner = planted + 1
    which[planted] = which[partner]
    start[planted] = start[partner]
    owner[planted] = (owner[partner] + 1) % max(n // 10, 2)
    frame = pd.DataFrame({"pool": [PREFIXES[w][0] for w in which],
                          "prefix": [PREFIXES[w][1] for w in which],
                          "start": start, "count": count, "owner": owner})
    frame = frame.iloc[rng.permutation(n)].reset_index(drop=True)
    return frame, len(planted)


def check(frame: pd.DataFrame) -> pd.DataFrame:
    """What the service does for a data year: key codes from the text, then the sweep."""
    key = frame.groupby(["pool", "prefix"], sort=False).ngroup().to_numpy()
    return owner_conflicts(key, frame["start"].to_numpy(), frame["count"].to_numpy(),
                           frame["owner"].to_numpy())


def union_in_submissions(frame: pd.DataFrame) -> np.ndarray:
    """The within-submission count (each owner as one submission): serials listed twice."""
    return repeated_serials({"submission": frame["owner"].to_numpy(),
                             "kind": frame["pool"].to_numpy(),
                             "prefix": frame["prefix"].to_numpy(),
                             "start": frame["start"].to_numpy(),
                             "count": frame["count"].to_numpy()})


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    rng = np.random.default_rng(2026)
    rows, found_all = [], True
    for n in args.sizes:
        frame, planted = province(n, rng)
        found = check(frame)  # warm up, and the answer checked
        found_all &= len(found) == planted
        across = timed(lambda frame=frame: check(frame), args.repeat)
        within = timed(lambda frame=frame: union_in_submissions(frame), args.repeat)
        median = statistics.median(across)
        rows.append({"ranges": n, "planted_overlaps": planted, "found": len(found),
                     "across_organisations_median_s": round(median, 4),
                     "across_min_max_s": [round(min(across), 4), round(max(across), 4)],
                     "per_million_ranges_s": round(median / n * 1e6, 3),
                     "within_submissions_median_s": round(statistics.median(within), 4)})
    for before, after in pairwise(rows):
        after["growth_vs_previous"] = round(after["across_organisations_median_s"]
                                            / before["across_organisations_median_s"], 1)
    largest = max(rows, key=lambda r: r["ranges"])
    report = {
        "machine": f"{platform.machine()} {platform.python_version()}",
        "sizes": rows,
        "targets": {"ranges": 1_000_000, "seconds": 2},
        "all_planted_overlaps_found": bool(found_all),
    }
    report["meets_targets"] = bool(found_all and largest["ranges"] >= 1_000_000
                                   and largest["across_organisations_median_s"] <= 2)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
