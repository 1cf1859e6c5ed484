"""The national programme (CN-F-2026) made in the editor instead of shipped as a file: a draft
from GZ-F-2024 takes the national set's YAML and its own worked cases, a second editor approves
it, a round is opened with it, a submission is scored under it, and exporting it gives back the
shipped file byte for byte."""

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlmodel import select

from assessor.applications import services as applications
from assessor.applications.lifecycle import current_revision, transition
from assessor.criteria import services
from assessor.criteria.models import CriteriaVersion
from assessor.platform.dbcli import upgrade_database
from assessor.platform.engine_service import criteria_engine
from assessor.rounds.models import Round
from tests.criteria.helpers import editors, version
from tests.fixtures import SIGNED, TODAY, running_app
from tests.rounds.test_national_round import national_data

CRITERIA = Path(__file__).resolve().parents[2] / "criteria"
NATIONAL = CRITERIA / "factory" / "CN-F-2026.yaml"


@pytest.fixture
def without_national(tmp_path) -> Path:
    """criteria/ as it was before the national programme: no CN-F-2026, no n*.yaml cases."""
    target = tmp_path / "criteria"
    shutil.copytree(CRITERIA, target, ignore=lambda folder, names: [
        n for n in names if n == NATIONAL.name
        or (Path(folder).name == "cases" and n.startswith("n"))])
    return target


@pytest.fixture
def app(database_url, tmp_path, without_national):
    fresh = database_url.startswith("sqlite")
    if fresh:  # the shared template is seeded from the shipped criteria/ already
        database_url = f"sqlite:///{tmp_path / 'before-national.sqlite3'}"
    with running_app(database_url, tmp_path, CRITERIA_ROOT=str(without_national)) as app:
        if fresh:
            upgrade_database()
        yield app


def _case(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_national_programme_is_made_in_the_editor(dbs, people, sign_in, runner, tmp_path):
    assert "CN-F-2026" not in criteria_engine().sets
    author, checker = editors(dbs, people)
    client = sign_in(author)
    base = version(dbs, "GZ-F-2024")
    assert client.post(f"/criteria/{base.id}/drafts", data={
        "key": "CN-F-2026", "label": "2026.1", "note": "国家级零碳工厂建设名单推荐"}).status_code == 302
    # "replaces" left unticked: a set of its own, beside the Guizhou one
    draft = version(dbs, "CN-F-2026")

    text = NATIONAL.read_text(encoding="utf-8")
    saved = client.post(f"/criteria/{draft.id}/yaml", data={
        "text": text, "lock_version": draft.lock_version})
    assert saved.status_code == 302
    dbs.expire_all()
    draft = version(dbs, "CN-F-2026")
    assert draft.files["factory/CN-F-2026.yaml"] == text and draft.label == "2026.1"
    # the Guizhou cases came along and do not hold under the national set: no submission yet
    client.post(f"/criteria/{draft.id}/submit", data={})
    dbs.expire_all()
    assert version(dbs, "CN-F-2026").state == "draft"

    # the Guizhou cases go; the national ones come in, n01 typed through the cases form
    national = {f"cases/{p.name}": p.read_text(encoding="utf-8")
                for p in sorted((CRITERIA / "cases").glob("n*.yaml")) if p.name[:3] != "n01"}
    services.save_files(dbs, author, draft, {"factory/CN-F-2026.yaml": text, **national},
                        lock_version=draft.lock_version, what="国家级算例")
    n01 = _case(next((CRITERIA / "cases").glob("n01_*.yaml")))
    form = {"slug": "n01_target_reached_clear_pass", "name": n01["name"],
            "submission": json.dumps(n01["submission"], ensure_ascii=False),
            "level": "target_reached", "total": "95", "indicator-0": "carbon_per_energy",
            "value-0": "0.09920260374", "indicator-1": "non_fossil_energy_share",
            "value-1": "0.98", "item-N-S1": "25", "item-N-S2": "25",
            "arithmetic": n01["arithmetic"], "lock_version": str(draft.lock_version)}
    form.update({f"gate-N-G{n}": "passed" for n in range(1, 7)})
    added = client.post(f"/criteria/{draft.id}/cases/new", data=form)
    assert added.status_code == 302
    assert "算例通过" in client.get(added.location).text
    listing = client.get(f"/criteria/{draft.id}/cases").text
    assert f"共 {len(national) + 1} 个算例，通过 {len(national) + 1} 个" in listing

    assert client.post(f"/criteria/{draft.id}/submit", data={}).status_code == 302
    approved = sign_in(checker).post(f"/criteria/{draft.id}/approve", data={})
    assert approved.status_code == 302
    dbs.expire_all()
    assert version(dbs, "CN-F-2026").state == "published"
    assert version(dbs, "GZ-F-2024").state == "published"  # the Guizhou set stays in force

    officer = sign_in(people["province_officer"])
    opened = officer.post("/rounds/new", data={
        "title": "2025年国家级零碳工厂建设名单推荐", "subject": "factory", "year": 2024,
        "criteria_id": "CN-F-2026", "opens_on": "2025-02-01", "closes_on": "2025-04-30",
        "publicity_days": 5})
    assert opened.status_code == 302
    round_ = dbs.exec(select(Round).where(Round.criteria_id == "CN-F-2026")).one()
    assert round_.opens_on == date(2025, 2, 1)
    engine = criteria_engine()
    application = applications.create(dbs, people["applicant"], round_, TODAY)
    assert applications.save_draft(dbs, engine, people["applicant"], application,
                                   national_data("computing_facility"), 0, TODAY) == []
    transition(dbs, engine, application, "submit", people["applicant"], today=TODAY,
               commitment=SIGNED)
    result = current_revision(dbs, application).result
    assert result["criteria"]["id"] == "CN-F-2026" and result["level"]["id"] == "build_list"
    assert {g["id"]: g["status"] for g in result["gates"]}["N-G5"] == "not_applicable"

    out = tmp_path / "export"
    exported = runner.invoke(args=["criteria", "export", "CN-F-2026", "--to", str(out)])
    assert exported.exit_code == 0, exported.output
    assert (out / "factory" / "CN-F-2026.yaml").read_bytes() == NATIONAL.read_bytes()
    assert {p.name[:3] for p in (out / "cases").iterdir()} == {
        p.name[:3] for p in (CRITERIA / "cases").glob("n*.yaml")}
    assert dbs.exec(select(CriteriaVersion).where(CriteriaVersion.key == "CN-F-2026")).one() \
        .approved_by == checker.id
