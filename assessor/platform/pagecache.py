"""Public pages (a published list, a certificate's verification) kept per data version: rendered
once for each address, language and day, then served to every visitor who is not signed in, with
the visitor's own CSRF token put in place of a stand-in.

Signed-in users, visitors with a message waiting and anything but GET render as usual. What the
kept page shows changes only with audited changes (versioned.py): a list published or changed,
a certificate issued or revoked.

Anonymous visitors are served before Flask runs, by `ServedBeforeFlask`: Flask's whole request
(session, sign-in, hooks) costs about twice the page itself. Those are visitors who bring no
cookie at all (a QR code scanned on a phone, a link followed from another site, a crawler: they
get a new session cookie with their token) and visitors who come back with nothing in their
session cookie but their CSRF secret and their language (checked as Flask checks the cookie: its
signature and age). The page is the same for all of them but for the language and the token.
Anything else (a sign-in, a message waiting, a cookie that does not check, another cookie) goes
to Flask. It asks the database for the data version at most every PUBLIC_PAGE_FRESH_SECONDS
(other processes' changes show within that time), and at once after a change committed by its
own process.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
from werkzeug.http import dump_cookie, parse_cookie

from . import versioned
from .i18n import DEFAULT, LANGUAGES
from .viewkit import today, today_of

# unguessable, so no text on a page can be mistaken for it
_STAND_IN = f"csrf-{secrets.token_hex(16)}"
_ASKED = "assessor.public_page.asked"  # environ: ServedBeforeFlask wants the page with its stand-in
_VERSION = "assessor.public_page.version"  # environ: the data version the page was made at


def public_page(render: Callable[[], str]) -> str:
    """The page `render` makes, kept for anonymous GET requests."""
    if request.method != "GET" or current_user.is_authenticated or session.get("_flashes"):
        return render()
    version = versioned.data_version()
    key = ("public page", request.full_path, str(get_locale()), today())
    page = versioned.kept(key, lambda: _with_stand_in(render), version)
    if request.environ.get(_ASKED):
        request.environ[_VERSION] = version
        return page
    return page.replace(_STAND_IN, generate_csrf())


def kept_html(key: tuple, render: Callable[[], str]) -> Markup:
    """Part of a signed-in page kept per data version, language and day, with the request's own
    CSRF token in its forms: for HTML that shows only what moves the data version (audited
    changes, drafts saved) and is the same for everyone the key covers."""
    html = versioned.kept((*key, str(get_locale()), today()), lambda: _with_stand_in(render))
    return Markup(html.replace(_STAND_IN, generate_csrf()))


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


# what an anonymous visitor's session may hold for the page to be served before Flask (Flask-Login
# marks a visitor's session "_fresh": False); that signs to about 170 characters, so a longer
# cookie holds more (a sign-in: about 330) and goes to Flask without being checked twice
_ANONYMOUS_KEYS = frozenset({"csrf_token", "locale", "locale_chosen", "_fresh"})
_ANONYMOUS_COOKIE_CHARS = 240


class _Visitor(NamedTuple):
    locale: str
    secret: str | None  # the CSRF secret in their session; None: a new visitor


_NEW_VISITOR = _Visitor(DEFAULT, None)


class _Served(NamedTuple):
    version: versioned.Version
    day: date
    status: str
    headers: list[tuple[str, str]]
    body: str  # with the stand-in


class ServedBeforeFlask:
    """WSGI middleware: kept public pages for anonymous visitors, new or returning."""

    def __init__(self, app: Flask):
        self.app, self.wsgi_app = app, app.wsgi_app
        self.pages = versioned.Store(max_entries=2048, max_chars=8_000_000)
        self.version: versioned.Version = (-1, -1)
        self.checked_at, self.changes_seen = float("-inf"), -1

    def __call__(self, environ, start_response):
        visitor = None
        if environ.get("REQUEST_METHOD") == "GET":
            cookie = environ.get("HTTP_COOKIE")
            visitor = self._returning(cookie) if cookie else _NEW_VISITOR
        if visitor is None:
            return self.wsgi_app(environ, start_response)
        key = (environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"),
               environ.get("PATH_INFO"), environ.get("QUERY_STRING"), visitor.locale)
        found, page = self.pages.get(key)
        if found and page.day == self._today() and page.version == self._data_version():
            return self._serve(page, visitor, start_response)
        return self._render(environ, start_response, key, visitor)

    def _returning(self, header: str) -> _Visitor | None:
        """The visitor whose only cookie is a session holding no more than a CSRF secret and a
        language, checked as Flask's cookie session checks it; None for anyone else."""
        app = self.app
        interface = app.session_interface
        cookies = parse_cookie(header)
        name = interface.get_cookie_name(app)
        serializer = interface.get_signing_serializer(app)
        if (len(cookies) != 1 or name not in cookies or serializer is None
                or len(cookies[name]) > _ANONYMOUS_COOKIE_CHARS):
            return None
        try:
            data = serializer.loads(cookies[name],
                                    max_age=int(app.permanent_session_lifetime.total_seconds()))
        except BadSignature:
            return None
        field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        if (not isinstance(data, dict) or not data.keys() <= _ANONYMOUS_KEYS
                or not isinstance(data.get(field), str) or data.get("_fresh")
                or data.get("locale", DEFAULT) not in LANGUAGES):
            return None
        return _Visitor(data.get("locale", DEFAULT), data[field])

    def _render(self, environ, start_response, key, visitor: _Visitor):
        """Through Flask; a public page comes back with its stand-in and is kept. Any other
        answer passes through untouched (streamed files stay streamed)."""
        environ[_ASKED] = True
        kept: dict = {}

        def start(status, headers, exc_info=None):
            if _VERSION in environ and status.startswith("200"):
                kept.update(status=status, headers=headers)
                return lambda _data: None  # Flask returns its body; it never writes
            return start_response(status, headers, exc_info)

        chunks = self.wsgi_app(environ, start)
        if not kept:
            return chunks
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        headers = [(name, value) for name, value in kept["headers"]
                   if name.lower() not in ("content-length", "set-cookie", "vary")]
        page = _Served(environ[_VERSION], self._today(), kept["status"], headers,
                       body.decode())
        self.pages.put(key, page, len(page.body))
        return self._serve(page, visitor, start_response)

    def _serve(self, page: _Served, visitor: _Visitor, start_response):
        headers = [*page.headers, ("Vary", "Cookie")]
        if visitor.secret is None:
            token, cookie = self._new_session()
            headers.append(("Set-Cookie", cookie))
        else:  # their cookie stays as it is, as Flask leaves an unchanged session's
            token = self._token(visitor.secret)
        body = page.body.replace(_STAND_IN, token).encode()
        start_response(page.status, [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def _token(self, secret: str) -> str:
        """The CSRF token for `secret`, as Flask-WTF's generate_csrf signs it."""
        app = self.app
        return URLSafeTimedSerializer(app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key,
                                      salt="wtf-csrf-token").dumps(secret)

    def _new_session(self) -> tuple[str, str]:
        """A CSRF token and the session cookie holding its secret, as Flask-WTF's
        generate_csrf and Flask's cookie session make them for a new visitor."""
        app = self.app
        field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        secret = hashlib.sha1(os.urandom(64)).hexdigest()
        token = self._token(secret)
        interface = app.session_interface
        value = interface.get_signing_serializer(app).dumps({field: secret})
        cookie = dump_cookie(
            interface.get_cookie_name(app), value, domain=interface.get_cookie_domain(app),
            path=interface.get_cookie_path(app), secure=interface.get_cookie_secure(app),
            httponly=interface.get_cookie_httponly(app),
            samesite=interface.get_cookie_samesite(app),
            partitioned=interface.get_cookie_partitioned(app))
        return token, cookie

    def _today(self) -> date:
        return today_of(self.app.config)

    def _data_version(self) -> versioned.Version:
        """Asked of the database at most every PUBLIC_PAGE_FRESH_SECONDS, and after this
        process committed a change."""
        now, changes = time.monotonic(), versioned.committed_changes()
        fresh = self.app.config.get("PUBLIC_PAGE_FRESH_SECONDS", 1.0)
        if now - self.checked_at >= fresh or changes != self.changes_seen:
            self.changes_seen = changes
            self.version = versioned.data_version_of(self.app.extensions["db_engine"])
            self.checked_at = now
        return self.version


def init_app(app: Flask) -> None:
    app.wsgi_app = ServedBeforeFlask(app)
