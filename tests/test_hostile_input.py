"""Hostile input (huge, negative, NaN, unicode, control characters, wrong types) gets a clear
message and changes nothing: never an unexpected exception, never a 500."""

import io
import json
import math

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlmodel import select

from assessor.accounts.models import User
from assessor.applications import services as applications
from assessor.applications.excel import build_template, parse_workbook
from assessor.applications.models import Application
from assessor.engine import SubmissionError
from tests.api.helpers import token_for
from tests.conftest import factory_submission
from tests.fixtures import TODAY

hostile_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["", " ", "\x00", "\u202e", "<script>", "1e309", "-0", "万", "NaN", "吨"]))
hostile_json = st.recursive(hostile_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20)
PATHS = [("energy", "natural_gas", "quantity"), ("energy", "natural_gas", "unit"),
         ("electricity", "grid_purchase", "quantity"), ("reporting_year",), ("subject",),
         ("declarations", "compliance_3y"), ("offsets",), ("production",),
         ("electricity", "green_certificates"), ("reported",), ("expert_scores",)]


def put(data: dict, path: tuple, value) -> dict:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {}) if isinstance(node.get(key, {}), dict) else {}
    node[path[-1]] = value
    return data


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(PATHS), hostile_json)
def test_engine_answers_hostile_values_with_problems(engine, path, value):
    data = put(factory_submission(), path, value)
    try:
        result = engine.score(data, "GZ-F-2024")
    except SubmissionError as error:
        assert error.problems and all(p.zh and p.en and p.path for p in error.problems)
    else:
        for indicator in result["indicators"].values():
            assert indicator["value"] is None or math.isfinite(indicator["value"])


@settings(max_examples=100, deadline=None)
@given(hostile_json)
def test_engine_answers_any_json_document(engine, document):
    try:
        engine.score(document, "GZ-F-2024")
    except SubmissionError as error:
        assert error.problems


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from([
    "energy-natural_gas-quantity", "energy-natural_gas-unit", "electricity-grid_purchase-quantity",
    "offsets-0-serial", "offsets-0-count", "offsets-0-quantity", "declarations-compliance_3y",
    "production-0-benchmark", "production-0-output-quantity", "lock_version", "reported-x"]),
    st.text(max_size=40), max_size=6))
def test_form_posts_never_fail_and_keep_the_draft(dbs, people, factory_round, applicant_client,
                                                  fields):
    application = applications.create(dbs, people["applicant"], factory_round, TODAY)
    before = applications.current_revision(dbs, application)
    saved_data, saved_version = dict(before.data), before.lock_version
    response = applicant_client.post(f"/applications/{application.id}/edit", data=fields)
    assert response.status_code in (200, 302, 400, 422)  # 400: a NUL byte, refused whole
    dbs.expire_all()
    after = applications.current_revision(dbs, application)
    if response.status_code != 302 and after.lock_version == saved_version:
        assert after.data == saved_data  # refused: nothing changed


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_excel_import_answers_any_bytes(engine, content):
    result = parse_workbook(content, engine, "GZ-F-2024", year=2024)
    assert result.data is None and result.problems


@settings(max_examples=60, deadline=None)
@given(st.lists(hostile_scalar, min_size=1, max_size=5))
def test_excel_import_answers_hostile_cells(engine, values):
    criteria = engine.criteria("GZ-F-2024")
    book = openpyxl.load_workbook(io.BytesIO(build_template(criteria, engine.reference,
                                                            year=2024)))
    sheet = book["能源消费"]
    for row, value in enumerate(values, start=2):
        # characters a workbook cannot hold at all (Excel refuses them too)
        cell = value if not isinstance(value, str) else ILLEGAL_CHARACTERS_RE.sub("", value)
        if isinstance(cell, float) and not math.isfinite(cell):
            cell = str(cell)
        if isinstance(cell, int) and abs(cell) > 10**15:
            cell = str(cell)
        sheet.cell(row=row, column=3, value=cell)
    buffer = io.BytesIO()
    book.save(buffer)
    result = parse_workbook(buffer.getvalue(), engine, "GZ-F-2024", year=2024)
    assert (result.data is None) == bool(result.problems)
    for problem in result.problems:
        assert problem.message_zh


def test_a_nul_byte_in_a_form_is_refused_whole(dbs, people, applicant_client):
    """PostgreSQL cannot store NUL in text: the request is refused before anything changes,
    with the reason in the user's language, instead of a 500 half-way through."""
    response = applicant_client.post("/organisation/users", data={
        "name": "同事\x00", "email": "colleague@x.cn", "password": "long-enough-password"})
    assert response.status_code == 400
    assert "控制字符（NUL），未作任何更改" in response.get_data(as_text=True)
    assert dbs.exec(select(User).where(User.email == "colleague@x.cn")).first() is None
    people["applicant"].locale = "en"
    dbs.commit()
    english = applicant_client.post("/organisation/users", data={"name": "\x00"})
    assert "NUL control character; nothing was changed" in english.get_data(as_text=True)


def test_a_nul_byte_in_api_json_is_refused_in_both_languages(app, dbs, people, factory_round):
    token = token_for(dbs, people["applicant"])
    response = app.test_client().post(
        "/api/v1/applications", headers={"Authorization": f"Bearer {token}"},
        data=json.dumps({"round_id": factory_round.id, "data": {"subject": "factory\0"}}),
        content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["en"].startswith("The request contains a NUL")
    assert dbs.exec(select(Application)).first() is None


def test_ids_beyond_the_database_range_are_not_found(province_client):
    for path in ("/applications/99999999999999999999", "/rounds/2147483648/whatif",
                 "/jobs/0"):
        assert province_client.get(path).status_code == 404, path
