"""Small things every view needs."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app

from . import db


def today() -> date:
    """The date the app works on: configurable (TODAY) so tests and demos can move in time."""
    return today_of(current_app.config)


def today_of(config) -> date:
    """today() from an app's config, where no app context is open (WSGI middleware)."""
    return config.get("TODAY") or date.today()


def get_or_404(model, key):
    found = db.session().get(model, key)
    if found is None:
        abort(404)
    return found


def visible_application_or_404(application_id: int):
    """The application if the signed-in user may see it; 404 otherwise (unknown ids alike)."""
    from flask_login import current_user

    from .applications.services import get_visible

    application = get_visible(db.session(), current_user, application_id)
    if application is None:
        abort(404)
    return application
