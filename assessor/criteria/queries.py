"""What the criteria pages show: the versions, who made and approved them, their cases."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from ..accounts.models import User
from ..engine.cases import CaseOutcome
from . import files as version_files
from .models import CriteriaVersion
from .services import run_cases


def versions(db: Session) -> list[CriteriaVersion]:
    return list(db.exec(select(CriteriaVersion).order_by(
        CriteriaVersion.kind, CriteriaVersion.subject, CriteriaVersion.id.desc())).all())


def names(db: Session, version: CriteriaVersion) -> dict[int, str]:
    ids = {*(version.makers or []), version.created_by, version.submitted_by, version.approved_by}
    ids.discard(None)
    if not ids:
        return {}
    return {u.id: u.name for u in db.exec(select(User).where(User.id.in_(ids))).all()}


@dataclass
class CaseRow:
    file: str
    name: str
    outcome: CaseOutcome | None


def case_rows(db: Session, version: CriteriaVersion) -> list[CaseRow]:
    if version.kind != "criteria":
        return []
    texts = version_files.cases(version.files)
    outcomes = {str(o.path): o for o in run_cases(db, version)}
    return [CaseRow(name, version_files.case_name(text) or name.split("/", 1)[-1],
                    outcomes.get(name)) for name, text in sorted(texts.items())]


def comparable(db: Session, version: CriteriaVersion) -> list[CriteriaVersion]:
    """The other versions of the same kind (and subject), newest first."""
    query = select(CriteriaVersion).where(CriteriaVersion.kind == version.kind,
                                          CriteriaVersion.id != version.id)
    if version.subject:
        query = query.where(CriteriaVersion.subject == version.subject)
    return list(db.exec(query.order_by(CriteriaVersion.id.desc())).all())
