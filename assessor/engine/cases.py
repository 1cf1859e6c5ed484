"""Worked cases (`criteria/cases/*.yaml`): a submission and the values worked out by hand.

A case file holds one case:

    name: …                      # what the case shows
    criteria: GZ-F-2024
    submission: {…}              # the engine's JSON input (or `submissions: [...]` for a batch)
    expect:
      indicators: {comprehensive_energy_tce: 1234.5}   # in the indicator's unit
      gates: {F-G1: passed}      # passed | failed | missing | not_applicable
      items: {F-S1: 12.5}        # points
      total: 85.2
      level: zero_carbon
      gap: {zero_carbon: {offsets_needed_tco2: 100, points_short: 0}}
      double_claims: 1           # pairs found (in the submission, or across `submissions`)
      process_emissions:         # by source (its Chinese name), tCO2, and words of its method
        - {source: 1号线 熟料生产（硅酸盐水泥熟料）, tco2: 535000, method: 缺省值}
      problems: [energy.coal]    # an invalid submission: the paths reported (and nothing scored)
    tolerance: 0.000001          # relative; absolute 1e-9 near zero
    arithmetic: |                # the hand calculation, for the reader
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import Engine, EngineError, SubmissionError, parse_submission
from .criteria import _UniqueKeyLoader


@dataclass
class CaseOutcome:
    path: Path
    name: str
    failures: list[str]

    @property
    def passed(self) -> bool:
        return not self.failures


def case_files(root: Path) -> list[Path]:
    return sorted((Path(root) / "cases").glob("*.yaml"))


def _close(actual, expected, tolerance: float) -> bool:
    if expected is None or actual is None:
        return actual is None and expected is None
    if isinstance(expected, str):
        return actual == expected
    return math.isclose(float(actual), float(expected), rel_tol=tolerance, abs_tol=1e-9)


def run_case(engine: Engine, path: Path) -> CaseOutcome:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return CaseOutcome(path, path.stem, [f"cannot be read: {error}"])
    return run_case_text(engine, path, text)


def run_case_text(engine: Engine, path: Path | str, text: str) -> CaseOutcome:
    """A case from its text (a version's case in the database); `path` names it."""
    path = Path(str(path))
    case = _read_case(path, text)
    if isinstance(case, CaseOutcome):
        return case
    missing = [key for key in ("criteria", "expect") if key not in case]
    if "submission" not in case and "submissions" not in case:
        missing.append("submission")
    if missing:
        return CaseOutcome(path, str(case.get("name", path.stem)),
                           [f"missing {', '.join(missing)}"])
    try:
        return _run(engine, path, case)
    except (EngineError, KeyError, TypeError, ValueError, AttributeError) as error:
        # a case typed in the browser may hold anything: say why it cannot run
        return CaseOutcome(path, str(case.get("name", path.stem)),
                           [f"cannot be run: {type(error).__name__}: {error}"])


def _run(engine: Engine, path: Path, case: dict) -> CaseOutcome:
    name = case.get("name", path.stem)
    expect = case.get("expect") or {}
    tolerance = float(case.get("tolerance", 1e-6))
    try:
        if "submissions" in case:
            return CaseOutcome(path, name, _batch_failures(engine, case, expect))
        result = engine.score(case["submission"], case["criteria"])
    except SubmissionError as error:
        if "problems" not in expect:
            return CaseOutcome(path, name, [f"unexpected SubmissionError: {error}"])
        return CaseOutcome(path, name, _problem_failures(error, expect["problems"]))
    if "problems" in expect:
        return CaseOutcome(path, name, ["expected problems, but the submission scored"])
    return CaseOutcome(path, name, _result_failures(result, expect, tolerance)
                       + _gap_failures(result, expect.get("gap") or {}, tolerance))


def _read_case(path: Path, text: str) -> dict | CaseOutcome:
    """The case as a mapping, or an outcome saying why it cannot be run."""
    try:  # a key given twice is refused, as in criteria files and JSON
        case = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as error:
        return CaseOutcome(path, path.stem, [f"cannot be read: {error}"])
    if not isinstance(case, dict):
        return CaseOutcome(path, path.stem, ["a case is a YAML mapping"])
    return case


def _batch_failures(engine: Engine, case: dict, expect: dict) -> list[str]:
    """A batch of submissions: the double claims across it and each submission's level."""
    failures = []
    submissions = [parse_submission(s) for s in case["submissions"]]
    batch = engine.prepare(submissions, case["criteria"])
    pairs = engine.double_claims(batch)
    if "double_claims" in expect and len(pairs) != expect["double_claims"]:
        failures.append(f"double_claims: expected {expect['double_claims']}, "
                        f"got {len(pairs)}")
    frame = engine.score_batch(batch, case["criteria"])
    for position, level in enumerate(expect.get("levels", [])):
        if frame["level"].iloc[position] != level:
            failures.append(f"levels[{position}]: expected {level}, "
                            f"got {frame['level'].iloc[position]}")
    return failures


def _problem_failures(error: SubmissionError, wanted_paths: list[str]) -> list[str]:
    """An invalid submission: each expected path reported (or a path inside it)."""
    found = [p.path for p in error.problems]
    return [f"problem at {wanted} not reported (reported: {found})" for wanted in wanted_paths
            if not any(f == wanted or f.startswith(wanted + ".") for f in found)]


def _result_failures(result: dict, expect: dict, tolerance: float) -> list[str]:
    """Indicators, gates, items, total, level and double claims against the expected values."""
    failures = []
    for key, wanted in (expect.get("indicators") or {}).items():
        actual = result["indicators"].get(key, {}).get("value")
        if key not in result["indicators"]:
            failures.append(f"indicator {key}: not computed")
        elif not _close(actual, wanted, tolerance):
            failures.append(f"indicator {key}: expected {wanted}, got {actual}")
    gates = {g["id"]: g for g in result["gates"]}
    for key, wanted in (expect.get("gates") or {}).items():
        actual = gates.get(key, {}).get("status")
        if actual != wanted:
            failures.append(f"gate {key}: expected {wanted}, got {actual}")
    items = {i["id"]: i for i in result["items"]}
    for key, wanted in (expect.get("items") or {}).items():
        actual = items.get(key, {}).get("points")
        if not _close(actual, wanted, tolerance):
            failures.append(f"item {key}: expected {wanted} points, got {actual}")
    if "total" in expect and not _close(result["total"]["points"], expect["total"], tolerance):
        failures.append(f"total: expected {expect['total']}, got {result['total']['points']}")
    if "level" in expect and result["level"]["id"] != expect["level"]:
        failures.append(f"level: expected {expect['level']}, got {result['level']['id']}")
    if "double_claims" in expect and len(result["double_claims"]) != expect["double_claims"]:
        failures.append(f"double_claims: expected {expect['double_claims']}, "
                        f"got {len(result['double_claims'])}")
    return failures + _process_failures(result, expect.get("process_emissions") or [],
                                        tolerance)


def _process_failures(result: dict, wanted: list, tolerance: float) -> list[str]:
    """Each expected process source: found by its Chinese name, its tCO2, and its method
    containing the words given (which default or measured value was used)."""
    failures = []
    lines = {line["source"]["zh"]: line for line in result.get("process_emissions", [])}
    for entry in wanted:
        line = lines.get(str(entry.get("source")))
        if line is None:
            failures.append(f"process source {entry.get('source')!r}: not found (found: "
                            f"{sorted(lines)})")
            continue
        if "tco2" in entry and not _close(line["tco2"], entry["tco2"], tolerance):
            failures.append(f"process source {entry['source']!r}: expected {entry['tco2']} "
                            f"tCO2, got {line['tco2']}")
        words = str(entry.get("method", ""))
        if words and words not in line["method"]["zh"] + (line["steps"] or {}).get("zh", ""):
            failures.append(f"process source {entry['source']!r}: method should say {words!r}, "
                            f"it says {line['method']['zh']!r}")
    return failures


def _gap_failures(result: dict, expected_gap: dict, tolerance: float) -> list[str]:
    """What each level still needs: the figures, and the gates blocking it (in any order)."""
    failures = []
    gaps = {g["level"]: g for g in result["gap"]}
    for level, wanted in expected_gap.items():
        if level not in gaps:
            failures.append(f"gap {level}: not reported")
            continue
        for key, value in wanted.items():
            actual = gaps[level].get(key)
            if key == "blocking":
                actual = sorted(b["id"] for b in gaps[level]["blocking"])
                value = sorted(value)
                if actual != value:
                    failures.append(f"gap {level}.blocking: expected {value}, got {actual}")
            elif not _close(actual, value, tolerance):
                failures.append(f"gap {level}.{key}: expected {value}, got {actual}")
    return failures


def run_all(engine: Engine) -> list[CaseOutcome]:
    return [run_case(engine, path) for path in case_files(engine.root)]
