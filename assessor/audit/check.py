"""Checking the audit log: every event's hash, each event naming the one before, every event's
seal, and the signed checkpoints (each names an event that must still be there, unchanged)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from .keys import seal_matches, signature_problem
from .log import AuditCheckpoint, AuditEvent, as_utc, digest


@dataclass(frozen=True)
class Break:
    event_id: int
    reason: str


@dataclass
class Report:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    checkpoint: AuditCheckpoint | None = None  # the latest one signed with the configured key
    after_checkpoint: int = 0  # events after it: sealed, signed at the next checkpoint
    other_signers: int = 0  # checkpoints signed with another certificate (not checked)

    @property
    def intact(self) -> bool:
        return not self.problems


def _first_checkpoint_head(db: Session) -> int | None:
    return db.exec(select(func.min(AuditCheckpoint.head_id))).one()


def verify_chain(db: Session, batch: int = 5000) -> tuple[int, Break | None]:
    """(events checked, the first break or None). Reads in batches to keep memory flat.

    Events from before seals existed (migration 0010) may have none; once one event is sealed,
    and after the first checkpoint's head, every event must carry a seal that matches."""
    must_seal_after = _first_checkpoint_head(db)
    previous_hash, checked, last_id, sealing = "", 0, 0, False
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
            sealing = sealing or bool(event.seal) or (
                must_seal_after is not None and event.id > must_seal_after)
            if sealing and not seal_matches(event.hash, event.seal):
                return checked, Break(event.id, "seal does not match: written outside the app "
                                                "(forged, or re-hashed)")
            previous_hash, last_id = event.hash, event.id
            checked += 1


def verify_log(db: Session, anchors: list[tuple[int, str]] = ()) -> Report:
    """The chain, then every checkpoint against it; `anchors` are (event id, hash) pairs known
    from outside the database (a published list's PDF, the nightly command's output)."""
    report = Report()
    report.checked, broken = verify_chain(db)
    if broken:
        report.problems.append(f"chain broken at event {broken.event_id}: {broken.reason} "
                               f"({report.checked} events before it are intact)")
    for made in db.exec(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all():
        problem = signature_problem(made.statement(), made.signer, made.signature)
        if problem and problem.startswith("signed with another certificate"):
            report.other_signers += 1
            continue
        label = f"checkpoint {made.id} ({as_utc(made.made_at):%Y-%m-%d %H:%M} UTC)"
        if problem:
            report.problems.append(f"{label}: {problem} (forged or changed)")
            continue
        report.problems.extend(_head_problems(db, label, made.head_id, made.head_hash))
        report.checkpoint = made
    for event_id, event_hash in anchors:
        report.problems.extend(_head_problems(db, f"hash given for event {event_id}", event_id,
                                              event_hash))
    last_id = db.exec(select(func.max(AuditEvent.id))).one()
    if report.checkpoint is None:
        if last_id is not None:
            report.problems.append("no checkpoint signed with the configured certificate: run "
                                   "`flask --app assessor audit checkpoint`")
    else:
        report.after_checkpoint = db.exec(select(func.count(AuditEvent.id)).where(
            AuditEvent.id > report.checkpoint.head_id)).one()
    return report


def _head_problems(db: Session, label: str, head_id: int, head_hash: str) -> list[str]:
    event = db.get(AuditEvent, head_id)
    if event is None:
        return [f"{label} signs event {head_id}, which is missing (events were cut off or "
                f"removed)"]
    if event.hash != head_hash:
        return [f"{label} signs event {head_id} with hash {head_hash[:16]}…, the log now has "
                f"{event.hash[:16]}… (re-hashed or replaced)"]
    return []
