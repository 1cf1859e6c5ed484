"""Aggregating expert scores: mean, median or trimmed mean, with the spread and a flag where
experts disagree beyond the round's threshold."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from flask_babel import gettext as _

METHODS = ("mean", "median", "trimmed_mean")
# In Chinese, as the records and the workbook keep them; method_title() for the interface.
METHOD_TITLES = {"mean": "平均值", "median": "中位数", "trimmed_mean": "截尾平均（5份及以上评审时去掉最高和最低分）"}


def method_title(method: str) -> str:
    """The method's name in the user's language."""
    return {"mean": _("平均值"), "median": _("中位数"),
            "trimmed_mean": _("截尾平均（5份及以上评审时去掉最高和最低分）")}.get(method, method)


@dataclass(frozen=True)
class Summary:
    n: int
    value: float | None
    mean: float | None
    median: float | None
    std: float | None  # sample standard deviation
    low: float | None
    high: float | None
    range: float | None
    disagreement: bool

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def aggregate(values: list[float], method: str) -> float | None:
    if not values:
        return None
    if method == "median":
        return statistics.median(values)
    if method == "trimmed_mean" and len(values) >= 5:
        ordered = sorted(values)[1:-1]
        return statistics.fmean(ordered)
    return statistics.fmean(values)


def summarise(values: list[float], method: str, maximum: float, threshold: float) -> Summary:
    """`threshold` is a share of `maximum`: a range wider than that is a disagreement."""
    if method not in METHODS:
        raise ValueError(f"unknown aggregation {method}")
    if not values:
        return Summary(0, None, None, None, None, None, None, None, False)
    low, high = min(values), max(values)
    spread = high - low
    return Summary(
        n=len(values), value=round(aggregate(values, method), 6),
        mean=round(statistics.fmean(values), 6), median=statistics.median(values),
        std=round(statistics.stdev(values), 6) if len(values) >= 2 else 0.0,
        low=low, high=high, range=spread,
        disagreement=maximum > 0 and spread > threshold * maximum + 1e-9)
