"""Configuration: defaults < instance/config.py < ASSESSOR_* environment variables."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parents[1]

DEFAULTS = {
    "CRITERIA_ROOT": str(PROJECT_ROOT / "criteria"),
}


def load_config(app: Flask, test_config: dict | None = None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("ASSESSOR")
    if test_config:
        app.config.from_mapping(test_config)
