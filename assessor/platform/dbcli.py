"""`flask --app assessor db upgrade|downgrade|current|revision`: Alembic, on the app's database."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask.cli import AppGroup

from . import db

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"

db_group = AppGroup("db", help="Database migrations (Alembic). 数据库迁移。")


def _run(action, *args, **kwargs) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine().connect() as connection:
        # SQLite changes a table by copying it and dropping the old one, which foreign keys
        # refuse while rows refer to it; they are off for the migration (the pragma only takes
        # outside a transaction), checked after it, and on again for the pooled connection.
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                action(config, *args, **kwargs)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise click.ClickException("migration left rows referring to missing rows")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def upgrade_database(target: str = "head") -> None:
    _run(command.upgrade, target)
    if target == "head":  # the first start: the shipped criteria/ become the first versions
        from flask import current_app
        from sqlmodel import Session

        from ..criteria.store import ensure_seeded
        with Session(db.engine()) as session:
            ensure_seeded(session, Path(current_app.config["CRITERIA_ROOT"]))


@db_group.command("upgrade")
@click.argument("target", default="head")
def upgrade(target: str):
    upgrade_database(target)
    click.echo(f"数据库已升级到 {target} / database upgraded to {target}")


@db_group.command("downgrade")
@click.argument("target")
def downgrade(target: str):
    _run(command.downgrade, target)


@db_group.command("current")
def current():
    _run(command.current, verbose=True)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
def revision(message: str):
    """Write a new migration from the difference between the models and the database."""
    _run(command.revision, message=message, autogenerate=True)
