"""The files in criteria/ into versions (`criteria import`, and the first start), and a version
back into files (`criteria export`). The round trip is exact: export writes the bytes imported.

An import never changes a stored version: a set whose id is stored with the same files is
left alone, one stored with other files is refused (a changed set needs a new id), and a new
one becomes a draft for two editors to review, except on the first start, when the shipped
files are the first published versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlmodel import Session, select

from .. import audit
from ..platform.db import utcnow
from . import files as version_files
from .models import CriteriaVersion, pack


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "key: why"


def import_folder(db: Session, root: Path, *, actor: int | None, publish: bool) -> ImportReport:
    """Every set and the reference data under `root`; commits. `publish`: the first start only
    (nothing stored yet), when there is no second person to review the shipped files."""
    from .store import criteria_of, reference_of

    report = ImportReport()
    reference = _store(db, "reference", None, version_files.reference_files(root), actor,
                       publish, report)
    reference_of(reference)  # the tables load, or DataFileError names the file and row
    for key, files in version_files.criteria_files(root).items():
        criteria = _store(db, "criteria", key, files, actor, publish, report,
                          reference_id=reference.id)
        criteria_of(criteria, reference)
    if report.created:  # one event for the import (on the first start, the log's first)
        audit.record(db, actor_id=actor, action="import_criteria_versions",
                     object_type="criteria_version", object_id=None,
                     to_state="published" if publish else "draft",
                     details={"created": report.created, "refused": report.refused})
    db.commit()
    return report


def _store(db: Session, kind: str, key: str | None, files: dict[str, str], actor: int | None,
           publish: bool, report: ImportReport, reference_id: int | None = None
           ) -> CriteriaVersion:
    content, digest = pack(files)
    same = db.exec(select(CriteriaVersion).where(CriteriaVersion.kind == kind,
                                                 CriteriaVersion.digest == digest)
                   .order_by(CriteriaVersion.id.desc())).first()
    if same is not None and (key is None or same.key == key) \
            and (reference_id is None or same.reference_id == reference_id):
        report.unchanged.append(same.key)
        return same
    if key is None:
        key = _next_reference_key(db)
    if db.exec(select(CriteriaVersion).where(CriteriaVersion.kind == kind,
                                             CriteriaVersion.key == key)).first() is not None:
        report.refused.append(f"{key}: 已有同编号而内容不同的版本，修改后的评价标准须使用新编号 / "
                              "a version with this id and other content is stored; a changed set "
                              "needs a new id")
        return db.exec(select(CriteriaVersion).where(CriteriaVersion.kind == kind,
                                                     CriteriaVersion.key == key)).one()
    meta = _meta(kind, files)
    now = utcnow()
    version = CriteriaVersion(
        kind=kind, key=key, subject=meta.get("subject"), label=meta.get("label") or key,
        title_zh=meta.get("zh", ""), title_en=meta.get("en", ""),
        state="published" if publish else "draft", content=content, digest=digest,
        reference_id=reference_id, created_by=actor, makers=[actor] if actor else [],
        published_at=now if publish else None, note="从 criteria/ 目录导入 / imported from files")
    db.add(version)
    db.flush()
    report.created.append(key)
    return version


def _next_reference_key(db: Session) -> str:
    count = len(db.exec(select(CriteriaVersion.id).where(CriteriaVersion.kind == "reference"))
                .all())
    return f"REF-{count + 1}"


def _meta(kind: str, files: dict[str, str]) -> dict:
    if kind == "reference":
        return {"zh": "参考数据", "en": "Reference data"}
    name, text = version_files.main_file(files)
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        raw = {}
    title = raw.get("title") or {}
    return {"subject": name.split("/", 1)[0], "label": str(raw.get("version", ""))[:40],
            "zh": str(title.get("zh", ""))[:200], "en": str(title.get("en", ""))[:200]}


def export_version(version: CriteriaVersion, target: Path) -> list[Path]:
    """The version's files under `target`, laid out as criteria/ is."""
    return version_files.write(version.files, target, reference=version.kind == "reference")
