"""Values kept until the data changes: dashboards' statistics, lists and public pages, computed
once per process for each version of the data.

Every change these values depend on (a state change, a submission, a published list, a
certificate issued or revoked) writes an audit event in the same transaction, and audit events
are only ever added; the one change that is not audited, a draft saved (an application's
"updated" time moves), counts itself in `datamark` in its transaction. The last event's id and
that count name the data's version. A value computed at one version is served until the next.
The store belongs to the app (a test's new app starts empty); the least recently used values
leave first once it holds MAX_ENTRIES values or MAX_CHARS characters of text.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app, has_request_context, request
from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel

from . import db

MAX_ENTRIES = 4096
MAX_CHARS = 16_000_000  # pages are kept as text: about 16 MB a process at most
T = TypeVar("T")
_lock = threading.Lock()
_REQUEST_KEY = "assessor.data_version"


class DataMark(SQLModel, table=True):
    """One row: how many drafts have been saved (the data's one unaudited change)."""

    id: int = Field(default=1, primary_key=True)
    drafts_saved: int = Field(default=0)


def draft_saved(session: Session) -> None:
    """Counts a draft saved, in the caller's transaction (so the version moves with the data)."""
    counted = session.exec(update(DataMark).where(DataMark.id == 1)
                           .values(drafts_saved=DataMark.drafts_saved + 1))
    if counted.rowcount == 0:  # a database made by create_all, not by the migrations
        session.add(DataMark(id=1, drafts_saved=1))
    note_change(session)


Version = tuple[int, int]


def _read(connection) -> Version:
    last, saved = connection.exec_driver_sql(
        "SELECT (SELECT max(id) FROM auditevent), (SELECT drafts_saved FROM datamark)").one()
    return last or 0, saved or 0


def data_version() -> Version:
    """The audit log's last event id and the drafts saved (plain SQL on the request's connection,
    no ORM query), read once per request: values computed later in the same request that
    committed a change are only ever newer than their key says."""
    if not has_request_context():
        return _read(db.session().connection())
    # on the request, not on g: g outlives a request when an app context is already open
    if _REQUEST_KEY not in request.environ:
        request.environ[_REQUEST_KEY] = _read(db.session().connection())
    return request.environ[_REQUEST_KEY]


def data_version_of(engine: Engine) -> Version:
    """The same, outside a request (on a pooled connection of its own)."""
    with engine.connect() as connection:
        return _read(connection)


# -- changes committed by this process -----------------------------------------------------------
# audit.record marks its session; the commit counts. A process that serves a kept page without
# asking the database (pagecache) asks again as soon as it has itself changed something.
_committed_changes = 0


def note_change(session: Session) -> None:
    session.info["audited"] = True


def committed_changes() -> int:
    return _committed_changes


@event.listens_for(Session, "after_commit")
def _count_commit(session) -> None:
    global _committed_changes
    if session.info.pop("audited", False):
        _committed_changes += 1


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session) -> None:
    session.info.pop("audited", None)


class Store:
    """Kept values, least recently used first out; text counts by its length (`size` for
    anything else that holds text)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_chars: int = MAX_CHARS):
        self.values: OrderedDict = OrderedDict()  # key -> (value, size)
        self.chars = 0
        self.max_entries, self.max_chars = max_entries, max_chars

    def get(self, key):
        with _lock:
            if key in self.values:
                self.values.move_to_end(key)
                return True, self.values[key][0]
        return False, None

    def put(self, key, value, size: int | None = None) -> None:
        if size is None:
            size = len(value) if isinstance(value, str) else 0
        with _lock:
            if key in self.values:
                self.chars -= self.values.pop(key)[1]
            self.values[key] = (value, size)
            self.chars += size
            while len(self.values) > self.max_entries or self.chars > self.max_chars:
                _key, (_old, old_size) = self.values.popitem(last=False)
                self.chars -= old_size


def kept(key: tuple[Hashable, ...], compute: Callable[[], T], version: Version | None = None
         ) -> T:
    """The value for `key` at the current data version (or at `version`, read by the caller),
    computed only if it is not kept."""
    store = current_app.extensions.get("versioned")
    if store is None:
        store = current_app.extensions.setdefault("versioned", Store())
    full_key = (data_version() if version is None else version, *key)
    found, value = store.get(full_key)
    if not found:
        value = compute()
        store.put(full_key, value)
    return value
