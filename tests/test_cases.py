"""Every worked case in criteria/cases/ (values worked out by hand) holds."""

import pytest

from assessor.engine.cases import case_files, run_case
from tests.conftest import CRITERIA

CASES = case_files(CRITERIA)


def test_there_are_enough_worked_cases():
    assert len(CASES) >= 20
    subjects = {path.name[0] for path in CASES}
    assert {"f", "p"} <= subjects


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_worked_case(engine, path):
    outcome = run_case(engine, path)
    assert outcome.passed, "\n".join(outcome.failures)
