"""影响评估: a criteria version not yet published run over the submissions of the last round of
its subject that has any, beside the results under the round's own set (whatif.compare), so the
reviewers see whom the change moves before they approve it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from ..engine import Engine
from ..rounds.models import Round
from ..rounds.services import has_submissions
from ..whatif.services import Change, compare
from .models import CriteriaVersion
from .store import set_of


def rounds_with_submissions(db: Session, subject: str) -> list[Round]:
    """The rounds of `subject` with at least one submitted application, the latest first."""
    rounds = db.exec(select(Round).where(Round.subject == subject)
                     .order_by(Round.opens_on.desc(), Round.id.desc())).all()
    return [r for r in rounds if has_submissions(db, r)]


@dataclass
class GateShift:
    """Who passes or fails one gate under the new version and did not under the round's."""

    gate: str
    now_failing: list[str] = field(default_factory=list)
    now_passing: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # missing, not applicable, new or dropped


def impact(db: Session, engine: Engine, version: CriteriaVersion, round_: Round) -> list[Change]:
    return compare(db, engine, round_, set_of(db, version))


def gate_shifts(changes: list[Change]) -> list[GateShift]:
    shifts: dict[str, GateShift] = {}
    for change in changes:
        who = change.organisation or f"#{change.application_id}"
        for gate, _before, after in change.gates:
            shift = shifts.setdefault(gate, GateShift(gate))
            if after == "failed":
                shift.now_failing.append(who)
            elif after == "passed":
                shift.now_passing.append(who)
            else:
                shift.other.append(who)
    return [shifts[g] for g in sorted(shifts)]
