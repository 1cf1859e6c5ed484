"""Refused input through the web form and the Excel import: the message in the user's language,
the draft unchanged."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from assessor.applications import services as applications
from assessor.applications.excel import build_template
from assessor.rounds import services as rounds
from tests.fixtures import TODAY
from tests.refused_input.cases import BASE_FORM, CASES, IDS, Case, round_for, seen

# -- the web form -----------------------------------------------------------------------------

def post_form(client, application_id: int, case: Case):
    fields = {**BASE_FORM, "lock_version": "0", **case.form}
    pairs = [(k, v) for k, values in fields.items()
             for v in (values if isinstance(values, list) else [values])]
    from werkzeug.datastructures import MultiDict

    return client.post(f"/applications/{application_id}/edit", data=MultiDict(pairs))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_form_refuses_each_and_saves_nothing(dbs, engine, people, factory_round, case,
                                                 applicant_client):
    round_ = round_for(dbs, engine, people, factory_round, case)
    application = applications.create(dbs, people["applicant"], round_, TODAY)
    before = applications.current_revision(dbs, application)
    data = dict(before.data)
    response = post_form(applicant_client, application.id, case)
    assert response.status_code == 422  # the form again, with the message
    page = seen(response.get_data(as_text=True))
    assert (case.form_zh or case.zh) in page
    assert "不能为负数" not in page  # nan is not called negative, nor "true"
    dbs.expire_all()
    after = applications.current_revision(dbs, application)
    assert (after.data, after.lock_version) == (data, 0)


def test_the_form_saves_the_base(dbs, people, factory_round, applicant_client):
    application = applications.create(dbs, people["applicant"], factory_round, TODAY)
    response = post_form(applicant_client, application.id,
                         Case("none", {}))
    assert response.status_code == 302
    dbs.expire_all()
    assert applications.current_revision(dbs, application).lock_version == 1


@pytest.mark.parametrize("case", [c for c in CASES if c.id in
                                  ("offset_unit", "ton", "nan", "above_ceiling_after_conversion",
                                   "future_year", "duplicate_key")], ids=lambda c: c.id)
def test_the_form_says_it_in_english_when_the_user_chose_english(
        dbs, engine, people, factory_round, case, applicant_client):
    round_ = round_for(dbs, engine, people, factory_round, case)
    application = applications.create(dbs, people["applicant"], round_, TODAY)
    applicant_client.post("/language", data={"locale": "en", "next": "/"})
    page = seen(post_form(applicant_client, application.id, case).get_data(as_text=True))
    assert "nothing was saved" in page
    if case.id != "duplicate_key":
        assert case.en in page
    assert case.zh not in page


def test_a_round_cannot_be_opened_for_a_year_the_engine_refuses(dbs, engine, people):
    for year, message in ((2026, "数据年度不能晚于申报开始的年份（2025 年）"),
                          (2020, "数据年度 2020 早于已发布电力排放因子的最早年份（2021 年）")):
        with pytest.raises(rounds.RoundError) as raised:
            rounds.open_round(dbs, engine, people["province_officer"], title="x",
                              subject="factory", year=year, criteria_id="GZ-F-2024",
                              opens_on=date(2025, 2, 1), closes_on=date(2025, 4, 30),
                              publicity_days=5)
        assert raised.value.zh == message and raised.value.field == "year"


# -- the Excel import -------------------------------------------------------------------------

def workbook_for(engine, case: Case) -> bytes:
    criteria = engine.criteria("GZ-F-2024")
    book = openpyxl.load_workbook(io.BytesIO(build_template(criteria, engine.reference,
                                                            year=2023)))
    cells = {("能源消费", "natural_gas", 3): 10, ("能源消费", "natural_gas", 4): "万Nm3",
             ("电力", "grid_purchase", 3): 20000, ("电力", "grid_purchase", 4): "MWh",
             **case.excel}
    for (sheet_name, code, column), value in cells.items():
        sheet = book[sheet_name]
        if code.endswith("+"):  # the same item again, on a row of its own
            sheet.append([code[:-1], None, None, "万Nm3"])
            row = sheet.max_row
        else:
            row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == code)
        sheet.cell(row, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, application_id: int, content: bytes):
    return client.post(f"/applications/{application_id}/import",
                       data={"file": (io.BytesIO(content), "自评价.xlsx")},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_excel_import_refuses_each_and_changes_nothing(
        dbs, engine, people, factory_round, case, applicant_client):
    round_ = round_for(dbs, engine, people, factory_round, case)
    application = applications.create(dbs, people["applicant"], round_, TODAY)
    before = applications.current_revision(dbs, application)
    data = dict(before.data)
    response = upload(applicant_client, application.id,
                      workbook_for(engine, case))
    page = seen(response.get_data(as_text=True))
    assert response.status_code == 422, page[:500]
    assert (case.excel_zh or case.zh) in page and "草稿没有任何改动" in page
    dbs.expire_all()
    after = applications.current_revision(dbs, application)
    assert (after.data, after.lock_version) == (data, 0)


def test_the_excel_import_accepts_the_base(dbs, engine, people, factory_round, applicant_client):
    application = applications.create(dbs, people["applicant"], factory_round, TODAY)
    response = upload(applicant_client, application.id,
                      workbook_for(engine, Case("none", {})))
    assert response.status_code == 200 and 'name="token"' in response.get_data(as_text=True)


@pytest.mark.parametrize("case", [c for c in CASES if c.id in
                                  ("ton", "offset_unit", "above_ceiling_after_conversion",
                                   "future_year")], ids=lambda c: c.id)
def test_the_excel_import_says_it_in_english_when_the_user_chose_english(
        dbs, engine, people, factory_round, case, applicant_client):
    round_ = round_for(dbs, engine, people, factory_round, case)
    application = applications.create(dbs, people["applicant"], round_, TODAY)
    applicant_client.post("/language", data={"locale": "en", "next": "/"})
    page = seen(upload(applicant_client, application.id, workbook_for(engine, case)
                       ).get_data(as_text=True))
    assert case.en in page and case.zh not in page
