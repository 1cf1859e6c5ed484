"""What-if: a draft set over a round's submitted revisions, nothing changed."""

import io

from sqlmodel import select

from assessor.applications import services as applications
from assessor.applications.lifecycle import transition
from assessor.applications.models import Application, Revision
from assessor.whatif import services
from tests.conftest import factory_submission
from tests.fixtures import SIGNED, TODAY


def submitted(dbs, engine, people, factory_round, applicant="applicant", **changes):
    application = applications.create(dbs, people[applicant], factory_round, TODAY)
    applications.save_draft(dbs, engine, people[applicant], application,
                            factory_submission(**changes), 0, TODAY)
    transition(dbs, engine, application, "submit", people[applicant], commitment=SIGNED, today=TODAY)
    return application


def test_edited_threshold_shows_who_changes_and_why(dbs, engine, people, factory_round):
    first = submitted(dbs, engine, people, factory_round)
    submitted(dbs, engine, people, factory_round, "other_applicant", offsets=[])
    current = engine.criteria("GZ-F-2024")
    draft = services.edited(current, engine, {"F-G6": 0.01}, {})
    changes = {c.application_id: c for c in services.compare(dbs, engine, factory_round, draft)}
    assert len(changes) == 2
    ours = changes[first.id]
    assert ours.level_changed and (ours.level_before, ours.level_after) == ("零碳工厂", "未达到")
    assert ("F-G6", "passed", "failed") in ours.gates
    stricter = services.edited(current, engine, {}, {"near_zero_carbon": 90, "zero_carbon": 95})
    moved = [c for c in services.compare(dbs, engine, factory_round, stricter) if c.level_changed]
    assert moved and all(not c.gates for c in moved)  # only the totals' thresholds moved
    # nothing stored changed
    assert all(r.result["level"]["id"] for r in dbs.exec(select(Revision)).all())
    assert {a.state for a in dbs.exec(select(Application)).all()} == {"submitted"}


def test_page_runs_uploads_and_refuses_a_broken_draft(
        dbs, engine, people, factory_round, province_client):
    submitted(dbs, engine, people, factory_round)
    page = province_client.get(f"/whatif/rounds/{factory_round.id}").get_data(as_text=True)
    assert "F-G6" in page and "等级最低总分" in page
    result = province_client.post(f"/whatif/rounds/{factory_round.id}",
                                  data={"source": "edit", "gate-F-G6": "0.01"}
                                  ).get_data(as_text=True)
    assert "其中 1 份等级变化" in result and "F-G6：通过 → 未通过" in result
    text = (engine.criteria("GZ-F-2024").path.read_text(encoding="utf-8")
            .replace("value: 1.8, unit: tCO2/tce}", "value: 1.8, unit: MWh}", 1))
    broken = province_client.post(f"/whatif/rounds/{factory_round.id}",
                                  content_type="multipart/form-data",
                                  data={"source": "upload",
                                        "draft": (io.BytesIO(text.encode()), "draft.yaml")})
    assert broken.status_code == 422 and "F-G6" in broken.get_data(as_text=True)
    bad_number = province_client.post(f"/whatif/rounds/{factory_round.id}",
                                      data={"source": "edit", "gate-F-G6": "很多"})
    assert bad_number.status_code == 422 and "不是数字" in bad_number.get_data(as_text=True)


def test_whatif_is_for_province_officers(people, factory_round, sign_in):
    for role in ("applicant", "city_officer", "expert", "admin"):
        client = sign_in(people[role])
        assert client.get(f"/whatif/rounds/{factory_round.id}").status_code == 404
