"""How demo organisations, submissions and reviews are built: shared by the open rounds (load.py)
and the past, published round (published.py)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from ..accounts.models import APPLICANT, CITY_OFFICER, User
from ..accounts.uscc import make
from ..applications.submission import Commitment
from ..applications.workflow import MOVES
from ..engine import Engine
from ..review import services as review
from ..review.scales import reviewable_items
from ..rounds.models import Round
from .data import (
    FACTORY_YES,
    PARK_YES,
    REVIEWS,
    YEAR,
    q,
)


def uscc(kind: str, division: str, number: int) -> str:
    """A valid, clearly fictitious code: 91 company / 11 government body, organisation 00000000n."""
    return make(("11" if kind == "park" else "91") + division + f"{number:09d}")


def factory_data(org: dict, entry: dict) -> dict:
    data = {"subject": "factory", "reporting_year": YEAR, "organisation": org, **entry["data"]}
    if entry["title"] is not None:
        data["declarations"] = {**FACTORY_YES, "green_factory_title": entry["title"]}
    if entry["reported"]:
        meter, footprint = entry["reported"]
        data["reported"] = {"meter_auto_collection_rate": q(meter, "%"),
                            "footprint_product_share": q(footprint, "%")}
    return data


def park_data(org: dict, entry: dict, registered: dict, number: int) -> dict:
    members = []
    for member in entry["members"]:
        if isinstance(member, str):
            factory = registered[member]
            members.append({"name": factory["name"], "uscc": factory["uscc"], **factory["data"]})
        else:
            name, division, data = member
            code = uscc("factory", division, number * 10 + len(members))
            members.append({"name": name, "uscc": code, **data})
    solid, heat, water = entry["reported"]
    return {"subject": "park", "reporting_year": YEAR, "organisation": org, **entry["data"],
            "members": members,
            "declarations": {**PARK_YES, "development_zone_level": entry["level"]},
            "reported": {"solid_waste_utilisation": q(solid, "%"),
                         "waste_heat_utilisation": q(heat, "%"), "water_reuse": q(water, "%")}}


def offsets(entry: dict) -> list[dict]:
    return [{"instrument": kind, "serial": serial, "count": int(tco2), "quantity": tco2,
             "unit": "tCO2e"} for kind, serial, tco2 in entry["offsets"]]


def pdf(title: str) -> bytes:
    """A one-page PDF (Helvetica, ASCII text) marked as demo evidence."""
    text = f"BT /F1 16 Tf 72 770 Td (Demo evidence - {title}) Tj ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1,
                                                                               xref)
    return bytes(out)


class DemoError(ValueError):
    def __init__(self, zh: str):
        self.zh = zh
        super().__init__(zh)


def review_application(db: Session, engine: Engine, people: dict[str, User], round_: Round,
            application, key: str, today: date, reviews: dict | None = None) -> None:
    """Experts assigned to `application` as the officer would (auto_assign), then each declares
    and scores as `reviews` (REVIEWS) says: on the anchored scale, the engine's points unless
    noted."""
    review.auto_assign(db, people["province1"], round_, today)
    result = review.frozen_result(db, application)
    engine_points = {i["id"]: i["points"] for i in result["items"]}
    scored = [item.id for item in reviewable_items(engine.criteria(result["criteria"]["id"]),
                                                   result) if item.kind == "scored"]
    for assignment, planned in zip(review.assignments_of(db, application),
                                   (reviews or REVIEWS)[key], strict=True):
        if planned is None:
            continue
        expert_scores, changes, recommendation, opinion = planned
        expert = db.get(User, assignment.expert_id)
        review.declare_no_conflict(db, expert, assignment)
        submit = recommendation is not None
        scores = {**({i: engine_points[i] for i in scored} if submit else {}), **expert_scores,
                  **{i: points for i, (points, _) in changes.items()}}
        review.save_review(db, engine, expert, assignment, scores=scores,
                           comments={i: comment for i, (_, comment) in changes.items()},
                           opinion=opinion, recommendation=recommendation, inspection=None,
                           submit=submit)


def actor(action: str, applicant: User, org: dict, people: dict[str, User]) -> User:
    """Who makes the move: the applicant, the city officer of the organisation's city, or a
    province officer (the second one decides)."""
    role = MOVES[action].role
    if role == APPLICANT:
        return applicant
    if role == CITY_OFFICER:
        return people[org["city"]]
    return people["province2" if action in ("approve", "reject") else "province1"]


def commitment(org: dict, entry: dict) -> Commitment:
    """The commitment letter as the demo's contact person signs it."""
    position = "管委会副主任" if org.get("kind") == "park" else "总经理"
    return Commitment(True, entry["contact"], position)


def opinion(org: dict, entry: dict) -> str:
    """The city's 推荐意见 for a demo organisation: its own words where data.py has some."""
    from .data import RECOMMENDATIONS

    return RECOMMENDATIONS.get(entry["key"]) or (
        f"经审核，{org['name']}填报数据与证明材料齐全，符合申报条件，同意推荐。")


def move_facts(action: str, org: dict, entry: dict) -> dict:
    """What a demo move carries besides its reason: the commitment, the 推荐意见."""
    if action == "submit":
        return {"commitment": commitment(org, entry)}
    if action == "recommend":
        return {"reason": opinion(org, entry)}
    return {}
