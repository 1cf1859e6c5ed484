"""Making and changing draft versions, and running their worked cases. State changes go
through lifecycle.move; a published version is never written here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from .. import audit
from ..accounts.models import User
from ..engine import DataFileError, Engine
from ..engine.cases import CaseOutcome, run_case_text
from ..engine.criteria_text import TextProblem, problems_in
from . import files as version_files
from .lifecycle import VersionRefused, move, require_editor
from .models import CriteriaVersion, pack
from .store import case_outcomes, criteria_of, reference_of, set_of

KEY = re.compile(r"^[A-Za-z0-9_\-.]{1,40}$")


@dataclass(frozen=True)
class LoadProblem:
    """Why a version's files do not load: which file and item, in both languages."""

    file: str
    item: str
    zh: str
    en: str


def version_or_none(db: Session, version_id: int) -> CriteriaVersion | None:
    return db.get(CriteriaVersion, version_id)


def published(db: Session, kind: str, subject: str | None = None) -> list[CriteriaVersion]:
    query = select(CriteriaVersion).where(CriteriaVersion.kind == kind,
                                          CriteriaVersion.state == "published")
    if subject is not None:
        query = query.where(CriteriaVersion.subject == subject)
    return list(db.exec(query.order_by(CriteriaVersion.id)).all())


def by_key(db: Session, key: str, kind: str = "criteria") -> CriteriaVersion | None:
    return db.exec(select(CriteriaVersion).where(CriteriaVersion.kind == kind,
                                                 CriteriaVersion.key == key)).first()


def new_draft(db: Session, actor: User, source: CriteriaVersion, *, key: str, label: str,
              note: str = "", replaces: bool = True) -> CriteriaVersion:
    """A draft made from `source` (any state): its files, under a new id and label. `replaces`:
    once published it supersedes `source` (a new edition); else both stay in force."""
    require_editor(actor)
    key, label = key.strip(), label.strip()
    if not KEY.match(key):
        raise VersionRefused(_("版本编号只能包含字母、数字、“-”“_”“.”，最多 40 个字符"), "key")
    if not label or len(label) > 40:
        raise VersionRefused(_("请填写版本号（最多 40 个字符）"), "label")
    if by_key(db, key, source.kind) is not None:
        raise VersionRefused(_("已有编号为“%(key)s”的版本，请换一个编号", key=key), "key")
    files = source.files
    if source.kind == "criteria":
        files = version_files.renamed(files, source.key, key, label)
    content, digest = pack(files)
    draft = CriteriaVersion(kind=source.kind, key=key, subject=source.subject, label=label,
                            title_zh=source.title_zh, title_en=source.title_en, content=content,
                            digest=digest, reference_id=source.reference_id,
                            based_on_id=source.id, replaces_base=replaces,
                            note=note.strip()[:2000],
                            created_by=actor.id, makers=[actor.id])
    db.add(draft)
    db.flush()
    audit.record(db, actor_id=actor.id, action="draft_criteria_version",
                 object_type="criteria_version", object_id=draft.id, to_state="draft",
                 details={"kind": draft.kind, "key": key, "based_on": source.key,
                          "replaces": replaces})
    db.commit()
    return draft


def problems_of(db: Session, version: CriteriaVersion,
                files: dict[str, str] | None = None) -> list[LoadProblem]:
    """Why `files` (default: the version's own) would not load as this version; [] if they do."""
    files = version.files if files is None else files
    content, digest = pack(files)
    candidate = CriteriaVersion(kind=version.kind, key=version.key, label=version.label,
                                content=content, digest=digest, reference_id=version.reference_id)
    try:
        if version.kind == "reference":
            reference_of(candidate)
            return []
        name, _text = version_files.main_file(files)
        criteria = criteria_of(candidate, db.get(CriteriaVersion, version.reference_id))
    except DataFileError as error:
        return [LoadProblem(error.path, error.item, error.message_zh, error.message_en)]
    except KeyError:
        return [LoadProblem("", "", "版本中没有评价标准文件", "the version has no criteria file")]
    if criteria.id != version.key:
        return [LoadProblem(name, "id", f"评价标准编号应为“{version.key}”（版本编号不可更改）",
                            f"the set's id must stay '{version.key}'")]
    if criteria.subject != version.subject:
        return [LoadProblem(name, "subject", "评价对象不可更改", "the subject cannot change")]
    return []


def save_files(db: Session, actor: User, version: CriteriaVersion, files: dict[str, str], *,
               lock_version: int, what: str) -> None:
    """A draft's files replaced by `files`, which must load; `what` says what changed, for
    the audit log. Refused on anything but a draft, or if someone saved since the editor
    opened it (`lock_version`)."""
    require_editor(actor)
    if version.state != "draft":
        raise VersionRefused(_("只有草稿可以修改；已提交审核的版本请先退回修改"), kind="stale")
    if version.lock_version != lock_version:
        raise VersionRefused(_("该版本已被他人修改，请重新打开后再编辑（您的内容未保存）"), kind="stale")
    problems = problems_of(db, version, files)
    if problems:
        first = problems[0]
        raise VersionRefused(_("无法保存：%(where)s %(message)s", where=" ".join(
            p for p in (first.file, first.item) if p), message=first.zh), problems=problems)
    content, digest = pack(files)
    if digest == version.digest:
        return
    version.content, version.digest = content, digest
    version.lock_version += 1
    if version.kind == "criteria":
        criteria = set_of(db, version)
        version.label = criteria.model.version[:40]
        version.title_zh, version.title_en = (criteria.model.title.zh[:200],
                                              criteria.model.title.en[:200])
    if actor.id not in version.makers:
        version.makers = [*version.makers, actor.id]
    db.add(version)
    audit.record(db, actor_id=actor.id, action="edit_criteria_version",
                 object_type="criteria_version", object_id=version.id,
                 details={"key": version.key, "what": what[:200], "digest": digest})
    db.commit()


