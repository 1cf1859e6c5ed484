"""Review tests use the web fixtures (app on SQLite and PostgreSQL, people, rounds)."""

from tests.web.conftest import (  # noqa: F401  (fixtures)
    app,
    database_url,
    dbs,
    engine,
    factory_round,
    people,
    pg_migrated,
    sqlite_template,
)
