"""The publication page's forms: a date or year missing, malformed or out of range is refused
with its message, on the round's page shown again (listed at the top, linking to the field),
and nothing is changed."""

import pytest
from sqlmodel import select

from assessor.publication.models import FilingCall, Holiday, Publicity
from tests.fixtures import login


@pytest.mark.parametrize(("path", "data", "message", "model", "field"), [
    ("/publication/rounds/{round}/publicity", {"starts_on": ""}, "请填写公示开始日期", Publicity,
     "starts_on"),
    ("/publication/rounds/{round}/publicity", {"starts_on": "9999-12-31"}, "请填写公示开始日期",
     Publicity, "starts_on"),
    ("/publication/holidays", {"round": "{round}", "day": "2025-13-01", "name": "节"}, "请填写日期",
     Holiday, "holiday-day"),
    ("/publication/rounds/{round}/filings", {"year": "abc", "deadline": "2026-01-01"},
     "请填写年度和截止日期", FilingCall, "filing-year"),
    ("/publication/rounds/{round}/filings", {"year": "2026", "deadline": ""},
     "请填写年度和截止日期", FilingCall, "filing-deadline"),
])
def test_a_missing_date_or_year_is_refused_on_the_rounds_page(app, dbs, people, factory_round,
                                                              path, data, message, model, field):
    officer = login(app.test_client(), people["province_officer"])
    data = {k: v.format(round=factory_round.id) for k, v in data.items()}
    response = officer.post(path.format(round=factory_round.id), data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = page[page.index('class="error-summary"'):]
    assert f'href="#{field}"' in summary[:summary.index("</div>")] and message in summary
    assert f'id="{field}"' in page and f"{factory_round.title}" in page
    assert dbs.exec(select(model)).all() == []
