"""Configuration: defaults < instance/config.py < ASSESSOR_* environment variables.

The secret key is generated into instance/secret_key on first run, so a fresh checkout needs
no set-up and the key never enters git.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask

from .createonce import create_once

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
        # "" (a relay on this host or network), "starttls" (port 587) or "tls" (port 465); the
        # relay's certificate is checked against the system's CAs, or SMTP_CA_FILE's
        "SMTP_SECURITY": "",
        "SMTP_CA_FILE": "",
        "SMTP_USERNAME": "",
        "SMTP_PASSWORD": "",
        "MAIL_FROM": "assessor@localhost",
        # without SMTP_HOST, mail is written here as .eml files (a development machine)
        "MAIL_FOLDER": str(instance / "mail"),
        "PAGE_SIZE": 20,
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_ABSOLUTE_HOURS": 12,
        # visitors without a cookie get public pages kept in the process (pagecache.py): a
        # change made in another process shows there within this many seconds
        "PUBLIC_PAGE_FRESH_SECONDS": 1.0,
        # proxies in front (nginx) whose X-Forwarded-For/-Proto/-Host headers are believed: the
        # client's address (sign-in throttling) and scheme come from them; 0 believes none
        "TRUSTED_PROXIES": 0,
        # certificates: where verify links point, where signed PDFs live, how long they hold
        # (no official validity period was found: 3 years is an editable default)
        # empty: certificates take the address the officer's request reached; mail links (never
        # built on the request's Host) take http://127.0.0.1:5000 (accounts/services.py)
        "PUBLIC_BASE_URL": "",
        "CERTIFICATE_FOLDER": str(instance / "certificates"),
        "CERTIFICATE_VALID_YEARS": 3,
        "CERT_SIGNING_KEY": "",  # absolute, or inside instance/; empty: a development pair
        "CERT_SIGNING_CERT": "",
        # the department that issues the lists and certificates, printed on both, and its seal
        # (an image, absolute or inside instance/; empty: instance/seal.png or instance/seal.svg
        # when there is one, else no seal is printed). `demo` writes a 样章 there.
        "ISSUING_DEPARTMENT": "贵州省工业和信息化厅",
        "ISSUING_DEPARTMENT_EN": "Guizhou Department of Industry and Information Technology",
        "CERT_SEAL_IMAGE": "",
        # the audit log's seal (an HMAC on every event): the same on every host; empty: a key
        # made on first use in instance/signing/audit-seal-key
        "AUDIT_SEAL_KEY": "",
        # batch jobs: on RQ at QUEUE_URL (e.g. redis://127.0.0.1:6379/0, run by `flask --app
        # assessor jobs worker`), or inline in the request when it is empty. JOB_FOLDER holds the
        # files jobs make: shared storage across hosts, like UPLOAD_FOLDER
        "QUEUE_URL": "",
        "QUEUE_NAME": "assessor",
        "JOB_FOLDER": str(instance / "job-files"),
        "EXPORT_JOB_ROWS": 2000,  # a longer export runs as a job; a shorter one downloads at once
        # an uploaded Excel workbook is refused before it is parsed when, unpacked, it is larger
        # than this, or one part (a sheet) is, or a sheet has more rows (applications/excel/guard.py)
        "EXCEL_IMPORT_MAX_UNCOMPRESSED": 100 * 1024 * 1024,
        "EXCEL_IMPORT_MAX_PART": 50 * 1024 * 1024,
        "EXCEL_IMPORT_MAX_ROWS": 50_000,
        # public objections (ratelimit.py): counted per client address and per round, in
        # RATELIMIT_STORAGE_URI, else QUEUE_URL's Redis, else <instance>/ratelimit.sqlite3
        "OBJECTION_LIMIT_PER_ADDRESS": "10 per hour;30 per day",
        "OBJECTION_LIMIT_PER_ROUND": "300 per day",
        "OBJECTION_ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
        "RATELIMIT_STORAGE_URI": "",
    }


def _secret_key(instance: Path) -> str:
    """instance/secret_key, made on first use. Workers starting together agree on one key (the
    first to create the file wins); hosts that do not share instance/ need ASSESSOR_SECRET_KEY."""
    path = instance / "secret_key"
    if not path.exists():
        create_once(path, secrets.token_hex(32).encode("ascii"))
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
