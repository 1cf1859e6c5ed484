"""The sector process blocks and the result's process emissions by source, with every block
and every calculation opened, fit a 390 px phone and a 1366 px desktop (issue 17)."""

import pytest
from sqlmodel import select

from assessor.accounts.models import User
from assessor.applications import services
from assessor.platform import db
from assessor.platform.engine_service import criteria_engine
from tests.conftest import factory_submission
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_journey import sign_in
from tests.e2e.test_selfassessment_form import TODAY, new_draft, no_sideways_scroll
from tests.web.test_process_activity_form import EXPECTED


@pytest.mark.parametrize("width", [390, 1366])
def test_the_blocks_and_the_process_table_fit(live_app, browser_page, width):
    app, page = live_app, browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    application_id = new_draft(app)
    with app.app_context():
        session = db.session()
        applicant = session.exec(select(User).where(User.email == "a@x.cn")).one()
        application = services.get_visible(session, applicant, application_id)
        data = {**factory_submission(), **EXPECTED}
        data["energy"] = {**data.get("energy", {}), "coke": {"quantity": 2000, "unit": "t"}}
        data["reporting_year"] = 2024
        assert services.save_draft(session, criteria_engine(), applicant, application, data, 0,
                                   TODAY) == []
        db.close_session()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, app, "a@x.cn")
    for url in (f"/applications/{application_id}/edit", f"/applications/{application_id}"):
        page.goto(app.base_url + url)
        name = "edit" if url.endswith("edit") else "view"
        if name == "edit":  # as it opens: the blocks in use, their own values and methods
            page.locator("#sec-process").screenshot(
                path=str(ARTIFACTS / f"process-edit-as-opened-{width}.png"))
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.screenshot(path=str(ARTIFACTS / f"process-{name}-{width}.png"), full_page=True)
        no_sideways_scroll(page, width, url)
        part = "#sec-process" if name == "edit" else "table.process-table"
        page.locator(part).screenshot(path=str(ARTIFACTS / f"process-{name}-part-{width}.png"))
        assert page.locator("table.process-table").count() == 1, url
