"""An Excel import's preview kept between the upload and the confirmation, for the application
and the annual filing alike: the parsed data in a file named by a signed token, read once.
Pure: the folder, the secret and whose preview it is are passed in."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from pathlib import Path

from itsdangerous import BadData, URLSafeTimedSerializer

PREVIEW_SECONDS = 2 * 3600
_NAME = re.compile(r"^[0-9a-f]{32}$")


class PreviewExpired(Exception):
    """The token is too old or not one of ours: nothing changed, upload again."""


class PreviewUsed(Exception):
    """The preview was confirmed already or swept: nothing changed, upload again."""


class PreviewForeign(Exception):
    """Someone else's preview, or a file that is not the one previewed (answered 404)."""


def stash(folder: Path, secret: str, salt: str, data: dict, claim: dict) -> str:
    """Keeps `data`; the token names the file, its hash and `claim` (whose it is)."""
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    name = secrets.token_hex(16)
    with (folder / f"{name}.json").open("xb") as handle:
        handle.write(body)
    return URLSafeTimedSerializer(secret, salt=salt).dumps(
        {**claim, "file": name, "sha256": hashlib.sha256(body).hexdigest()})


def take(folder: Path, secret: str, salt: str, token: str | None, owner: dict) -> tuple[dict, dict]:
    """(data, claim) of the preview `token` names, once: the file is removed. `owner` holds
    the claim's values that must match (the application or filing, the user)."""
    try:
        claim = URLSafeTimedSerializer(secret, salt=salt).loads(token or "",
                                                                max_age=PREVIEW_SECONDS)
    except BadData:
        raise PreviewExpired() from None
    if (not isinstance(claim, dict) or any(claim.get(k) != v for k, v in owner.items())
            or not _NAME.match(str(claim.get("file")))):
        raise PreviewForeign()
    path = folder / f"{claim['file']}.json"
    try:
        body = path.read_bytes()
    except OSError:
        raise PreviewUsed() from None
    path.unlink(missing_ok=True)
    if hashlib.sha256(body).hexdigest() != claim.get("sha256"):
        raise PreviewForeign()
    return json.loads(body), claim


def _sweep(folder: Path) -> None:
    cutoff = time.time() - PREVIEW_SECONDS - 60
    for path in folder.glob("*.json"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # another worker got there first
