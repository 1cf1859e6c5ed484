"""What-if: a draft criteria set (or edited thresholds) run over a round's submitted revisions
before anything is published, showing which applications change level and why."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from flask_babel import gettext as _
from sqlmodel import Session, select

from ..accounts.models import Organisation
from ..applications.models import Application, Revision
from ..engine import CriteriaSet, Engine, parse_submission
from ..engine.criteria import criteria_from_mapping
from ..engine.prepare import prepare
from ..engine.scoring import STATUS_NAMES, score
from ..platform.i18n import pick
from ..platform.refusal import Refused
from ..rounds.models import Round


@dataclass
class Change:
    application_id: int
    organisation: str
    level_before: str
    level_after: str
    total_before: float | None
    total_after: float | None
    gates: list[tuple[str, str, str]] = field(default_factory=list)  # id, before, after

    @property
    def level_changed(self) -> bool:
        return self.level_before != self.level_after


def latest_submitted(db: Session, round_: Round) -> list[tuple[Application, Revision]]:
    rows = []
    for application in db.exec(select(Application).where(Application.round_id == round_.id)
                               .order_by(Application.id)).all():
        revision = db.exec(select(Revision).where(Revision.application_id == application.id,
                                                  Revision.submitted_at.is_not(None))
                           .order_by(Revision.number.desc()).limit(1)).first()
        if revision is not None:
            rows.append((application, revision))
    return rows


def edited(current: CriteriaSet, engine: Engine, gate_values: dict[str, float],
           level_minimums: dict[str, float]) -> CriteriaSet:
    """The round's set with some gate thresholds and level minimum totals changed."""
    raw = current.model.model_dump(mode="json", exclude_none=True)
    for item in raw["items"]:
        if item["id"] in gate_values and "value" in item.get("rule", {}):
            item["rule"]["value"] = gate_values[item["id"]]
    for level in raw["levels"]:
        if level["id"] in level_minimums:
            level["min_total"] = level_minimums[level["id"]]
    raw["version"] = f"{raw['version']}-draft"
    return criteria_from_mapping(raw, f"{current.path.name} (edited)", current.reference)


def compare(db: Session, engine: Engine, round_: Round, draft: CriteriaSet) -> list[Change]:
    """Every submitted application of the round scored under its own set and under `draft`,
    in two batches (one pass each, whatever the number of applications)."""
    if draft.subject != round_.subject:
        raise Refused(_("草案的评价对象与批次不符"))
    rows = latest_submitted(db, round_)
    if not rows:
        return []
    current = engine.criteria(round_.criteria_id)
    submissions = [parse_submission(r.data) for _, r in rows]
    results = []
    for criteria in (current, draft):
        batch = prepare(submissions, criteria, criteria.reference, strict=False)
        results.append((criteria, score(batch, criteria, criteria.reference)))
    (old_set, old), (new_set, new) = results
    names = {o.id: o.name for o in db.exec(select(Organisation)).all()}
    changes = []
    for i, (application, _revision) in enumerate(rows):
        gates = []
        for gate_id in sorted(set(old.gates) | set(new.gates)):
            before = STATUS_NAMES[int(old.gates[gate_id].status[i])] if gate_id in old.gates \
                else "—"
            after = STATUS_NAMES[int(new.gates[gate_id].status[i])] if gate_id in new.gates \
                else "—"
            if before != after:
                gates.append((gate_id, before, after))
        changes.append(Change(
            application.id, names.get(application.organisation_id, ""),
            pick(old_set.model.levels[int(old.level[i])].title),
            pick(new_set.model.levels[int(new.level[i])].title),
            _number(old.total[i]), _number(new.total[i]), gates))
    return changes


def _number(value) -> float | None:
    return None if np.isnan(value) else round(float(value), 2)
