"""Database-backed fixtures for every test folder: the app runs on SQLite always, and on
PostgreSQL too when ASSESSOR_TEST_DATABASE_URL is set (CI sets it). The schema comes from the
Alembic migrations, as in production."""

import os
import shutil
import uuid
from contextlib import contextmanager
from datetime import date

import pytest
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import create_engine, text
from sqlmodel import Session, SQLModel

from assessor import create_app
from assessor.accounts import services as accounts
from assessor.accounts.uscc import make
from assessor.applications.submission import Commitment
from assessor.platform import db
from assessor.platform.dbcli import upgrade_database
from assessor.platform.engine_service import criteria_engine
from assessor.rounds import services as rounds

TODAY = date(2025, 3, 1)
# what a test's submission and recommendation carry (transition(..., commitment=SIGNED),
# reason=OPINION); the pages' forms as data (SIGNED_FORM, OPINION_FORM)
SIGNED = Commitment(True, "张伟", "总经理")
SIGNED_FORM = {"agreed": "y", "signer_name": "张伟", "signer_position": "总经理"}
SIGNED_JSON = {"commitment": {"agreed": True, "signer_name": "张伟", "signer_position": "总经理"}}
OPINION = "经审核，申报数据与材料齐全，同意推荐。"


def give_evidence(dbs, user, application, item: str = "construction_plan") -> None:
    """One evidence file (a park cannot submit without one)."""
    from pathlib import Path

    from flask import current_app

    from assessor.applications import services as applications

    applications.add_evidence(dbs, user, application, item=item, filename="材料.pdf",
                              content=b"%PDF-1.4\n% evidence\n%%EOF\n",
                              folder=Path(current_app.config["UPLOAD_FOLDER"]), today=TODAY)


def move_facts(action: str) -> dict:
    """What transition() needs besides the action: the commitment, the 推荐意见."""
    return {"submit": {"commitment": SIGNED}, "recommend": {"reason": OPINION}}.get(action, {})


