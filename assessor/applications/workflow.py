"""The application lifecycle: states, the transition table, and the one function that moves an
application between states.

    draft ─submit─▶ submitted ─recommend─▶ recommended ─accept─▶ in_review ─approve/reject─▶ decided
      ▲                 │ return (city)        │ return (province)
      └── returned ◀────┴──────────────────────┘
    withdrawn: by the applicant at any point before a decision
    approved ─publicize─▶ in_publicity ─list─▶ listed ─remove─▶ removed
                              │ objection upheld ─▶ in_review (decided again)

`transition()` is the only writer of Application.state: it refuses moves that are not in the
table, actors who may not make them and moves asked for on a route not built for them, writes
the audit event and notifies the people concerned.

Each move has one route (the table's `route` column): the application page's generic transition
(and the API's submit), the review summary's decision, or the publication services, which keep
the public list, the certificates and the verify page in step with the state.
"""

from __future__ import annotations

from dataclasses import dataclass

STATES = ("draft", "submitted", "recommended", "in_review", "approved", "rejected", "returned",
          "withdrawn", "in_publicity", "listed", "removed")
EDITABLE = ("draft", "returned")
DECISIONS = ("approved", "rejected")  # Application.decision: what approve or reject decided

STATE_TITLES = {
    "draft": ("草稿", "Draft"),
    "submitted": ("已提交，待市（州）推荐", "Submitted, awaiting the city"),
    "recommended": ("市（州）已推荐，待形式审查", "Recommended, awaiting the formal check"),
    "in_review": ("专家评审中", "In expert review"),
    "approved": ("已通过", "Approved"),
    "rejected": ("未通过", "Rejected"),
    "returned": ("已退回修改", "Returned for changes"),
    "withdrawn": ("已撤回", "Withdrawn"),
    "in_publicity": ("公示中", "In publicity"),
    "listed": ("已列入培育名单", "Listed"),
    "removed": ("已移出名单", "Removed from the list"),
}


APPLICATION, REVIEW, PUBLICATION = "application", "review", "publication"  # the routes


@dataclass(frozen=True)
class Move:
    action: str
    sources: tuple[str, ...]
    target: str
    role: str  # who may make it: applicant, city_officer or province_officer
    needs_reason: bool
    zh: str
    en: str
    route: str = APPLICATION  # the only route that may make it


MOVES: dict[str, Move] = {m.action: m for m in (
    Move("submit", ("draft", "returned"), "submitted", "applicant", False, "提交", "Submit"),
    # the reason of a recommendation is the city's 推荐意见 (recommendation text)
    Move("recommend", ("submitted",), "recommended", "city_officer", True, "推荐", "Recommend"),
    Move("city_return", ("submitted",), "returned", "city_officer", True, "退回修改",
         "Return for changes"),
    Move("accept", ("recommended",), "in_review", "province_officer", False,
         "形式审查通过，进入评审", "Accept into review"),
    Move("province_return", ("recommended",), "returned", "province_officer", True, "退回修改",
         "Return for changes"),
    # decided on the review summary, with the experts' aggregate as the basis
    Move("approve", ("in_review",), "approved", "province_officer", True, "决定通过", "Approve",
         route=REVIEW),
    Move("reject", ("in_review",), "rejected", "province_officer", True, "决定不通过", "Reject",
         route=REVIEW),
    Move("withdraw", ("draft", "submitted", "recommended", "in_review", "returned"), "withdrawn",
         "applicant", True, "撤回申报", "Withdraw"),
    # publication-only: made for a whole round, or through an objection or a removal, by the
    # service that also keeps the list, the certificates and the verify page
    Move("publicize", ("approved",), "in_publicity", "province_officer", False, "进入公示",
         "Open publicity", route=PUBLICATION),
    Move("uphold_objection", ("in_publicity",), "in_review", "province_officer", True,
         "异议成立，退回重新决定", "Objection upheld: back to decision", route=PUBLICATION),
    Move("list", ("in_publicity",), "listed", "province_officer", False, "列入培育名单",
         "Publish on the list", route=PUBLICATION),
    Move("remove", ("listed",), "removed", "province_officer", True, "移出名单",
         "Remove from the list", route=PUBLICATION),
)}
PUBLICATION_ONLY = frozenset(a for a, m in MOVES.items() if m.route == PUBLICATION)


def moves_from(state: str, role: str) -> list[Move]:
    """The moves offered as buttons on the application page: those of its own route."""
    return [m for m in MOVES.values()
            if state in m.sources and m.role == role and m.route == APPLICATION]
