"""Criteria versions from the database: loading and preparing one, and scoring with it beside
the engine loaded from files (what the app did before versions were stored), in one run.

    .venv/bin/python benchmarks/criteria_versions.py [--repeat 20] [--batch 20000]

Targets (issue 16): a version read from the database and prepared for the engine (its set's
YAML parsed and checked, its reference tables read) in ≤ 50 ms, median with nothing kept from
an earlier load; scoring speed unchanged: the median of one submission and of a batch through
the database's engine within 10 % of the file engine's, alternated in the same run.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine_speed import CRITERIA, score_round, synthetic_batch, synthetic_submission
from sqlmodel import Session, select
from timing import timed

from assessor import create_app
from assessor.criteria import store
from assessor.criteria.models import CriteriaVersion
from assessor.engine import Engine
from assessor.platform import db
from assessor.platform.dbcli import upgrade_database
from assessor.platform.engine_service import criteria_engine


def cold_load(session: Session, key: str):
    """One criteria version and its reference version read and prepared, nothing kept."""
    store._sets.clear()
    store._references.clear()
    version = session.exec(select(CriteriaVersion).where(CriteriaVersion.kind == "criteria",
                                                         CriteriaVersion.key == key)).one()
    return store.set_of(session, version)


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--url", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    url = args.url or f"sqlite:///{folder}/versions.sqlite3"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade_database()  # seeds the versions from criteria/
        loads = {}
        for key in ("GZ-F-2024", "GZ-P-2024"):
            with Session(db.engine()) as session:
                cold_load(session, key)  # first: imports, pint's registry
                loads[key] = timed(lambda s=session, k=key: cold_load(s, k), args.repeat)
        from_files = Engine.load()
        with app.test_request_context():
            from_database = criteria_engine()
        rng = np.random.default_rng(2024)
        single = synthetic_submission(rng, 1)
        batch = synthetic_batch(from_files, args.batch, rng)
        runs = {"files": {"one": [], "batch": []}, "database": {"one": [], "batch": []}}
        for engine in (from_files, from_database):  # warm both
            engine.score(single, CRITERIA)
            score_round(engine, batch)
        for _ in range(5):  # alternated, so drift hits both alike
            for name, engine in (("files", from_files), ("database", from_database)):
                runs[name]["one"] += timed(lambda e=engine: e.score(single, CRITERIA), 100)
                runs[name]["batch"] += timed(lambda e=engine: score_round(e, batch), 1)

    def ms(values):
        return round(statistics.median(values) * 1000, 3)

    report = {
        "machine": f"{platform.machine()} {platform.python_version()}",
        "database": url.split(":", 1)[0],
        "load_and_prepare_median_ms": {key: ms(v) for key, v in loads.items()},
        "load_and_prepare_max_ms": {key: round(max(v) * 1000, 3) for key, v in loads.items()},
        "one_submission_median_ms": {name: ms(r["one"]) for name, r in runs.items()},
        "batch_size": args.batch,
        "batch_median_ms": {name: ms(r["batch"]) for name, r in runs.items()},
    }
    report["ratio_database_to_files"] = {
        "one": round(statistics.median(runs["database"]["one"])
                     / statistics.median(runs["files"]["one"]), 3),
        "batch": round(statistics.median(runs["database"]["batch"])
                       / statistics.median(runs["files"]["batch"]), 3)}
    report["targets"] = {"load_and_prepare_ms": 50, "ratio_within": 0.10}
    report["meets_targets"] = (
        max(report["load_and_prepare_median_ms"].values()) <= 50
        and all(abs(r - 1) <= 0.10 for r in report["ratio_database_to_files"].values()))
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
