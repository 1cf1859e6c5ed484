"""A round's statistics for the dashboards, counted by the database over the applications a user
may see: by state, by 市州, the engine totals in 10-point bins and the failed basic requirements
(from each application's latest submitted result, as Application.submitted_* keep it).

Two grouped queries serve every round at once, whatever the number of applications.
"""

from __future__ import annotations

from sqlalchemy import case, func, literal_column
from sqlalchemy.orm import aliased
from sqlmodel import Session

from ..accounts.models import Organisation, User
from ..applications.models import Application
from ..applications.services import visible
from ..engine import Engine
from .models import Round


def _n(value: int):
    """A number written into the SQL: PostgreSQL matches GROUP BY to SELECT by their text."""
    return literal_column(str(value))


# bins of 10 points as charts.histogram_bins makes them: below 0 in the first, 100 in the last
_BIN = case((Application.submitted_total.is_(None), None),
            *((Application.submitted_total < _n(10 * (k + 1)), _n(k)) for k in range(9)),
            else_=_n(9))


def round_statistics(db: Session, engine: Engine, user: User,
                     rounds: list[Round]) -> dict[int, dict]:
    """{round id: {"states", "cities", "bins", "gates"}} in the form charts.round_charts takes
    as `summary`; gates are {gate id: [title, count]}."""
    out = {r.id: {"states": {}, "cities": {}, "bins": [0] * 10, "gates": {}} for r in rounds}
    if not rounds:
        return out
    organisation = aliased(Organisation)

    def seen(*columns):
        return (visible(user, Application.round_id, *columns)
                .where(Application.round_id.in_(list(out)))
                .group_by(Application.round_id, *columns[:-1]))

    for round_id, state, city, count in db.exec(
            seen(Application.state, organisation.city, func.count())
            .join(organisation, organisation.id == Application.organisation_id)).all():
        stats = out[round_id]
        stats["states"][state] = stats["states"].get(state, 0) + count
        stats["cities"][city] = stats["cities"].get(city, 0) + count
    titles = {r.id: {g.id: g.title.model_dump() for g in engine.criteria(r.criteria_id)
                     .items_of("gate")} for r in rounds}
    for round_id, band, failed, count in db.exec(
            seen(_BIN, Application.submitted_failed_gates, func.count())
            .where(Application.submitted_failed_gates.is_not(None))).all():
        stats = out[round_id]
        if band is not None:
            stats["bins"][band] += count
        for gate in filter(None, failed.split(",")):
            entry = stats["gates"].setdefault(gate, [titles[round_id].get(gate, gate), 0])
            entry[1] += count
    return out
