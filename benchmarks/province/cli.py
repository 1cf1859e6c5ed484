"""The command: build the province for a seed and size, write it, check its audit chain."""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from assessor import create_app
from assessor.audit.check import verify_chain
from assessor.engine import Engine
from assessor.platform import db
from assessor.platform.dbcli import upgrade_database

from .records import Province
from .rounds import build
from .shape import PASSWORD
from .writing import reset, write_all

ROOT = Path(__file__).resolve().parents[2]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/province",
        description="A province-sized database, written in bulk into the database at --url.")
    parser.add_argument("--url", default=f"sqlite:///{ROOT / 'instance/bench/province.sqlite3'}")
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--replace", action="store_true",
                        help="empty the database at --url even if it has tables")
    return parser.parse_args()


def main() -> dict:
    args = arguments()
    reset(args.url, args.replace)
    app = create_app({"DATABASE_URL": args.url})
    started = time.perf_counter()
    with app.app_context():
        upgrade_database()
        migrated = time.perf_counter()
        province = Province(Engine.load(), args.applications, args.seed, date.today())
        build(province)
        built = time.perf_counter()
        counts = write_all(province)
        written = time.perf_counter()
        checked, broken = verify_chain(db.session())
        assert broken is None, f"audit chain broken: {broken}"
        db.close_session()
        db.engine().dispose()
    states: dict[str, int] = defaultdict(int)
    for row in province.rows["application"]:
        states[row["state"]] += 1
    report = {
        "url": args.url.split("@")[-1],
        "applications": counts["application"], "states": dict(sorted(states.items())),
        "rows": counts, "audit_chain_checked": checked,
        "password": PASSWORD,
        "seconds": {"migrate": round(migrated - started, 1),
                    "build_and_score": round(built - migrated, 1),
                    "write": round(written - built, 1)},
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report
