"""The anchored scale an expert scores each item on, every value labelled.

Expert items carry their scale in the criteria set. Scored items get one from their rule: the
points of each band, or five steps of a linear rule labelled with the indicator value each needs.
The engine's own points are always on the scale, so agreeing with them needs no comment.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import CriteriaSet
from ..engine.wording import OP_SIGN


@dataclass(frozen=True)
class Anchor:
    points: float
    zh: str
    en: str


def _linear(item) -> list[Anchor]:
    s = item.scoring
    unit = s.unit or ""
    anchors = []
    for share in (0, 0.25, 0.5, 0.75, 1):
        value = s.baseline + share * (s.leading - s.baseline)
        anchors.append(Anchor(round(item.points * share, 6), f"指标值约 {value:g} {unit}",
                              f"indicator about {value:g} {unit}"))
    return anchors


def _bands(item) -> list[Anchor]:
    s = item.scoring
    anchors = [Anchor(0.0, "未达到任何得分档", "below every band")]
    for band in s.bands:
        if band.label:
            anchors.append(Anchor(band.points, band.label.zh, band.label.en))
        else:
            text = f"{OP_SIGN.get(band.op, band.op)} {band.value:g} {s.unit or ''}".strip()
            anchors.append(Anchor(band.points, text, text))
    return anchors


def scale(item, engine_points: float | None = None) -> list[Anchor]:
    if item.kind == "expert":
        anchors = [Anchor(a.points, a.label.zh, a.label.en) for a in item.scale]
    elif item.scoring.method == "linear":
        anchors = _linear(item)
    else:
        anchors = _bands(item)
    by_points: dict[float, Anchor] = {}
    for anchor in anchors:
        by_points.setdefault(round(anchor.points, 6), anchor)
    if engine_points is not None and round(engine_points, 6) not in by_points:
        by_points[round(engine_points, 6)] = Anchor(round(engine_points, 6), "系统计算值",
                                                    "the engine's value")
    return [by_points[p] for p in sorted(by_points)]


def reviewable_items(criteria: CriteriaSet, result: dict) -> list:
    """Scored and expert items that apply to this submission (per its frozen result)."""
    status = {i["id"]: i["status"] for i in result["items"]}
    return [item for item in criteria.model.items
            if item.kind in ("scored", "expert") and status.get(item.id) != "not_applicable"]
