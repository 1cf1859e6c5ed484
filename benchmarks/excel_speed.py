"""Excel import speed: a workbook with 10,000 green-certificate rows, parsed and checked.

    .venv/bin/python benchmarks/excel_speed.py [--rows 10000] [--repeat 5]

Target (issue 8): a 10,000-row workbook imports in under 2 s. The figure is the median of several
parses of the same workbook (building the workbook is not timed).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import timed

from assessor.applications.excel import build_template, parse_workbook
from assessor.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 2.0


def workbook(engine: Engine, rows: int) -> tuple[bytes, dict]:
    data = {"subject": "factory", "reporting_year": 2023,
            "electricity": {"grid_purchase": {"quantity": 20000.0, "unit": "MWh"},
                            "green_certificates": [{"serial": f"GEC{2023_0000_0000 + 10 * i}",
                                                    "count": 1} for i in range(rows)]}}
    criteria = engine.criteria("GZ-F-2024")
    return build_template(criteria, engine.reference, data, year=2023), data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    engine = Engine.load(ROOT / "criteria")
    content, data = workbook(engine, args.rows)
    parsed = parse_workbook(content, engine, "GZ-F-2024", year=2023)
    if parsed.problems or parsed.data != data:
        print("the workbook did not round-trip: the benchmark measures nothing useful")
        return 1
    times = timed(lambda: parse_workbook(content, engine, "GZ-F-2024", year=2023), args.repeat)
    median = statistics.median(times)
    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"{len(content) / 1e6:.1f} MB workbook")
    print(f"{args.rows:,} rows parsed and checked: median {median:.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}; target < {TARGET_SECONDS} s) "
          f"{'OK' if median < TARGET_SECONDS else 'MISSED'}")
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
