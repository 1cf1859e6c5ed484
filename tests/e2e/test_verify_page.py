"""The verify page a QR code opens on a phone: no horizontal scrolling at 390 px (long serials and
the hash wrap), and an unknown serial says so with a 404. Screenshots at 390 and 1366 px go to
tests/e2e/artifacts/ for a look."""

import pytest
from sqlmodel import select

from assessor.demo.load import load_demo
from assessor.platform import db
from assessor.platform.engine_service import criteria_engine
from assessor.platform.viewkit import today
from assessor.publication.models import Certificate
from tests.e2e.conftest import ARTIFACTS


@pytest.fixture
def serial(live_app):
    with live_app.app_context():
        session = db.session()
        load_demo(session, criteria_engine(), today())
        return session.exec(select(Certificate.serial)).first()


def test_the_verify_page_fits_a_phone(live_app, serial, browser_page):  # demo first: no loop
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_page
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 844})
        for name, path, status in (("verify", f"/verify/{serial}", 200),
                                   ("verify-unknown", "/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ", 404),
                                   ("verify-unknown-long", "/verify/" + "Z" * 64, 404)):
            answer = page.goto(live_app.base_url + path)
            assert answer.status == status
            if status == 404:
                assert "未查到该证书" in page.content()
            else:
                assert serial in page.content()
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            if width == 390:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= 390, f"{path} scrolls sideways: {scroll} px"

    page.goto(live_app.base_url + "/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    page.fill("#serial", serial)
    page.click("main button[type=submit]")
    assert page.url.endswith(f"/verify/{serial}") and "有效" in page.content()
