"""The migrations build exactly the schema the models describe."""

import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from assessor import create_app
from assessor.jobs.models import Job
from assessor.platform import db


def test_migrated_database_matches_the_models(app):
    with db.engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def _allowed(sql: str) -> tuple[list[str], list[str]]:
    """What a CHECK allows, in a form both databases' text gives alike: its quoted literals and
    its numbers (PostgreSQL rewrites `state IN ('a', 'b')` as `state = ANY (ARRAY['a', 'b'])`
    and BETWEEN as >= and <=)."""
    literals = re.findall(r"'((?:[^']|'')*)'", sql)
    numbers = re.findall(r"\b\d+\b", re.sub(r"'(?:[^']|'')*'", "", sql))
    return sorted(literals), sorted(numbers)


def test_migrated_check_constraints_match_the_models(app):
    # compare_metadata ignores CHECK constraints: a value added to a model's list (an assignment
    # state, a job state, a recommendation…) without a migration would only fail when written.
    declared = {(table.name, check.name): _allowed(str(check.sqltext))
                for table in SQLModel.metadata.sorted_tables for check in table.constraints
                if isinstance(check, CheckConstraint)}
    inspector = inspect(db.engine())
    migrated = {(table.name, check["name"]): _allowed(check["sqltext"])
                for table in SQLModel.metadata.sorted_tables
                for check in inspector.get_check_constraints(table.name)}
    assert ("assignment", "ck_assignment_state") in declared  # the names are the database's
    assert migrated == declared


def test_the_database_refuses_a_state_outside_the_list(dbs):
    dbs.add(Job(kind="export", label="x", state="paused"))
    with pytest.raises(IntegrityError):
        dbs.commit()
    dbs.rollback()


def test_embedded_default_is_sqlite_in_instance_with_wal(tmp_path):
    app = create_app({"TESTING": True})
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("instance/assessor.sqlite3")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    with app.app_context(), db.engine().connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_secret_key_is_generated_into_instance(tmp_path):
    from flask import Flask

    from assessor.platform.config import load_config

    app = Flask("probe", instance_path=str(tmp_path / "instance"))
    load_config(app)
    key = (tmp_path / "instance" / "secret_key").read_text()
    assert app.config["SECRET_KEY"] == key and len(key) == 64
    again = Flask("probe", instance_path=str(tmp_path / "instance"))
    load_config(again)
    assert again.config["SECRET_KEY"] == key  # stable across restarts
