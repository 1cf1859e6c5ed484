"""Audit events: who did what, when, to which object, from which state to which, and why.

Append-only: rows are only ever added. Each carries the hash of the one before, so a changed or
removed event breaks the chain (checked by `flask --app assessor audit verify`, issue 7).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, Session, SQLModel, select

from . import versioned
from .db import utcnow


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

    # an application's page lists its events
    __table_args__ = (Index("ix_auditevent_object", "object_type", "object_id"),)


def digest(event: AuditEvent) -> str:
    """The event's hash over its content and the previous event's hash. Times are taken in UTC
    so that a database returning another time zone gives the same text."""
    body = json.dumps({
        "at": event.at.astimezone(UTC).isoformat(), "actor": event.actor_id, "action": event.action,
        "object": [event.object_type, event.object_id], "from": event.from_state,
        "to": event.to_state, "reason": event.reason, "details": event.details,
        "previous": event.previous_hash,
    }, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def record(db: Session, *, actor_id: int | None, action: str, object_type: str,
           object_id: int | None, from_state: str | None = None, to_state: str | None = None,
           reason: str | None = None, details: dict | None = None) -> AuditEvent:
    """Add an event to the session (committed with the change it records)."""
    if db.get_bind().dialect.name == "postgresql":
        # one writer at a time extends the chain, or two would name the same predecessor
        db.exec(text("SELECT pg_advisory_xact_lock(820001)"))
    last = db.exec(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).first()
    event = AuditEvent(actor_id=actor_id, action=action, object_type=object_type,
                       object_id=object_id, from_state=from_state, to_state=to_state,
                       reason=reason, details=details or {},
                       previous_hash=last.hash if last else "")
    event.hash = digest(event)
    db.add(event)
    versioned.note_change(db)  # kept pages and statistics move on when this commits
    return event
