"""The criteria engine: compute, score and explain zero-carbon factory and park submissions.

Pure Python, numpy and pandas: it imports neither Flask nor the database layer, so the web
application, the command line, the worked cases and the benchmarks all call the same code.

    engine = Engine.load("criteria")
    result = engine.score(submission_json, "GZ-F-2024")     # one submission, explained
    frame = engine.score_batch(batch, "GZ-F-2024")          # many, one row each
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .batch import Batch
from .claims import find_double_claims
from .criteria import CriteriaSet, load_criteria
from .errors import DataFileError, EngineError, Problem, SubmissionError
from .prepare import prepare
from .reference import Reference, load_reference
from .result import ENGINE_VERSION, submission_result, summary
from .schema import Submission, parse_submission
from .scoring import Scores, score

__all__ = ["ENGINE_VERSION", "Batch", "CriteriaSet", "DataFileError", "Engine", "EngineError",
           "Problem", "Reference", "Submission", "SubmissionError", "parse_submission"]

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "criteria"


@dataclass
class Engine:
    """Reference data and every criteria set under one root folder, loaded and checked."""

    root: Path
    reference: Reference
    sets: dict[str, CriteriaSet]

    @classmethod
    def load(cls, root: Path | str = DEFAULT_ROOT) -> Engine:
        root = Path(root)
        reference = load_reference(root / "reference")
        sets: dict[str, CriteriaSet] = {}
        for folder in ("factory", "park"):
            for path in sorted((root / folder).glob("*.yaml")):
                criteria = load_criteria(path, reference)
                if criteria.id in sets:
                    raise DataFileError(path, criteria.id,
                                        f"criteria id also used by {sets[criteria.id].path}",
                                        "评价标准编号重复")
                if criteria.subject != folder:
                    raise DataFileError(path, criteria.id, f"a {criteria.subject} set in "
                                        f"{folder}/", "评价对象与所在目录不符")
                sets[criteria.id] = criteria
        return cls(root, reference, sets)

    def criteria(self, criteria_id: str) -> CriteriaSet:
        try:
            return self.sets[criteria_id]
        except KeyError:
            raise SubmissionError([Problem(
                "criteria", f"没有编号为“{criteria_id}”的评价标准（现有：{'、'.join(self.sets)}）",
                f"no criteria set '{criteria_id}' (known: {', '.join(self.sets)})")]) from None

    def score(self, data: dict | Submission, criteria_id: str, *,
              this_year: int | None = None) -> dict:
        """One submission scored and explained, as plain JSON-ready data. `this_year`: the
        current year (default: in Beijing, now); a later data year is refused."""
        criteria = self.criteria(criteria_id)
        submission = data if isinstance(data, Submission) else parse_submission(data)
        batch = prepare([submission], criteria, criteria.reference, this_year=this_year)
        scores = score(batch, criteria, criteria.reference)
        return submission_result(scores, batch, criteria.reference, 0,
                                 find_double_claims(batch.claims))

    def prepare(self, submissions: list[Submission], criteria_id: str) -> Batch:
        criteria = self.criteria(criteria_id)
        return prepare(submissions, criteria, criteria.reference)

    def scores(self, batch: Batch, criteria_id: str) -> Scores:
        criteria = self.criteria(criteria_id)
        return score(batch, criteria, criteria.reference)

    def score_batch(self, batch: Batch, criteria_id: str) -> pd.DataFrame:
        """Many submissions at once: one summary row each (total, level, gates, indicators)."""
        return summary(self.scores(batch, criteria_id))

    def double_claims(self, batch: Batch) -> list[dict]:
        return find_double_claims(batch.claims)
