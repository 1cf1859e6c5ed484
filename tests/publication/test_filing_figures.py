"""An annual filing starts from last year's figures, says where they came from, and can be
filled in with the application's Excel workbook."""

import io
from datetime import date

import openpyxl
from sqlmodel import select

from assessor.publication import filing
from assessor.publication.models import Filing
from tests.conftest import factory_submission
from tests.web.excel_helpers import rows_by_code, saved, token_of

DEADLINE = date(2025, 6, 30)


def _call(dbs, people, round_, year):
    return filing.open_call(dbs, people["province_officer"], round_, year, DEADLINE,
                            date(2025, 3, 1))


def test_a_new_filing_starts_from_the_listed_application(dbs, people, published,
                                                         applicant_client):
    call = _call(dbs, people, published, 2024)
    page = applicant_client.get(f"/filings/{call.id}").get_data(as_text=True)
    item = dbs.exec(select(Filing)).one()  # made when the page was first opened
    listed = factory_submission()
    assert item.data["reporting_year"] == 2024
    assert item.data["energy"] == listed["energy"]
    assert item.data["electricity"]["grid_purchase"] == listed["electricity"]["grid_purchase"]
    # last year's serials are spent: left out, and the note says so
    assert "green_certificates" not in item.data["electricity"] and "offsets" not in item.data
    assert item.copied_from == {"kind": "application", "number": 1, "year": 2023,
                                "left_out": ["green_certificates", "offsets"]}
    assert "以下数据复制自列入名单的申报（第 1 次提交，2023 年度数据）" in page
    assert "请按 2024 年度的实际情况逐项核对" in page and "没有复制" in page
    assert 'value="10"' in page  # natural gas, 10 万Nm3, in the form


def test_the_next_years_filing_starts_from_this_years(dbs, engine, people, published,
                                                      applicant_client):
    first = filing.filing(dbs, people["applicant"], _call(dbs, people, published, 2024))
    data = factory_submission(reporting_year=2024)
    data["energy"]["natural_gas"]["quantity"] = 11
    data.pop("expert_scores")
    assert filing.save(dbs, engine, people["applicant"], first, data, first.lock_version,
                       date(2025, 3, 1)) == []
    filing.submit(dbs, engine, people["applicant"], first, date(2025, 3, 1))

    second = filing.filing(dbs, people["applicant"], _call(dbs, people, published, 2025))
    assert second.data["energy"]["natural_gas"]["quantity"] == 11
    assert second.data["reporting_year"] == 2025
    assert second.copied_from["kind"] == "filing" and second.copied_from["year"] == 2024
    page = applicant_client.get(f"/filings/{second.call_id}").get_data(as_text=True)
    assert "以下数据复制自贵单位 2024 年度的报送" in page


def test_a_filing_round_trips_through_excel(dbs, people, published, applicant_client):
    call = _call(dbs, people, published, 2024)
    item = filing.filing(dbs, people["applicant"], call)
    response = applicant_client.get(f"/filings/{call.id}/template.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    energy = book["能源消费"]
    gas = rows_by_code(energy)["natural_gas"]
    assert (energy.cell(gas, 3).value, energy.cell(gas, 4).value) == (10, "万Nm3")  # prefilled
    energy.cell(gas, 3).value = 12.5

    preview = applicant_client.post(f"/filings/{call.id}/import",
                                    data={"file": (io.BytesIO(saved(book)), "年度报送.xlsx")},
                                    content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "天然气" in page and "12.5" in page
    dbs.expire_all()
    assert dbs.get(Filing, item.id).data["energy"]["natural_gas"]["quantity"] == 10  # not yet

    confirmed = applicant_client.post(f"/filings/{call.id}/import/confirm",
                                      data={"token": token_of(page)})
    assert confirmed.status_code == 302
    dbs.expire_all()
    saved_item = dbs.get(Filing, item.id)
    assert saved_item.data["energy"]["natural_gas"]["quantity"] == 12.5
    assert saved_item.data["reporting_year"] == 2024
    again = applicant_client.post(f"/filings/{call.id}/import/confirm",
                                  data={"token": token_of(page)})
    assert again.status_code == 302  # used once: nothing changes
    assert dbs.get(Filing, item.id).lock_version == saved_item.lock_version


def test_a_workbook_with_problems_saves_nothing(dbs, people, published, applicant_client):
    call = _call(dbs, people, published, 2024)
    book = openpyxl.load_workbook(io.BytesIO(
        applicant_client.get(f"/filings/{call.id}/template.xlsx").data))
    energy = book["能源消费"]
    energy.cell(rows_by_code(energy)["natural_gas"], 3).value = "很多"
    response = applicant_client.post(f"/filings/{call.id}/import",
                                     data={"file": (io.BytesIO(saved(book)), "x.xlsx")},
                                     content_type="multipart/form-data")
    assert response.status_code == 422 and "能源消费" in response.get_data(as_text=True)


def test_only_the_listed_organisation_may_use_its_filing_workbook(
        dbs, people, published, park_client):
    call = _call(dbs, people, published, 2024)
    assert park_client.get(f"/filings/{call.id}/template.xlsx").status_code == 404
