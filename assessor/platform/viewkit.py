"""Small things every view needs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import abort, current_app, has_app_context

from . import db

BEIJING = ZoneInfo("Asia/Shanghai")  # the province works on Beijing time, whatever the server's


def clock() -> datetime:
    """Now, in UTC (one place, so a test can stand the clock anywhere)."""
    return datetime.now(UTC)


def today() -> date:
    """The date the app works on: Beijing's (deadlines, publicity working days, certificate
    dates), or TODAY from the config so tests and demos can move in time."""
    return today_of(current_app.config) if has_app_context() else beijing_date()


def today_of(config) -> date:
    """today() from an app's config, where no app context is open (WSGI middleware)."""
    return config.get("TODAY") or beijing_date()


def beijing_date(moment: datetime | None = None) -> date:
    """The Beijing date of a moment (now, by default); a time without a zone is UTC."""
    moment = moment or clock()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).date()


def beijing_time(moment: datetime | None) -> str:
    """A stored time (UTC) as people read it: Beijing time to the minute."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:  # stored in UTC without its zone
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def get_or_404(model, key):
    found = db.session().get(model, key)
    if found is None:
        abort(404)
    return found
