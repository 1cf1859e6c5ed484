"""A reference draft's tables and its two forms in chromium: at 390 px (a phone) and 1366 px
nothing scrolls sideways (nor at 768 px), long sources and notes wrap, and a refused value shows beside its
field. Screenshots go to tests/e2e/artifacts/ for a look."""

import pytest

from assessor.accounts import services as accounts
from assessor.criteria import services
from assessor.platform import db
from tests.criteria.helpers import version
from tests.e2e.conftest import ARTIFACTS

PASSWORD = "Reference-editor-2025"


@pytest.fixture
def draft_id(live_app):
    with live_app.app_context():
        session = db.session()
        editor = accounts.create_staff(session, email="editor@x.cn", name="王编辑",
                                       role="province_officer", password=PASSWORD)
        editor.criteria_editor = True
        session.add(editor)
        session.commit()
        draft = services.new_draft(session, editor, version(session, "REF-1", "reference"),
                                   key="REF-2", label="2026.1")
        draft_id = draft.id
        db.close_session()
    return draft_id


def test_the_reference_pages_fit_a_phone_and_a_laptop(live_app, draft_id, browser_page):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_page
    page.goto(live_app.base_url + "/login")
    page.fill("#email", "editor@x.cn")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    base = f"/criteria/{draft_id}/reference"
    for width in (390, 768, 1366):
        page.set_viewport_size({"width": width, "height": 844})
        for name, path, text in (("reference-tables", base, "电力二氧化碳排放因子"),
                                 ("reference-electricity", f"{base}/electricity", "数据年份"),
                                 ("reference-levels", f"{base}/levels?id=cement_clinker_energy",
                                  "熟料单位产品综合能耗")):
            answer = page.goto(live_app.base_url + path)
            assert answer.status == 200, path
            assert text in page.content(), path
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{path} scrolls sideways at {width} px: {scroll} px"
        page.goto(live_app.base_url + f"{base}/electricity")
        page.fill("#data_year", "2024")
        page.fill("#guizhou", "501.2")
        page.fill("#announcement", "2024年电力二氧化碳排放因子公告")
        page.fill("#source", "https://www.mee.gov.cn/" + "x" * 120)
        page.select_option("#tag", "V")
        page.click("main button[type=submit]")
        assert "不合常理" in page.inner_text("#guizhou-error")
        page.screenshot(path=str(ARTIFACTS / f"reference-electricity-refused-{width}.png"),
                        full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the refused form scrolls sideways at {width} px: {scroll} px"
