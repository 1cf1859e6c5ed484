"""Nothing is kept in a process. Two gunicorn servers, each with its own instance folder as two
hosts would have, share one database, one file store and the SECRET_KEY; a user moves between
them at will. Workers starting together on a fresh instance folder agree on one secret key and
one development signing pair."""

import multiprocessing
import os
import queue
import re
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from assessor import create_app
from assessor.accounts import services as accounts
from assessor.accounts.uscc import make
from assessor.audit.check import verify_chain
from assessor.certificates.signing import ensure_signing_pair
from assessor.platform import db
from assessor.platform.dbcli import upgrade_database
from assessor.platform.engine_service import criteria_engine
from assessor.rounds import services as rounds
from tests.durability.servers import (
    free_port,
    launch,
    own_postgresql_database,
    postgresql_available,
    stop,
    wait_ready,
)
from tests.fixtures import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME = "两地申报人"
FORK = multiprocessing.get_context("fork")


def _applicant(session, email: str, name: str, seed: str):
    return accounts.register_applicant(session, organisation={
        "name": f"两进程测试企业{seed}", "uscc": make(f"91520100MA6E{seed}X"), "kind": "factory",
        "city": "guiyang", "industry": "C3976", "address": "贵阳市测试路2号",
        "contact_name": "李四", "contact_phone": "0851-12345678"},
        email=email, name=name, password=PASSWORD)


SEAL_KEY = "one-audit-seal-key-for-every-host"  # hosts not sharing instance/ share this


def _prepare(database_url: str) -> tuple[int, int]:
    """The schema, an open factory round and three applicants: (the round's id, how many audit
    events that wrote)."""
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "prepare",
                      "AUDIT_SEAL_KEY": SEAL_KEY, "ARGON2_MEMORY_KIB": 1024})
    with app.app_context():
        upgrade_database()
        session = db.session()
        officer = accounts.create_staff(session, email="p@two.cn", name="p",
                                        role="province_officer", password=PASSWORD)
        today = date.today()
        round_ = rounds.open_round(session, criteria_engine(), officer, title="两进程测试",
                                   subject="factory", year=2024, criteria_id="GZ-F-2024",
                                   opens_on=today - timedelta(days=1),
                                   closes_on=today + timedelta(days=30), publicity_days=5)
        for email, name, seed in (("a@two.cn", NAME, "0001"), ("t@two.cn", "被限制者", "0002"),
                                  ("u@two.cn", "旁人", "0003")):
            _applicant(session, email, name, seed)
        round_id, events = round_.id, verify_chain(session)[0]
        db.close_session()
        db.engine().dispose()
    return round_id, events


def _csrf(web: requests.Session, url: str) -> str:
    page = web.get(url, timeout=10)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)


def _sign_in(web: requests.Session, base: str, email: str, password: str = PASSWORD,
             token_from: str | None = None) -> requests.Response:
    """Sign in on `base`, with the form's CSRF token taken from `token_from` (another process
    may have issued it)."""
    token = _csrf(web, f"{token_from or base}/login")
    return web.post(f"{base}/login", data={"email": email, "password": password,
                                           "csrf_token": token},
                    allow_redirects=False, timeout=10)


def _browser(address: str) -> requests.Session:
    """A client as the proxy in front reports it."""
    web = requests.Session()
    web.headers["X-Forwarded-For"] = address
    return web


def _work_moves_between(a: str, b: str, round_id: int) -> requests.Session:
    web = _browser("198.51.100.1")
    assert _sign_in(web, a, "a@two.cn", token_from=b).status_code == 302
    assert NAME in web.get(f"{b}/", timeout=10).text  # B knows who this is

    created = web.post(f"{b}/applications/new", allow_redirects=False, timeout=10,
                       data={"round": round_id, "csrf_token": _csrf(web, f"{b}/applications/")})
    edit = created.headers["Location"]
    application = re.search(r"/applications/(\d+)/edit", edit).group(1)
    saved = web.post(f"{b}/applications/{application}/edit", allow_redirects=False, timeout=10,
                     data={"csrf_token": _csrf(web, f"{b}{edit}"), "lock_version": "0",
                           "electricity-grid_purchase-quantity": "12345",
                           "electricity-grid_purchase-unit": "MWh"})
    assert saved.status_code == 302, saved.text[:2000]
    on_a = web.get(f"{a}/applications/{application}/edit", timeout=10).text
    assert re.search(r'name="electricity-grid_purchase-quantity"[^>]*value="12,345"', on_a)

    view = f"/applications/{application}"
    uploaded = web.post(f"{a}{view}/evidence", allow_redirects=False, timeout=10,
                        data={"item": "other", "csrf_token": _csrf(web, f"{a}{view}")},
                        files={"file": ("承诺书.pdf", PDF, "application/pdf")})
    assert uploaded.status_code == 302
    page = web.get(f"{b}{view}", timeout=10).text
    assert "承诺书.pdf" in page
    link = re.search(rf"{view}/evidence/\d+", page).group(0)
    assert web.get(f"{b}{link}", timeout=10).content == PDF
    return web


def _sign_out_everywhere(a: str, b: str, web: requests.Session) -> None:
    phone = _browser("198.51.100.2")
    assert _sign_in(phone, b, "a@two.cn").status_code == 302
    assert NAME in phone.get(f"{b}/", timeout=10).text
    ended = web.post(f"{a}/logout/everywhere", allow_redirects=False, timeout=10,
                     data={"csrf_token": _csrf(web, f"{a}/")})
    assert ended.status_code == 302
    for base in (b, a):  # the session signed in on B has ended, on both
        answer = phone.get(f"{base}/applications/", allow_redirects=False, timeout=10)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"]
        assert NAME not in phone.get(f"{base}/", timeout=10).text  # the public front door


