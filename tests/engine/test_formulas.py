"""The indicators are named formulas, and the trace is written from the terms they combined:
one source, so the explanation cannot drift from the numbers."""

import math
import re
from dataclasses import replace

import pytest
import yaml

from assessor.engine import parse_submission
from assessor.engine.cases import case_files
from assessor.engine.claims import find_double_claims
from assessor.engine.explain import fmt
from assessor.engine.explain_indicators import indicator_lines
from assessor.engine.formulas import FORMULAS, carrier_sum, order
from assessor.engine.indicators import BUILTIN, evaluate_batch, inputs
from assessor.engine.result import submission_result
from tests.conftest import CRITERIA, factory_submission


def _line(result: dict, key: str) -> dict:
    return next(t for t in result["trace"] if t["id"] == key)


def test_every_builtin_indicator_is_a_named_formula_with_its_metadata():
    for name, info in BUILTIN.items():
        assert FORMULAS[name].info is info and info.unit and info.zh and info.en
    assert list(BUILTIN)[:2] == ["comprehensive_energy_tce", "fuel_energy_tce"]


def test_formulas_run_after_what_they_use(engine):
    batch = engine.prepare([parse_submission(factory_submission())], "GZ-F-2024")
    given = inputs(batch, engine.criteria("GZ-F-2024").accounting_choice, engine.reference)
    position = {name: k for k, name in enumerate(order())}
    for formula in FORMULAS.values():
        for used in formula.uses:
            assert used in given or position[used] < position[formula.name], (formula.name, used)


def test_a_formula_using_an_unknown_name_is_named_in_the_error(engine, monkeypatch):
    monkeypatch.setitem(FORMULAS, "typo", replace(FORMULAS["scope1_tco2"], name="typo",
                                                  uses=("scope_one",), info=None))
    batch = engine.prepare([parse_submission(factory_submission())], "GZ-F-2024")
    with pytest.raises(KeyError, match=r"typo.*scope_one"):
        evaluate_batch(batch, engine.criteria("GZ-F-2024").accounting_choice, engine.reference)


def test_the_explanation_follows_a_changed_coefficient(engine, monkeypatch):
    data = factory_submission()
    before = _line(engine.score(data, "GZ-F-2024"), "comprehensive_energy_tce")["zh"]
    formula = FORMULAS["electricity_tce_per_mwh"]
    monkeypatch.setitem(FORMULAS, formula.name,
                        replace(formula, function=lambda reference, accounting: 0.3))
    result = engine.score(data, "GZ-F-2024")
    ind = {k: v["value"] for k, v in result["indicators"].items()}
    assert ind["electricity_energy_tce"] == pytest.approx(ind["electricity_consumption_mwh"] * 0.3)
    energy = _line(result, "comprehensive_energy_tce")["zh"]
    assert energy != before
    assert "× 当量值 0.3 tce/MWh" in energy
    assert f"= {fmt(ind['electricity_energy_tce'], 'tce')}。" in energy
    assert energy.startswith(f"综合能耗 {fmt(ind['comprehensive_energy_tce'], 'tce')} = ")


def test_the_explanation_follows_a_changed_formula(engine, monkeypatch):
    data = factory_submission()
    before = engine.score(data, "GZ-F-2024")
    formula = FORMULAS["fuel_energy_tce"]
    doubled = lambda units, carrier_amounts: carrier_sum(  # noqa: E731
        units, carrier_amounts, lambda carrier: 2 * carrier.tce_per_unit)
    monkeypatch.setitem(FORMULAS, formula.name, replace(formula, function=doubled))
    after = engine.score(data, "GZ-F-2024")
    old = before["indicators"]["fuel_energy_tce"]["value"]
    assert after["indicators"]["fuel_energy_tce"]["value"] == pytest.approx(2 * old)
    energy = _line(after, "comprehensive_energy_tce")["zh"]
    assert f"天然气 100,000 m3 × 1.2143 kgce/m3 = {fmt(2 * old, 'tce')}" in energy
    total = after["indicators"]["comprehensive_energy_tce"]["value"]
    assert energy.startswith(f"综合能耗 {fmt(total, 'tce')} = ")
    # and what depends on it follows too: CO2 per energy uses the new total
    per_energy = _line(after, "carbon_per_energy")["zh"]
    assert f"÷ 综合能耗 {fmt(total, 'tce')}。" in per_energy


