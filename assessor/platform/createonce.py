"""Files made on first use (the secret key, the development signing pair) that several processes,
or hosts sharing a folder, may all try to make at the same moment."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def create_once(path: Path, data: bytes, mode: int = 0o600) -> bool:
    """Write `data` to `path` unless it exists; True when this call made it.

    The content goes to a temporary file first and is hard-linked into place: a link never
    replaces an existing file, so of processes racing to create `path` exactly one wins, the
    others keep the winner's file, and no reader ever sees it half-written.
    """
    path = Path(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(temporary)
