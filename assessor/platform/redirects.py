"""Where to go after signing in or switching language: a path on this site, or the dashboard.

Browsers forgive a great deal in a Location header (a backslash read as a slash, tabs and line
breaks dropped, `https:evil` taken as a scheme), so only a plain relative path is accepted,
judged both as given and percent-decoded; anything else goes to the dashboard.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

from flask import url_for

MAX_LENGTH = 2000


def _plain_path(value: str, raw: bool) -> bool:
    """A path that starts with one slash, no backslash in it, no control character anywhere
    (nor, as given, any space: a browser would drop or mend it)."""
    path = value.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or path[1:2] in ("/", "\\") or "\\" in path:
        return False
    if any(unicodedata.category(c)[0] in ("CZ" if raw else "C") for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return not parts.scheme and not parts.netloc


def is_local(target: object) -> bool:
    """True for a same-site relative path that stays one however it is decoded."""
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return False
    seen, raw = target, True
    for _ in range(3):  # as given, decoded, decoded twice
        if not (_plain_path(seen, raw)
                and _plain_path(unicodedata.normalize("NFKC", seen), raw)):
            return False
        decoded = unquote(seen)
        if decoded == seen:
            return True
        seen, raw = decoded, False
    return False  # still changing after three decodings: not a path a page links to


def safe_next(target: object) -> str:
    """`target` when it is a local path, else the dashboard."""
    return target if is_local(target) else url_for("dashboard.home")
