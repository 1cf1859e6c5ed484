"""Publicity, objections, the list, removals, certificates and annual filing."""

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import current_app
from pypdf import PdfReader
from sqlmodel import select

from assessor.accounts import services as accounts
from assessor.accounts.uscc import make
from assessor.applications.models import Application
from assessor.certificates import issue as certificates
from assessor.certificates.settings import signing_pair
from assessor.certificates.signing import validate_pdf
from assessor.publication import filing, services
from assessor.publication.models import Listing
from tests.conftest import factory_submission
from tests.fixtures import PASSWORD, TODAY
from tests.publication.helpers import approved, issue, publish

PDF = b"%PDF-1.4\n%%EOF\n"


def test_working_days_skip_weekends_and_holidays():
    friday = date(2025, 3, 7)
    assert services.add_working_days(friday, 1, set()) == friday
    assert services.add_working_days(friday, 5, set()) == date(2025, 3, 13)  # Fri + Mon..Thu
    assert services.add_working_days(date(2025, 3, 8), 1, set()) == date(2025, 3, 10)  # Sat
    holiday = {date(2025, 3, 10)}
    assert services.add_working_days(friday, 5, holiday) == date(2025, 3, 14)


def test_publicity_period_counts_marked_holidays(dbs, engine, people, factory_round):
    approved(dbs, engine, people, factory_round)
    services.mark_holiday(dbs, people["province_officer"], date(2025, 3, 10), "测试假日")
    publicity = services.open_publicity(dbs, engine, people["province_officer"], factory_round,
                                        date(2025, 3, 7), TODAY)
    assert publicity.ends_on == date(2025, 3, 14)
    assert dbs.exec(select(Application)).one().state == "in_publicity"


def test_public_page_shows_no_scores_and_no_people(app, dbs, people, factory_round,
                                                   round_in_publicity):
    app.config["TODAY"] = date(2025, 3, 10)
    page = app.test_client().get(f"/publicity/{factory_round.id}").get_data(as_text=True)
    assert "贵州测试电子有限公司" in page and "零碳工厂" in page and "提出异议" in page
    for private in ("张三", "0851-12345678", "a@x.cn", "总分", "综合能耗", "91520100"):
        assert private not in page


def test_objection_is_acknowledged_and_upheld_goes_back_to_decision(
        app, dbs, engine, people, factory_round, round_in_publicity, client):
    _, first, second = round_in_publicity
    app.config["TODAY"] = date(2025, 3, 10)
    empty = client.post(f"/publicity/{factory_round.id}", data={"application": first.id})
    assert empty.status_code == 422 and "请填写异议理由" in empty.get_data(as_text=True)
    response = client.post(f"/publicity/{factory_round.id}", content_type="multipart/form-data",
                           data={"application": first.id, "name": "王五", "contact": "13800000000",
                                 "reason": "该企业2024年发生环境污染事故",
                                 "attachment": (io.BytesIO(PDF), "证据.pdf")})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "受理编号" in text
    objection = services.objections_of(dbs, factory_round)[0]
    assert objection.reference in text and objection.attachment_sha256
    with pytest.raises(services.PublicationError, match="未处理的异议"):
        services.publish_list(dbs, engine, people["province_officer"], factory_round,
                              date(2025, 3, 20), document_number="黔工信节能〔2025〕12号")
    services.handle_objection(dbs, engine, people["province_officer"], objection, upheld=True,
                              reason="经核实属实", today=date(2025, 3, 11))
    dbs.refresh(first)
    assert first.state == "in_review"
    late = client.post(f"/publicity/{factory_round.id}", data={
        "application": second.id, "name": "x", "contact": "y", "reason": "z"})
    assert late.status_code == 200  # still in the period: accepted
    app.config["TODAY"] = date(2025, 3, 20)
    closed = client.post(f"/publicity/{factory_round.id}", data={
        "application": second.id, "name": "x", "contact": "y", "reason": "z"})
    assert "不在公示期内" in closed.get_data(as_text=True)


