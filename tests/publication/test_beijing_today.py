"""'Today' is Beijing's date whatever the server's time zone: a server on UTC at 23:30 already
works on the next day (deadlines, certificate validity, the dates people read)."""

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from assessor.applications.models import Application
from assessor.notifications import Notification
from assessor.platform import viewkit
from assessor.rounds import services as rounds
from tests.publication.helpers import issue


@pytest.fixture
def utc_server_at_2330(app, monkeypatch):
    """The server's zone is UTC and its clock says 23:30 on 1 March 2025 (07:30 on 2 March in
    Beijing); no TODAY override."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    moment = datetime(2025, 3, 1, 23, 30, tzinfo=UTC)
    monkeypatch.setattr(viewkit, "clock", lambda: moment)
    app.config["TODAY"] = None
    yield moment
    monkeypatch.undo()
    time.tzset()


def test_deadlines_and_pages_use_the_beijing_date(dbs, engine, people, utc_server_at_2330,
                                                  applicant_client):
    assert viewkit.today() == date(2025, 3, 2)
    officer = people["province_officer"]
    closed = rounds.open_round(dbs, engine, officer, title="昨日截止批次", subject="factory",
                               year=2023, criteria_id="GZ-F-2024", opens_on=date(2025, 2, 1),
                               closes_on=date(2025, 3, 1), publicity_days=5)
    rounds.open_round(dbs, engine, officer, title="今日截止批次", subject="factory", year=2023,
                      criteria_id="GZ-F-2024", opens_on=date(2025, 2, 1),
                      closes_on=date(2025, 3, 2), publicity_days=5)
    home = applicant_client.get("/").get_data(as_text=True)
    assert "昨日截止批次" not in home  # closed yesterday, in Beijing
    assert "今日截止批次" in home and '<td class="num">0</td>' in home  # closes today: 0 days left
    # the round that closed on 1 March refuses a new application
    refused = applicant_client.post("/applications/new", data={"round": closed.id})
    assert refused.status_code == 422 and "该申报批次不在开放期内" in refused.get_data(as_text=True)
    assert dbs.exec(select(Application).where(Application.round_id == closed.id)).all() == []
    # a time stored in UTC reads as Beijing's
    dbs.add(Notification(user_id=people["applicant"].id, message_zh="深夜的通知",
                         message_en="late", created_at=utc_server_at_2330))
    dbs.commit()
    assert "2025-03-02 07:30" in applicant_client.get("/notifications").get_data(as_text=True)


def test_a_certificate_expires_at_midnight_in_beijing(app, dbs, people, published,
                                                      monkeypatch):
    certificate = issue(dbs, people, published)[0]
    last_day = certificate.valid_until
    app.config["TODAY"] = None
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        for utc_time, shown in ((datetime.combine(last_day, datetime.min.time(), UTC)
                                 + timedelta(hours=15, minutes=30), "有效"),  # 23:30 in Beijing
                                (datetime.combine(last_day, datetime.min.time(), UTC)
                                 + timedelta(hours=23, minutes=30), "已过期")):  # the next day
            monkeypatch.setattr(viewkit, "clock", lambda moment=utc_time: moment)
            page = app.test_client().get(f"/verify/{certificate.serial}").get_data(as_text=True)
            assert f"<strong>{shown}</strong>" in page, utc_time
    finally:
        monkeypatch.undo()
        time.tzset()
