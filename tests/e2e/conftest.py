"""A real browser (Debian's chromium, driven by Playwright) against the app served on a free
local port, with its own migrated SQLite database. A failing step leaves a screenshot in
tests/e2e/artifacts/."""

import socket
import threading
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from assessor import create_app
from assessor.platform import db
from assessor.platform.dbcli import upgrade_database

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def live_app(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app({
        "TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.sqlite3'}",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "CERTIFICATE_FOLDER": str(tmp_path / "certificates"), "TODAY": date(2025, 3, 3),
        "ARGON2_MEMORY_KIB": 1024, "QUEUE_URL": "", "SECRET_KEY": "e2e",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"})
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        upgrade_database()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.base_url = f"http://127.0.0.1:{port}"
    yield app
    server.shutdown()
    with app.app_context():
        db.engine().dispose()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_call = report.failed


@pytest.fixture
def browser_page(request):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        if getattr(request.node, "failed_call", False):
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()