def _throttling_counts_both(a: str, b: str) -> None:
    web = _browser("203.0.113.9")
    for base in (a, a, a, b, b):  # five failures, split so neither process saw five
        failed = _sign_in(web, base, "t@two.cn", password="wrong-password-0")
        assert failed.status_code == 200 and "邮箱或密码不正确" in failed.text
    for base in (a, b):  # even the right password must wait now, on either process
        refused = _sign_in(web, base, "t@two.cn")
        assert refused.status_code == 429 and "尝试次数过多" in refused.text
    # another visitor behind the same proxy is not held up by them
    assert _sign_in(_browser("203.0.113.10"), b, "u@two.cn").status_code == 302


def run_two(database_url: str, tmp_path: Path) -> None:
    round_id, events_before = _prepare(database_url)
    shared = tmp_path / "shared"  # the file store both hosts mount
    ports, servers = {"a": free_port(), "b": free_port()}, []
    try:
        for host, port in ports.items():
            settings = {"DATABASE_URL": database_url, "INSTANCE_PATH": tmp_path / f"instance-{host}",
                        "UPLOAD_FOLDER": shared / "uploads",
                        "CERTIFICATE_FOLDER": shared / "certificates",
                        "SECRET_KEY": "one-key-for-every-host", "TRUSTED_PROXIES": 1,
                        "AUDIT_SEAL_KEY": SEAL_KEY,
                        "ARGON2_MEMORY_KIB": 1024}
            servers.append(launch(port, settings, cwd=tmp_path, workers=2,
                                  log=tmp_path / f"gunicorn-{host}.log"))
        for server, port in zip(servers, ports.values(), strict=True):
            wait_ready(server, port)
        a, b = (f"http://127.0.0.1:{port}" for port in ports.values())
        web = _work_moves_between(a, b, round_id)
        _sign_out_everywhere(a, b, web)
        _throttling_counts_both(a, b)
    finally:
        for server in servers:
            stop(server)
    assert not (tmp_path / "instance-a" / "secret_key").exists()  # the key came from settings
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "check",
                      "AUDIT_SEAL_KEY": SEAL_KEY})
    with app.app_context():  # both wrote audit events: still one unbroken chain
        checked, broken = verify_chain(db.session())
        assert broken is None and checked > events_before
        db.close_session()
        db.engine().dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_user_moves_between_two_app_processes(backend, tmp_path):
    postgresql_available(backend)
    if backend == "sqlite":  # one host: two servers on one SQLite file
        run_two(f"sqlite:///{tmp_path / 'shared.sqlite3'}", tmp_path)
        return
    with own_postgresql_database("two_processes") as database_url:
        run_two(database_url, tmp_path)


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_trusted(people, client):
    for k in range(5):  # a guesser pretending to come from five places
        client.post("/login", data={"email": f"nobody{k}@x.cn", "password": "wrong-password-0"},
                    headers={"X-Forwarded-For": f"203.0.113.{k}"})
    refused = client.post("/login", data={"email": people["applicant"].email,
                                          "password": PASSWORD},
                          headers={"X-Forwarded-For": "198.51.100.77"})
    assert refused.status_code == 429  # one address made all five tries


# -- workers starting at the same moment on an instance folder never used before -------------

def _start_app(instance: str, barrier, out) -> None:
    os.environ.pop("ASSESSOR_SECRET_KEY", None)
    os.environ["ASSESSOR_INSTANCE_PATH"] = instance
    barrier.wait()
    out.put(create_app({"DATABASE_URL": "sqlite://"}).secret_key)


def _make_signing_pair(folder: str, barrier, out) -> None:
    barrier.wait()
    key, cert, generated = ensure_signing_pair(Path(folder))
    out.put((generated, key.read_bytes(), cert.read_bytes()))


def _together(target, argument: str, workers: int) -> list:
    barrier, out = FORK.Barrier(workers), FORK.Queue()
    processes = [FORK.Process(target=target, args=(argument, barrier, out))
                 for _ in range(workers)]
    for process in processes:
        process.start()
    results = []
    while len(results) < workers:
        try:
            results.append(out.get(timeout=1))
        except queue.Empty:
            if not any(p.is_alive() for p in processes) and out.empty():
                break  # one failed: its exit code says so below
    for process in processes:
        process.join(timeout=30)
    assert [p.exitcode for p in processes] == [0] * workers
    return results


def test_workers_starting_together_agree_on_one_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESSOR_INSTANCE_PATH", str(tmp_path / "warm"))
    create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "warm"})  # imports done once, here
    for attempt in range(8):
        instance = tmp_path / f"instance-{attempt}"
        keys = _together(_start_app, str(instance), workers=6)
        assert len(set(keys)) == 1 and len(keys[0]) == 64
        path = instance / "secret_key"
        assert path.read_text(encoding="utf-8") == keys[0]
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no temporary left


def test_workers_starting_together_agree_on_one_signing_pair(tmp_path):
    folder = tmp_path / "signing"
    made = _together(_make_signing_pair, str(folder), workers=4)
    assert sorted(generated for generated, _, _ in made) == [False, False, False, True]
    assert len({(key, cert) for _, key, cert in made}) == 1
    key_pem, cert_pem = made[0][1:]
    private = serialization.load_pem_private_key(key_pem, password=None)
    certificate = x509.load_pem_x509_certificate(cert_pem)
    assert private.public_key() == certificate.public_key()  # the key belongs to the certificate
    assert sorted(p.name for p in folder.iterdir()) == ["certificate-signing-cert.pem",
                                                        "certificate-signing-key.pem"]
