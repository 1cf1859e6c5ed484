"""Values kept until the data changes: dashboards' statistics and public pages, computed once
per process for each position of the audit log.

Every change these values depend on (a state change, a submission, a published list, a
certificate issued or revoked) writes an audit event in the same transaction, and audit events
are only ever added: the last event's id names the data's version. A value computed at one
version is served until the next event. The store belongs to the app (a test's new app starts
empty) and keeps at most MAX_ENTRIES values, the least recently used leaving first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app
from sqlalchemy import func, select

from . import db
from .audit import AuditEvent

MAX_ENTRIES = 256
T = TypeVar("T")
_lock = threading.Lock()


def data_version() -> int:
    """The audit log's last event id."""
    return db.session().execute(select(func.max(AuditEvent.id))).scalar() or 0


def kept(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """The value for `key` at the current data version, computed only if it is not kept."""
    store: OrderedDict = current_app.extensions.setdefault("versioned", OrderedDict())
    full_key = (data_version(), *key)
    with _lock:
        if full_key in store:
            store.move_to_end(full_key)
            return store[full_key]
    value = compute()
    with _lock:
        store[full_key] = value
        while len(store) > MAX_ENTRIES:
            store.popitem(last=False)
    return value
