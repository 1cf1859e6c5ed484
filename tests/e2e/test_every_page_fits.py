"""Every main page, for every demo role, fits a 390 px phone and a 1366 px desktop without
sideways scrolling. The pages are the ones tests/web/test_page_walk.py reaches (one of each
shape); screenshots of each go to tests/e2e/artifacts/pages/ for a look."""

import re

import pytest

from assessor.demo.load import load_demo
from assessor.platform import db
from assessor.platform.engine_service import criteria_engine
from assessor.platform.viewkit import today
from tests.e2e.conftest import ARTIFACTS
from tests.web.test_page_walk import PASSWORD, ROLES, SKIP, _Text, shape

WIDTHS = (390, 1366)


def _pages(app, email: str | None) -> list[str]:
    """One URL of each shape this user reaches by following links from `/`."""
    client = app.test_client()
    if email:
        answer = client.post("/login", data={"email": email, "password": PASSWORD})
        assert answer.status_code == 302
    queue, seen, shapes = ["/"], set(), {}
    while queue and len(seen) < 200:
        url = queue.pop(0)
        if url in seen or SKIP.search(url.split("?")[0]) or shape(url) in shapes:
            continue
        seen.add(url)
        answer = client.get(url)
        if answer.status_code != 200 or answer.mimetype != "text/html":
            continue
        shapes[shape(url)] = url
        page = _Text()
        page.feed(answer.get_data(as_text=True))
        queue.extend(page.links)
    return list(shapes.values())


@pytest.fixture
def demo(live_app):
    live_app.config["WTF_CSRF_ENABLED"] = False  # the link walk signs in with the test client
    with live_app.app_context():
        load_demo(db.session(), criteria_engine(), today())
        db.close_session()
    return live_app


def test_every_main_page_fits_phone_and_desktop(demo, browser_page):
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    page, too_wide = browser_page, []
    for role, name in ROLES.items():
        email = f"{name}@demo.example.com" if name else None
        page.context.clear_cookies()
        if email:
            page.goto(demo.base_url + "/login")
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(lambda url: "/login" not in url)
        for url in _pages(demo, email):
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(demo.base_url + url)
                scroll = page.evaluate("document.documentElement.scrollWidth")
                slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"
                page.screenshot(path=str(folder / f"{role}-{slug}-{width}.png"), full_page=True)
                if scroll > width:
                    too_wide.append(f"{role} {url} at {width} px: {scroll} px wide")
    assert not too_wide, "\n".join(too_wide)
