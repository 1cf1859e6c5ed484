"""Real gunicorn servers for the durability tests, and a PostgreSQL database of their own."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.fixtures import PG_URL

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def launch(port: int, settings: dict, cwd: Path, workers: int = 3,
           log: Path | None = None) -> subprocess.Popen:
    """gunicorn serving create_app() on 127.0.0.1:`port`; `settings` become ASSESSOR_*
    environment variables. Returns at once: wait_ready() waits for it to answer."""
    env = {**os.environ, **{f"ASSESSOR_{key}": str(value) for key, value in settings.items()}}
    output = log.open("ab") if log else subprocess.DEVNULL
    server = subprocess.Popen(
        [str(GUNICORN), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--threads", "2",
         "assessor:create_app()"], env=env, cwd=cwd, start_new_session=True,
        stdout=output, stderr=output)
    server.log = log
    return server


def wait_ready(server: subprocess.Popen, port: int) -> subprocess.Popen:
    """Returns once /login answers (starting takes long on a busy machine: up to a minute)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            requests.get(f"http://127.0.0.1:{port}/login", timeout=5)
            return server
        except requests.RequestException:
            time.sleep(0.1)
    stop(server)
    details = server.log.read_text(errors="replace")[-3000:] if server.log else ""
    raise AssertionError(f"gunicorn did not start\n{details}")


def serve(port: int, settings: dict, cwd: Path, workers: int = 3,
          log: Path | None = None) -> subprocess.Popen:
    """launch() and wait_ready()."""
    return wait_ready(launch(port, settings, cwd, workers, log), port)


def stop(server: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop the master and its workers (SIGKILL: mid-flight, as a power cut would)."""
    if server.poll() is None:
        os.killpg(server.pid, sig)
    server.wait()


def postgresql_available(backend: str) -> None:
    """Skip a PostgreSQL run without ASSESSOR_TEST_DATABASE_URL, except in CI, where it fails."""
    if backend == "postgresql" and not PG_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but ASSESSOR_TEST_DATABASE_URL is not set")
        pytest.skip("ASSESSOR_TEST_DATABASE_URL is not set")


@contextmanager
def own_postgresql_database(purpose: str):
    """A fresh database on the ASSESSOR_TEST_DATABASE_URL server, dropped afterwards, so the
    rest of the suite's schema is untouched. Yields its URL."""
    server = make_url(PG_URL)
    name = f"assessor_{purpose}_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
