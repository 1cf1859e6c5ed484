"""The application a request names, when its user may see it."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..platform import db
from .services import get_visible


def visible_application_or_404(application_id: int):
    """The application if the signed-in user may see it; 404 otherwise (unknown ids alike)."""
    application = get_visible(db.session(), current_user, application_id)
    if application is None:
        abort(404)
    return application
