"""The application page's forms refuse as every form does: the page again (422), the problems
in the summary at the top, each a link to its own field on the page, the message beside the
field, and nothing changed."""

import io

from assessor.applications import services
from assessor.applications.lifecycle import transition
from tests.fixtures import SIGNED, TODAY
from tests.web.test_error_summaries import summary_links
from tests.web.test_submit import draft, pdf


def beside(page: str, field_id: str) -> str:
    """The message shown beside the field."""
    start = page.index(f'id="{field_id}-error"')
    return page[page.index(">", start) + 1:page.index("</p>", start)]


def test_an_evidence_upload_without_kind_or_file_lists_both(dbs, engine, people, factory_round,
                                                            applicant_client):
    application = draft(dbs, engine, people["applicant"], factory_round)
    refused = applicant_client.post(f"/applications/{application.id}/evidence", data={},
                                    content_type="multipart/form-data")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert summary_links(page) == ["item", "file"]
    assert beside(page, "item") == "请选择材料用途" and beside(page, "file") == "请选择文件"
    assert 'id="item" name="item" required aria-invalid="true"' in page
    assert not services.current_evidence(dbs, application)


def test_a_refused_file_keeps_the_kind_chosen(dbs, engine, people, factory_round,
                                              applicant_client):
    application = draft(dbs, engine, people["applicant"], factory_round)
    refused = applicant_client.post(f"/applications/{application.id}/evidence",
                                    data={"item": "other",
                                          "file": (io.BytesIO(b"<html>"), "x.pdf")},
                                    content_type="multipart/form-data")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert summary_links(page) == ["file"] and "文件内容与扩展名" in beside(page, "file")
    assert '<option value="other" selected>' in page
    assert not services.current_evidence(dbs, application)


def test_a_kind_change_is_refused_on_its_own_line(dbs, engine, people, factory_round,
                                                  applicant_client):
    application = draft(dbs, engine, people["applicant"], factory_round)
    url = f"/applications/{application.id}"
    for name in ("a.pdf", "b.pdf"):
        applicant_client.post(f"{url}/evidence", content_type="multipart/form-data",
                              data={"item": "other", "file": (io.BytesIO(pdf(name)), name)})
    first, second = services.current_evidence(dbs, application)
    refused = applicant_client.post(f"{url}/evidence/{second.id}/kind", data={"item": "nonsense"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert summary_links(page) == [f"evidence-{second.id}-kind"]
    assert beside(page, f"evidence-{second.id}-kind") == "请选择材料用途"
    assert f'id="evidence-{first.id}-kind-error"' not in page
    dbs.refresh(second)
    assert second.item == "other"


def test_a_move_without_its_reason_is_refused_beside_that_reason(dbs, engine, people,
                                                                 factory_round, city_client):
    application = draft(dbs, engine, people["applicant"], factory_round)
    transition(dbs, engine, application, "submit", people["applicant"], today=TODAY,
               commitment=SIGNED)
    url = f"/applications/{application.id}/transition"
    refused = city_client.post(url, data={"action": "city_return", "reason": ""})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert summary_links(page) == ["reason-city_return"]
    assert beside(page, "reason-city_return") == "请填写理由"
    assert 'id="reason-recommend-error"' not in page
    refused = city_client.post(url, data={"action": "recommend"})
    assert summary_links(refused.get_data(as_text=True)) == ["reason-recommend"]
    dbs.refresh(application)
    assert application.state == "submitted"


def test_a_new_application_without_a_round_is_refused_on_the_list(factory_round,
                                                                  applicant_client):
    refused = applicant_client.post("/applications/new", data={})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert f'id="round-{factory_round.id}"' in page  # the open round's button
    assert summary_links(page) == ["open-rounds"]
    assert beside(page, "open-rounds") == "请选择申报批次"
