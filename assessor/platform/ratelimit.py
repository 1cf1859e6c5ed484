"""Rate limits on what anonymous visitors may send (Flask-Limiter), shared by every process.

Counters live in RATELIMIT_STORAGE_URI when it is set (any Flask-Limiter storage, e.g.
redis://host:6379/1); else in the job queue's Redis (QUEUE_URL); else in a small SQLite file,
<instance>/ratelimit.sqlite3, which every gunicorn process on the host shares. Flask-Limiter's
own memory:// storage would be one counter per process: with 4 workers an address would get 4
times its limit. The SQLite file is for one host on a local disk (not on NFS); with several app
hosts configure Redis. A storage that fails lets requests through (RATELIMIT_SWALLOW_ERRORS):
a limit never turns into an error page for everyone.

`limiter` is one per process, as the views' decorators need it at import time: the last app
initialised holds the storage (production runs one app per process).
"""

from __future__ import annotations

import sqlite3
import time
import urllib.parse
from pathlib import Path

from flask import Flask, render_template
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage

# the address is request.remote_addr, which ProxyFix (TRUSTED_PROXIES, hardening.py) sets from
# the proxy's X-Forwarded-For
limiter = Limiter(key_func=get_remote_address, default_limits=[], application_limits=[])


class SQLiteStorage(Storage):
    """Fixed-window counters in a SQLite file (WAL) that processes on one host share. Each
    increment is one short write transaction; expired counters are deleted as it goes."""

    STORAGE_SCHEME = "assessor+sqlite"

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions, **options)
        self.path = urllib.parse.unquote(urllib.parse.urlparse(uri or "").path)
        self._ready = False

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        if not self._ready:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY, "
                               "count INTEGER NOT NULL, expires REAL NOT NULL)")
            self._ready = True
        return connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("DELETE FROM counter WHERE expires <= ?", (now,))
            connection.execute(
                "INSERT INTO counter (key, count, expires) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET count = count + excluded.count",
                (key, amount, now + expiry))
            (count,) = connection.execute("SELECT count FROM counter WHERE key = ?",
                                          (key,)).fetchone()
            connection.execute("COMMIT")
            return count
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()

    def _row(self, key: str) -> tuple[int, float] | None:
        connection = self._connect()
        try:
            return connection.execute("SELECT count, expires FROM counter WHERE key = ? AND "
                                      "expires > ?", (key, time.time())).fetchone()
        finally:
            connection.close()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            self._connect().close()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        connection = self._connect()
        try:
            return connection.execute("DELETE FROM counter").rowcount
        finally:
            connection.close()

    def clear(self, key: str) -> None:
        connection = self._connect()
        try:
            connection.execute("DELETE FROM counter WHERE key = ?", (key,))
        finally:
            connection.close()


def storage_uri(config, instance_path: str) -> str:
    """Where the counters live (see the module's docstring)."""
    if config.get("RATELIMIT_STORAGE_URI"):
        return config["RATELIMIT_STORAGE_URI"]
    queue = config.get("QUEUE_URL") or ""
    if queue.startswith(("redis://", "rediss://", "unix://")):
        return queue
    return f"assessor+sqlite://{Path(instance_path) / 'ratelimit.sqlite3'}"


def _window(item) -> str:
    """A limit's window in the reader's language: "小时" / "hour" for one, "2 小时" /
    "2 hour(s)" for more."""
    from flask_babel import gettext as _

    units = {"second": _("秒"), "minute": _("分钟"), "hour": _("小时"), "day": _("天"),
             "month": _("个月"), "year": _("年")}
    unit = units.get(item.GRANULARITY.name, item.GRANULARITY.name)
    return unit if item.multiples == 1 else f"{item.multiples} {unit}"


def _too_many(error):
    from flask_babel import gettext as _

    from ..api.errors import http_error, is_api_request

    if is_api_request():
        return http_error(error)
    limit = getattr(getattr(error, "limit", None), "limit", None)
    rule = (_("限额：每%(window)s最多 %(amount)s 次。", window=_window(limit), amount=limit.amount)
            if limit is not None else "")
    return render_template("errors/429.html", message=error.description, rule=rule), 429


def init_app(app: Flask) -> None:
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config, app.instance_path)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    # Flask-Limiter falls back on the shared limiter's last `enabled`: an app made with
    # RATELIMIT_ENABLED=False (a test's) would switch limits off for every later app
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    app.register_error_handler(429, _too_many)
