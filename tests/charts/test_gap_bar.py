"""The gap bar (charts/gap.py): where the applicant is and where the threshold is, accessible,
escaped, and nothing drawn where there is nothing to compare."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessor.charts.gap import gap_bar
from tests.charts.helpers import SVG, parse

TITLE = ("单位能耗碳排放", "CO2 per unit of energy")


def blocking(value, threshold, op="<=", unit="tCO2/tce"):
    return {"id": "F-G6", "value": value, "threshold": threshold, "op": op, "unit": unit}


def test_the_bar_names_both_numbers_in_both_languages():
    root = parse(gap_bar(blocking(4.10571, 1.8), title=TITLE))
    assert root.get("role") == "img" and root.get("width") == "100%"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and title.text == "单位能耗碳排放：差距 / CO2 per unit of " \
                                                         "energy: the gap"
    assert "本单位 4.106 tCO2/tce，要求不高于 1.8 tCO2/tce" in desc.text
    assert "required at most 1.8 tCO2/tce" in desc.text
    marks = {e.get("data-key"): float(e.get("data-value")) for e in root.iter()
             if e.get("data-key")}
    assert marks == {"value": 4.10571, "threshold": 1.8}


def test_shares_are_drawn_in_per_cent_and_english_labels():
    svg = gap_bar(blocking(0.1705, 0.3, ">=", "fraction"), title=TITLE, lang="en")
    assert "required at least 30 %" in svg and "here 17.05 %" in svg


@pytest.mark.parametrize("value, threshold, op", [
    (None, 1.8, "<="), (1.0, None, "<="), (math.nan, 1.8, "<="), (1.0, math.inf, "<="),
    (1.0, 1.8, "in")])
def test_nothing_to_compare_draws_nothing(value, threshold, op):
    assert gap_bar(blocking(value, threshold, op), title=TITLE) is None


@settings(max_examples=60, deadline=None)
@given(value=st.floats(-1e12, 1e12), threshold=st.floats(-1e12, 1e12),
       op=st.sampled_from(["<=", "<", ">=", ">", "==", "!="]), label=st.text(max_size=30))
def test_any_pair_gives_a_well_formed_bar(value, threshold, op, label):
    root = parse(gap_bar(blocking(value, threshold, op), title=(label, label)))
    for element in list(root.iter())[1:]:  # the root's width is 100%
        for name in ("x", "width", "x1", "x2"):
            if element.get(name) is not None:
                assert math.isfinite(float(element.get(name)))
        if element.get("width") is not None:
            assert float(element.get("width")) >= 0
