"""Certificates and the published list look official: the programme's full title, the
organisation's USCC, the issuing department and its seal, the list's 文号."""

import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from assessor.accounts.models import Organisation
from assessor.certificates import issue as certificates
from assessor.certificates.settings import issue_settings, official, signing_pair
from assessor.certificates.signing import validate_pdf
from assessor.publication import official as titles
from assessor.publication import services
from assessor.publication.models import Certificate
from tests.publication.helpers import DOCUMENT_NUMBER


def issue(dbs, people, round_):
    """As the web's job issues them: with the configured department and seal."""
    return certificates.issue_for_round(dbs, people["province_officer"], round_,
                                        today=date(2025, 3, 20),
                                        **issue_settings("http://127.0.0.1:5000"))


def _text(pdf: bytes) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def _images(pdf: bytes) -> int:
    """Raster images drawn on the first page (the emblem and the QR code are vector)."""
    resources = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]
    found, pending = 0, [resources]
    while pending:
        objects = (pending.pop().get("/XObject") or {})
        for ref in objects.values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                found += 1
            elif "/Resources" in xobject:
                pending.append(xobject["/Resources"].get_object())
    return found


def _stored(app, certificate: Certificate) -> bytes:
    return (Path(app.config["CERTIFICATE_FOLDER"]) / certificate.stored_name).read_bytes()


def _seal_png(path: Path) -> Path:
    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((8, 8, 232, 232), outline=(200, 22, 29, 255), width=10)
    image.save(path)
    return path


def test_the_certificate_names_the_programme_the_uscc_and_the_department(
        app, dbs, people, published):
    app.config["ISSUING_DEPARTMENT"] = "贵州省工业和信息化厅（测试）"
    certificate = issue(dbs, people, published)[0]
    uscc = dbs.get(Organisation, people["applicant"].organisation_id).uscc
    assert certificate.organisation_uscc in {uscc, dbs.get(
        Organisation, people["other_applicant"].organisation_id).uscc}
    pdf = _stored(app, certificate)
    text = _text(pdf)
    assert "贵州省零碳工厂培育名单" in text
    assert "GuizhouZero-CarbonFactoryCultivationList" in text
    assert certificate.organisation_uscc in text
    assert "贵州省工业和信息化厅（测试）" in text
    assert DOCUMENT_NUMBER in text  # the list's 文号
    assert "演示" not in text  # a real round's certificate says nothing of a demo
    assert validate_pdf(pdf, signing_pair()[0].cert)["valid"]


def test_a_configured_seal_is_printed_and_none_prints_no_image(app, dbs, people, published,
                                                                tmp_path):
    app.config["CERT_SEAL_IMAGE"] = str(_seal_png(tmp_path / "seal.png"))
    with_seal = issue(dbs, people, published)[0]
    assert _images(_stored(app, with_seal)) == 1
    assert validate_pdf(_stored(app, with_seal), signing_pair()[0].cert)["valid"]

    services.revoke(dbs, people["province_officer"], with_seal, "重新签发")
    app.config["CERT_SEAL_IMAGE"] = str(tmp_path / "missing.png")  # configured, not there
    assert official()["seal"] == ""
    without = [c for c in issue(dbs, people, published) if c.listing_id == with_seal.listing_id]
    pdf = _stored(app, without[0])
    assert _images(pdf) == 0 and "贵州省零碳工厂培育名单" in _text(pdf)


def test_the_demo_specimen_seal_is_used_only_with_the_development_signing_pair(app, runner,
                                                                              tmp_path):
    app.instance_path = str(tmp_path)  # not the checkout's instance/
    instance = tmp_path
    assert "样章" in runner.invoke(args=["certificates", "setup"]).output
    specimen = (instance / "seal-demo.svg").read_text(encoding="utf-8")
    assert "样章" in specimen and all(f">{c}<" in specimen for c in "贵州省工业和信息化厅")
    assert official()["seal"].startswith("data:image/svg+xml;base64,")
    app.config.update(CERT_SIGNING_KEY="k.pem", CERT_SIGNING_CERT="c.pem")
    assert official()["seal"] == ""  # the department's own key: never a specimen


def test_a_certificate_issued_before_the_uscc_was_kept_shows_none(app, dbs, people, published,
                                                                 client):
    certificate = issue(dbs, people, published)[0]
    certificate.organisation_uscc = None
    dbs.add(certificate)
    dbs.commit()
    page = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert "None" not in page and "统一社会信用代码" not in page


@pytest.mark.parametrize("typed, printed", [
    ("黔工信节能[2025]12号", "黔工信节能〔2025〕12号"),
    (" 黔工信节能（2025）12号 ", "黔工信节能〔2025〕12号"),
    ("黔工信节能〔2025〕12号", "黔工信节能〔2025〕12号"),
])
def test_document_numbers_are_printed_with_the_year_in_official_brackets(typed, printed):
    assert titles.document_number(typed) == printed


@pytest.mark.parametrize("typed", ["", "   ", "12号", "黔工信节能2025年12号", "黔工信〔2025〕",
                                   "x" * 61])
def test_what_is_not_a_document_number_is_refused(typed):
    with pytest.raises(titles.DocumentNumberError):
        titles.document_number(typed)


def test_the_publish_form_requires_a_document_number_printed_on_the_list(
        app, dbs, factory_round, round_in_publicity, province_client, client):
    app.config["TODAY"] = date(2025, 3, 20)  # the period is over
    url = f"/publication/rounds/{factory_round.id}/publish"
    refused = province_client.post(url, data={"document_number": ""})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "请填写名单的文号" in page
    assert 'href="#document_number"' in page  # the error summary links to the field
    assert services.publicity_of(dbs, factory_round).published_on is None
    refused = province_client.post(url, data={"document_number": "第12号文"})
    assert refused.status_code == 422 and "发文机关代字" in refused.get_data(as_text=True)

    published = province_client.post(url, data={"document_number": "黔工信节能[2025]12号",
                                                 "confirm": "y"})
    assert published.status_code == 302
    dbs.expire_all()
    period = services.publicity_of(dbs, factory_round)
    assert period.published_on == date(2025, 3, 20)
    assert period.document_number == "黔工信节能〔2025〕12号"
    page = client.get(f"/lists/{factory_round.id}").get_data(as_text=True)
    assert "贵州省零碳工厂培育名单" in page and "黔工信节能〔2025〕12号" in page
    assert "演示" not in page
    pdf = _text(client.get(f"/lists/{factory_round.id}.pdf").data)
    assert "贵州省零碳工厂培育名单" in pdf and "黔工信节能〔2025〕12号" in pdf
    assert "贵州省工业和信息化厅" in pdf
    assert "黔工信节能〔2025〕12号" in client.get("/lists").get_data(as_text=True)


def test_the_list_pdf_carries_the_seal_when_one_is_configured(app, published, client, tmp_path):
    app.config["CERT_SEAL_IMAGE"] = str(tmp_path / "none.png")
    assert _images(client.get(f"/lists/{published.id}.pdf").data) == 0
    app.config["CERT_SEAL_IMAGE"] = str(_seal_png(tmp_path / "seal.png"))
    assert _images(client.get(f"/lists/{published.id}.pdf").data) == 1


def test_the_park_programme_has_its_own_title():
    assert titles.programme_title("park") == {
        "zh": "贵州省零碳工业园区培育名单",
        "en": "Guizhou Zero-Carbon Industrial Park Cultivation List"}
