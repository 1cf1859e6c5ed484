"""Changes the criteria editor's forms make to a draft's set file: each one an edit of the
YAML text (engine/criteria_edit: comments and every other entry kept byte for byte), then the
whole set checked and saved by `services.save_files` — or nothing saved."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from sqlmodel import Session

from ..accounts.models import User
from ..engine import DataFileError
from ..engine import criteria_edit as edit
from ..engine.criteria import parse_criteria_text
from . import files as version_files
from .lifecycle import VersionRefused, require_editor
from .models import CriteriaVersion
from .services import save_files

SECTION_TITLES = {"items": "条目", "levels": "等级", "declarations": "声明项",
                  "reported": "填报数据"}


def require_draft(actor: User, version: CriteriaVersion) -> None:
    """Before a form is read: only an editor, only a criteria draft."""
    require_editor(actor)
    if version.kind != "criteria" or version.state != "draft":
        raise VersionRefused(_("只有草稿可以修改；已提交审核的版本请先退回修改"), kind="stale")


def _save(db: Session, actor: User, version: CriteriaVersion, change: Callable[[str], str], *,
          lock_version: int, what: str) -> None:
    require_draft(actor, version)
    if version.lock_version != lock_version:  # before the text: the entry may be gone
        raise VersionRefused(_("该版本已被他人修改，请重新打开后再编辑（您的内容未保存）"), kind="stale")
    name, text = version_files.main_file(version.files)
    try:
        new_text = change(text)
    except DataFileError as error:
        raise VersionRefused(_("无法保存：%(message)s", message=error.message_zh)) from None
    except KeyError as error:
        raise VersionRefused(_("无法保存：%(message)s", message=str(error.args[0]))) from None
    save_files(db, actor, version, {**version.files, name: new_text},
               lock_version=lock_version, what=what)


def _with_total(change: Callable[[str], str], total: float | None) -> Callable[[str], str]:
    if total is None:
        return change
    return lambda text: edit.set_key(change(text), ("total_points",), total)


def save_entry(db: Session, actor: User, version: CriteriaVersion, section: str,
               entry_id: str | None, mapping: dict, *, lock_version: int,
               total: float | None = None, after_id: str | None = None) -> None:
    """An entry of `section` replaced (`entry_id`) or added (None: after `after_id`, else at
    the end); `total`: total_points set to it in the same save (items whose points changed)."""
    if entry_id is None:
        change = lambda text: edit.add_entry(text, section, mapping, after_id)  # noqa: E731
        what = f"新增{SECTION_TITLES[section]} {mapping['id']}"
    else:
        change = lambda text: edit.replace_entry(text, section, entry_id, mapping)  # noqa: E731
        what = f"修改{SECTION_TITLES[section]} {entry_id}"
    _save(db, actor, version, _with_total(change, total), lock_version=lock_version, what=what)


def remove_entry(db: Session, actor: User, version: CriteriaVersion, section: str,
                 entry_id: str, *, lock_version: int, total: float | None = None) -> None:
    _save(db, actor, version,
          _with_total(lambda text: edit.remove_entry(text, section, entry_id), total),
          lock_version=lock_version, what=f"删除{SECTION_TITLES[section]} {entry_id}")


def save_evidence_kinds(db: Session, actor: User, version: CriteriaVersion, kinds: dict, *,
                        lock_version: int) -> None:
    """The set's evidence kinds made `kinds` (key -> {zh, en}): changed and new ones set,
    the others removed, each in place."""
    def change(text: str) -> str:
        written = _written_kinds(text)
        for key in [k for k in written if k not in kinds]:
            text = edit.remove_key(text, ("evidence_kinds", key))
        for key, title in kinds.items():
            if written.get(key) != title:
                text = edit.set_key(text, ("evidence_kinds", key), title)
        return text
    _save(db, actor, version, change, lock_version=lock_version, what="证明材料种类")


def _written_kinds(text: str) -> dict:
    raw = parse_criteria_text(text, "")
    kinds = raw.get("evidence_kinds") if isinstance(raw, dict) else None
    return {str(k): dict(v) for k, v in (kinds or {}).items() if isinstance(v, dict)}


def save_header(db: Session, actor: User, version: CriteriaVersion, values: dict, *,
                lock_version: int) -> None:
    """values: key path -> value (("title", "zh"): ..., ("total_points",): 100)."""
    def change(text: str) -> str:
        for path, value in values.items():
            text = edit.set_key(text, path, value)
        return text
    _save(db, actor, version, change, lock_version=lock_version, what="标准名称、版本与总分")
