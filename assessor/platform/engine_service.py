"""The criteria engine as the app holds it: the versions published in the database, read
once per data version (every publication writes an audit event), each version prepared once
per process (assessor/criteria/store.py)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from ..engine import Engine
from . import db
from .versioned import kept


def criteria_engine() -> Engine:
    from ..criteria.store import engine_of

    session = db.session()
    return kept(("criteria_engine",), lambda: engine_of(
        session, Path(current_app.config["CRITERIA_ROOT"])))
