"""Security headers, session timeouts and "sign out everywhere", on every request; the client's
address and scheme as the trusted proxies in front report them."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Flask,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .db import utcnow

# No inline scripts or styles anywhere: the pages need none, so the policy forbids them.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security",
                                    "max-age=31536000; includeSubDomains")
    return response


def start_session(user) -> None:
    """Called at sign-in: a fresh session stamped with its start and the user's session version."""
    session.clear()
    now = utcnow().timestamp()
    session["auth_at"], session["seen_at"] = now, now
    session["sv"] = user.session_version


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


MAX_ID = 2**31 - 1  # ids are 32-bit integers in both databases


class IdConverter(IntegerConverter):
    """`<int:…>` and `<id:…>` in every route: a database id, 1 to 2**31-1. Larger numbers name
    nothing (and would overflow SQLite and PostgreSQL), so they are simply not found."""

    def __init__(self, url_map, **_options):
        super().__init__(url_map, min=1, max=MAX_ID)


class ControlCharacters(BadRequest):
    description = "NUL"


def _refuse_nul():
    """A NUL byte cannot be stored in PostgreSQL text and is never meaningful in a form: refuse
    the request whole (before anything is changed) instead of failing half-way with a 500."""
    fields = [*request.args.values(), *request.args.keys()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        fields += [*request.form.values(), *request.form.keys(),
                   *(f.filename or "" for f in request.files.values())]
    elif request.is_json and b"\\u0000" in request.get_data():
        fields.append("\0")
    if any("\0" in value for value in fields):
        raise ControlCharacters()
    return None


def _control_characters(_error):
    from .api.errors import body, english, is_api_request

    if is_api_request():
        zh = "提交的内容含有无效的控制字符（NUL），未作任何更改。"
        return jsonify(body("bad_request", zh, english(zh))), 400
    return render_template("errors/400.html"), 400


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
    app.before_request(_refuse_nul)
    app.before_request(_expire)
    app.register_error_handler(ControlCharacters, _control_characters)
    app.register_error_handler(413, _too_large)
