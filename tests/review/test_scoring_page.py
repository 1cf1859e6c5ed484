"""The expert's scoring page as the expert uses it: each item's evidence beside it with a
preview in a frame (served inline to the assigned expert and the officers only, nameless in a
blind round), one action filling in the engine's suggestions, and the problems of a refused
review listed at the top, each linking to its field."""

import io
import re
from pathlib import Path

import pytest
from flask import current_app

from assessor.accounts import services as accounts
from assessor.applications import services as applications
from assessor.applications.lifecycle import transition
from assessor.review import services
from tests.conftest import factory_submission
from tests.fixtures import PASSWORD, TODAY, move_facts
from tests.review.test_review import PDF, in_review, organisation_of

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


@pytest.fixture
def experts(dbs, people):
    return [accounts.create_staff(dbs, email=f"e{i}@x.cn", name=f"专家{i}", role="expert",
                                  password=PASSWORD) for i in range(1, 3)]


def active_assignment(dbs, engine, people, factory_round, expert):
    application = in_review(dbs, engine, people, factory_round)
    assignment = services.assign(dbs, people["province_officer"], application, expert, TODAY)
    services.declare_no_conflict(dbs, expert, assignment)
    return application, assignment


def test_each_item_shows_its_evidence_with_a_preview(dbs, engine, people, factory_round,
                                                     experts, sign_in):
    application, assignment = active_assignment(dbs, engine, people, factory_round, experts[0])
    client = sign_in(experts[0])
    page = client.get(f"/review/assignments/{assignment.id}").get_data(as_text=True)
    evidence_id = applications.current_evidence(dbs, application)[0].id
    preview = f"/review/assignments/{assignment.id}/evidence/{evidence_id}/preview"
    # the greenhouse-gas report proves F-E2 (ghg_report), not F-E1 (metering_report)
    e2 = page[page.index('id="score-F-E2"'):page.index('id="score-F-E3"')]
    e1 = page[page.index('id="score-F-E1"'):page.index('id="score-F-E2"')]
    assert f'<iframe src="{preview}"' in e2 and "贵州测试电子有限公司-核查报告.pdf" in e2
    assert preview not in e1 and "申报单位未上传该项材料" in e1

    shown = client.get(preview)
    assert shown.status_code == 200 and shown.data == PDF
    assert shown.headers["Content-Disposition"].startswith("inline")
    assert shown.mimetype == "application/pdf"
    assert shown.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in shown.headers["Content-Security-Policy"]
    assert "script-src" not in shown.headers["Content-Security-Policy"]  # default-src 'none'
    # every other response keeps refusing frames
    assert client.get(f"/review/assignments/{assignment.id}").headers["X-Frame-Options"] == "DENY"
    download = client.get(f"/review/assignments/{assignment.id}/evidence/{evidence_id}")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Frame-Options"] == "DENY"

    # another expert, the applicant and a city officer do not get it; the officers do
    assert sign_in(experts[1]).get(preview).status_code == 404
    for role in ("applicant", "city_officer"):
        assert sign_in(people[role]).get(preview).status_code == 404
    officer = sign_in(people["province_officer"])
    officer_preview = f"/review/applications/{application.id}/evidence/{evidence_id}/preview"
    summary_page = officer.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert f'<iframe src="{officer_preview}"' in summary_page  # the officers' review summary
    answer = officer.get(officer_preview)
    assert answer.status_code == 200 and answer.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert sign_in(people["city_officer"]).get(officer_preview).status_code == 404


def test_images_preview_and_spreadsheets_do_not(dbs, engine, people, factory_round, experts,
                                                sign_in):
    application = applications.create(dbs, people["applicant"], factory_round, TODAY)
    applications.save_draft(dbs, engine, people["applicant"], application,
                            factory_submission(), 0, TODAY)
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    photo = applications.add_evidence(dbs, people["applicant"], application,
                                      item="metering_report", filename="计量.png", content=PNG,
                                      folder=folder, today=TODAY)
    sheet = applications.add_evidence(dbs, people["applicant"], application,
                                      item="metering_report", filename="台账.xlsx",
                                      content=b"PK\x03\x04" + b"0" * 20, folder=folder,
                                      today=TODAY)
    for action, role in (("submit", "applicant"), ("recommend", "city_officer"),
                         ("accept", "province_officer")):
        transition(dbs, engine, application, action, people[role], today=TODAY,
                   **move_facts(action))
    assignment = services.assign(dbs, people["province_officer"], application, experts[0], TODAY)
    services.declare_no_conflict(dbs, experts[0], assignment)
    client = sign_in(experts[0])
    page = client.get(f"/review/assignments/{assignment.id}").get_data(as_text=True)
    base = f"/review/assignments/{assignment.id}/evidence"
    assert f'<img src="{base}/{photo.id}/preview" alt="计量.png"' in page
    assert f"{base}/{sheet.id}/preview" not in page and f'href="{base}/{sheet.id}"' in page
    assert client.get(f"{base}/{photo.id}/preview").headers["Content-Disposition"] \
        .startswith("inline")
    assert client.get(f"{base}/{sheet.id}/preview").status_code == 404


