"""The expert's scoring page and the officer's publication page in a real browser, on the demo
province: at 390 px (a phone) and 1366 px (a laptop) neither scrolls sideways; the expert adopts
the engine's suggestions, and a refused submission lists its problems at the top, each a link
that takes the expert to the field. Screenshots go to tests/e2e/artifacts/ for a look."""

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from assessor.accounts.models import User
from assessor.demo.data import PASSWORD
from assessor.demo.load import load_demo
from assessor.platform import db
from assessor.platform.engine_service import criteria_engine
from assessor.platform.viewkit import today
from assessor.publication.models import Publicity
from assessor.review.models import Assignment
from tests.e2e.conftest import ARTIFACTS

WIDTHS = (390, 1366)


@pytest.fixture
def demo(live_app):
    """(expert's email, their assignment in review, the published round's id)."""
    with live_app.app_context():
        session = db.session()
        load_demo(session, criteria_engine(), today())
        assignment = session.exec(select(Assignment).where(Assignment.state == "active")
                                  .order_by(Assignment.id)).first()
        expert = session.get(User, assignment.expert_id)
        published = session.exec(select(Publicity).where(Publicity.published_on.is_not(None))
                                  ).first()
        return expert.email, assignment.id, published.round_id


def sign_in(page, app, email):
    page.goto(f"{app.base_url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("工作台")


def fits(page, name: str, width: int) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name} scrolls sideways at {width} px: {scroll} px"


def test_the_scoring_page_fits_and_guides_the_expert(live_app, demo, browser_page):
    ARTIFACTS.mkdir(exist_ok=True)
    app, page = live_app, browser_page
    email, assignment_id, _round = demo
    sign_in(page, app, email)
    url = f"{app.base_url}/review/assignments/{assignment_id}"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        expect(page.locator("main")).to_contain_text("逐项评分")
        fits(page, "scoring", width)

    # the applicant's PDF shows in place, in the browser's own viewer
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(url)
    frame = page.locator("details.preview iframe").first
    frame.scroll_into_view_if_needed()
    preview = frame.get_attribute("src")
    page.wait_for_function(
        "src => [...document.querySelectorAll('iframe')].some(f => f.src.endsWith(src))", arg=preview)
    page.wait_for_timeout(1500)  # the viewer draws the page
    assert any(f.url.endswith(preview) for f in page.frames)
    page.screenshot(path=str(ARTIFACTS / "scoring-preview-1366.png"))

    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(url)
    page.click("main button:has-text('采纳系统建议分')")
    expect(page.locator(".flash")).to_contain_text("已填入系统建议分")
    fits(page, "scoring-adopted", 390)
    page.fill("#opinion", "")
    page.click("main button:has-text('提交评审')")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    fits(page, "scoring-refused", 390)
    first = summary.locator("a").first
    target = first.get_attribute("href")
    first.click()
    assert page.url.endswith(target)
    assert page.locator(target).count() == 1


def test_the_publication_page_fits_and_says_why(live_app, demo, browser_page):
    ARTIFACTS.mkdir(exist_ok=True)
    app, page = live_app, browser_page
    _email, _assignment, round_id = demo
    sign_in(page, app, "province1@demo.example.com")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{app.base_url}/publication/rounds/{round_id}")
        expect(page.locator("main")).to_contain_text("异议")
        expect(page.locator("main .objection").first).to_contain_text("申报编号")
        fits(page, "publication", width)
