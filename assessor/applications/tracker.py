"""The step tracker on an application's page: 填报 → 材料 → 提交 → 市州推荐 → 形式审查 → 专家评审 →
决定 → 公示 → 列入名单, read from the application's state and its recorded moves (audit events),
with where it stands, who has it and the Beijing dates.

Each step is done, current (the application waits there; `since` is the date it arrived),
to come, stopped (withdrawn, rejected or removed there) or not reached (after a stop).

材料 is done when every required evidence kind has a file: the kinds the items that apply ask
for (submission.required_kinds, as the check-your-answers page lists them); a criteria set
naming none asks for at least one file. Once submitted, 材料 is done with the submission
(the files were frozen with it) and says which required kinds were missing, if any.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from ..platform.viewkit import beijing_date

Text = tuple[str, str]  # (zh, en)

STEPS: tuple[tuple[str, Text], ...] = (
    ("fill", ("填报", "Fill in")),
    ("evidence", ("材料", "Evidence")),
    ("submit", ("提交", "Submit")),
    ("city", ("市州推荐", "City recommendation")),
    ("formal", ("形式审查", "Formal check")),
    ("review", ("专家评审", "Expert review")),
    ("decision", ("决定", "Decision")),
    ("publicity", ("公示", "Publicity")),
    ("listing", ("列入名单", "Listed")),
)
KEYS = [key for key, _ in STEPS]
TITLES = dict(STEPS)
DONE, CURRENT, TO_COME, STOPPED, NOT_REACHED = "done", "current", "to_come", "stopped", "not_reached"
STATUS_TITLES: dict[str, Text] = {
    DONE: ("已完成", "Done"), CURRENT: ("当前", "Current"), TO_COME: ("待办", "To come"),
    STOPPED: ("已终止", "Stopped"), NOT_REACHED: ("未进行", "Not reached"),
}

# the step an application in each state waits at (listed: none, every step is done)
WAITS_AT = {"draft": "fill", "returned": "fill", "submitted": "city", "recommended": "formal",
            "in_review": "review", "approved": "publicity", "in_publicity": "publicity"}
# the move whose latest date marks each step done
DONE_BY = {"fill": "submit", "evidence": "submit", "submit": "submit", "city": "recommend",
           "formal": "accept", "review": ("approve", "reject"), "decision": ("approve", "reject"),
           "publicity": "list", "listing": "list"}
RETURNS = ("city_return", "province_return")
# an expert assignment's state after each recorded move (review/states.py); those that hold a
# place on the panel are pending, active or submitted
REVIEW_MOVES = {"assign_expert": "pending", "declare_no_conflict": "active",
                "submit_review": "submitted", "reopen_review": "active",
                "decline_assignment": "out", "expire_assignment": "out", "review_conflict": "out"}


@dataclass(frozen=True)
class Step:
    key: str
    title: Text
    status: str
    on: date | None = None  # done or stopped: that day; current: the day it arrived
    holder: Text | None = None  # the current step: who has it
    note: Text | None = None

    @property
    def status_title(self) -> Text:
        return STATUS_TITLES[self.status]


def holders(city_zh: str | None, city_en: str | None) -> dict[str, Text]:
    """Who has an application waiting at each step."""
    applicant = ("申报单位", "The applicant")
    province = ("省工业和信息化厅", "The provincial Department of Industry and IT")
    city = (f"{city_zh or '市（州）'}工业和信息化局",
            f"{city_en or 'The city'} Bureau of Industry and IT")
    return {"fill": applicant, "evidence": applicant, "submit": applicant, "city": city,
            "formal": province, "review": ("评审专家", "The experts"), "decision": province,
            "publicity": province, "listing": province}


def missing_kinds(required: Iterable[str], files: Iterable[tuple[str, datetime]]) -> list[str]:
    """The required kinds without a file; with none required, ['*'] when there is no file."""
    have = {kind for kind, _ in files}
    required = list(required)
    if not required:
        return [] if have else ["*"]
    return [k for k in required if k not in have]


def steps(state: str, events: Iterable, files: list[tuple[str, datetime]],
          required: list[str], kind_titles: dict[str, Text], holder: dict[str, Text]) -> list[Step]:
    """The nine steps in order. `events`: the application's audit events, oldest first (each with
    .action, .from_state and .at); `files`: (kind, uploaded_at) of the files shown with it."""
    events = list(events)
    latest: dict[str, date] = {}
    last_return = withdrawn_from = None
    for event in events:
        latest[event.action] = beijing_date(event.at)
        if event.action in RETURNS:
            last_return = event.action
        if event.action == "withdraw":
            withdrawn_from = event.from_state
    missing = missing_kinds(required, files)
    if state == "withdrawn":
        return _stopped_at(WAITS_AT.get(withdrawn_from, "fill"), latest, ("已撤回", "Withdrawn"),
                           latest.get("withdraw"), missing, kind_titles)
    if state == "rejected":
        return _stopped_at("decision", latest, ("未通过", "Rejected"), latest.get("reject"),
                           missing, kind_titles)
    if state == "removed":
        return _stopped_at("listing", latest, ("已移出名单", "Removed from the list"),
                           latest.get("remove"), missing, kind_titles)
    waits = WAITS_AT.get(state)  # None: listed
    reviews_in = _reviews_in(events)
    if reviews_in:
        latest["reviews_in"] = reviews_in
        if state == "in_review":  # every expert on the panel has submitted: the province decides
            waits = "decision"
    at = KEYS.index(waits) if waits else len(KEYS)
    result = [_done(key, latest, missing, kind_titles) for key in KEYS[:at]]
    if waits:
        result.append(_current(waits, state, latest, last_return, holder))
        result += [_to_come(key, missing, kind_titles, files) for key in KEYS[at + 1:]]
    return result


def _reviews_in(events: list) -> date | None:
    """The day the last expert on the panel submitted, when every one of them has (replayed
    from the assignment moves recorded on the application); None while any is outstanding."""
    panel: dict[int, str] = {}
    last = None
    for event in events:
        assignment = (getattr(event, "details", None) or {}).get("assignment")
        if event.action in REVIEW_MOVES and assignment is not None:
            panel[assignment] = REVIEW_MOVES[event.action]
            if event.action == "submit_review":
                last = beijing_date(event.at)
    holding = [s for s in panel.values() if s != "out"]
    return last if holding and all(s == "submitted" for s in holding) else None


def _missing_note(missing: list[str], kind_titles: dict[str, Text],
                  lead: Text = ("缺少：", "Missing: ")) -> Text | None:
    if not missing:
        return None
    if missing == ["*"]:
        return ("尚未上传材料", "No file uploaded yet")
    titles = [kind_titles.get(k, (k, k)) for k in missing]
    return (lead[0] + "、".join(t[0] for t in titles), lead[1] + "; ".join(t[1] for t in titles))


def _done(key: str, latest: dict[str, date], missing: list[str],
          kind_titles: dict[str, Text]) -> Step:
    moves = DONE_BY[key] if isinstance(DONE_BY[key], tuple) else (DONE_BY[key],)
    if key == "review" and "reviews_in" in latest:
        moves = ("reviews_in",)
    on = max((latest[m] for m in moves if m in latest), default=None)
    note = None
    if key == "evidence" and missing:
        note = _missing_note(missing, kind_titles, ("提交时缺少：", "Missing at submission: "))
    elif key == "decision":
        note = ("通过", "Approved")
    return Step(key, TITLES[key], DONE, on, note=note)


def _current(key: str, state: str, latest: dict[str, date], last_return: str | None,
             holder: dict[str, Text]) -> Step:
    arrived = {"draft": "create", "returned": last_return, "submitted": "submit", "recommended": "recommend",
               "in_review": "uphold_objection" if "uphold_objection" in latest else "accept",
               "approved": "approve", "in_publicity": "publicize"}.get(state)
    note = None
    if state == "returned":
        by = "市（州）" if last_return == "city_return" else "省厅"
        by_en = "the city" if last_return == "city_return" else "the province"
        note = (f"已由{by}退回修改，待申报单位修改后重新提交",
                f"Returned for changes by {by_en}: the applicant changes it and submits again")
    elif state == "approved":
        note = ("已决定通过，待公示", "Approved, awaiting publicity")
    elif state == "in_publicity":
        note = ("公示中", "In publicity")
    elif key == "decision":
        arrived = "reviews_in"
        note = ("专家评审已全部提交，待省厅决定", "All expert reviews are in: the province decides")
    elif state == "in_review" and "uphold_objection" in latest:
        note = ("异议成立，重新评审决定", "Objection upheld: decided again")
    return Step(key, TITLES[key], CURRENT, latest.get(arrived) if arrived else None,
                holder=holder[key], note=note)


def _to_come(key: str, missing: list[str], kind_titles: dict[str, Text],
             files: list[tuple[str, datetime]]) -> Step:
    """A step still ahead; 材料 already complete in a draft is done on its last file's day."""
    if key == "evidence":
        if not missing and files:
            return Step(key, TITLES[key], DONE, beijing_date(max(at for _, at in files)))
        return Step(key, TITLES[key], TO_COME, note=_missing_note(missing, kind_titles))
    return Step(key, TITLES[key], TO_COME)


def _stopped_at(key: str, latest: dict[str, date], note: Text, on: date | None,
                missing: list[str], kind_titles: dict[str, Text]) -> list[Step]:
    """Done up to `key`, stopped there (withdrawn, rejected, removed), not reached after."""
    at = KEYS.index(key)
    result = [_done(k, latest, missing, kind_titles) for k in KEYS[:at]]
    result.append(Step(key, TITLES[key], STOPPED, on, note=note))
    return result + [Step(k, TITLES[k], NOT_REACHED) for k in KEYS[at + 1:]]
