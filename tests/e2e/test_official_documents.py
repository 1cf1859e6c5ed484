"""The demo's certificate as printed (rendered to PNG for a look) and the annual filing page a
listed enterprise opens, at 390 and 1366 px without horizontal scrolling. Images go to
tests/e2e/artifacts/."""

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from sqlmodel import select

from assessor.accounts.models import APPLICANT, Organisation, User
from assessor.applications.models import Application
from assessor.demo.data import PASSWORD
from assessor.demo.load import load_demo
from assessor.demo.published import FILER
from assessor.platform import db
from assessor.platform.engine_service import criteria_engine
from assessor.platform.viewkit import today
from assessor.publication.models import Certificate, FilingCall, Listing, Publicity
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_journey import sign_in


@pytest.fixture
def demo(live_app):
    with live_app.app_context():
        session = db.session()
        load_demo(session, criteria_engine(), today())
        call = session.exec(select(FilingCall)).one()
        # a listed enterprise that has not filed yet: its filing starts from last year's figures
        filer = session.exec(select(User).join(Organisation).join(
            Application, Application.organisation_id == Organisation.id).join(
            Listing, Listing.application_id == Application.id).where(
            Listing.round_id == call.round_id, Listing.removed_on.is_(None),
            User.role == APPLICANT, User.email != f"{FILER}@demo.example.com")).first()
        certificate = session.exec(select(Certificate).where(
            Certificate.status == "valid")).first()
        pdf = (Path(live_app.config["CERTIFICATE_FOLDER"]) / certificate.stored_name).read_bytes()
        number = session.exec(select(Publicity.document_number).where(
            Publicity.round_id == call.round_id)).one()
        return {"call": call.id, "email": filer.email, "pdf": pdf,
                "uscc": certificate.organisation_uscc, "document_number": number}


def test_the_demo_certificate_looks_official(demo):
    ARTIFACTS.mkdir(exist_ok=True)
    text = "".join("".join(p.extract_text().split())
                   for p in PdfReader(io.BytesIO(demo["pdf"])).pages)
    assert "贵州省零碳工厂培育名单" in text and demo["uscc"] in text
    assert "贵州省工业和信息化厅" in text and demo["document_number"] in text
    document = pdfium.PdfDocument(demo["pdf"])
    image = document[0].render(scale=1.5).to_pil()
    image.save(ARTIFACTS / "certificate.png")
    red = sum(1 for r, g, b in image.convert("RGB").get_flattened_data() if r > 180 and g < 90 and b < 90)
    assert red > 2000  # the demo's seal (样章), stamped in red over the department's name


def test_the_filing_page_fits_a_phone(live_app, demo, browser_page):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_page
    sign_in(page, live_app, demo["email"], PASSWORD)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 844})
        answer = page.goto(f"{live_app.base_url}/filings/{demo['call']}")
        assert answer.status == 200
        content = page.content()
        assert "以下数据复制自列入名单的申报" in content and "下载 Excel 模板" in content
        page.screenshot(path=str(ARTIFACTS / f"filing-{width}.png"), full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the filing page scrolls sideways at {width} px: {scroll} px"
