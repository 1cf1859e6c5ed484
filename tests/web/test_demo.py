from collections import Counter
from datetime import date

import pytest
from sqlmodel import select

from assessor import create_app
from assessor.accounts.models import Organisation, User
from assessor.accounts.uscc import normalise
from assessor.applications.models import Application, Evidence, Revision
from assessor.audit import AuditEvent
from assessor.demo import load as demo


@pytest.fixture
def app(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/d.sqlite3",
                      "UPLOAD_FOLDER": str(tmp_path / "uploads"), "TODAY": date(2025, 3, 1),
                      "CERTIFICATE_FOLDER": str(tmp_path / "certificates"),
                      "ARGON2_MEMORY_KIB": 1024})
    res = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert res.exit_code == 0, res.output
    return app


def test_demo_loads_every_state(app, tmp_path):
    runner = app.test_cli_runner()
    res = runner.invoke(demo.demo_command)
    assert res.exit_code == 0, res.output
    assert res.output.startswith("演示账号 / demo logins")
    from assessor.platform import db
    with app.app_context():
        s = db.session()
        states = Counter(a.state for a in s.exec(select(Application)).all())
        assert set(states) == {"draft", "submitted", "recommended", "in_review", "approved",
                               "rejected", "returned", "withdrawn", "listed", "removed"}
        users = s.exec(select(User)).all()
        assert len(users) == 34 and all(u.email.endswith("@demo.example.com") for u in users)
        for org in s.exec(select(Organisation)).all():
            assert normalise(org.uscc) == org.uscc and org.uscc[2:4] == "52" and "示例" in org.name
        submitted = s.exec(select(Revision).where(Revision.submitted_at.is_not(None))).all()
        levels = {r.application_id: r.result["level"]["id"] for r in submitted}
        assert "zero_carbon" in levels.values() and "near_zero_carbon" in levels.values()
        # every submission signed its commitment; every recommendation has its 推荐意见
        assert all(r.signer_name and r.signer_position and r.committed_at for r in submitted)
        recommended = s.exec(select(AuditEvent).where(AuditEvent.action == "recommend")).all()
        assert recommended and all(e.reason and "推荐" in e.reason for e in recommended)
        ev = s.exec(select(Evidence)).all()
        assert len(ev) == 5  # the submitted park has its file
        for e in ev:
            assert (tmp_path / "uploads" / e.stored_name).read_bytes().startswith(b"%PDF-")
        rnd = s.exec(select(Application)).first()
        from assessor.rounds.models import Round
        r = s.get(Round, rnd.round_id)
        assert r.opens_on == date(2025, 1, 30) and r.closes_on == date(2025, 4, 30)
    again = runner.invoke(demo.demo_command, ["--if-empty"])
    assert again.exit_code == 0 and "已有用户" in again.output
    twice = runner.invoke(demo.demo_command)
    assert twice.exit_code == 1 and "演示账号已存在" in twice.output


def test_bad_data_refused_before_writing(app, monkeypatch):
    bad = [dict(demo.FACTORIES[0], data={"energy": {"coal_typo": {"quantity": 1, "unit": "t"}}})]
    monkeypatch.setattr(demo, "FACTORIES", bad + demo.FACTORIES[1:])
    res = app.test_cli_runner().invoke(demo.demo_command)
    assert res.exit_code == 1 and "填报数据有误" in res.output, res.output
    from assessor.platform import db
    with app.app_context():
        assert db.session().exec(select(User)).first() is None
