"""The result as people read it, in a real browser on the demo data: an applicant's result with
failing gates and the gap drawn, and a decided application led by the department's decision, at
390 and 1366 px without horizontal scrolling. Screenshots go to tests/e2e/artifacts/."""

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from assessor.accounts.models import Organisation, User
from assessor.applications.models import Application
from assessor.demo.load import load_demo
from assessor.platform import db
from assessor.platform.engine_service import criteria_engine
from assessor.platform.viewkit import today
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_journey import sign_in

DEMO_PASSWORD = "Guizhou-demo-2024"


@pytest.fixture
def demo(live_app):
    """The demo province; a rejected application (gates failing) and an approved one, each with
    its applicant's e-mail."""
    with live_app.app_context():
        session = db.session()
        load_demo(session, criteria_engine(), today())
        found = {}
        for state in ("rejected", "approved"):
            application = session.exec(select(Application).where(
                Application.state == state).order_by(Application.id)).first()
            applicant = session.exec(select(User).join(
                Organisation, Organisation.id == User.organisation_id).where(
                Organisation.id == application.organisation_id)).first()
            found[state] = (application.id, applicant.email)
        db.close_session()
    return found


def _fits(page, width: int, name: str):
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls {overflow} px sideways at {width} px"


def test_result_and_decision_pages_fit_a_phone_and_a_desktop(live_app, demo, browser_page):
    ARTIFACTS.mkdir(exist_ok=True)
    page, app = browser_page, live_app
    rejected, rejected_by = demo["rejected"]
    approved, _ = demo["approved"]
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.context.clear_cookies()
        sign_in(page, app, rejected_by, DEMO_PASSWORD)
        page.goto(f"{app.base_url}/applications/{rejected}")
        result = page.locator("section.result")
        expect(result).to_contain_text("要求不高于 1.8 tCO2/tce → 未通过")
        expect(result.locator("svg.chart-gap[role=img]").first).to_be_visible()
        expect(result.locator("details.basis summary").first).to_have_text("依据")
        text = result.inner_text()
        for raw in ("==", "None", "fraction", "dimensionless", "[S-weak]"):
            assert raw not in text, raw
        result.screenshot(path=str(ARTIFACTS / f"result-section-{width}.png"))
        _fits(page, width, "result-applicant")

        page.context.clear_cookies()
        sign_in(page, app, "province1@demo.example.com", DEMO_PASSWORD)
        page.goto(f"{app.base_url}/applications/{approved}")
        decision = page.locator("section.decision")
        expect(decision).to_contain_text("省工业和信息化厅决定：通过")
        expect(decision).to_contain_text("专家汇总总分")
        expect(page.locator("section.result h2")).to_have_text("企业自评结果（系统计算，仅供参考）")
        assert decision.bounding_box()["y"] < page.locator("section.result").bounding_box()["y"]
        decision.screenshot(path=str(ARTIFACTS / f"decision-section-{width}.png"))
        _fits(page, width, "decided-application")