def use_reference(db: Session, actor: User, version: CriteriaVersion,
                  reference: CriteriaVersion) -> None:
    """A criteria draft scored with another published reference version from now on."""
    require_editor(actor)
    if version.kind != "criteria" or version.state != "draft":
        raise VersionRefused(_("只有评价标准草稿可以更换参考数据版本"), kind="stale")
    if reference.kind != "reference" or reference.state != "published":
        raise VersionRefused(_("只能选用已发布的参考数据版本"), "reference_id")
    try:
        criteria_of(version, reference)
    except DataFileError as error:
        raise VersionRefused(_("评价标准与该参考数据版本不符：%(where)s %(message)s",
                               where=error.item, message=error.message_zh),
                             "reference_id") from None
    before = version.reference_id
    version.reference_id = reference.id
    version.lock_version += 1
    if actor.id not in version.makers:
        version.makers = [*version.makers, actor.id]
    db.add(version)
    audit.record(db, actor_id=actor.id, action="edit_criteria_version",
                 object_type="criteria_version", object_id=version.id,
                 details={"key": version.key, "reference": [before, reference.id]})
    db.commit()


def engine_for(db: Session, version: CriteriaVersion) -> Engine:
    """An engine holding this one criteria version (whatever its state), to run its cases."""
    criteria = set_of(db, version)
    return Engine(version_files.main_file(version.files)[0], criteria.reference,
                  {version.key: criteria})


def run_cases(db: Session, version: CriteriaVersion) -> list[CaseOutcome]:
    """The version's worked cases, each run under this version (whatever its state)."""
    if version.kind != "criteria":
        return []
    def run() -> list[CaseOutcome]:
        engine = engine_for(db, version)
        return [run_case_text(engine, name, text)
                for name, text in sorted(version_files.cases(version.files).items())]
    return case_outcomes(db, version, run)


def failing_cases(db: Session, version: CriteriaVersion) -> list[str]:
    """What stops publication: no worked case at all, or the cases that do not hold."""
    if version.kind != "criteria":
        return []
    outcomes = run_cases(db, version)
    if not outcomes:
        return [_("尚无算例（至少需要一个人工计算的算例）")]
    return [o.name for o in outcomes if not o.passed]


def change_state(db: Session, actor: User, version: CriteriaVersion, action: str, *,
                 reason: str | None = None) -> None:
    """submit / return / approve, with the worked cases run where they decide."""
    failing = failing_cases(db, version) if action in ("submit", "approve") else None
    move(db, actor, version, action, reason=reason, failing_cases=failing)
    db.commit()


def discard(db: Session, actor: User, version: CriteriaVersion) -> None:
    require_editor(actor)
    if version.state != "draft":
        raise VersionRefused(_("只有草稿可以删除"), kind="stale")
    if db.exec(select(CriteriaVersion.id).where(
            (CriteriaVersion.reference_id == version.id)
            | (CriteriaVersion.based_on_id == version.id))).first() is not None:
        raise VersionRefused(_("已有其他版本以此草稿为基础，不能删除"))
    audit.record(db, actor_id=actor.id, action="discard_criteria_version",
                 object_type="criteria_version", object_id=version.id, from_state="draft",
                 details={"kind": version.kind, "key": version.key})
    db.delete(version)
    db.commit()


def text_problems(db: Session, version: CriteriaVersion, text: str) -> list[TextProblem]:
    """What is wrong with a criteria version's set file as typed, each at its line and column;
    then what the version itself requires (its id and subject stay)."""
    reference = reference_of(db.get(CriteriaVersion, version.reference_id))
    found = problems_in(text, reference)
    if found:
        return found
    name, _old = version_files.main_file(version.files)
    return [TextProblem(1, 1, p.item, p.zh, p.en)
            for p in problems_of(db, version, {**version.files, name: text})]


def current_key(db: Session, key: str) -> str:
    """The published version that stands for `key` now: `key` itself unless it has been
    superseded, else the newest published version made from it (following the line of
    drafts made from drafts)."""
    found = by_key(db, key)
    seen = set()
    while found is not None and found.state == "superseded" and found.id not in seen:
        seen.add(found.id)
        newer = db.exec(select(CriteriaVersion).where(
            CriteriaVersion.based_on_id == found.id,
            CriteriaVersion.state.in_(("published", "superseded")))
            .order_by(CriteriaVersion.published_at.desc())).first()
        if newer is None:
            break
        found = newer
    return found.key if found is not None else key
