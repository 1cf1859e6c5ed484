"""Refused input in the engine itself (one place decides) and on the command line."""

from __future__ import annotations

import json

import pytest

from assessor.engine import SubmissionError
from assessor.engine.prepare import current_year
from assessor.engine.units import UnitError, factor, parse_unit
from tests.refused_input.cases import CASES, IDS, Case, submission_text

# -- the engine: one place decides ---------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_engine_refuses_each(engine, case):
    from assessor.engine.jsontext import load_json

    this_year = 2025
    with pytest.raises(SubmissionError) as raised:
        engine.score(load_json(submission_text(case, this_year)), "GZ-F-2024",
                     this_year=this_year)
    problems = raised.value.problems
    assert any(case.zh in p.zh and case.en in p.en for p in problems), problems
    assert all(p.refused for p in problems)  # input that cannot be stored, not a draft's gap


def test_the_base_submission_is_accepted(engine):
    """The cases change one thing each: without it, every path accepts the submission."""
    data = json.loads(submission_text(Case("none", {}), 2025))
    assert engine.score(data, "GZ-F-2024", this_year=2025)["level"]


@pytest.mark.parametrize(("text", "kind"), [
    ("°C", "offset"), ("℃", "offset"), ("degF", "offset"), ("kWh/degC", "offset"),
    ("ton", "ambiguous"), ("tons", "ambiguous"), ("short_ton", "ambiguous"),
    ("long_ton", "ambiguous"), ("UK_ton", "ambiguous"), ("kiloton", "ambiguous"),
    ("cwt", "ambiguous"), ("kt", "ambiguous"),
    ("9**9**9", "unknown"), ("(((9**99)**99)**99)**99", "unknown"), ("t(", "unknown"),
])
def test_units_refused_with_their_reason(text, kind):
    with pytest.raises(UnitError) as raised:
        parse_unit(text)
    assert raised.value.kind == kind and raised.value.zh and raised.value.en
    assert factor("t", "kg") == 1000 and factor("万t", "t") == 10_000  # tonnes stay tonnes


# -- the command line -------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_command_line_refuses_each(runner, tmp_path, case):
    path = tmp_path / "submission.json"
    path.write_text(submission_text(case, current_year()), encoding="utf-8")
    zh = runner.invoke(args=["score", str(path), "--criteria", "GZ-F-2024"])
    assert zh.exit_code == 2 and case.zh in zh.output, zh.output
    assert "Traceback" not in zh.output and "等级" not in zh.output  # not scored
    en = runner.invoke(args=["score", str(path), "--criteria", "GZ-F-2024", "--lang", "en"])
    assert en.exit_code == 2 and case.en in en.output, en.output
    assert case.zh not in en.output  # the language chosen


def test_the_command_line_scores_the_base(runner, tmp_path):
    path = tmp_path / "submission.json"
    path.write_text(submission_text(Case("none", {}), current_year()), encoding="utf-8")
    result = runner.invoke(args=["score", str(path), "--criteria", "GZ-F-2024"])
    assert result.exit_code == 0 and "等级" in result.output, result.output


def test_the_criteria_command_refuses_a_key_given_twice_in_a_worked_case(
        app, criteria_copy, runner):
    (criteria_copy / "cases" / "twice.yaml").write_text(
        "name: twice\ncriteria: GZ-F-2024\nsubmission:\n  subject: factory\n"
        "  reporting_year: 2023\n  reporting_year: 2019\nexpect: {}\n", encoding="utf-8")
    app.config["CRITERIA_ROOT"] = str(criteria_copy)
    result = runner.invoke(args=["criteria", "test"])
    assert result.exit_code == 1 and "duplicate key 'reporting_year'" in result.output
    assert "Traceback" not in result.output
