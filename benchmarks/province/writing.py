"""Writing the province: an empty, migrated database, then every table in bulk (executemany,
ids given up front)."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from assessor.audit import AuditEvent
from assessor.models import (
    Application,
    Assignment,
    Certificate,
    ExpertProfile,
    ExpertRelation,
    Listing,
    Notification,
    Organisation,
    Publicity,
    Review,
    Revision,
    Round,
    User,
)
from assessor.platform import db

from .records import Province

TABLES = [("organisation", Organisation), ("user", User), ("expertprofile", ExpertProfile),
          ("expertrelation", ExpertRelation), ("round", Round), ("application", Application),
          ("revision", Revision), ("assignment", Assignment), ("review", Review),
          ("publicity", Publicity), ("listing", Listing), ("certificate", Certificate)]


def reset(url: str, replace: bool) -> None:
    """An empty database at `url`; refuses to empty one that has tables unless `replace`."""
    if url.startswith("sqlite"):
        # its folder first: SQLite cannot even look into a file in a folder that does not exist
        Path(url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    try:
        if inspect(engine).get_table_names() and not replace:
            sys.exit(f"{url} already has tables: pass --replace to empty it")
        if url.startswith("sqlite"):
            path = Path(url.split("///", 1)[1])
            engine.dispose()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    finally:
        engine.dispose()


def write(connection, table, rows: list[dict], chunk: int = 2000) -> None:
    for start in range(0, len(rows), chunk):
        connection.execute(table.insert(), rows[start:start + chunk])


def write_all(province: Province) -> dict[str, int]:
    engine = db.engine()
    counts = {}
    with engine.begin() as connection:
        for name, model in TABLES:
            write(connection, model.__table__, province.rows[name])
            counts[name] = len(province.rows[name])
        notes = [dict(row, id=n) for n, row in enumerate(province.notes, start=1)]
        write(connection, Notification.__table__, notes)
        counts["notification"] = len(notes)
        last = connection.execute(text(
            "SELECT id, hash FROM auditevent ORDER BY id DESC LIMIT 1")).first()
        events = province.chained_events(*(last or (0, "")))
        write(connection, AuditEvent.__table__, events)
        counts["auditevent"] = len(events)
        if engine.dialect.name == "postgresql":  # ids were given: move the sequences past them
            for table in [*(t for t, _ in TABLES if t != "expertprofile"), "notification",
                          "auditevent"]:
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"))
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    return counts
