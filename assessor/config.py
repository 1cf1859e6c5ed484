"""Configuration: defaults < instance/config.py < ASSESSOR_* environment variables.

The secret key is generated into instance/secret_key on first run, so a fresh checkout needs
no set-up and the key never enters git.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def defaults(instance: Path) -> dict:
    return {
        "CRITERIA_ROOT": str(PROJECT_ROOT / "criteria"),
        "DATABASE_URL": f"sqlite:///{instance / 'assessor.sqlite3'}",
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "SMTP_HOST": "",
        "SMTP_PORT": 25,
        "MAIL_FROM": "assessor@localhost",
        "PAGE_SIZE": 20,
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_ABSOLUTE_HOURS": 12,
        # certificates: where verify links point, where signed PDFs live, how long they hold
        # (no official validity period was found: 3 years is an editable default)
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        "CERTIFICATE_FOLDER": str(instance / "certificates"),
        "CERTIFICATE_VALID_YEARS": 3,
        "CERT_SIGNING_KEY": "",  # paths inside instance/; empty: a development pair is made
        "CERT_SIGNING_CERT": "",
        "JOBS_INLINE": False,
    }


def _secret_key(instance: Path) -> str:
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def load_config(app: Flask, test_config: dict | None = None) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(defaults(instance))
    app.config.from_pyfile(str(instance / "config.py"), silent=True)
    app.config.from_prefixed_env("ASSESSOR")
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)
