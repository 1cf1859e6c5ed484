"""A workbook too large to read is refused from its zip directory, before openpyxl sees it: a
few hundred KB that unpack to hundreds of MB answer at once, with a clear message, memory flat."""

import io
import time
import tracemalloc
import zipfile

import openpyxl
import pandas as pd
import pytest

from assessor.applications.excel import ImportLimits, build_template, parse_workbook
from tests.conftest import factory_submission
from tests.web.excel_helpers import new_application, upload

ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>0</t></is></c></row>'


def template(engine) -> bytes:
    return build_template(engine.criteria("GZ-F-2024"), engine.reference, year=2023)


def with_sheet(base: bytes, rows: int, row: bytes = ROW) -> bytes:
    """`base` with its first data sheet replaced by `rows` rows, streamed into the zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet2.xml":
                target.writestr(info, source.read(info))
                continue
            with target.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml'
                            b'/2006/main"><sheetData>')
                block = row * 10_000
                for _ in range(rows // 10_000):
                    sheet.write(block)
                sheet.write(row * (rows % 10_000))
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb(engine) -> bytes:
    content = with_sheet(template(engine), 5_000_000)  # ~330 MB of sheet XML
    assert len(content) < 1024 * 1024
    return content


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read the workbook")

    monkeypatch.setattr(openpyxl.reader.excel, "load_workbook", refuse)
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    monkeypatch.setattr(pd, "ExcelFile", refuse)


def only_problem(result) -> str:
    assert result.data is None and len(result.problems) == 1
    return result.problems[0].message_zh


def test_a_small_file_that_unpacks_to_hundreds_of_mb_is_refused_at_once(
        engine, bomb, openpyxl_never_opens):
    size = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist())
    assert size > 290 * 1024 * 1024  # from a file under 1 MB
    tracemalloc.start()
    started = time.perf_counter()
    result = parse_workbook(bomb, engine, "GZ-F-2024", year=2023)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    message = only_problem(result)
    assert "文件解压后共" in message and "超过上限 100 MB" in message
    assert elapsed < 1.0 and peak < 5 * 1024 * 1024


def test_one_part_too_large_or_too_many_rows_is_refused(engine, openpyxl_never_opens):
    base = template(engine)
    rows = with_sheet(base, 2_001)
    message = only_problem(parse_workbook(rows, engine, "GZ-F-2024", year=2023,
                                          limits=ImportLimits(rows=2_000)))
    assert message.startswith("工作表“能源消费”超过 2,000 行（上限）")
    # rows written without a dimension or as <x:row>: still counted
    prefixed = with_sheet(base, 2_001, ROW.replace(b"<row", b"<x:row").replace(b"</row",
                                                                                b"</x:row"))
    assert "行（上限）" in only_problem(parse_workbook(prefixed, engine, "GZ-F-2024",
                                                     year=2023, limits=ImportLimits(rows=2_000)))
    large = with_sheet(base, 40_000)  # 2.4 MB of sheet XML
    message = only_problem(parse_workbook(large, engine, "GZ-F-2024", year=2023,
                                          limits=ImportLimits(part=2 * 1024 * 1024)))
    assert "解压后 2.4 MB，超过单个部分的上限 2 MB" in message


def test_a_workbook_within_the_limits_is_read(engine):
    filled = build_template(engine.criteria("GZ-F-2024"), engine.reference,
                            factory_submission(), year=2023)
    assert parse_workbook(filled, engine, "GZ-F-2024", year=2023,
                          limits=ImportLimits(rows=2_000)).problems == []
    base = template(engine)
    # the limit counts rows, not more: exactly at it is read (and its cells checked)
    at_limit = parse_workbook(with_sheet(base, 2_000), engine, "GZ-F-2024", year=2023,
                              limits=ImportLimits(rows=2_000))
    assert not any("上限" in str(p.message) for p in at_limit.problems)


def test_the_upload_page_says_why_in_the_users_language(
        app, factory_round, bomb, applicant_client):
    app.config["EXCEL_IMPORT_MAX_UNCOMPRESSED"] = 50 * 1024 * 1024
    application_id = new_application(applicant_client, factory_round)
    response = upload(applicant_client, application_id, bomb)
    assert response.status_code == 422
    assert "超过上限 50 MB" in response.get_data(as_text=True)
    applicant_client.post("/language", data={"locale": "en", "next": "/"})
    english = upload(applicant_client, application_id, bomb).get_data(as_text=True)
    assert "larger than the limit of 50 MB" in english