def test_the_explanation_follows_a_changed_grid_factor(engine, monkeypatch):
    formula = FORMULAS["location_factor"]
    monkeypatch.setitem(FORMULAS, formula.name, replace(
        formula, function=lambda location_lookup: location_lookup[0] * 0 + 1.5))
    result = engine.score(factory_submission(), "GZ-F-2024")
    line = _line(result, "scope2_location_tco2")["zh"]
    assert " 1.5 tCO2/MWh" in line
    value = result["indicators"]["scope2_location_tco2"]["value"]
    assert line.startswith(f"间接排放（基于位置）{fmt(value, 'tCO2')} = ")


def test_a_trace_naming_a_term_its_formula_no_longer_uses_fails(engine, monkeypatch):
    formula = FORMULAS["carbon_per_energy"]
    monkeypatch.setitem(FORMULAS, formula.name, replace(
        formula, uses=("total_emissions_location_tco2", "comprehensive_energy_tce"),
        function=lambda gross, energy: gross / energy))
    with pytest.raises(KeyError, match="total_emissions_market_tco2"):
        engine.score(factory_submission(), "GZ-F-2024")


# -- every worked case: every number of the indicators' trace is a computed one --------------

_NUMBER = re.compile(r"(?<![A-Za-z0-9_.,/])-?\d[\d,]*(?:\.\d+)?(?:e[+-]\d+)?")
SINGLE_CASES = [p for p in case_files(CRITERIA)
                if "submission" in (case := yaml.safe_load(p.read_text(encoding="utf-8")))
                and "problems" not in case.get("expect", {})]


def _shown(value) -> set[str]:
    """Every way the trace may write a number."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value):
        return set()
    return {fmt(value).split(" ")[0], fmt(value, "fraction").split(" ")[0], f"{value:g}",
            f"{value:.4g}"}


def _same(a, b) -> bool:
    def missing(x):
        return x is None or math.isnan(x)
    return missing(a) and missing(b) if missing(a) or missing(b) else a == b


@pytest.mark.parametrize("path", SINGLE_CASES, ids=[p.stem for p in SINGLE_CASES])
def test_every_number_in_the_trace_is_the_computed_one(engine, path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    batch = engine.prepare([parse_submission(case["submission"])], case["criteria"])
    scores = engine.scores(batch, case["criteria"])
    result = submission_result(scores, batch, engine.reference, 0,
                               find_double_claims(batch.claims))
    indicators = result["indicators"]
    terms_of = scores.evaluation.terms_of(0)
    asked: list[str] = []

    def spy(name):
        asked.append(name)
        return terms_of(name)

    lines = indicator_lines(spy, result, scores.criteria.model.accounting, engine.reference)
    assert lines == result["trace"][:len(lines)]  # the result's trace is exactly this
    allowed = {"44", "12", str(result["reporting_year"])}
    allowed |= {str(f["data_year"]) for f in result["electricity_factors"].values()}
    for name in set(asked):
        terms = terms_of(name)
        for used, value in [(name, terms.value), *terms.used.items()]:
            if used in BUILTIN:  # a term that is an indicator is the computed indicator
                assert _same(value, indicators[used]["value"]), (name, used)
            allowed |= _shown(value)
        for part in terms.parts:
            allowed |= (_shown(part.quantity) | _shown(part.value) | _shown(part.carrier.coefficient)
                        | _shown(part.carrier.emission_factor))
        if terms.parts:  # the carriers' parts add up to the formula's value, less the fuel
            # used as a reductant or feedstock (its carbon is counted in the carbon balance)
            less = float(terms.used.get("feedstock_tco2", 0.0))
            assert sum(p.value for p in terms.parts) - less == pytest.approx(terms.value, rel=1e-9)
    for line in lines:
        value = indicators[line["id"]]["value"] if line["id"] in indicators else None
        if line["id"] in indicators:  # the sentence opens with the indicator's value
            head = fmt(value, indicators[line["id"]]["unit"])
            assert f"{head} = " in line["zh"] and f"{head} = " in line["en"], line["zh"]
        for text in (line["zh"], re.sub(r"Scope [12]", "", line["en"])):
            for number in _NUMBER.findall(text):
                assert number in allowed, f"{path.stem} {line['id']}: {number} in {text}"
