"""Small things every view needs."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app

from . import db


def today() -> date:
    """The date the app works on: configurable (TODAY) so tests and demos can move in time."""
    return current_app.config.get("TODAY") or date.today()


def get_or_404(model, key):
    found = db.session().get(model, key)
    if found is None:
        abort(404)
    return found
