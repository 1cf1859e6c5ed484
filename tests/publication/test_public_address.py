"""The certificates' verify links (printed and in the QR code) point at PUBLIC_BASE_URL when it is
set, else at the address the officer's request reached (a job has no request of its own), and on
the command line at --base-url. Mail links never come from the request's Host."""

import io
from pathlib import Path

import pypdf
from flask import current_app
from sqlmodel import select

from assessor.accounts import services
from assessor.publication.models import Certificate

SERVED_AT = "http://localhost:8000"


def _issue_through_the_web(dbs, round_, client) -> list[str]:
    """The issued certificates' (serial, PDF text), lines joined (the printed URL wraps)."""
    answer = client.post(f"/publication/rounds/{round_.id}/certificates", base_url=SERVED_AT,
                         data={"confirm": "y"})
    assert answer.status_code == 302
    folder = Path(current_app.config["CERTIFICATE_FOLDER"])
    texts = []
    for certificate in dbs.exec(select(Certificate)).all():
        pdf = pypdf.PdfReader(io.BytesIO((folder / certificate.stored_name).read_bytes()))
        texts.append((certificate.serial, "".join(p.extract_text() for p in pdf.pages).replace("\n", "")))
    assert len(texts) == 2
    return texts


def test_without_public_base_url_the_address_served_at(app, dbs, published, province_client):
    assert app.config["PUBLIC_BASE_URL"] == ""  # the default
    for serial, text in _issue_through_the_web(dbs, published, province_client):
        assert f"{SERVED_AT}/verify/{serial}" in text and "5000" not in text


def test_public_base_url_wins_when_set(app, dbs, published, province_client):
    app.config["PUBLIC_BASE_URL"] = "https://zerocarbon.example.gov.cn"
    for serial, text in _issue_through_the_web(dbs, published, province_client):
        assert f"https://zerocarbon.example.gov.cn/verify/{serial}" in text
        assert "localhost" not in text


def test_the_command_line_needs_an_address(app, dbs, people, published, runner):
    issue = ["certificates", "issue", "--round", str(published.id),
             "--officer", people["province_officer"].email]
    refused = runner.invoke(args=issue)
    assert refused.exit_code == 1 and "--base-url" in refused.output
    assert dbs.exec(select(Certificate)).first() is None
    issued = runner.invoke(args=[*issue, "--base-url", "http://127.0.0.1:8000"])
    assert issued.exit_code == 0, issued.output
    app.config["PUBLIC_BASE_URL"] = "https://zerocarbon.example.gov.cn"
    assert runner.invoke(args=issue).exit_code == 0  # nothing left to issue, and no refusal


def test_mail_links_never_come_from_the_host_header(app):
    with app.test_request_context("/", base_url="http://attacker.example:8000"):
        link = services._link("accounts.reset_password", "token")
        assert link.startswith("http://127.0.0.1:5000/")
        app.config["PUBLIC_BASE_URL"] = "https://zerocarbon.example.gov.cn"
        assert services._link("accounts.reset_password", "token").startswith(
            "https://zerocarbon.example.gov.cn/")
