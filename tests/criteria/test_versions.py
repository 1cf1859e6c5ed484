"""Criteria and reference data as versions: seeded, frozen once published, approved by a
second person, pinned by rounds."""

import filecmp
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from assessor.audit import AuditEvent
from assessor.criteria import services
from assessor.criteria.lifecycle import VersionRefused
from assessor.platform.engine_service import criteria_engine
from tests.criteria.helpers import editors, version

CRITERIA = Path(__file__).resolve().parents[2] / "criteria"


def test_the_shipped_files_are_the_first_published_versions(dbs):
    engine = criteria_engine()
    assert {"GZ-F-2024", "GZ-P-2024"} <= set(engine.sets)
    factory = version(dbs, "GZ-F-2024")
    assert factory.state == "published" and factory.label == "2024.1"
    assert version(dbs, "REF-1", "reference").state == "published"


def test_export_writes_back_exactly_the_files_imported(runner, dbs, tmp_path):
    criteria_engine()
    for key in ("REF-1", "GZ-F-2024", "GZ-P-2024", "CN-F-2026", "CN-F-2026-2"):
        assert runner.invoke(args=["criteria", "export", key, "--to", str(tmp_path)]).exit_code == 0
    for folder in ("reference", "factory", "park"):
        _match, mismatch, errors = filecmp.cmpfiles(
            CRITERIA / folder, tmp_path / folder,
            [p.name for p in (CRITERIA / folder).iterdir()], shallow=False)
        assert not mismatch and not errors, (folder, mismatch, errors)
    shipped_cases = {p.name for p in (CRITERIA / "cases").glob("[fp]*.yaml")}
    assert shipped_cases <= {p.name for p in (tmp_path / "cases").iterdir()}
    result = runner.invoke(args=["criteria", "import"])
    assert result.exit_code == 0 and "unchanged" in result.output and "created" not in result.output


def test_a_published_version_never_changes_in_the_database(dbs):
    published = version(dbs, "GZ-F-2024")
    connection = dbs.connection()
    for statement in ("UPDATE criteriaversion SET content = '{}' WHERE id = :id",
                      "UPDATE criteriaversion SET state = 'draft' WHERE id = :id",
                      "DELETE FROM criteriaversion WHERE id = :id"):
        savepoint = connection.begin_nested()
        with pytest.raises(DBAPIError, match="never changes"):
            connection.execute(text(statement), {"id": published.id})
        savepoint.rollback()
    dbs.rollback()
    assert version(dbs, "GZ-F-2024").digest == published.digest


def _draft(dbs, author, key="GZ-F-2024-v2"):
    return services.new_draft(dbs, author, version(dbs, "GZ-F-2024"), key=key, label="2024.2",
                              note="阈值调整")


def test_publishing_needs_a_second_editor(dbs, people):
    author, checker = editors(dbs, people)
    draft = _draft(dbs, author)
    assert draft.state == "draft" and draft.reference_id == version(dbs, "GZ-F-2024").reference_id
    services.change_state(dbs, author, draft, "submit")
    with pytest.raises(VersionRefused, match="另一名编辑人员"):
        services.change_state(dbs, author, draft, "approve")
    dbs.rollback()
    with pytest.raises(VersionRefused, match="编辑人员"):
        services.change_state(dbs, people["expert"], draft, "approve")
    dbs.rollback()
    services.change_state(dbs, checker, draft, "approve")
    assert draft.state == "published" and draft.approved_by == checker.id
    assert version(dbs, "GZ-F-2024").state == "superseded"
    events = dbs.exec(select(AuditEvent).where(
        AuditEvent.object_type == "criteria_version", AuditEvent.object_id.in_(
            [draft.id, draft.based_on_id])).order_by(AuditEvent.id)).all()
    assert [(e.object_id, e.action, e.actor_id) for e in events][-4:] == [
        (draft.id, "draft_criteria_version", author.id),
        (draft.id, "submit_criteria_version", author.id),
        (draft.id, "approve_criteria_version", checker.id),
        (draft.based_on_id, "supersede_criteria_version", checker.id)]
    engine = criteria_engine()  # the same process sees the new version at once
    assert "GZ-F-2024-v2" in engine.sets and "GZ-F-2024" in engine.sets


def test_a_failing_worked_case_stops_publication(dbs, people):
    author, _checker = editors(dbs, people)
    draft = _draft(dbs, author)
    files = draft.files
    name = "cases/f01_clear_pass_zero_carbon.yaml"
    files[name] = files[name].replace("level: zero_carbon", "level: near_zero_carbon")
    services.save_files(dbs, author, draft, files, lock_version=draft.lock_version, what="算例")
    with pytest.raises(VersionRefused, match="1 个算例未通过"):
        services.change_state(dbs, author, draft, "submit")


def test_a_stale_editor_does_not_overwrite_a_newer_save(dbs, people):
    author, _checker = editors(dbs, people)
    draft = _draft(dbs, author)
    opened = draft.lock_version
    files = draft.files
    services.save_files(dbs, author, draft, {**files, "cases/extra.yaml": files[
        "cases/f01_clear_pass_zero_carbon.yaml"]}, lock_version=opened, what="算例")
    with pytest.raises(VersionRefused, match="已被他人修改"):
        services.save_files(dbs, author, draft, files, lock_version=opened, what="算例")


def test_a_draft_that_does_not_load_is_not_saved(dbs, people):
    author, _checker = editors(dbs, people)
    draft = _draft(dbs, author)
    files = draft.files
    name = "factory/GZ-F-2024-v2.yaml"
    broken = {**files, name: files[name].replace("total_points: 100", "total_points: -5")}
    with pytest.raises(VersionRefused, match="无法保存"):
        services.save_files(dbs, author, draft, broken, lock_version=draft.lock_version, what="x")
    dbs.rollback()
    assert version(dbs, "GZ-F-2024-v2").digest == draft.digest
