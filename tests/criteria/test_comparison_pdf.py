"""The comparison of two versions as the department's approval sheet (a real PDF, read back)
and on the page (the template partial)."""

import copy
import io
from datetime import UTC, datetime
from pathlib import Path

import yaml
from flask import render_template, session
from pypdf import PdfReader

from assessor.criteria.comparison_pdf import render_pdf
from assessor.engine.criteria_model import CriteriaModel
from assessor.engine.reference_diff import compare_reference
from assessor.engine.version_diff import compare_criteria

CRITERIA = Path(__file__).resolve().parents[2] / "criteria"


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _versions():
    raw = yaml.safe_load((CRITERIA / "factory" / "GZ-F-2024.yaml").read_text(encoding="utf-8"))
    changed = copy.deepcopy(raw)
    changed["version"] = "2025.1"
    gate = next(i for i in changed["items"] if i["id"] == "F-G6")
    gate["rule"]["value"] = 1.5
    return CriteriaModel.model_validate(raw), CriteriaModel.model_validate(changed)


def test_the_approval_sheet_names_both_versions_and_the_changed_threshold():
    diff = compare_criteria(*_versions())
    pdf = render_pdf(diff, {"id": 3, "label": "2024.1", "state": "published"},
                     {"id": 7, "label": "2025.1", "state": "draft"},
                     printed_at=datetime(2026, 12, 6, 17, 30, tzinfo=UTC))
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for words in ("评价标准版本对照表", "变更前版本", "2024.1", "已发布", "变更后版本", "2025.1", "草稿",
                  "F-G6", "单位能耗碳排放不高于", "门槛", "≤ 1.8 tCO2/tce", "≤ 1.5 tCO2/tce",
                  "经办人", "审核人", "2026-12-07 01:30"):  # printed in Beijing time
        assert words in text, words
    assert "F-G7" not in text  # unchanged items stay out


def test_identical_reference_data_prints_that_nothing_changed():
    files = {p.name: p.read_text(encoding="utf-8") for p in (CRITERIA / "reference").iterdir()}
    text = _text(render_pdf(compare_reference(files, files), {"id": "R1", "label": "2025"},
                            {"id": "R2", "label": "2026", "state": "draft"}))
    assert "两个版本内容相同" in text and "R1" in text and "R2" in text


def test_the_page_shows_before_and_after_in_the_readers_language(app):
    diff = compare_criteria(*_versions())
    with app.test_request_context("/"):
        page = render_template("criteria/_comparison.html", diff=diff)
    assert "变更前" in page and "变更后" in page and "修改 2 项" in page
    assert "≤ 1.8 tCO2/tce" in page and "≤ 1.5 tCO2/tce" in page and "单位能耗碳排放不高于基本要求" in page
    with app.test_request_context("/"):
        session["locale"] = "en"
        page = render_template("criteria/_comparison.html", diff=diff)
    assert "Before" in page and "Threshold" in page and "CO2 per unit of energy" in page
    assert "变更前" not in page
