"""The audit chain catches a changed or removed event; backups round-trip the data and files."""

import shutil
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from assessor.accounts.models import User
from assessor.audit import AuditEvent
from assessor.audit.check import verify_chain
from assessor.platform import db


def test_audit_chain_names_the_first_broken_event(dbs, people, unguarded, runner):
    checked, broken = verify_chain(dbs)
    assert broken is None and checked >= 7  # registrations and staff accounts
    assert "chain intact" in runner.invoke(args=["audit", "verify"]).output
    third = dbs.exec(select(AuditEvent).order_by(AuditEvent.id).offset(2)).first()
    dbs.execute(text("UPDATE auditevent SET reason = 'tampered' WHERE id = :id"),
                {"id": third.id})
    dbs.commit()
    db.close_session()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"event {third.id}" in result.output
    assert "changed" in result.output


def test_removing_an_event_is_caught(app, dbs, people, unguarded):
    second = dbs.exec(select(AuditEvent).order_by(AuditEvent.id).offset(1)).first()
    dbs.execute(text("DELETE FROM auditevent WHERE id = :id"), {"id": second.id})
    dbs.commit()
    _, broken = verify_chain(dbs)
    assert broken is not None and broken.event_id > second.id
    assert "removed" in broken.reason


def test_backup_and_restore_round_trip(app, dbs, people, tmp_path, runner):
    if db.engine().dialect.name == "postgresql" and not shutil.which("pg_dump"):
        raise AssertionError("pg_dump is needed to back up PostgreSQL")
    # the file folders are configured outside instance/, as on shared storage
    uploads, job_files = Path(app.config["UPLOAD_FOLDER"]), Path(app.config["JOB_FOLDER"])
    assert not uploads.is_relative_to(app.instance_path)
    for folder, content in ((uploads, b"%PDF-1.4 original"), (job_files, b"export")):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "evidence").write_bytes(content)
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    folder = Path(result.output.strip().split(": ", 1)[1])
    users_before = sorted(u.email for u in dbs.exec(select(User)).all())
    # damage: lose users and a file
    dbs.execute(text('UPDATE "user" SET name = :name'), {"name": "changed"})
    dbs.commit()
    (uploads / "evidence").write_bytes(b"overwritten")
    (job_files / "evidence").unlink()
    db.close_session()
    restored = runner.invoke(args=["restore", str(folder), "--yes"])
    assert restored.exit_code == 0, restored.output
    session = db.session()
    assert sorted(u.email for u in session.exec(select(User)).all()) == users_before
    assert all(u.name != "changed" for u in session.exec(select(User)).all())
    assert (uploads / "evidence").read_bytes() == b"%PDF-1.4 original"
    assert (job_files / "evidence").read_bytes() == b"export"
    # a damaged backup is refused and changes nothing
    (folder / "instance.tar.gz").write_bytes(b"broken")
    refused = runner.invoke(args=["restore", str(folder), "--yes"])
    assert refused.exit_code == 1 and "damaged" in refused.output
