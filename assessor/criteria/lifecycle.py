"""How a version moves: draft → in review → published → superseded, and who may move it.

One function, `move`, changes a version's state, from this table; every move is audited in
the same transaction. Publishing needs a second person: no one who made or changed a version,
or sent it for review, may approve it (maker–checker); and a criteria version is published
only while every one of its worked cases holds.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from .. import audit
from ..accounts.models import PROVINCE_OFFICER, User
from ..platform.db import utcnow
from ..platform.refusal import Refused
from .models import CriteriaVersion

STATE_TITLES = {"draft": _l("草稿"), "in_review": _l("审核中"), "published": _l("已发布"),
                "superseded": _l("已被新版本取代")}
# action: (from states, to state)
MOVES = {
    "submit": (("draft",), "in_review"),
    "return": (("in_review",), "draft"),
    "approve": (("in_review",), "published"),
    "supersede": (("published",), "superseded"),
}


class VersionRefused(Refused):
    """A refused change to a criteria or reference version."""


def is_editor(user: User | None) -> bool:
    return bool(getattr(user, "role", None) == PROVINCE_OFFICER and user.criteria_editor
                and user.active)


def require_editor(user: User) -> None:
    if not is_editor(user):
        raise VersionRefused(_("只有省厅指定的评价标准编辑人员可以修改或审核评价标准"),
                             kind="forbidden")


def move(db: Session, actor: User | None, version: CriteriaVersion, action: str, *,
         reason: str | None = None, failing_cases: list[str] | None = None) -> None:
    """The one place a version's state changes. `failing_cases`: the worked cases that do not
    hold (the caller runs them: the engine is not the lifecycle's business)."""
    sources, target = MOVES[action]
    if action != "supersede":  # superseding follows another version's approval
        require_editor(actor)
    if version.state not in sources:
        raise VersionRefused(_("该版本当前状态不允许此操作"), kind="stale")
    if action == "return" and not (reason or "").strip():
        raise VersionRefused(_("请填写退回修改的理由"), "reason")
    if action in ("submit", "approve") and failing_cases:
        names = "；".join(failing_cases[:5])
        raise VersionRefused(
            _("有 %(n)s 个算例未通过，不能提交审核：%(names)s", n=len(failing_cases), names=names)
            if action == "submit" else
            _("有 %(n)s 个算例未通过，不能发布：%(names)s", n=len(failing_cases), names=names))
    makers = {*(version.makers or []), version.submitted_by, version.created_by}
    if action == "approve" and actor.id in makers:
        raise VersionRefused(_("发布须由另一名编辑人员审核：您参与了该版本的编写或提交，不能审核自己的版本"),
                             kind="forbidden")
    before = version.state
    now = utcnow()
    version.state = target
    if action == "submit":
        version.submitted_by, version.submitted_at, version.return_reason = actor.id, now, None
    elif action == "return":
        version.return_reason = reason.strip()[:2000]
        version.submitted_by = version.submitted_at = None
    elif action == "approve":
        version.approved_by, version.published_at = actor.id, now
    elif action == "supersede":
        version.superseded_at = now
    db.add(version)
    audit.record(db, actor_id=actor.id if actor else None, action=f"{action}_criteria_version",
                 object_type="criteria_version", object_id=version.id, from_state=before,
                 to_state=target, reason=reason,
                 details={"kind": version.kind, "key": version.key, "digest": version.digest})
    if action == "approve":
        for older in _superseded_by(db, version):
            move(db, actor, older, "supersede")


def _superseded_by(db: Session, version: CriteriaVersion) -> list[CriteriaVersion]:
    """What a newly published version replaces: for reference data, the one published before
    it (one set of tables is current); for a criteria set, the version it was made from."""
    if version.kind == "reference":
        return list(db.exec(select(CriteriaVersion).where(
            CriteriaVersion.kind == "reference", CriteriaVersion.state == "published",
            CriteriaVersion.id != version.id)).all())
    if version.based_on_id is None or not version.replaces_base:
        return []
    base = db.get(CriteriaVersion, version.based_on_id)
    return [base] if base is not None and base.state == "published" else []
