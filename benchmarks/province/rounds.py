"""Eight rounds (factories and parks, data years 2021–2024) and who applies to each, scored by
the engine in one batch per round as submitting would score them."""

from __future__ import annotations

import sys

import numpy as np

from assessor.engine import parse_submission
from assessor.engine.result import _level_requirements, submission_result

from .applications import application
from .people import people
from .publication import publication
from .records import Province
from .review import basis, reviews
from .shape import CRITERIA, CURRENT, DAY, LISTED_SHARE, PARK_SHARE, PAST, YEAR_SHARE, YEARS, at
from .submissions import factory_data, improved, park_data


def build(province: Province) -> None:
    people(province)
    for spec in rounds(province):
        build_round(province, spec)
        print(f"round {spec['row']['id']} ({spec['row']['title']}): {spec['size']} "
              "applications", file=sys.stderr, flush=True)


def rounds(province: Province) -> list[dict]:
    """A round per subject and year; the past years' are closed, the latest is open today."""
    out = []
    latest = YEARS[-1]
    for year in YEARS:
        age = latest - year
        opens = province.today - 45 * DAY - age * 365 * DAY
        for subject in ("factory", "park"):
            title = f"{year}年度贵州省{'零碳工厂' if subject == 'factory' else '零碳工业园区'}评价申报"
            row = province.add("round", title=title, subject=subject, year=year,
                               criteria_id=CRITERIA[subject], opens_on=opens,
                               closes_on=opens + 90 * DAY, publicity_days=5,
                               reviewers_per_application=3, blind=subject == "park",
                               aggregation="median" if subject == "factory" else "mean",
                               disagreement_threshold=0.3, review_days=14,
                               site_inspection=False, created_by=province.province[0],
                               created_at=at(opens - 5 * DAY, province.rng))
            province.event(row["created_at"], province.province[0], "open_round", "round",
                           row["id"], details={"criteria": row["criteria_id"], "year": year})
            share = YEAR_SHARE[year] * (PARK_SHARE if subject == "park" else 1 - PARK_SHARE)
            out.append({"row": row, "past": age > 0, "size": round(province.total * share)})
    # the rounding may leave a few over or under: the largest round takes the difference
    out[-2]["size"] += province.total - sum(r["size"] for r in out)
    return out


def plan_round(province: Province, spec: dict) -> list[dict]:
    """Who applies and where each application ends, with the data of every revision."""
    round_, rng, orgs = spec["row"], province.rng, province.orgs
    pool = [o for o in orgs if o["kind"] == round_["subject"]]
    chosen = rng.choice(len(pool), spec["size"], replace=False)
    mix = PAST if spec["past"] else CURRENT
    states = rng.choice(list(mix), spec["size"], p=np.array(list(mix.values())) /
                        sum(mix.values()))
    plans = []
    for k, state in zip(chosen, states, strict=True):
        org = pool[int(k)]
        green = state == "decided" and rng.random() < (LISTED_SHARE if spec["past"] else 0.35)
        if round_["subject"] == "factory":
            data = factory_data(org, round_["year"], rng, province.serials, green)
        else:
            members = [orgs[int(m)] for m in rng.integers(0, len(orgs) // 2, 3)]
            data = park_data(org, round_["year"], rng, province.serials, green, members)
        cycle = state not in ("draft", "returned") and rng.random() < 0.15
        plans.append({"org": org, "state": str(state), "cycle": cycle, "data": [data],
                      "green": green})
        if cycle or state == "returned":
            plans[-1]["data"].append(improved(data, rng))
    return plans


def score(engine, criteria_id: str, datas: list[dict]) -> list[dict]:
    """The engine's results for many submissions, scored as one batch."""
    batch = engine.prepare([parse_submission(d) for d in datas], criteria_id)
    assert not engine.double_claims(batch), "generated serials must not repeat"
    scores = engine.scores(batch, criteria_id)
    return [submission_result(scores, batch, engine.reference, i, [])
            for i in range(len(datas))]


def expert_levels(engine, criteria_id: str, datas: list[dict]) -> list[list[dict]]:
    """Each level's gates and conditions with the experts' points in the data, as
    review.services.summary scores them before choosing the level."""
    batch = engine.prepare([parse_submission(d) for d in datas], criteria_id)
    scores = engine.scores(batch, criteria_id)
    levels = engine.criteria(criteria_id).model.levels
    return [[_level_requirements(scores, lv, i) for lv in levels] for i in range(len(datas))]


def build_round(province: Province, spec: dict) -> None:
    """Plan, score, review and decide a round's applications; publish a past round's list."""
    round_, engine = spec["row"], province.engine
    criteria = engine.criteria(round_["criteria_id"])
    plans = plan_round(province, spec)
    submitted = [(p, k) for p in plans for k in range(len(p["data"]))
                 if p["state"] != "draft" and not (p["state"] == "returned" and k == 1)]
    for number in (0, 1):  # a resubmission claims its first revision's serials again
        batch = [(p, k) for p, k in submitted if k == number]
        results = score(engine, round_["criteria_id"], [p["data"][k] for p, k in batch])
        for (p, k), result in zip(batch, results, strict=True):
            p.setdefault("results", {})[k] = result
    for p in plans:
        if p["state"] in ("in_review", "decided"):
            p["reviews"] = reviews(province.rng, criteria, p["results"][len(p["data"]) - 1],
                                   p["green"])
    decided = [p for p in plans if p["state"] == "decided"]
    levels = expert_levels(engine, round_["criteria_id"], [
        {**p["data"][-1], "expert_scores": p["reviews"]["expert"]} for p in decided])
    for p, lv in zip(decided, levels, strict=True):
        p["basis"] = basis(round_, criteria, p, lv)
    timeline = round_timeline(province, spec)
    for p in plans:
        application(province, round_, p, timeline)
    if spec["past"]:
        publication(province, round_, plans, timeline)


def round_timeline(province: Province, spec: dict) -> dict:
    """The days a round's applications move between; a past round's publicity (five working
    days), publication and certificates."""
    round_ = spec["row"]
    opens, closes = round_["opens_on"], round_["closes_on"]
    last = min(province.today - DAY, closes)
    out = {"opens": opens, "last": last}
    if spec["past"]:
        starts = closes + 40 * DAY
        while starts.weekday() >= 5:
            starts += DAY
        ends, counted = starts, 1
        while counted < round_["publicity_days"]:
            ends += DAY
            counted += ends.weekday() < 5
        out.update(publicity=starts, ends=ends, published=ends + 3 * DAY,
                   issued=ends + 10 * DAY)
    return out
