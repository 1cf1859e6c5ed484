"""Evidence files: checked by content, stored under instance/uploads with a random name and their
SHA-256, never served from static/; and which of them a user may see and download.

A submitted revision names its files (Revision.evidence) and never changes: those files stay
listed and downloadable as they were submitted. Anything else is the draft's: only the applicant
sees it, and a file removed from the draft is gone for everyone. Officers see a returned
application's new files only once it is submitted again."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask_babel import gettext as _
from sqlmodel import Session, select

from ..accounts.models import APPLICANT, User
from ..platform.refusal import Refused
from .models import Application, Evidence, Revision

# (extension, content type, leading bytes)
KINDS = [
    ("pdf", "application/pdf", (b"%PDF-",)),
    ("png", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    ("jpg", "image/jpeg", (b"\xff\xd8\xff",)),
    ("jpeg", "image/jpeg", (b"\xff\xd8\xff",)),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ("xls", "application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
]
ALLOWED = ", ".join(sorted({k[0] for k in KINDS}))


class EvidenceError(Refused):
    """A refused file."""


def identify(filename: str, head: bytes) -> str:
    """The content type, when the name's extension and the bytes agree; else EvidenceError."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    for ext, content_type, magic in KINDS:
        if ext == extension:
            if any(head.startswith(m) for m in magic):
                return content_type
            raise EvidenceError(_("文件内容与扩展名 .%(ext)s 不符，请上传真实的 %(kind)s 文件",
                                      ext=ext, kind=ext.upper()))
    raise EvidenceError(_("只接受以下类型的文件：%(kinds)s", kinds=ALLOWED))


def store(folder: Path, content: bytes) -> tuple[str, str]:
    """(stored name, sha256) after writing `content` under a random name."""
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    path = folder / name
    with path.open("xb") as handle:
        handle.write(content)
    return name, hashlib.sha256(content).hexdigest()


def safe_name(filename: str) -> str:
    """A display name without path parts or control characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|')
    return name[:200] or "file"


class EvidenceGone(EvidenceError):
    """The file was removed from the draft: it is answered 410, to anyone."""


def submitted_ids(db: Session, application: Application) -> set[int]:
    """The files named by the application's submitted revisions."""
    named = db.exec(select(Revision.evidence).where(Revision.application_id == application.id,
                                                    Revision.submitted_at.is_not(None))).all()
    return {e["id"] for files in named for e in (files or [])}


def shown(db: Session, user: User, application: Application) -> list[Evidence]:
    """The files the application page lists for `user`: the draft's current files for the
    applicant, the latest submitted revision's as submitted for everyone else."""
    if user.role == APPLICANT:
        return list(db.exec(select(Evidence).where(Evidence.application_id == application.id,
                                                   Evidence.removed_at.is_(None))
                            .order_by(Evidence.id)).all())
    latest = db.exec(select(Revision.evidence).where(
        Revision.application_id == application.id, Revision.submitted_at.is_not(None))
        .order_by(Revision.number.desc()).limit(1)).first()
    ids = [e["id"] for e in (latest or [])]
    return list(db.exec(select(Evidence).where(Evidence.id.in_(ids))
                        .order_by(Evidence.id)).all()) if ids else []


def for_download(db: Session, user: User, application: Application,
                 evidence_id: int) -> Evidence | None:
    """The file `user` may download (they may see `application`), or None (404). A file
    removed from the draft and never submitted raises EvidenceGone."""
    record = db.get(Evidence, evidence_id)
    if record is None or record.application_id != application.id:
        return None
    if record.id in submitted_ids(db, application):
        return record  # part of a submission: kept as it was
    if record.removed_at is not None:
        raise EvidenceGone(_("该文件已被删除，不能再下载。"))
    return record if user.role == APPLICANT else None  # officers see drafts once submitted
