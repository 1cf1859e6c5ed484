"""Alembic environment: the app's metadata, batch mode on SQLite (ALTER TABLE is limited there)."""

from alembic import context
from sqlmodel import SQLModel

from assessor import models  # noqa: F401  (registers every table)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
