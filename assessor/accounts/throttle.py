"""Throttling: after 5 attempts for an account or an address within 15 minutes, wait; each
further attempt doubles the wait (up to an hour). Counted in the database, so it holds across
processes and hosts. Sign-ins count their failures; registrations and password-reset requests
count every attempt (each sends a mail), each kind on its own.

Not Flask-Limiter, which holds the public limits (platform/ratelimit.py): its fixed windows
count every request against one key, where this counts only failures, forgets them when the
account signs in, doubles the wait, and joins two keys (the account or the address)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Field, Session, SQLModel, delete, select

from ..platform.db import utcnow

FREE_ATTEMPTS = 5
WINDOW = timedelta(minutes=15)
MAX_WAIT = timedelta(hours=1)
SIGN_IN, REGISTER, RESET = "sign_in", "register", "reset"


class LoginFailure(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    kind: str = Field(default=SIGN_IN, max_length=10)  # sign_in | register | reset


def wait_needed(db: Session, email: str, address: str, now: datetime | None = None,
                kind: str = SIGN_IN) -> timedelta:
    """How long this account or address must wait before trying again (zero: go ahead)."""
    now = now or utcnow()
    failures = db.exec(select(LoginFailure.at).where(
        or_(LoginFailure.email == email.strip().lower(), LoginFailure.address == address),
        LoginFailure.kind == kind, LoginFailure.at > now - WINDOW)
        .order_by(LoginFailure.at)).all()
    if len(failures) < FREE_ATTEMPTS:
        return timedelta(0)
    wait = min(timedelta(minutes=1) * 2 ** (len(failures) - FREE_ATTEMPTS), MAX_WAIT)
    return max(failures[-1] + wait - now, timedelta(0))


def record_failure(db: Session, email: str, address: str, kind: str = SIGN_IN) -> None:
    db.add(LoginFailure(email=email.strip().lower()[:254], address=address[:64], kind=kind))
    db.commit()


def clear(db: Session, email: str) -> None:
    db.exec(delete(LoginFailure).where(LoginFailure.email == email.strip().lower(),
                                       LoginFailure.kind == SIGN_IN))
    db.commit()


def minutes(wait: timedelta) -> int:
    """A wait as whole minutes to tell the visitor (rounded up)."""
    return int(wait.total_seconds() // 60) + 1
