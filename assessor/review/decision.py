"""Aggregation and the decision: the experts' submitted reviews summed up by the round's method,
with their spread and disagreements, and the officer's approval or rejection through the
lifecycle with that summary as its basis."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, select

from ..accounts.models import User
from ..applications.lifecycle import transition
from ..applications.models import Application
from ..applications.workflow import REVIEW
from ..engine import Engine
from ..engine.result import level_for_total
from ..rounds.models import Round
from . import aggregate as agg
from .applicants import frozen_result, submitted_revision
from .errors import ReviewError
from .models import Assignment, Review
from .scales import reviewable_items


def submitted_reviews(db: Session, application: Application) -> list[tuple[Assignment, Review]]:
    rows = db.exec(select(Assignment, Review).join(Review, Review.assignment_id == Assignment.id)
                   .where(Assignment.application_id == application.id,
                          Assignment.state == "submitted").order_by(Assignment.id)).all()
    return [(a, r) for a, r in rows]


def summary(db: Session, engine: Engine, application: Application) -> dict:
    """Per item and in total: the round's aggregate, the spread and disagreement flags; and the
    level the aggregated expert points give."""
    round_ = db.get(Round, application.round_id)
    result = frozen_result(db, application)
    criteria = engine.criteria(result["criteria"]["id"])
    reviews = submitted_reviews(db, application)
    items = reviewable_items(criteria, result)
    engine_points = {i["id"]: i["points"] for i in result["items"]}
    per_item = {}
    for item in items:
        values = [r.scores[item.id] for _, r in reviews if item.id in r.scores]
        per_item[item.id] = agg.summarise(values, round_.aggregation, item.points,
                                          round_.disagreement_threshold).as_dict()
        per_item[item.id]["engine"] = engine_points.get(item.id)
    applicable_max = sum(item.points for item in items)
    totals = [sum(r.scores.get(item.id, 0.0) for item in items) / applicable_max
              * criteria.model.total_points for _, r in reviews] if applicable_max else []
    total = agg.summarise(totals, round_.aggregation, criteria.model.total_points,
                          round_.disagreement_threshold).as_dict()
    level = None
    expert_items = [i.id for i in items if i.kind == "expert"]
    if reviews and total["value"] is not None:
        # gates and conditions from the data (expert items at the experts' aggregate); the
        # points from the experts' aggregate total
        revision = submitted_revision(db, application)
        data = dict(revision.data)
        data["expert_scores"] = {i: per_item[i]["value"] for i in expert_items
                                 if per_item[i]["value"] is not None}
        chosen = level_for_total(engine.score(data, criteria.model.id), total["value"])
        level = {"id": chosen["id"], "title": chosen["title"], "total": total["value"]}
    recommendations: dict[str, int] = {}
    for _assignment, r in reviews:
        recommendations[r.recommendation] = recommendations.get(r.recommendation, 0) + 1
    return {"method": round_.aggregation, "method_title": agg.METHOD_TITLES[round_.aggregation],
            "reviews": len(reviews), "items": per_item, "total": total,
            "flagged": [k for k, v in per_item.items() if v["disagreement"]]
            + (["total"] if total["disagreement"] else []),
            "level_with_expert_points": level, "recommendations": recommendations}


def decide(db: Session, engine: Engine, officer: User, application: Application, action: str,
           reason: str, today: date) -> Application:
    """Approve or reject through the lifecycle, with the expert aggregate as the basis."""
    if action not in ("approve", "reject"):
        raise ReviewError(_("未知的决定"))
    basis = summary(db, engine, application)
    if basis["reviews"] == 0:
        raise ReviewError(_("尚无已提交的专家评审，不能决定"))
    return transition(db, engine, application, action, officer, reason=reason, today=today,
                      basis=basis, route=REVIEW)