PASSWORD = "correct-horse-battery"
PG_URL = os.environ.get("ASSESSOR_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        upgrade_database()
        db.engine().dispose()
    return path


@pytest.fixture(scope="session")
def pg_migrated():
    engine = create_engine(PG_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": PG_URL})
    with app.app_context():
        upgrade_database()
        db.engine().dispose()
    return PG_URL


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path, sqlite_template):
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_migrated")
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@contextmanager
def running_app(database_url, tmp_path, **settings):
    """The test app on `database_url`, inside its app context; `settings` added to the tests'
    (another CRITERIA_ROOT, say)."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "TODAY": TODAY,
                      "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test", "ARGON2_MEMORY_KIB": 1024,
                      "UPLOAD_FOLDER": str(tmp_path / "uploads"),
                      "JOB_FOLDER": str(tmp_path / "job-files"),
                      "MAIL_FOLDER": str(tmp_path / "mail"), "QUEUE_URL": "",
                      "RATELIMIT_STORAGE_URI": f"assessor+sqlite://{tmp_path / 'ratelimit.db'}",
                      **settings})
    with app.app_context():
        yield app
        db.close_session()
        db.engine().dispose()


@pytest.fixture
def app(database_url, tmp_path):
    with running_app(database_url, tmp_path) as app:
        yield app


@pytest.fixture
def dbs(app) -> Session:
    return db.session()


def organisation(name="贵州测试电子有限公司", city="guiyang", kind="factory", seed="0001"):
    return {"name": name, "uscc": make(f"91520100MA6D{seed}X"[:17]), "kind": kind, "city": city,
            "industry": "C3976", "address": "贵阳市测试路1号", "contact_name": "张三",
            "contact_phone": "0851-12345678"}


@pytest.fixture
def people(dbs):
    """One of each role; applicants in Guiyang (factory and park) and Zunyi."""
    p = {
        "applicant": accounts.register_applicant(dbs, organisation=organisation(), email="a@x.cn",
                                                 name="申报人", password=PASSWORD),
        "other_applicant": accounts.register_applicant(
            dbs, organisation=organisation("贵州遵义测试有限公司", "zunyi", seed="0002"),
            email="b@x.cn", name="遵义申报人", password=PASSWORD),
        "park_applicant": accounts.register_applicant(
            dbs, organisation=organisation("测试经济开发区管委会", "guiyang", "park", "0003"),
            email="p@x.cn", name="园区申报人", password=PASSWORD),
    }
    for role, city in (("city_officer", "guiyang"), ("province_officer", None), ("expert", None),
                       ("admin", None)):
        p[role] = accounts.create_staff(dbs, email=f"{role}@x.cn", name=role, role=role,
                                        city=city, password=PASSWORD)
    p["other_city_officer"] = accounts.create_staff(dbs, email="zunyi@x.cn", name="遵义", role=
                                                    "city_officer", city="zunyi",
                                                    password=PASSWORD)
    return p


@pytest.fixture
def factory_round(dbs, engine, people):
    criteria_engine()  # seeds the versions, as the first request does (PostgreSQL is emptied)
    return rounds.open_round(dbs, engine, people["province_officer"], title="2025年零碳工厂申报",
                             subject="factory", year=2023, criteria_id="GZ-F-2024",
                             opens_on=date(2025, 2, 1), closes_on=date(2025, 4, 30),
                             publicity_days=5)


@pytest.fixture
def park_round(dbs, engine, people):
    criteria_engine()  # seeds the versions, as the first request does (PostgreSQL is emptied)
    return rounds.open_round(dbs, engine, people["province_officer"], title="2025年零碳园区申报",
                             subject="park", year=2023, criteria_id="GZ-P-2024",
                             opens_on=date(2025, 2, 1), closes_on=date(2025, 4, 30),
                             publicity_days=5)


def login(client, user):
    """`client`, signed in as `user` through the sign-in page."""
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def client(app):
    """A visitor who has not signed in."""
    return app.test_client()


@pytest.fixture
def sign_in(app):
    """sign_in(user): a new client of its own, signed in as `user`."""
    return lambda user: login(app.test_client(), user)


@pytest.fixture
def applicant_client(sign_in, people):
    return sign_in(people["applicant"])


@pytest.fixture
def park_client(sign_in, people):
    return sign_in(people["park_applicant"])


@pytest.fixture
def city_client(sign_in, people):
    """The Guiyang city officer."""
    return sign_in(people["city_officer"])


@pytest.fixture
def province_client(sign_in, people):
    return sign_in(people["province_officer"])


@pytest.fixture
def admin_client(sign_in, people):
    return sign_in(people["admin"])


def _audit_migration():
    import importlib.util
    from pathlib import Path

    path = (Path(__file__).resolve().parents[1] / "assessor" / "migrations" / "versions"
            / "0010_audit_checkpoints.py")
    spec = importlib.util.spec_from_file_location("audit_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def unguarded(dbs):
    """The audit tables without their append-only triggers, as an attacker with rights on the
    database would leave them; put back afterwards (PostgreSQL's tables outlive the test)."""
    migration, dialect = _audit_migration(), dbs.get_bind().dialect.name
    for statement in migration.unguard_statements(dialect):
        dbs.execute(text(statement))
    dbs.commit()
    yield dbs
    session = db.session()
    session.rollback()
    for statement in migration.unguard_statements(dialect) + migration.guard_statements(dialect):
        session.execute(text(statement))
    session.commit()


@pytest.fixture
def test_queue(app):
    """A queue of this test's own on the test Redis (a failure, never a skip, on CI); the app
    sends its jobs there."""
    url = os.environ.get("ASSESSOR_TEST_QUEUE_URL") or "redis://127.0.0.1:6379/15"
    redis = Redis.from_url(url, socket_connect_timeout=2)
    try:
        redis.ping()
    except RedisError as error:
        if os.environ.get("ASSESSOR_TEST_QUEUE_URL") or os.environ.get("CI") == "true":
            pytest.fail(f"the test Redis at {url} does not answer: {error}")
        pytest.skip(f"no Redis at {url}")
    name = f"assessor-test-{uuid.uuid4().hex}"
    app.config.update(QUEUE_URL=url, QUEUE_NAME=name)
    yield Queue(name, connection=redis)
    for key in redis.scan_iter(f"*{name}*"):
        redis.delete(key)
    redis.close()
