"""The application page's step tracker in a real browser: a vertical list that fits a 390 px
phone without horizontal scrolling, and one row of steps on a desktop."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from assessor.accounts import services as accounts
from assessor.accounts.models import User
from assessor.applications import services
from assessor.applications.lifecycle import transition
from assessor.platform import db
from assessor.platform.engine_service import criteria_engine
from assessor.rounds.models import Round
from tests.conftest import factory_submission
from tests.e2e.test_journey import PASSWORD, PDF, sign_in, staff
from tests.fixtures import SIGNED, organisation

TODAY = date(2025, 3, 3)  # the live app's


def returned_application(app, folder: Path) -> int:
    """A Guiyang factory's application with a file, submitted and returned by the city."""
    staff(app)
    with app.app_context():
        session = db.session()
        applicant = accounts.register_applicant(session, organisation=organisation(),
                                                email="a@x.cn", name="申报人", password=PASSWORD)
        city = session.exec(select(User).where(User.email == "city@gov.cn")).one()
        round_ = session.exec(select(Round)).one()
        engine = criteria_engine()
        application = services.create(session, applicant, round_, TODAY)
        services.save_draft(session, engine, applicant, application, factory_submission(reporting_year=2024), 0,
                            TODAY)
        services.add_evidence(session, applicant, application, item="zero_carbon_plan",
                              filename="建设方案.pdf", content=PDF, folder=folder, today=TODAY)
        transition(session, engine, application, "submit", applicant, commitment=SIGNED, today=TODAY)
        transition(session, engine, application, "city_return", city, reason="请补充合规经营承诺书",
                   today=TODAY)
        application_id = application.id
        db.close_session()
    return application_id


@pytest.mark.parametrize("width", [390, 1366])
def test_the_step_tracker_fits_a_phone_and_a_desktop(live_app, browser_page, tmp_path, width):
    app, page = live_app, browser_page
    application_id = returned_application(app, Path(app.config["UPLOAD_FOLDER"]))
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, app, "a@x.cn")
    page.goto(f"{app.base_url}/applications/{application_id}")
    steps = page.locator("ol.steps > li")
    expect(steps).to_have_count(9)
    expect(steps.nth(0)).to_contain_text("已由市（州）退回修改，待申报单位修改后重新提交")
    expect(page.locator('ol.steps > li[aria-current="step"]')).to_contain_text("经办：申报单位")
    first, second = steps.nth(0).bounding_box(), steps.nth(1).bounding_box()
    if width < 900:  # one step under the other
        assert second["y"] >= first["y"] + first["height"] - 1
    else:  # side by side
        assert abs(second["y"] - first["y"]) < 1 and second["x"] > first["x"]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls {overflow} px sideways at {width} px"
    page.screenshot(path=str(tmp_path / f"step-tracker-{width}.png"), full_page=False)
