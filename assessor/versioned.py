"""Values kept until the data changes: dashboards' statistics and public pages, computed once
per process for each position of the audit log.

Every change these values depend on (a state change, a submission, a published list, a
certificate issued or revoked) writes an audit event in the same transaction, and audit events
are only ever added: the last event's id names the data's version. A value computed at one
version is served until the next event. The store belongs to the app (a test's new app starts
empty); the least recently used values leave first once it holds MAX_ENTRIES values or
MAX_CHARS characters of text.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from . import db

MAX_ENTRIES = 4096
MAX_CHARS = 16_000_000  # pages are kept as text: about 16 MB a process at most
T = TypeVar("T")
_lock = threading.Lock()


def data_version() -> int:
    """The audit log's last event id (on a connection of its own: no ORM session needed)."""
    with db.engine().connect() as connection:
        return connection.exec_driver_sql("SELECT max(id) FROM auditevent").scalar() or 0


class _Store:
    def __init__(self):
        self.values: OrderedDict = OrderedDict()
        self.chars = 0

    def get(self, key):
        with _lock:
            if key in self.values:
                self.values.move_to_end(key)
                return True, self.values[key]
        return False, None

    def put(self, key, value) -> None:
        with _lock:
            if key in self.values:
                return
            self.values[key] = value
            self.chars += len(value) if isinstance(value, str) else 0
            while len(self.values) > MAX_ENTRIES or self.chars > MAX_CHARS:
                _key, old = self.values.popitem(last=False)
                self.chars -= len(old) if isinstance(old, str) else 0


def kept(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """The value for `key` at the current data version, computed only if it is not kept."""
    store = current_app.extensions.get("versioned")
    if store is None:
        store = current_app.extensions.setdefault("versioned", _Store())
    full_key = (data_version(), *key)
    found, value = store.get(full_key)
    if not found:
        value = compute()
        store.put(full_key, value)
    return value
