"""Who is calling: `Authorization: Bearer asr_…` on every API request.

Only the token counts. A browser session cookie sent along is ignored, which is why the API can
do without CSRF tokens: a page on another site cannot make the browser add this header.
"""

from __future__ import annotations

from functools import wraps

from flask import g, request

from ..accounts.models import User
from ..platform import db
from ..platform.viewkit import today
from . import tokens
from .errors import ApiError


def _missing() -> ApiError:
    return ApiError(401, "unauthorized", "缺少访问令牌（请求头 Authorization: Bearer <令牌>）",
                    "An access token is needed (header Authorization: Bearer <token>)")


def _invalid() -> ApiError:
    return ApiError(401, "invalid_token", "访问令牌无效、已撤销或已过期",
                    "The access token is unknown, revoked or expired")


def load_caller() -> None:
    """Before every API request: the token's user in g.api_user, or None without a token. A
    token that is presented but does not work is refused here, even where none is needed."""
    g.api_user = None
    header = request.headers.get("Authorization", "").strip()
    if not header:
        return
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise _missing()
    user = tokens.authenticate(db.session(), secret.strip(), today())
    if user is None:
        raise _invalid()
    g.api_user = user


def caller() -> User | None:
    return g.get("api_user")


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if caller() is None:
            raise _missing()
        return view(*args, **kwargs)
    return wrapped