def test_dismissed_objection_keeps_the_reason(dbs, engine, people, factory_round,
                                              round_in_publicity):
    _, first, _ = round_in_publicity
    objection = services.file_objection(dbs, first, name="甲", contact="乙", reason="丙",
                                        folder=Path("/tmp"),
                                        today=date(2025, 3, 10))
    services.handle_objection(dbs, engine, people["province_officer"], objection, upheld=False,
                              reason="无证据", today=date(2025, 3, 11))
    assert (objection.state, objection.handling_reason) == ("dismissed", "无证据")
    dbs.refresh(first)
    assert first.state == "in_publicity"


def test_list_is_published_only_after_the_period(dbs, engine, people, factory_round,
                                                 round_in_publicity):
    with pytest.raises(services.PublicationError, match="期满后"):
        services.publish_list(dbs, engine, people["province_officer"], factory_round,
                              date(2025, 3, 13), document_number="黔工信节能〔2025〕12号")
    listed = publish(dbs, engine, people, factory_round)
    assert len(listed) == 2 and {x.level_id for x in listed} == {"zero_carbon"}
    assert {a.state for a in dbs.exec(select(Application)).all()} == {"listed"}


def test_certificates_are_signed_verifiable_and_revocable(dbs, engine, people, published, client):
    steps = []
    issued = issue(dbs, people, published, progress=lambda d, t: steps.append((d, t)))
    assert steps == [(1, 2), (2, 2)] and len({c.serial for c in issued}) == 2
    assert issue(dbs, people, published) == []  # nothing twice
    certificate = issued[0]
    pdf = (Path(current_app.config["CERTIFICATE_FOLDER"]) / certificate.stored_name).read_bytes()
    signing, _ = signing_pair()
    assert validate_pdf(pdf, signing.cert)["valid"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert certificate.organisation_name in text and certificate.serial in text
    page = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert "有效" in page and certificate.pdf_sha256 in page
    genuine = client.post(f"/verify/{certificate.serial}", content_type="multipart/form-data",
                          data={"pdf": (io.BytesIO(pdf), "c.pdf")}).get_data(as_text=True)
    assert "一致" in genuine and "不一致" not in genuine
    forged = client.post(f"/verify/{certificate.serial}", content_type="multipart/form-data",
                         data={"pdf": (io.BytesIO(pdf + b"\n"), "c.pdf")})
    assert "不一致" in forged.get_data(as_text=True)
    assert client.get("/verify/ABCD-EFGH-JKLM-NPQR").status_code == 404
    services.revoke(dbs, people["province_officer"], certificate, "数据造假")
    page = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert "已撤销" in page and "数据造假" in page
    listing = client.get(f"/lists/{published.id}").get_data(as_text=True)
    assert "已撤销" in listing


def test_expired_certificates_say_so(app, dbs, engine, people, published, client):
    certificate = issue(dbs, people, published)[0]
    app.config["TODAY"] = certificate.valid_until + timedelta(days=1)
    assert "已过期" in client.get(f"/verify/{certificate.serial}").get_data(
        as_text=True)


def test_removal_shows_on_the_list_and_revokes(app, dbs, engine, people, published):
    certificate = issue(dbs, people, published)[0]
    listing = dbs.get(Listing, certificate.listing_id)
    with pytest.raises(services.PublicationError, match="移出理由"):
        services.remove_listing(dbs, engine, people["province_officer"], listing, " ",
                                date(2025, 6, 1))
    dbs.rollback()
    services.remove_listing(dbs, engine, people["province_officer"], listing, "年度数据未报送",
                            date(2025, 6, 1))
    page = app.test_client().get(f"/lists/{published.id}").get_data(as_text=True)
    assert "已移出" in page and "2025-06-01" in page and "年度数据未报送" in page
    assert listing.organisation_name in page  # the line stays, struck through
    assert certificates.find(dbs, certificate.serial).status == "revoked"
    xlsx = app.test_client().get(f"/lists/{published.id}.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    pdf = app.test_client().get(f"/lists/{published.id}.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "年度数据未报送" in "".join(text.split())  # wherever the line wraps


def test_lists_index_and_unknown_rounds(published, client):
    assert published.title in client.get("/lists").get_data(as_text=True)
    assert client.get("/lists/999").status_code == 404


def test_annual_filing_flags_who_fell_below_or_did_not_file(
        app, dbs, engine, people, published, province_client):
    call = filing.open_call(dbs, people["province_officer"], published, 2024, date(2025, 6, 30),
                            date(2025, 4, 1))
    item = filing.filing(dbs, people["applicant"], call)
    worse = factory_submission(reporting_year=2024)
    worse["offsets"] = []  # no offsets any more: net emissions above zero
    assert filing.save(dbs, engine, people["applicant"], item, worse, 0, date(2025, 5, 1)) == []
    filing.submit(dbs, engine, people["applicant"], item, date(2025, 5, 1))
    rows = {r["listing"].organisation_name: r
            for r in filing.overview(dbs, engine, call, date(2025, 7, 1))}
    ours = rows["贵州测试电子有限公司"]
    assert ours["below"] and ours["level"]["id"] == "near_zero_carbon"
    assert rows["贵州遵义测试有限公司"]["late"]
    with pytest.raises(services.PublicationError, match="已报送"):
        filing.save(dbs, engine, people["applicant"], item, worse, 1, date(2025, 5, 2))
    app.config["TODAY"] = date(2025, 7, 1)
    page = province_client.get(f"/publication/filings/{call.id}").get_data(as_text=True)
    assert "低于列入等级" in page and "逾期未报送" in page


def test_filing_form_for_the_applicant(app, dbs, engine, people, published, applicant_client,
                                       sign_in):
    call = filing.open_call(dbs, people["province_officer"], published, 2024, date(2025, 6, 30),
                            date(2025, 4, 1))
    app.config["TODAY"] = date(2025, 5, 1)
    assert "2024" in applicant_client.get("/filings/").get_data(as_text=True)
    page = applicant_client.get(f"/filings/{call.id}").get_data(as_text=True)
    assert "天然气" in page and "报送（报送后不能修改）" in page
    stranger = accounts.register_applicant(
        dbs, organisation={"name": "无关", "uscc": make("91520100MA6D7777X"), "kind": "factory",
                           "city": "anshun", "industry": "C3011", "address": "a",
                           "contact_name": "b", "contact_phone": "0851-1234567"},
        email="s@x.cn", name="s", password=PASSWORD)
    assert sign_in(stranger).get(f"/filings/{call.id}").status_code == 404


def test_publication_pages_are_for_province_officers(
        people, factory_round, province_client, sign_in):
    for role in ("applicant", "city_officer", "expert", "admin"):
        client = sign_in(people[role])
        assert client.get(f"/publication/rounds/{factory_round.id}").status_code == 404
    assert province_client.get(f"/publication/rounds/{factory_round.id}").status_code == 200


def test_command_line_issues_with_progress_and_sets_up_signing(dbs, people, published, runner):
    setup = runner.invoke(args=["certificates", "setup"])
    assert setup.exit_code == 0 and ("自签名" in setup.output or "signing certificate" in
                                      setup.output)
    result = runner.invoke(args=["certificates", "issue", "--round", str(published.id),
                                 "--officer", people["province_officer"].email,
                                 "--base-url", "http://127.0.0.1:5000"])
    assert result.exit_code == 0, result.output
    assert "已签发 2 张证书" in result.output
    again = runner.invoke(args=["certificates", "issue", "--round", "999", "--officer", "x@x"])
    assert again.exit_code == 1


def test_web_issuance_runs_as_a_job_with_progress(dbs, published, province_client):
    response = province_client.post(f"/publication/rounds/{published.id}/certificates",
                                    data={"confirm": "y"})
    assert response.status_code == 302 and "job=" in response.headers["Location"]
    job_url = "/publication/jobs/" + response.headers["Location"].split("job=")[1]
    # the old address
    page = province_client.get(job_url, follow_redirects=True).get_data(as_text=True)
    assert "已完成" in page and "2 / 2" in page and "已签发 2 张证书" in page
