"""API tokens: issuing, revoking, and finding the user a presented token acts for.

A token is `asr_` and 43 random URL-safe characters (256 bits). Only its SHA-256 is stored, with
the first characters for recognising it in lists. A token stops working when it is revoked,
after its last day, when its user is deactivated, and when its user signs out everywhere (the
user's session version moves on, as it does for browser sessions).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlmodel import Session, select

from .. import audit
from ..accounts.models import ADMIN, CITY_OFFICER, EXPERT, PROVINCE_OFFICER, User
from ..platform.db import utcnow
from ..platform.refusal import Refused
from .models import ApiToken

PREFIX = "asr_"
SHOWN = 12  # characters kept for display: "asr_" and 8 of the random part
USE_RECORDED_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often
SYSTEM_ROLES = (CITY_OFFICER, PROVINCE_OFFICER, EXPERT)  # accounts an admin makes tokens for


class TokenError(Refused):
    """A refused token; `field` names the form field when there is one."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def may_issue(actor: User, owner: User) -> bool:
    """Users make their own tokens; an admin makes them for staff (system) accounts."""
    if not (actor.active and owner.active):
        return False
    return actor.id == owner.id or (actor.role == ADMIN and owner.role in SYSTEM_ROLES)


def issue(db: Session, actor: User, owner: User, *, name: str, expires_on: date | None,
          today: date) -> tuple[ApiToken, str]:
    """A new token for `owner`, and its secret: the only time the whole token is known."""
    if not may_issue(actor, owner):
        raise TokenError(_("您无权为该账号创建令牌"), "owner")
    name = (name or "").strip()
    if not name:
        raise TokenError(_("请填写令牌用途"), "name")
    if len(name) > 100:
        raise TokenError(_("令牌用途最多100个字符"), "name")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):  # PostgreSQL refuses NUL in text
        raise TokenError(_("令牌用途不能包含控制字符"), "name")
    if expires_on is not None and expires_on < today:
        raise TokenError(_("有效期不能早于今天"), "expires_on")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=owner.id, name=name, prefix=secret[:SHOWN],
                     token_hash=_hash(secret), session_version=owner.session_version,
                     expires_on=expires_on, created_by=actor.id)
    db.add(token)
    db.flush()
    audit.record(db, actor_id=actor.id, action="create_api_token", object_type="api_token",
                 object_id=token.id, details={"user": owner.id, "name": name,
                                              "prefix": token.prefix})
    db.commit()
    return token, secret


def may_revoke(actor: User, token: ApiToken) -> bool:
    return actor.id == token.user_id or actor.role == ADMIN


def revoke(db: Session, actor: User, token: ApiToken) -> None:
    if not may_revoke(actor, token):
        raise TokenError(_("您无权撤销该令牌"))
    if token.revoked_at is not None:
        raise TokenError(_("该令牌已撤销"))
    token.revoked_at, token.revoked_by = utcnow(), actor.id
    db.add(token)
    audit.record(db, actor_id=actor.id, action="revoke_api_token", object_type="api_token",
                 object_id=token.id, details={"user": token.user_id, "prefix": token.prefix})
    db.commit()


def state(token: ApiToken, owner: User, today: date) -> str:
    """active, revoked, expired, or ended (its user was deactivated or signed out everywhere)."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_on is not None and today > token.expires_on:
        return "expired"
    if not owner.active or owner.session_version != token.session_version:
        return "ended"
    return "active"


def authenticate(db: Session, secret: str, today: date, now: datetime | None = None
                 ) -> User | None:
    """The user a presented token acts for, or None if it is unknown or no longer works."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db.exec(select(ApiToken).where(ApiToken.token_hash == _hash(secret))).first()
    if token is None:
        return None
    owner = db.get(User, token.user_id)
    if state(token, owner, today) != "active":
        return None
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= USE_RECORDED_EVERY:
        token.last_used_at = now
        db.add(token)
        db.commit()
    return owner


def of_user(db: Session, user: User) -> list[ApiToken]:
    return list(db.exec(select(ApiToken).where(ApiToken.user_id == user.id)
                        .order_by(ApiToken.id.desc())).all())


def everyone(db: Session) -> list[tuple[ApiToken, User]]:
    """Every token with its user, newest first (the admin's page)."""
    rows = db.exec(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                   .order_by(ApiToken.id.desc())).all()
    return [(t, u) for t, u in rows]


def system_accounts(db: Session) -> list[User]:
    """The active staff accounts an admin may make tokens for."""
    return list(db.exec(select(User).where(User.role.in_(SYSTEM_ROLES), User.active)
                        .order_by(User.role, User.name, User.id)).all())
