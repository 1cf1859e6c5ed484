"""The criteria editor's pages fit a 390 px phone and a 1366 px desktop (no sideways
scrolling), a refused form included; the unit beside a value follows the indicator chosen."""

import re

from assessor.accounts import services as accounts
from assessor.criteria import services
from assessor.platform import db
from assessor.platform.engine_service import criteria_engine
from tests.criteria.helpers import version
from tests.e2e.conftest import ARTIFACTS
from tests.fixtures import PASSWORD


def test_the_editor_pages_fit_a_phone(live_app, browser_page):
    with live_app.app_context():
        dbs = db.session()
        criteria_engine()
        editor = accounts.create_staff(dbs, email="editor@x.cn", name="编辑", password=PASSWORD,
                                       role="province_officer")
        editor.criteria_editor = True
        dbs.add(editor)
        dbs.commit()
        draft = services.new_draft(dbs, editor, version(dbs, "GZ-P-2024"), key="GZ-P-2025",
                                   label="2025.1")
        draft_id = draft.id
        db.close_session()
    page = browser_page
    page.goto(live_app.base_url + "/login")
    page.fill("#email", "editor@x.cn")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    page.set_viewport_size({"width": 390, "height": 900})
    folder = ARTIFACTS / "criteria_editor"
    folder.mkdir(parents=True, exist_ok=True)
    base = f"{live_app.base_url}/criteria/{draft_id}"
    too_wide = []

    def check(name: str):
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            scroll = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
            if scroll > width:
                too_wide.append(f"{name} at {width} px: {scroll} px")

    for path in ("items", "items/P-G4", "items/P-S1", "items/new?kind=scored",
                 "items/new?kind=expert", "levels/zero_carbon", "declarations/new",
                 "reported/new", "evidence-kinds", "header"):
        page.goto(f"{base}/{path}")
        check(re.sub(r"[^a-z0-9]+", "-", path.lower()))
    page.goto(f"{base}/levels/zero_carbon")
    assert page.is_hidden("[data-gates-list]")
    page.select_option("#all_gates", "some")
    assert page.is_visible("[data-gates-list]")
    page.goto(f"{base}/items/new?kind=gate")
    page.select_option("#rule-indicator", "non_fossil_energy_share")
    assert page.inner_text("fieldset[data-kind=gate] .unit") == "%"
    assert page.is_hidden("fieldset[data-kind=scored]")
    page.fill("#rule-value", "三十")
    page.click("form.criteria-editor button[type=submit]")
    assert page.is_visible("#rule-value-error")
    check("refused-gate")
    assert not too_wide, "\n".join(too_wide)
