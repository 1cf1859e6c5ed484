"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from assessor import create_app, db


def test_migrated_database_matches_the_models(app):
    with db.engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_embedded_default_is_sqlite_in_instance_with_wal(tmp_path):
    app = create_app({"TESTING": True})
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("instance/assessor.sqlite3")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    with app.app_context(), db.engine().connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_secret_key_is_generated_into_instance(tmp_path):
    from flask import Flask

    from assessor.config import load_config

    app = Flask("probe", instance_path=str(tmp_path / "instance"))
    load_config(app)
    key = (tmp_path / "instance" / "secret_key").read_text()
    assert app.config["SECRET_KEY"] == key and len(key) == 64
    again = Flask("probe", instance_path=str(tmp_path / "instance"))
    load_config(again)
    assert again.config["SECRET_KEY"] == key  # stable across restarts
