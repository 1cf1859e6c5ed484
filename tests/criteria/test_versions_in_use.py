"""What a new version changes, and what it never does: rounds keep their version, stored
results stay as they are, and every process scores with the versions in the database."""

from datetime import date

import pytest

from assessor import create_app
from assessor.applications import services as applications
from assessor.applications.lifecycle import transition
from assessor.criteria import services
from assessor.platform.engine_service import criteria_engine
from assessor.rounds import services as rounds
from tests.conftest import factory_submission
from tests.criteria.helpers import editors, version
from tests.fixtures import SIGNED, TODAY


def _stricter_version(dbs, author, checker):
    """GZ-F-2024-v2: the same set with the carbon-per-energy gate at 0.05 instead of 1.8."""
    draft = services.new_draft(dbs, author, version(dbs, "GZ-F-2024"), key="GZ-F-2024-v2",
                               label="2024.2")
    files = draft.files
    name = "factory/GZ-F-2024-v2.yaml"
    files[name] = files[name].replace("op: \"<=\", value: 1.8,", "op: \"<=\", value: 0.05,", 1)
    assert files[name] != draft.files[name]
    # the cases that sit between 0.5 and 1.8 no longer hold: this version keeps one that does
    kept = "cases/f27_all_green_no_emissions.yaml"
    files = {n: t for n, t in files.items() if not n.startswith("cases/") or n == kept}
    services.save_files(dbs, author, draft, files, lock_version=draft.lock_version, what="门槛")
    services.change_state(dbs, author, draft, "submit")
    services.change_state(dbs, checker, draft, "approve")
    return draft


def _submitted(dbs, engine, people, round_):
    application = applications.create(dbs, people["applicant"], round_, TODAY)
    applications.save_draft(dbs, engine, people["applicant"], application,
                            factory_submission(), 0, TODAY)
    transition(dbs, engine, application, "submit", people["applicant"], today=TODAY,
               commitment=SIGNED)
    return application


def test_a_new_version_changes_no_stored_result_and_no_round(dbs, people, factory_round):
    engine = criteria_engine()
    application = _submitted(dbs, engine, people, factory_round)
    revision = applications.shown_revisions(dbs, people["applicant"], application)[-1]
    stored = revision.result
    author, checker = editors(dbs, people)
    _stricter_version(dbs, author, checker)
    engine = criteria_engine()
    dbs.refresh(revision)
    assert revision.result == stored and revision.criteria_id == "GZ-F-2024"
    shown, _problems = applications.shown_result(engine, revision)
    assert shown["level"] == stored["level"] and shown["total"] == stored["total"]
    assert dbs.get(type(factory_round), factory_round.id).criteria_id == "GZ-F-2024"
    # the new version fails the same figures on the stricter gate
    again = engine.score(revision.data, "GZ-F-2024-v2")
    gates = {g["id"]: g["status"] for g in again["gates"]}
    assert gates["F-G6"] == "failed"


def test_new_rounds_take_the_published_version_only(dbs, people):
    author, checker = editors(dbs, people)
    _stricter_version(dbs, author, checker)
    draft = services.new_draft(dbs, author, version(dbs, "GZ-F-2024-v2"), key="GZ-F-2024-v3",
                               label="2024.3")
    engine = criteria_engine()
    for key, word in (("GZ-F-2024", "已被新版本取代"), ("GZ-F-2024-v3", "为草稿"),
                      ("GZ-F-1999", "评价标准不存在")):
        with pytest.raises(rounds.RoundError, match=word):
            rounds.open_round(dbs, engine, people["province_officer"], title="2026 批次",
                              subject="factory", year=2024, criteria_id=key,
                              opens_on=date(2026, 2, 1), closes_on=date(2026, 4, 30),
                              publicity_days=5)
        dbs.rollback()
    assert draft.state == "draft"
    opened = rounds.open_round(dbs, engine, people["province_officer"], title="2026 批次",
                               subject="factory", year=2024, criteria_id="GZ-F-2024-v2",
                               opens_on=date(2026, 2, 1), closes_on=date(2026, 4, 30),
                               publicity_days=5)
    assert opened.criteria_id == "GZ-F-2024-v2"


def test_a_round_keeps_its_version_from_its_first_submission(dbs, people, factory_round):
    author, checker = editors(dbs, people)
    _stricter_version(dbs, author, checker)
    engine = criteria_engine()
    draft_only = applications.create(dbs, people["other_applicant"], factory_round, TODAY)
    rounds.change_criteria(dbs, engine, people["province_officer"], factory_round, "GZ-F-2024-v2")
    first = applications.shown_revisions(dbs, people["other_applicant"], draft_only)[-1]
    assert first.criteria_id == "GZ-F-2024-v2"  # the draft begun follows the round
    _submitted(dbs, engine, people, factory_round)
    with pytest.raises(rounds.RoundError, match="已有申报提交"):
        rounds.change_criteria(dbs, engine, people["province_officer"], factory_round,
                               "GZ-P-2024")


def test_another_process_sees_a_publication_on_its_next_request(app, dbs, people):
    other = create_app({**app.config})  # a second host on the same database
    with other.test_request_context():
        assert "GZ-F-2024-v2" not in criteria_engine().sets
    author, checker = editors(dbs, people)
    _stricter_version(dbs, author, checker)
    with other.test_request_context():
        assert "GZ-F-2024-v2" in criteria_engine().sets
