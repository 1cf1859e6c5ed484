"""Batch scoring before and after the sector process calculators (issue 17), in one run.

    .venv/bin/python benchmarks/process_speed.py [--base 04b3363] [--batch 100000] [--prepared 2000]

The engine and criteria/ of `--base` (the last commit before the calculators) are extracted with
`git archive` into a temporary folder and imported under another name, beside today's engine.
Both score the same work, alternated so that machine drift hits both alike; medians:
- a round laid out as columns (`Batch.from_frames`, 100,000 factories), scored with its double
  claims checked: the path a whole round takes;
- 2,000 submissions read from JSON through `prepare` and scored as one batch: the path that now
  runs the calculators (these submissions have no sector blocks, as most do not);
- today's engine only: the same 2,000 with a clinker line, a carbonate and a carbon balance each,
  to show what the calculators themselves cost.
Nothing is timed in a test: the ratios are reported, not asserted.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from engine_speed import CRITERIA, score_round, synthetic_batch, synthetic_submission  # noqa: E402
from timing import timed  # noqa: E402

from assessor.engine import Engine  # noqa: E402
from assessor.engine.schema import parse_submission  # noqa: E402


def engine_at(base: str, folder: Path):
    """The engine package and the criteria folder of commit `base`, as `engine_before`."""
    archive = folder / "base.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(ROOT), "archive", base, "assessor/engine", "criteria"],
                       stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    (folder / "assessor" / "engine").rename(folder / "engine_before")
    sys.path.insert(0, str(folder))
    module = importlib.import_module("engine_before")
    schema = importlib.import_module("engine_before.schema")
    return module.Engine.load(folder / "criteria"), schema.parse_submission


def with_sector_blocks(submission: dict, k: int) -> dict:
    out = copy.deepcopy(submission)
    out["process_emissions"] = []
    out["clinker_lines"] = [{"line": f"{k}号线", "method": "ets_2024",
                             "clinker_type": "clinker_portland",
                             "output": {"quantity": 1_000_000 + k, "unit": "t"}}]
    out["carbonates"] = [{"material": "limestone", "consumption": {"quantity": 1000, "unit": "t"},
                          "purity": {"quantity": 95, "unit": "%"}}]
    out["carbon_balance"] = [
        {"process": "矿热炉", "flow": "input", "material": "焦炭",
         "quantity": {"quantity": 800, "unit": "t"}, "carbon": {"quantity": 85, "unit": "%"},
         "basis": "measured"},
        {"process": "矿热炉", "flow": "product", "material": "硅锰合金",
         "quantity": {"quantity": 1000, "unit": "t"}, "carbon": {"quantity": 1.6, "unit": "%"},
         "basis": "measured"}]
    return out


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="04b3363")
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--prepared", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        before, parse_before = engine_at(args.base, Path(tmp))
        after = Engine.load()
        rng = np.random.default_rng(2024)
        batch_before = synthetic_batch(before, args.batch, np.random.default_rng(7))
        batch_after = synthetic_batch(after, args.batch, np.random.default_rng(7))
        raw = [synthetic_submission(rng, k) for k in range(args.prepared)]
        raw_before = [{**s, "process_emissions": [{k: v for k, v in p.items() if k != "method"}
                                                  for p in s["process_emissions"]]} for s in raw]
        parsed_before = [parse_before(s) for s in raw_before]
        parsed_after = [parse_submission(s) for s in raw]
        sectors = [parse_submission(with_sector_blocks(s, k)) for k, s in enumerate(raw)]

        def prepared(engine, submissions):
            return engine.score_batch(engine.prepare(submissions, CRITERIA), CRITERIA)

        for engine, batch, subs in ((before, batch_before, parsed_before),
                                    (after, batch_after, parsed_after)):
            score_round(engine, batch)  # warm caches
            prepared(engine, subs)
        runs = {k: [] for k in ("round_before", "round_after", "prepared_before",
                                "prepared_after", "prepared_sectors")}
        for _ in range(args.repeat):
            runs["round_before"] += timed(lambda: score_round(before, batch_before), 1)
            runs["round_after"] += timed(lambda: score_round(after, batch_after), 1)
            runs["prepared_before"] += timed(lambda: prepared(before, parsed_before), 1)
            runs["prepared_after"] += timed(lambda: prepared(after, parsed_after), 1)
            runs["prepared_sectors"] += timed(lambda: prepared(after, sectors), 1)
    median = {k: statistics.median(v) for k, v in runs.items()}
    report = {
        "machine": f"{platform.machine()} {platform.python_version()}",
        "base": args.base,
        "round_rows": args.batch,
        "round_before_s": round(median["round_before"], 3),
        "round_after_s": round(median["round_after"], 3),
        "round_ratio_after_to_before": round(median["round_after"] / median["round_before"], 3),
        "prepared_submissions": args.prepared,
        "prepared_before_ms_each": round(median["prepared_before"] / args.prepared * 1000, 4),
        "prepared_after_ms_each": round(median["prepared_after"] / args.prepared * 1000, 4),
        "prepared_ratio_after_to_before": round(median["prepared_after"]
                                                / median["prepared_before"], 3),
        "prepared_with_sector_blocks_ms_each": round(median["prepared_sectors"] / args.prepared
                                                     * 1000, 4),
    }
    return report


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=2))
