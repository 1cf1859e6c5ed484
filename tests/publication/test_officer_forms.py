"""The publication page's forms: a date or year missing, malformed or out of range is refused
with its message, back on the round's page, and nothing is changed."""

import pytest
from sqlmodel import select

from assessor.publication.models import FilingCall, Holiday, Publicity
from tests.fixtures import login


@pytest.mark.parametrize(("path", "data", "message", "model"), [
    ("/publication/rounds/{round}/publicity", {"starts_on": ""}, "请填写公示开始日期", Publicity),
    ("/publication/rounds/{round}/publicity", {"starts_on": "9999-12-31"}, "请填写公示开始日期",
     Publicity),
    ("/publication/holidays", {"round": "{round}", "day": "2025-13-01", "name": "节"}, "请填写日期",
     Holiday),
    ("/publication/rounds/{round}/filings", {"year": "abc", "deadline": "2026-01-01"},
     "请填写年度和截止日期", FilingCall),
    ("/publication/rounds/{round}/filings", {"year": "2026", "deadline": ""},
     "请填写年度和截止日期", FilingCall),
])
def test_a_missing_date_or_year_is_refused_on_the_rounds_page(app, dbs, people, factory_round,
                                                              path, data, message, model):
    officer = login(app.test_client(), people["province_officer"])
    data = {k: v.format(round=factory_round.id) for k, v in data.items()}
    response = officer.post(path.format(round=factory_round.id), data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/publication/rounds/{factory_round.id}"
    with officer.session_transaction() as session:
        assert ("error", message) in session["_flashes"]
    assert dbs.exec(select(model)).all() == []
