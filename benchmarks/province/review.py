"""Review: three experts without a conflict per application, scores on the anchored scales,
and the experts' aggregate as review.services.summary makes it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import numpy as np

from assessor.engine.result import level_for_total
from assessor.review import aggregate as agg
from assessor.review.scales import reviewable_items, scale

from .records import Province
from .shape import DAY


def reviews(rng, criteria, result: dict, green: bool) -> dict:
    """Three experts' scores: the engine's points on scored items, the anchored scale on
    expert items (higher for the green enterprises)."""
    engine_points = {i["id"]: i["points"] for i in result["items"]}
    items = reviewable_items(criteria, result)
    out = []
    for _ in range(3):
        scores = {}
        for item in items:
            if item.kind == "scored":
                scores[item.id] = float(engine_points[item.id])
            else:
                anchors = scale(item)
                low = len(anchors) // 2 if green else 0
                scores[item.id] = float(anchors[int(rng.integers(low, len(anchors)))].points)
        out.append(scores)
    expert = {i.id: float(np.median([s[i.id] for s in out])) for i in items
              if i.kind == "expert"}
    return {"scores": out, "items": items, "expert": expert, "engine": engine_points}


def basis(round_: dict, criteria, plan: dict, levels: list[dict]) -> dict:
    """What review.services.summary returns for three submitted reviews."""
    reviews, items = plan["reviews"]["scores"], plan["reviews"]["items"]
    method, threshold = round_["aggregation"], round_["disagreement_threshold"]
    per_item = {}
    for item in items:
        per_item[item.id] = agg.summarise([r[item.id] for r in reviews], method,
                                          item.points, threshold).as_dict()
        per_item[item.id]["engine"] = plan["reviews"]["engine"].get(item.id)
    applicable = sum(item.points for item in items)
    totals = [sum(r.get(i.id, 0.0) for i in items) / applicable
              * criteria.model.total_points for r in reviews]
    total = agg.summarise(totals, method, criteria.model.total_points, threshold).as_dict()
    chosen = level_for_total({"levels": levels}, total["value"])
    recommendation = "approve" if not chosen["fallback"] else "reject"
    return {"method": method, "method_title": agg.METHOD_TITLES[method], "reviews": 3,
            "items": per_item, "total": total,
            "flagged": [k for k, v in per_item.items() if v["disagreement"]]
            + (["total"] if total["disagreement"] else []),
            "level_with_expert_points": {"id": chosen["id"], "title": chosen["title"],
                                         "total": total["value"]},
            "recommendations": {recommendation: 3}}


def review_rows(province: Province, app_id: int, org: dict, plan: dict,
                later: Callable[..., datetime], complete: bool) -> list[dict]:
    """Three experts without a conflict, assigned, declared and scoring; an application
    still in review has some assignments waiting or reviews in draft."""
    rng = province.rng
    members = {m["uscc"] for m in plan["data"][-1].get("members", [])}
    applicants = {org["uscc"]} | members
    free = [e for e in province.experts if province.ties[e][0] not in applicants
            and not (province.ties[e][1] & applicants)]
    chosen = [free[int(k)] for k in rng.choice(len(free), 3, replace=False)]
    assigned = later(1, 5)
    rows = []
    for n, expert in enumerate(chosen):
        assignment = assign(province, app_id, expert, assigned)
        rows.append(assignment)
        # how far the expert got: 0 waiting, 1 declared, 2 review in draft, 3 review submitted
        stage = 3 if complete else int(rng.integers(0, 4))
        if stage == 0:
            continue
        declared = later(0, 2)
        assignment.update(state="active", declared_at=declared)
        province.event(declared, expert, "declare_no_conflict", "application", app_id,
                       details={"assignment": assignment["id"]})
        if stage == 1:
            continue
        scores = plan["reviews"]["scores"][n]
        if complete:
            recommendation = ("reject" if plan["basis"]["level_with_expert_points"]["id"]
                              == "not_qualified" else "approve")
        else:
            recommendation = ("approve", "reject", "return")[int(rng.integers(3))]
        write_review(province, app_id, expert, assignment, scores, recommendation,
                     later(0, 6), submit=stage == 3)
    return rows


def assign(province: Province, app_id: int, expert: int, assigned: datetime) -> dict:
    """The province officer's assignment, and the expert's notice to declare conflicts."""
    officer = province.province[0]
    assignment = province.add("assignment", application_id=app_id, expert_id=expert,
                              state="pending", assigned_by=officer, assigned_at=assigned,
                              due_on=assigned.date() + 14 * DAY, declared_at=None,
                              decline_reason=None)
    province.event(assigned, officer, "assign_expert", "application", app_id,
                   details={"expert": expert, "assignment": assignment["id"]})
    province.notify(assigned, [expert], f"您有新的评审任务（申报编号 {app_id}），请先声明有无利益冲突。",
                    f"New review assignment (application {app_id}): declare conflicts first.",
                    None)
    return assignment


def write_review(province: Province, app_id: int, expert: int, assignment: dict, scores: dict,
                 recommendation: str, written: datetime, *, submit: bool) -> None:
    """The expert's review, saved as a draft or submitted with its recommendation."""
    review = province.add("review", assignment_id=assignment["id"], scores=scores,
                          comments={}, opinion="基本要求核查完毕，评分依据见各项说明。",
                          recommendation=recommendation if submit else None,
                          inspection=None, submitted_at=written if submit else None,
                          updated_at=written)
    if submit:
        assignment["state"] = "submitted"
    province.event(written, expert, "submit_review" if submit else "save_review",
                   "application", app_id,
                   details={"assignment": assignment["id"], "review": review["id"]})
