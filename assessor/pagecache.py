"""Public pages (a published list, a certificate's verification) kept per data version: rendered
once for each address, language and day, then served to every visitor who is not signed in, with
the visitor's own CSRF token put in place of a stand-in.

Signed-in users, visitors with a message waiting and anything but GET render as usual. What the
kept page shows changes only with audited changes (versioned.py): a list published or changed,
a certificate issued or revoked.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from . import versioned
from .viewkit import today

# unguessable, so no text on a page can be mistaken for it
_STAND_IN = f"csrf-{secrets.token_hex(16)}"


def public_page(render: Callable[[], str]) -> str:
    """The page `render` makes, kept for anonymous GET requests."""
    if request.method != "GET" or current_user.is_authenticated or session.get("_flashes"):
        return render()
    key = ("public page", request.full_path, str(get_locale()), today())
    return versioned.kept(key, lambda: _with_stand_in(render)).replace(_STAND_IN, generate_csrf())


def _with_stand_in(render: Callable[[], str]) -> str:
    """Rendered with the stand-in for csrf_token(): Flask-WTF keeps the request's token in
    g.<field name> and hands that out."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    own = g.pop(field, None)
    setattr(g, field, _STAND_IN)
    try:
        return render()
    finally:
        g.pop(field, None)
        if own is not None:
            setattr(g, field, own)
