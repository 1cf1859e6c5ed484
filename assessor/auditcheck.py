"""Checking the audit chain: every event's hash, and each event naming the one before."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from .audit import AuditEvent, digest


@dataclass(frozen=True)
class Break:
    event_id: int
    reason: str


def verify_chain(db: Session, batch: int = 5000) -> tuple[int, Break | None]:
    """(events checked, the first break or None). Reads in batches to keep memory flat."""
    previous_hash, checked, last_id = "", 0, 0
    while True:
        events = db.exec(select(AuditEvent).where(AuditEvent.id > last_id)
                         .order_by(AuditEvent.id).limit(batch)).all()
        if not events:
            return checked, None
        for event in events:
            if event.previous_hash != previous_hash:
                return checked, Break(event.id, "previous hash does not match the event before "
                                                "(an event was removed or inserted)")
            if digest(event) != event.hash:
                return checked, Break(event.id, "content does not match its hash (changed)")
            previous_hash, last_id = event.hash, event.id
            checked += 1
