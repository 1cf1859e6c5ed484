"""Aggregation against hand-computed examples."""

import pytest

from assessor.review.aggregate import aggregate, summarise


def test_hand_computed_examples():
    scores = [6, 8, 10]
    assert aggregate(scores, "mean") == 8 and aggregate(scores, "median") == 8
    five = [2, 7, 8, 9, 20]  # trimmed: drop 2 and 20 → (7 + 8 + 9) / 3 = 8
    assert aggregate(five, "trimmed_mean") == 8
    assert aggregate(five, "mean") == pytest.approx(46 / 5)
    assert aggregate([5, 9, 1, 3], "median") == 4  # (3 + 5) / 2
    assert aggregate([1, 2, 3, 4], "trimmed_mean") == 2.5  # four reviews: nothing dropped
    assert aggregate([], "mean") is None


def test_spread_and_flag():
    s = summarise([6, 8, 10], "mean", maximum=10, threshold=0.3)
    assert (s.low, s.high, s.range) == (6, 10, 4)
    assert s.std == pytest.approx(2.0)  # sample standard deviation of 6, 8, 10
    assert s.disagreement  # 4 > 0.3 × 10
    assert not summarise([6, 8, 9], "mean", maximum=10, threshold=0.3).disagreement  # 3 = 3
    single = summarise([7], "median", maximum=10, threshold=0.3)
    assert single.std == 0 and not single.disagreement
    with pytest.raises(ValueError):
        summarise([1], "mode", maximum=10, threshold=0.3)
