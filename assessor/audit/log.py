"""Audit events: who did what, when, to which object, from which state to which, and why.

Append-only: rows are only ever added, and the database refuses UPDATE and DELETE on them
(triggers, migration 0010). Each carries the hash of the one before, so a changed or removed
event breaks the chain, and a seal (an HMAC of its hash with the log's own key, auditkeys.py), so
an event written straight into the database cannot pass as the app's. Checkpoints sign the
chain's head with the certificate signing key: at least daily (the first event of a day signs
the head as it stood, and `flask --app assessor audit checkpoint` runs nightly) and at every list
publication, so cutting off the last events is caught too (`flask --app assessor audit verify`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, date, datetime

from flask import current_app, has_app_context
from sqlalchemy import JSON, Column, Index, func, text
from sqlmodel import Field, Session, SQLModel, select

from ..platform import versioned
from ..platform.db import utcnow

log = logging.getLogger(__name__)


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    action: str = Field(max_length=40)
    object_type: str = Field(max_length=40)
    object_id: int | None = None
    from_state: str | None = Field(default=None, max_length=20)
    to_state: str | None = Field(default=None, max_length=20)
    reason: str | None = Field(default=None, max_length=2000)
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    previous_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)
    seal: str = Field(default="", max_length=64)  # HMAC of `hash` with the log's key

    # an application's page lists its events
    __table_args__ = (Index("ix_auditevent_object", "object_type", "object_id"),)


class AuditCheckpoint(SQLModel, table=True):
    """The chain's head signed with the certificate signing key: events up to `head_id` cannot
    be cut off, re-hashed or replaced without the signature failing."""

    id: int | None = Field(default=None, primary_key=True)
    made_at: datetime = Field(default_factory=utcnow)
    day: date = Field(index=True)  # the Beijing date it was made on (one a day at least)
    head_id: int
    head_hash: str = Field(max_length=64)
    occasion: str = Field(max_length=20)  # daily, nightly, publication
    round_id: int | None = Field(default=None, index=True)  # the round whose list was published
    signer: str = Field(max_length=64)  # SHA-256 fingerprint of the signing certificate
    signature: str = Field(max_length=2048)  # base64

    def statement(self) -> bytes:
        """The text signed: the head and the time (UTC, seconds)."""
        return (f"assessor audit checkpoint\nhead {self.head_id} {self.head_hash}\n"
                f"made {as_utc(self.made_at):%Y-%m-%dT%H:%M:%SZ}\n").encode("ascii")


def as_utc(moment: datetime) -> datetime:
    """A time in UTC (one without a zone was written in UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def digest(event: AuditEvent) -> str:
    """The event's hash over its content and the previous event's hash. Times are taken in UTC
    so that a database returning another time zone (or none) gives the same text."""
    body = json.dumps({
        "at": as_utc(event.at).isoformat(), "actor": event.actor_id, "action": event.action,
        "object": [event.object_type, event.object_id], "from": event.from_state,
        "to": event.to_state, "reason": event.reason, "details": event.details,
        "previous": event.previous_hash,
    }, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _lock_chain(db: Session) -> None:
    if db.get_bind().dialect.name == "postgresql":
        # one writer at a time extends the chain, or two would name the same predecessor
        db.exec(text("SELECT pg_advisory_xact_lock(820001)"))


def _head(db: Session) -> AuditEvent | None:
    return db.exec(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).first()


def record(db: Session, *, actor_id: int | None, action: str, object_type: str,
           object_id: int | None, from_state: str | None = None, to_state: str | None = None,
           reason: str | None = None, details: dict | None = None) -> AuditEvent:
    """Add an event to the session (committed with the change it records)."""
    from .keys import seal

    _lock_chain(db)
    last = _head(db)
    if last is not None:
        _daily_checkpoint(db, last)
    event = AuditEvent(actor_id=actor_id, action=action, object_type=object_type,
                       object_id=object_id, from_state=from_state, to_state=to_state,
                       reason=reason, details=details or {},
                       previous_hash=last.hash if last else "")
    event.hash = digest(event)
    event.seal = seal(event.hash) if has_app_context() else ""
    db.add(event)
    versioned.note_change(db)  # kept pages and statistics move on when this commits
    return event


def checkpoint(db: Session, occasion: str, round_id: int | None = None) -> AuditCheckpoint | None:
    """Sign the chain's head (events added to the session so far included); None when the log
    is empty. Committed with the caller's transaction."""
    db.flush()
    _lock_chain(db)
    head = _head(db)
    return None if head is None else _sign_head(db, head, occasion, round_id)


def _sign_head(db: Session, head: AuditEvent, occasion: str,
               round_id: int | None = None) -> AuditCheckpoint:
    from ..platform.viewkit import today
    from .keys import sign

    made = AuditCheckpoint(made_at=utcnow().replace(microsecond=0), day=today(),
                           head_id=head.id, head_hash=head.hash, occasion=occasion,
                           round_id=round_id, signer="", signature="")
    made.signer, made.signature = sign(made.statement())
    db.add(made)
    current_app.extensions["audit_checkpoint_day"] = made.day
    return made


def _daily_checkpoint(db: Session, last: AuditEvent) -> None:
    """The first event of a (Beijing) day signs the head as it stood, so no day goes without a
    checkpoint even when the nightly timer does not run. A key problem is logged, never in the
    way of the change being recorded."""
    if not has_app_context():
        return
    from ..platform.viewkit import today

    day = today()
    if current_app.extensions.get("audit_checkpoint_day") == day:
        return
    latest = db.exec(select(func.max(AuditCheckpoint.day))).one()
    if latest is not None and latest >= day:
        current_app.extensions["audit_checkpoint_day"] = day
        return
    try:
        _sign_head(db, last, "daily")
    except Exception:  # a missing or broken signing key: the nightly command reports it
        log.exception("audit checkpoint not made")


def latest_checkpoint(db: Session, round_id: int | None = None) -> AuditCheckpoint | None:
    query = select(AuditCheckpoint)
    if round_id is not None:
        query = query.where(AuditCheckpoint.round_id == round_id)
    return db.exec(query.order_by(AuditCheckpoint.id.desc()).limit(1)).first()
