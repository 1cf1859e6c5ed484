"""The audit log: hash-chained, sealed events (log.py), their keys (keys.py) and `audit verify`
(check.py). `audit.record(...)` is what the domains call."""

from .log import AuditCheckpoint, AuditEvent, as_utc, checkpoint, digest, latest_checkpoint, record

__all__ = ["AuditCheckpoint", "AuditEvent", "as_utc", "checkpoint", "digest", "latest_checkpoint",
           "record"]
