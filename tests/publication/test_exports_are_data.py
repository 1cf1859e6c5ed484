"""Every Excel file the system writes keeps user text as text: an organisation named like a
formula is a string cell in the list, the officers' exports (directly and by a job), the review
and re-scoring workbooks and the Excel template, and reads back unchanged."""

import io
from datetime import date

import openpyxl
from sqlmodel import select

from assessor.accounts.models import Organisation
from assessor.applications import services as applications
from assessor.applications.excel import build_template, parse_workbook
from assessor.applications.models import Application
from assessor.platform import xlsx
from assessor.publication import services
from assessor.publication.exports import list_workbook
from assessor.publication.models import Listing
from assessor.review.export import round_workbook
from assessor.whatif import rescore
from tests.conftest import factory_submission
from tests.publication.helpers import approved, publish

HOSTILE = ['=HYPERLINK("http://x","点击")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=1+1",
           "#N/A"]


def cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_text(content: bytes, value: str) -> None:
    found = [c for c in cells(content) if c.value == value]
    assert found, f"{value!r} is missing from the workbook"
    assert {c.data_type for c in found} == {"s"}, value
    assert all(c.quotePrefix for c in found if value[0] in xlsx.FORMULA_STARTS)
    assert not [c for c in cells(content) if c.data_type == "f"]


def test_the_helper_keeps_text_and_numbers():
    book = openpyxl.Workbook()
    for r, value in enumerate([*HOSTILE, 3.5, -2, 0], start=1):
        book.active.cell(row=r, column=1, value=value)
    back = openpyxl.load_workbook(io.BytesIO(xlsx.workbook_bytes(book))).active
    assert [c.value for c in back["A"]] == [*HOSTILE, 3.5, -2, 0]
    assert [c.data_type for c in back["A"]] == ["s"] * len(HOSTILE) + ["n"] * 3


def test_every_export_stores_formula_like_names_as_text(
        app, dbs, engine, people, factory_round, tmp_path, province_client):
    app.config.update(CERTIFICATE_FOLDER=str(tmp_path / "certificates"))
    first = approved(dbs, engine, people, factory_round)
    approved(dbs, engine, people, factory_round, "other_applicant")
    services.open_publicity(dbs, engine, people["province_officer"], factory_round,
                            date(2025, 3, 7), date(2025, 3, 7))
    publish(dbs, engine, people, factory_round)
    organisation = dbs.get(Organisation, first.organisation_id)
    listing = dbs.exec(select(Listing).where(Listing.application_id == first.id)).one()
    for value in HOSTILE:
        organisation.name = listing.organisation_name = value
        dbs.add_all([organisation, listing])
        dbs.commit()
        assert_text(list_workbook(dbs, factory_round), value)
        assert_text(applications.export_workbook(dbs, select(Application)), value)
        assert_text(round_workbook(dbs, engine, factory_round), value)
        assert_text(rescore.workbook(factory_round, rescore.rescore(dbs, engine, factory_round)),
                    value)
    public = app.test_client().get(f"/lists/{factory_round.id}.xlsx")
    assert_text(public.data, HOSTILE[-1])
    exported = cells(province_client.get("/applications/export.xlsx").data)
    numbers = [c for c in exported if c.column == 1 and c.row > 1]  # 编号
    assert numbers and {c.data_type for c in numbers} == {"n"}

    app.config["EXPORT_JOB_ROWS"] = 0  # the same export made by a job
    response = province_client.post("/applications/export.xlsx")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job = province_client.get(response.headers["Location"].split("localhost", 1)[-1] + "/file")
    assert_text(job.data, HOSTILE[-1])


def test_the_template_round_trips_formula_like_text(engine):
    criteria = engine.criteria("GZ-F-2024")
    for value in HOSTILE:
        data = factory_submission(process_emissions=[{"source": value, "quantity": 12,
                                                      "unit": "tCO2", "method": "台账"}])
        content = build_template(criteria, engine.reference, data, year=2023)
        assert_text(content, value)
        parsed = parse_workbook(content, engine, "GZ-F-2024", year=2023)
        assert parsed.problems == []
        assert parsed.data["process_emissions"][0]["source"] == value.strip()


def test_the_sector_sheets_round_trip_formula_like_text(engine):
    """The process sheet's method and the activity sheets' free text (a line, a process, a
    material, evidence) are written as text, and read back as typed."""
    criteria = engine.criteria("GZ-F-2024")
    for value in HOSTILE:
        own = {"quantity": 0.5, "unit": "tCO2/t", "basis": "measured", "evidence": value}
        data = factory_submission(
            energy={"coke": {"quantity": 5, "unit": "t"}},
            process_emissions=[{"source": "尿素", "quantity": 12, "unit": "tCO2",
                                "method": value}],
            clinker_lines=[{"line": value, "method": "ets_2024",
                            "output": {"quantity": 5, "unit": "t"}, "factor": own}],
            carbon_balance=[{"process": value, "flow": "input", "material": value,
                             "quantity": {"quantity": 1, "unit": "t"},
                             "carbon": {"quantity": 80, "unit": "%"}, "basis": "measured"}])
        content = build_template(criteria, engine.reference, data, year=2023)
        assert_text(content, value)
        parsed = parse_workbook(content, engine, "GZ-F-2024", year=2023)
        assert parsed.problems == []
        line = parsed.data["clinker_lines"][0]
        flow = parsed.data["carbon_balance"][0]
        assert parsed.data["process_emissions"][0]["method"] == value.strip()
        assert line["line"] == line["factor"]["evidence"] == value.strip()
        assert flow["process"] == flow["material"] == value.strip()
