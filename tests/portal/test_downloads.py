"""下载中心: the guide, each round's criteria as a real PDF, the blank Excel template and the
承诺书, for anyone."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from assessor.platform.engine_service import criteria_engine
from assessor.portal.criteria_document import criteria_context, criteria_pdf


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_download_centre_lists_each_round(client, factory_round, park_round):
    page = client.get("/downloads").get_data(as_text=True)
    for round_ in (factory_round, park_round):
        assert round_.title in page
        assert f"/downloads/rounds/{round_.id}/criteria.pdf" in page
        assert f"/downloads/rounds/{round_.id}/template.xlsx" in page
    assert "贵州省零碳工厂评价（2024，暂行） · 2024.1" in page  # the set's title, not its key


def test_a_rounds_criteria_pdf_has_gates_points_levels_and_evidence(client, factory_round):
    answer = client.get(f"/downloads/rounds/{factory_round.id}/criteria.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = _text(answer.data)
    for words in ("基本要求", "F-G1", "合规经营", "评分项", "F-S1", "单位能耗碳排放", "20",
                  "专家评审项", "评价等级", "零碳工厂", "80", "绿色工厂称号证明文件"):
        assert words in text, words


def test_the_criteria_pdf_is_made_once_per_version(app):
    criteria = criteria_engine().criteria("GZ-P-2024")
    assert criteria_pdf(criteria) is criteria_pdf(criteria)
    context = criteria_context(criteria)
    gate = next(i for s in context["sections"] for i in s["items"] if i["rule"].count("低于"))
    assert "1,000,000" in gate["rule"]  # a threshold banded by another figure, in words


def test_the_blank_template_is_the_rounds_workbook(client, factory_round):
    answer = client.get(f"/downloads/rounds/{factory_round.id}/template.xlsx")
    assert answer.status_code == 200
    workbook = load_workbook(io.BytesIO(answer.data))
    assert len(workbook.sheetnames) > 3
    assert client.get("/downloads/rounds/99999/template.xlsx").status_code == 404
    assert client.get("/downloads/rounds/99999/criteria.pdf").status_code == 404


def test_the_guide_names_the_open_rounds_deadlines(client, factory_round):
    page = client.get("/downloads/guide").get_data(as_text=True)
    assert "谁可以申报" in page and factory_round.title in page and "2025-04-30" in page
    pdf = client.get("/downloads/guide.pdf")
    assert pdf.status_code == 200 and "2025-04-30" in _text(pdf.data)


def test_the_commitment_letter_is_one_text_on_the_page_and_in_the_pdf(client):
    page = client.get("/downloads/commitment").get_data(as_text=True)
    assert "承诺书" in page and "法定代表人（签字）" in page
    text = _text(client.get("/downloads/commitment.pdf").data)
    assert "法定代表人" in text and "重复申报" in text
