"""Security headers, session timeouts and "sign out everywhere", on every request."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

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
    session["seen_at"] = now
    return None


def _too_large(_error):
    limit = request.max_content_length or 0
    return render_template("errors/413.html", megabytes=limit // (1024 * 1024)), 413


def init_app(app: Flask) -> None:
    app.after_request(_headers)
    app.before_request(_expire)
    app.register_error_handler(413, _too_large)
