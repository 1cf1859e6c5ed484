"""Many clients submit at once against a real gunicorn; the server is killed with SIGKILL in the
middle and restarted: every acknowledged submission is whole and none is half-written."""

import signal
import subprocess
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from sqlmodel import select

from assessor import create_app
from assessor.accounts import services as accounts
from assessor.accounts.uscc import make
from assessor.applications import services as applications
from assessor.applications.models import Application, Revision
from assessor.platform import db
from assessor.platform.dbcli import upgrade_database
from assessor.platform.engine_service import criteria_engine
from assessor.rounds import services as rounds
from tests.conftest import factory_submission
from tests.durability.servers import free_port, own_postgresql_database, serve, stop
from tests.fixtures import BACKENDS, SIGNED_FORM

CLIENTS = 24
PASSWORD = "crash-test-password-1"


def _prepare(database_url: str, instance: Path) -> list[tuple[str, int]]:
    """Drafts ready to submit, one per organisation: (login e-mail, application id)."""
    app = create_app({"DATABASE_URL": database_url, "ARGON2_MEMORY_KIB": 1024,
                      "SECRET_KEY": "crash"})
    app.instance_path = str(instance)
    drafts = []
    with app.app_context():
        upgrade_database()
        session = db.session()
        officer = accounts.create_staff(session, email="p@crash.cn", name="p",
                                        role="province_officer", password=PASSWORD)
        today = date.today()
        round_ = rounds.open_round(session, criteria_engine(), officer, title="崩溃测试",
                                   subject="factory", year=2024, criteria_id="GZ-F-2024",
                                   opens_on=today - timedelta(days=1),
                                   closes_on=today + timedelta(days=30), publicity_days=5)
        for k in range(CLIENTS):
            user = accounts.register_applicant(session, organisation={
                "name": f"崩溃测试企业{k}", "uscc": make(f"91520100MA6C{k:04d}X"),
                "kind": "factory", "city": "guiyang", "industry": "C3976", "address": "a",
                "contact_name": "b", "contact_phone": "0851-1234567"},
                email=f"c{k}@crash.cn", name=f"c{k}", password=PASSWORD)
            application = applications.create(session, user, round_, today)
            applications.save_draft(session, criteria_engine(), user, application,
                                    factory_submission(reporting_year=2024), 0, today)
            drafts.append((user.email, application.id))
        db.close_session()
        db.engine().dispose()
    return drafts


def _serve(database_url: str, instance: Path, port: int) -> subprocess.Popen:
    return serve(port, {"DATABASE_URL": database_url, "INSTANCE_PATH": instance,
                        "SECRET_KEY": "crash", "WTF_CSRF_ENABLED": "false",
                        "ARGON2_MEMORY_KIB": "1024"}, cwd=instance.parent)


def _client(port: int, email: str, application_id: int, acknowledged: list, started):
    base = f"http://127.0.0.1:{port}"
    web = requests.Session()
    try:
        web.post(f"{base}/login", data={"email": email, "password": PASSWORD}, timeout=10)
        started.wait()
        answer = web.post(f"{base}/applications/{application_id}/submit",
                          data=SIGNED_FORM, allow_redirects=False, timeout=10)
        if answer.status_code == 302:
            acknowledged.append(application_id)
    except requests.RequestException:
        pass  # the server died under this request: it was never acknowledged


def run_crash(database_url: str, tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    drafts = _prepare(database_url, instance)
    port = free_port()
    server = _serve(database_url, instance, port)
    acknowledged: list[int] = []
    started = threading.Event()
    threads = [threading.Thread(target=_client, args=(port, e, a, acknowledged, started))
               for e, a in drafts]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # every client signed in
    started.set()
    deadline = time.time() + 10
    while len(acknowledged) < CLIENTS // 3 and time.time() < deadline:
        time.sleep(0.005)
    stop(server, signal.SIGKILL)  # master and workers, mid-flight
    for thread in threads:
        thread.join(timeout=15)
    assert acknowledged, "no submission was acknowledged before the kill"

    restarted = _serve(database_url, instance, port)
    try:
        assert requests.get(f"http://127.0.0.1:{port}/login", timeout=5).status_code == 200
    finally:
        stop(restarted, signal.SIGKILL)

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "crash"})
    with app.app_context():
        session = db.session()
        for application in session.exec(select(Application)).all():
            revisions = session.exec(select(Revision).where(
                Revision.application_id == application.id)).all()
            submitted = [r for r in revisions if r.submitted_at is not None]
            if application.state == "submitted":  # whole: frozen revision with its result
                assert len(revisions) == 1 and len(submitted) == 1
                assert submitted[0].result["level"]["id"] and submitted[0].evidence == []
            else:  # not half-written: still a plain draft
                assert application.state == "draft" and not submitted
                assert application.id not in acknowledged
        states = {a.id: a.state for a in session.exec(select(Application)).all()}
        assert all(states[a] == "submitted" for a in acknowledged)
        db.close_session()
        db.engine().dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_submissions_survive_sigkill(backend, tmp_path):
    if backend == "sqlite":
        run_crash(f"sqlite:///{tmp_path / 'crash.sqlite3'}", tmp_path)
        return
    with own_postgresql_database("crash") as database_url:
        run_crash(database_url, tmp_path)
