"""Security headers, session timeouts and "sign out everywhere", on every request; the client's
address and scheme as the trusted proxies in front report them."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from ..accounts import sessions
from . import db, request_guards
from .db import utcnow
from .request_guards import MAX_ID

# No inline scripts or styles anywhere: the pages need none, so the policy forbids them.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; frame-src 'self'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")


# A file shown inside one of our own pages (an evidence PDF or image beside the items it
# proves): framed by this site only, running nothing, fetching nothing but itself. Chromium's
# PDF viewer is a plugin in the file's own document, hence object-src 'self' there alone.
FRAMED_FILE_CSP = "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'self'"


def framable_by_this_site(response):
    """This one response may be shown in a frame of this site's pages (SAMEORIGIN); every other
    response keeps DENY and frame-ancestors 'none'."""
    response.headers["Content-Security-Policy"] = FRAMED_FILE_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security",
                                    "max-age=31536000; includeSubDomains")
    return response


def start_session(user, key: str) -> None:
    """Called at sign-in: a fresh session stamped with its start, the user's session version and
    the key of its record on the server (accounts.sessions)."""
    session.clear()
    now = utcnow().timestamp()
    session["auth_at"], session["seen_at"] = now, now
    session["sv"] = user.session_version
    session["sid"] = key


SEEN_AT_STEP = 30  # seconds: how finely the idle timeout is kept


def _expire():
    if not current_user.is_authenticated or request.endpoint == "static":
        return None

    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    now = utcnow().timestamp()
    stale = (session.get("sv") != current_user.session_version
             or now - session.get("seen_at", 0) > idle.total_seconds()
             or now - session.get("auth_at", 0) > absolute.total_seconds())
    if stale:
        sessions.end(db.session(), session.get("sid"))
        locale = session.get("locale")
        logout_user()
        session.clear()
        if locale:
            session["locale"] = locale
        flash(_("登录已过期，请重新登录。"), "error")
        return redirect(url_for("accounts.login", next=request.full_path))
    if now - session.get("seen_at", 0) >= SEEN_AT_STEP:
        # the idle clock moves in steps: a cookie re-signed on every request costs every page
        session["seen_at"] = now
    return None




class IdConverter(IntegerConverter):
    """`<int:…>` and `<id:…>` in every route: a database id, 1 to 2**31-1. Larger numbers name
    nothing (and would overflow SQLite and PostgreSQL), so they are simply not found."""

    def __init__(self, url_map, **_options):
        super().__init__(url_map, min=1, max=MAX_ID)


def _too_large(_error):
    limit = request.max_content_length or 0
    return render_template("errors/413.html", megabytes=limit // (1024 * 1024)), 413


def _behind_proxies(app: Flask) -> None:
    """Behind nginx every request comes from the proxy's address: without this, five failed
    sign-ins by anyone would throttle everyone. Only as many hops as configured are believed."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def init_app(app: Flask) -> None:
    _behind_proxies(app)
    app.url_map.converters["int"] = app.url_map.converters["id"] = IdConverter
    app.after_request(_headers)
    request_guards.init_app(app)  # NUL, CR/LF, huge numbers, deep JSON: 400 before any view
    app.before_request(_expire)
    app.register_error_handler(413, _too_large)
