"""Signed-in sessions kept on the server: signing out ends the record, so a copy of the cookie
is worth nothing afterwards. The request's user is read together with its session record in one
indexed query (the same single query as reading the user alone)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, update
from sqlmodel import Session, delete, select

from ..platform.db import utcnow
from .models import User, UserSession


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def begin(db: Session, user: User) -> str:
    """A new session for `user`; the key goes into the cookie. The user's ended records, and
    those past the absolute timeout, are pruned here."""
    now = utcnow()
    oldest = now - timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"] + 1)
    db.exec(delete(UserSession).where(
        UserSession.user_id == user.id,
        or_(UserSession.ended_at.is_not(None), UserSession.started_at < oldest)))
    key = secrets.token_urlsafe(32)
    db.add(UserSession(user_id=user.id, key_hash=_hash(key), started_at=now))
    db.commit()
    return key


def signed_in_user(db: Session, user_id: int, key: str) -> User | None:
    """The active user whose open session has this key, or None."""
    return db.exec(select(User).join(UserSession, UserSession.user_id == User.id).where(
        UserSession.key_hash == _hash(key), UserSession.ended_at.is_(None),
        User.id == user_id, User.active)).first()


def end(db: Session, key: str | None) -> None:
    if key:
        db.exec(update(UserSession).where(UserSession.key_hash == _hash(key),
                                          UserSession.ended_at.is_(None))
                .values(ended_at=utcnow()))
        db.commit()


def end_all(db: Session, user: User, keep: str | None = None) -> None:
    """Ends every session of `user` but the one with key `keep` (the caller commits)."""
    query = update(UserSession).where(UserSession.user_id == user.id,
                                      UserSession.ended_at.is_(None))
    if keep:
        query = query.where(UserSession.key_hash != _hash(keep))
    db.exec(query.values(ended_at=utcnow()))
