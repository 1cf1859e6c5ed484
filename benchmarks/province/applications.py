"""Applications and revisions: each application's way to its final state, move by move, with the
audit events and notifications each move writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assessor.applications.lifecycle import submitted_summary
from assessor.applications.workflow import MOVES

from .records import Province
from .review import review_rows
from .shape import DAY, REASONS, at


class Way:
    """One application on its way: its clock, state and revisions as the moves change them."""

    def __init__(self, province: Province, round_: dict, plan: dict, timeline: dict):
        self.province, self.round, self.plan, self.timeline = province, round_, plan, timeline
        self.rng, self.org = province.rng, plan["org"]
        self.id = plan["id"] = province.ids("application")
        self.applicant = self.org["user"]
        self.city = province.city_officer[self.org["city"]]
        span = (timeline["last"] - timeline["opens"]).days
        day = timeline["opens"] + int(self.rng.integers(0, max(1, span // 2))) * DAY
        self.clock = at(day, self.rng)
        self.state = "draft"
        self.revisions: list[dict] = []
        self.summary = {"submitted_total": None, "submitted_failed_gates": None}

    def later(self, days_low=1, days_high=12) -> datetime:
        """A moment some days on, before the round's last day closes."""
        rng = self.rng
        step = int(rng.integers(days_low, days_high + 1))
        limit = datetime.combine(self.timeline["last"], datetime.min.time(), UTC) + DAY
        wanted = min(self.clock + step * DAY + timedelta(minutes=int(rng.integers(1, 300))),
                     limit - timedelta(minutes=int(rng.integers(1, 600))))
        self.clock = max(wanted, self.clock + timedelta(minutes=int(rng.integers(1, 30))))
        return self.clock

    def revision(self, number: int, when: datetime, reason: str | None) -> None:
        self.revisions.append(
            {"id": self.province.ids("revision"), "application_id": self.id, "number": number,
             "data": self.plan["data"][number - 1], "criteria_id": self.round["criteria_id"],
             "result": None, "engine_version": None, "evidence": None, "submitted_at": None,
             "submitted_by": None, "return_reason": reason, "lock_version": 3,
             "created_at": when, "updated_at": when})

    def move(self, action: str, actor: int, *, reason=None, basis=None) -> None:
        """One move of the workflow: what lifecycle stores with it, its event, its notices."""
        target = MOVES[action].target
        when = self.later()
        details = None
        if action == "submit":
            revision = self.revisions[-1]
            result = self.plan["results"][revision["number"] - 1]
            revision.update(result=result, engine_version=result["engine_version"],
                            evidence=[], submitted_at=when, submitted_by=self.applicant,
                            updated_at=when)
            self.summary.update(submitted_summary(result))
            details = {"revision": revision["number"], "level": result["level"]["id"],
                       "total": result["total"]["points"]}
        elif target == "returned":
            number = self.revisions[-1]["number"] + 1
            self.revision(number, when, reason)
            details = {"new_revision": number}
        if basis is not None:
            details = {"basis": basis}
        self.province.event(when, actor, action, "application", self.id, from_state=self.state,
                            to_state=target, reason=reason, details=details)
        self.province.notify_move(when, action, self.id, self.org, self.state, reason)
        self.state = target


def application(province: Province, round_: dict, plan: dict, timeline: dict) -> None:
    """The application's rows and the events of its way to its final state."""
    way = Way(province, round_, plan, timeline)
    created = way.clock
    way.revision(1, created, None)
    province.event(created, way.applicant, "create", "application", way.id, to_state="draft",
                   details={"round": round_["id"]})
    decision, assignments = go(way, plan["state"])
    plan.update(state=way.state, decided_at=way.clock, assignments=assignments,
                revisions=way.revisions)
    basis = plan["basis"] if decision else None
    plan["row"] = province.add(
        "application", id=way.id, round_id=round_["id"], organisation_id=way.org["id"],
        state=way.state, created_by=way.applicant, created_at=created, updated_at=way.clock,
        decision={"approve": "approved", "reject": "rejected"}.get(decision),
        decision_basis=basis, **way.summary)
    province.rows["revision"].extend(way.revisions)


def go(way: Way, final: str) -> tuple[str | None, list[dict]]:
    """The moves from draft to `final`: the decision taken and the experts' assignments."""
    rng, province, applicant, city = way.rng, way.province, way.applicant, way.city
    decision = None
    assignments: list[dict] = []
    if final == "draft":
        return decision, assignments
    if final == "returned" or way.plan["cycle"]:
        way.move("submit", applicant)
        if rng.random() < 0.6:
            way.move("city_return", city, reason=REASONS["city_return"])
        else:
            way.move("recommend", city)
            way.move("province_return", province.province[0], reason=REASONS["province_return"])
        if final != "returned":
            way.move("submit", applicant)
    elif final != "withdrawn" or rng.random() < 0.7:
        way.move("submit", applicant)
    if final in ("recommended", "in_review", "decided"):
        way.move("recommend", city)
    if final in ("in_review", "decided"):
        way.move("accept", province.province[0])
        assignments = review_rows(province, way.id, way.org, way.plan, way.later,
                                  complete=final == "decided")
    if final == "withdrawn":
        way.move("withdraw", applicant, reason=REASONS["withdraw"])
    if final == "decided":
        basis = way.plan["basis"]
        level = basis["level_with_expert_points"]["id"]
        decision = "reject" if level == "not_qualified" else "approve"
        way.move(decision, province.province[1], reason=REASONS[decision], basis=basis)
    return decision, assignments
