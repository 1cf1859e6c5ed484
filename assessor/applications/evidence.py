"""Evidence files: checked by content, stored under instance/uploads with a random name and their
SHA-256, never served from static/."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask_babel import gettext as _

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


class EvidenceError(ValueError):
    def __init__(self, zh: str):
        self.zh = zh
        super().__init__(zh)


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
