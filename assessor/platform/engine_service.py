"""The criteria engine as the app holds it: loaded once per process from CRITERIA_ROOT."""

from __future__ import annotations

from flask import current_app

from ..engine import Engine


def criteria_engine() -> Engine:
    engine = current_app.extensions.get("criteria_engine")
    if engine is None:
        engine = Engine.load(current_app.config["CRITERIA_ROOT"])
        current_app.extensions["criteria_engine"] = engine
    return engine
