"""The audit log cannot be rewritten quietly: the database refuses changes and deletions, and
`audit verify` checks the chain against the latest signed checkpoint, so cutting off the last
events, re-hashing from an event onwards, appending a forged event, swapping two events and
forging a checkpoint are each caught (the attacks drop the triggers first, as someone with rights
on the database would)."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import func, select

from assessor import audit
from assessor.audit import AuditCheckpoint, AuditEvent, digest
from assessor.platform import db


def _verify(app, *args):
    db.close_session()  # the command reads what is committed
    return app.test_cli_runner().invoke(args=["audit", "verify", *args])


def _checkpoint(app):
    db.close_session()
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    return db.session().exec(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc())).first()


def _events(session):
    return session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()


@pytest.mark.parametrize("statement", [
    "UPDATE auditevent SET reason = 'tampered' WHERE id = :id",
    "DELETE FROM auditevent WHERE id = :id",
    "UPDATE auditcheckpoint SET head_hash = 'x' WHERE id = :id",
    "DELETE FROM auditcheckpoint WHERE id = :id",
])
def test_the_database_refuses_to_change_or_delete_audit_rows(app, dbs, people, statement):
    made = _checkpoint(app)
    dbs = db.session()
    before = [(e.id, e.reason, e.hash) for e in _events(dbs)]
    with pytest.raises(DBAPIError, match="append-only"):
        dbs.execute(text(statement), {"id": made.id if "checkpoint" in statement else 2})
        dbs.commit()
    dbs.rollback()
    assert [(e.id, e.reason, e.hash) for e in _events(dbs)] == before
    assert dbs.get(AuditCheckpoint, made.id).head_hash == made.head_hash
    assert _verify(app).exit_code == 0


def test_a_day_gets_its_checkpoint_and_verify_names_it(app, dbs, people):
    # the first event of the day signed the head as it stood: no command needed
    daily = dbs.exec(select(AuditCheckpoint)).all()
    assert [c.occasion for c in daily] == ["daily"] and daily[0].day == app.config["TODAY"]
    result = _verify(app)
    assert result.exit_code == 0 and "chain intact" in result.output
    assert f"signs event {daily[0].head_id}" in result.output
    # the next day's first event makes the next one
    app.config["TODAY"] += timedelta(days=1)
    dbs = db.session()
    audit.record(dbs, actor_id=None, action="probe", object_type="user", object_id=None)
    dbs.commit()
    days = dbs.exec(select(AuditCheckpoint.day).order_by(AuditCheckpoint.id)).all()
    assert days == [app.config["TODAY"] - timedelta(days=1), app.config["TODAY"]]


def test_the_checkpoint_command_prints_the_signed_head(dbs, people, runner):
    last = _events(dbs)[-1]
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0 and f"event {last.id} {last.hash}" in result.output
    made = db.session().exec(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc())).first()
    assert (made.occasion, made.head_id, made.head_hash) == ("nightly", last.id, last.hash)
    assert made.signature in result.output


def test_events_after_the_checkpoint_pass_when_the_app_wrote_them(app, dbs, people):
    _checkpoint(app)
    dbs = db.session()
    audit.record(dbs, actor_id=None, action="probe", object_type="user", object_id=None)
    dbs.commit()
    result = _verify(app)
    assert result.exit_code == 0 and "1 events since" in result.output


def test_cutting_off_the_last_events_is_caught(app, people, unguarded):
    made = _checkpoint(app)
    session = db.session()
    session.execute(text("DELETE FROM auditevent WHERE id >= :id"), {"id": made.head_id - 1})
    session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"signs event {made.head_id}, which is missing" in result.output
    assert "cut off" in result.output


def test_rehashing_from_an_event_onwards_is_caught(app, people, unguarded):
    made = _checkpoint(app)
    session = db.session()
    events = _events(session)
    third = events[2]
    previous = events[1].hash
    for event in events[2:]:  # the attacker changes one event and re-hashes the rest
        event.previous_hash = previous
        if event.id == third.id:
            event.reason = "tampered"
        new_hash = digest(event)
        session.execute(text("UPDATE auditevent SET reason = :reason, previous_hash = :previous, "
                             "hash = :hash WHERE id = :id"),
                        {"reason": event.reason, "previous": previous, "hash": new_hash,
                         "id": event.id})
        previous = new_hash
    session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"chain broken at event {third.id}: seal does not match" in result.output
    assert f"signs event {made.head_id} with hash {made.head_hash[:16]}" in result.output
    assert "re-hashed" in result.output


def test_appending_a_forged_event_is_caught(app, people, unguarded):
    _checkpoint(app)
    session = db.session()
    last = _events(session)[-1]
    forged = AuditEvent(actor_id=None, action="approve", object_type="application", object_id=1,
                        to_state="approved", previous_hash=last.hash)
    forged.hash = digest(forged)
    forged.seal = "0" * 64  # without the app's key the seal cannot be made
    session.add(forged)
    session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"chain broken at event {forged.id}: seal does not match" in result.output


def test_swapping_two_events_is_caught(app, people, unguarded):
    _checkpoint(app)
    session = db.session()
    second, third = _events(session)[1:3]
    columns = ["actor_id", "action", "object_type", "object_id", "reason"]
    for target, source in ((second, third), (third, second)):
        session.execute(text(f"UPDATE auditevent SET {', '.join(f'{c} = :{c}' for c in columns)} "
                             "WHERE id = :id"),
                        {"id": target.id, **{c: getattr(source, c) for c in columns}})
    session.commit()
    result = _verify(app)
    assert result.exit_code == 1 and f"event {second.id}" in result.output


def test_a_forged_checkpoint_is_caught(app, people, unguarded):
    made = _checkpoint(app)
    session = db.session()
    session.execute(text("UPDATE auditcheckpoint SET head_id = head_id - 1, head_hash = :hash "
                         "WHERE id = :id"),
                    {"hash": _events(session)[-2].hash, "id": made.id})
    session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"checkpoint {made.id}" in result.output and "signature does not match" in result.output


def test_verify_checks_a_head_printed_outside_the_database(app, people, unguarded):
    made = _checkpoint(app)
    assert _verify(app, "--head", f"{made.head_id}:{made.head_hash}").exit_code == 0
    session = db.session()  # everything after the first events cut off, checkpoints too
    session.execute(text("DELETE FROM auditcheckpoint"))
    session.execute(text("DELETE FROM auditevent WHERE id > 2"))
    session.commit()
    assert "no checkpoint" in _verify(app).output
    result = _verify(app, "--head", f"{made.head_id}:{made.head_hash}")
    assert result.exit_code == 1 and "which is missing" in result.output
    assert _verify(app, "--head", "nonsense").exit_code == 2


def test_the_count_of_events_is_unchanged_by_a_refused_delete(app, dbs, people):
    count = dbs.exec(select(func.count(AuditEvent.id))).one()
    with pytest.raises(DBAPIError):
        dbs.execute(text("DELETE FROM auditevent"))
    dbs.rollback()
    assert dbs.exec(select(func.count(AuditEvent.id))).one() == count


def test_a_restored_backup_keeps_the_log_append_only_and_verifiable(
        app, dbs, people, tmp_path, runner):
    import shutil
    from pathlib import Path

    if db.engine().dialect.name == "postgresql" and not shutil.which("pg_dump"):
        raise AssertionError("pg_dump is needed to back up PostgreSQL")
    _checkpoint(app)
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    folder = Path(result.output.strip().split(": ", 1)[1])
    db.close_session()
    restored = runner.invoke(args=["restore", str(folder), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert _verify(app).exit_code == 0
    session = db.session()
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text("UPDATE auditevent SET reason = 'x' WHERE id = 1"))
    session.rollback()


def test_events_from_before_seals_pass_only_up_to_the_first_checkpoint(app, people, unguarded):
    session = db.session()  # a log written before migration 0010: no seals, no checkpoints
    session.execute(text("DELETE FROM auditcheckpoint"))
    session.execute(text("UPDATE auditevent SET seal = ''"))
    session.commit()
    made = _checkpoint(app)  # the nightly command (or the day's first event) after the upgrade
    session = db.session()
    audit.record(session, actor_id=None, action="probe", object_type="user", object_id=None)
    session.commit()
    assert _verify(app).exit_code == 0
    # stripping the seal of an event after that checkpoint's head is caught
    session.execute(text("UPDATE auditevent SET seal = '' WHERE id > :id"), {"id": made.head_id})
    session.commit()
    result = _verify(app)
    assert result.exit_code == 1 and f"event {made.head_id + 1}: seal" in result.output