def test_blind_previews_name_no_one(dbs, engine, people, factory_round, experts, sign_in):
    factory_round.blind = True
    dbs.add(factory_round)
    dbs.commit()
    application, assignment = active_assignment(dbs, engine, people, factory_round, experts[0])
    organisation = organisation_of(dbs, application)
    client = sign_in(experts[0])
    page = client.get(f"/review/assignments/{assignment.id}").get_data(as_text=True)
    assert organisation.name not in page and "核查报告" not in page
    evidence_id = applications.current_evidence(dbs, application)[0].id
    assert f'title="证明材料-{evidence_id}.pdf"' in page
    shown = client.get(f"/review/assignments/{assignment.id}/evidence/{evidence_id}/preview")
    disposition = shown.headers["Content-Disposition"]
    assert disposition.startswith("inline") and f"-{evidence_id}.pdf" in disposition
    assert "%E6%A0%B8%E6%9F%A5" not in disposition and organisation.name not in disposition


def selected(page: str, item_id: str) -> str | None:
    select = page[page.index(f'id="score-{item_id}"'):]
    select = select[:select.index("</select>")]
    found = re.search(r'<option value="([^"]*)" selected', select)
    return found.group(1) if found else None


def test_adopting_the_suggestions_fills_the_form_and_saves_nothing(
        dbs, engine, people, factory_round, experts, sign_in):
    application, assignment = active_assignment(dbs, engine, people, factory_round, experts[0])
    result = services.frozen_result(dbs, application)
    by_id = {i["id"]: i for i in result["items"]}
    client = sign_in(experts[0])
    page = client.get(f"/review/assignments/{assignment.id}").get_data(as_text=True)
    assert "采纳系统建议分" in page and selected(page, "F-S1") is None
    answer = client.post(f"/review/assignments/{assignment.id}/adopt",
                         data={"opinion": "正在核对", "comment-F-E2": "待补核查声明"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "已填入系统建议分" in page
    for item_id in ("F-S1", "F-S2"):  # scored items: the engine's points
        assert float(selected(page, item_id)) == by_id[item_id]["points"]
    for item_id, item in by_id.items():  # expert items: only where the engine suggests
        if item_id.startswith("F-E") and item["status"] == "pending":
            assert selected(page, item_id) is None
    assert "正在核对" in page and "待补核查声明" in page  # what was typed stays
    assert services.review_of(dbs, assignment).id is None  # nothing saved
    # saving the adopted values as a draft keeps them
    scores = {f"score-{k}": v["points"] for k, v in by_id.items()
              if k.startswith("F-S") and v["status"] != "not_applicable"}
    client.post(f"/review/assignments/{assignment.id}/review", data={**scores, "submit": "no"})
    assert services.review_of(dbs, assignment).scores["F-S1"] == by_id["F-S1"]["points"]


def summary_links(page: str) -> list[str]:
    summary = page[page.index('class="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    return re.findall(r'href="#([^"]+)"', summary)


def test_a_refused_review_lists_its_problems_linking_to_the_fields(
        dbs, engine, people, factory_round, experts, sign_in):
    application, assignment = active_assignment(dbs, engine, people, factory_round, experts[0])
    engine_points = {i["id"]: i["points"] for i in services.frozen_result(
        dbs, application)["items"]}
    client = sign_in(experts[0])
    answer = client.post(f"/review/assignments/{assignment.id}/review", data={
        "score-F-E1": "6", "score-F-S1": str(engine_points["F-S1"] / 2), "submit": "yes"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    links = summary_links(page)
    for expected in ("score-F-E1", "comment-F-S1", "score-F-E2", "opinion", "recommendation"):
        assert expected in links, expected
    for target in links:
        assert f'id="{target}"' in page, target
    assert "分值不在评分档位上" in page and "与系统计算分不同，须填写说明" in page
    assert 'aria-describedby="score-F-E1-error"' in page


def test_a_photo_refused_is_listed_at_the_top(dbs, engine, people, factory_round, experts,
                                              sign_in):
    _, assignment = active_assignment(dbs, engine, people, factory_round, experts[0])
    client = sign_in(experts[0])
    for data, message in (({}, "请选择照片"),
                          ({"photo": (io.BytesIO(PDF), "site.png")}, "文件内容与扩展名")):
        answer = client.post(f"/review/assignments/{assignment.id}/photos", data=data,
                             content_type="multipart/form-data")
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422 and message in page
        assert summary_links(page) == ["photo"] and 'id="photo"' in page
