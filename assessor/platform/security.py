"""Who may see what: login, roles, and lookups that answer 404 for anything not yours."""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort, g, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from ..accounts import sessions
from ..accounts.models import User
from . import db

login_manager = LoginManager()
csrf = CSRFProtect()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user, only while the session the cookie names is open on the server (one query)."""
    key = session.get("sid")
    if not isinstance(key, str) or not user_id.isdigit() or int(user_id) > 2**31 - 1:
        return None
    return sessions.signed_in_user(db.session(), int(user_id), key)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.localize_callback = str  # flashed in the visitor's language, as plain text
    csrf.init_app(app)
    app.before_request(_forget_cached_user)


def _forget_cached_user() -> None:
    """Each request loads its own user. Flask-Login caches the user on `g`, which outlives a
    request when an app context is already open (as in the tests); never let it leak."""
    g.pop("_login_user", None)


def roles_required(*roles: str):
    """Logged in with one of `roles`; anyone else gets 404, as if the page did not exist."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(404)
            return view(*args, **kwargs)
        return wrapped
    return decorator
