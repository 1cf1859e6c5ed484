"""The impact page of a criteria version before publication (影响评估)."""

from __future__ import annotations

from flask import render_template, request

from ..accounts.models import PROVINCE_OFFICER
from ..platform import db
from ..platform.engine_service import criteria_engine
from ..platform.security import roles_required
from . import services
from .blueprint import bp, version_of_kind
from .impact import gate_shifts, impact, rounds_with_submissions
from .store import set_of


@bp.get("/<int:version_id>/impact")
@roles_required(PROVINCE_OFFICER)
def impact_page(version_id: int):
    dbs = db.session()
    version = version_of_kind(version_id, "criteria")
    problems = services.problems_of(dbs, version)
    rounds = rounds_with_submissions(dbs, version.subject) if not problems else []
    chosen = rounds[0] if rounds else None
    wanted = request.args.get("round_id", "")
    if wanted.isdigit():
        chosen = next((r for r in rounds if r.id == int(wanted)), chosen)
    changes = impact(dbs, criteria_engine(), version, chosen) if chosen else None
    return render_template("criteria/impact.html", version=version, problems=problems,
                           rounds=rounds, round=chosen, changes=changes,
                           draft=set_of(dbs, version) if chosen else None,
                           shifts=gate_shifts(changes or []))
