"""Submitting through "check your answers": the commitment letter signed (refused without it,
stored on the revision), a park refused without evidence, the page listing the evidence kinds
given and missing and the failed gates; the city's 推荐意见 required and shown; an uploaded
file's kind chosen (nothing preselected) and changed without uploading again."""

import io

import pytest
from sqlmodel import select

from assessor.applications import services
from assessor.applications.lifecycle import (
    CommitmentMissing,
    EvidenceMissing,
    OpinionMissing,
    current_revision,
    transition,
)
from assessor.applications.submission import Commitment
from assessor.audit import AuditEvent
from tests.conftest import factory_submission
from tests.fixtures import OPINION, SIGNED, SIGNED_FORM, TODAY, give_evidence


def draft(dbs, engine, user, round_, data=None):
    application = services.create(dbs, user, round_, TODAY)
    services.save_draft(dbs, engine, user, application, data or factory_submission(), 0, TODAY)
    return application


def park_data():
    return {"subject": "park", "reporting_year": 2023,
            "electricity": {"grid_purchase": {"quantity": 100, "unit": "MWh"}},
            "members": [{"name": "成员", "uscc": "91520100MA6D9999XQ",
                         "electricity": {"grid_purchase": {"quantity": 100, "unit": "MWh"}}}]}


def pdf(text: str) -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


# -- the service ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("commitment", "message"), [
    (None, "勾选承诺书"),
    (Commitment(False, "张伟", "总经理"), "勾选承诺书"),
    (Commitment(True, "  ", "总经理"), "签署人姓名"),
    (Commitment(True, "张伟", ""), "签署人职务"),
])
def test_submit_is_refused_without_the_commitment(dbs, engine, people, factory_round,
                                                  commitment, message):
    application = draft(dbs, engine, people["applicant"], factory_round)
    with pytest.raises(CommitmentMissing, match=message):
        transition(dbs, engine, application, "submit", people["applicant"], today=TODAY,
                   commitment=commitment)
    dbs.rollback()
    assert application.state == "draft"
    assert current_revision(dbs, application).submitted_at is None


def test_the_commitment_is_stored_on_the_submitted_revision(dbs, engine, people, factory_round):
    application = draft(dbs, engine, people["applicant"], factory_round)
    transition(dbs, engine, application, "submit", people["applicant"], today=TODAY,
               commitment=Commitment(True, " 张伟 ", "总经理"))
    revision = current_revision(dbs, application)
    assert (revision.signer_name, revision.signer_position) == ("张伟", "总经理")
    assert revision.committed_at == revision.submitted_at is not None
    event = dbs.exec(select(AuditEvent).where(AuditEvent.action == "submit")).one()
    assert event.details["commitment"] == {"signer": "张伟", "position": "总经理"}


def test_a_park_cannot_be_submitted_without_evidence(dbs, engine, people, park_round):
    park = people["park_applicant"]
    application = draft(dbs, engine, park, park_round, park_data())
    with pytest.raises(EvidenceMissing, match="园区申报须上传证明材料"):
        transition(dbs, engine, application, "submit", park, today=TODAY, commitment=SIGNED)
    dbs.rollback()
    give_evidence(dbs, park, application, "zone_approval")
    transition(dbs, engine, application, "submit", park, today=TODAY, commitment=SIGNED)
    assert application.state == "submitted"


def test_a_recommendation_needs_its_text_within_the_limit(dbs, engine, people, factory_round):
    application = draft(dbs, engine, people["applicant"], factory_round)
    transition(dbs, engine, application, "submit", people["applicant"], today=TODAY,
               commitment=SIGNED)
    for reason, message in ((None, "请填写推荐意见"), ("  ", "请填写推荐意见"),
                            ("好" * 1001, "不能超过 1000 字")):
        with pytest.raises(OpinionMissing, match=message):
            transition(dbs, engine, application, "recommend", people["city_officer"],
                       reason=reason, today=TODAY)
        dbs.rollback()
    transition(dbs, engine, application, "recommend", people["city_officer"], reason=OPINION,
               today=TODAY)
    assert application.state == "recommended"


# -- the pages -----------------------------------------------------------------------------------

def test_check_answers_lists_missing_kinds_and_failed_gates(dbs, engine, people, factory_round,
                                                            applicant_client):
    data = factory_submission(declarations={"compliance_3y": True, "green_factory_title": "none",
                                            "no_obsolete_equipment": True,
                                            "zero_carbon_plan": True})
    application = draft(dbs, engine, people["applicant"], factory_round, data)
    applicant_client.post(f"/applications/{application.id}/evidence",
                          content_type="multipart/form-data",
                          data={"item": "ghg_report", "file": (io.BytesIO(pdf("g")), "核算报告.pdf")})
    # the view's 办理 offers the check, not a bare submit button
    view = applicant_client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert f"/applications/{application.id}/submit" in view and 'value="submit"' not in view
    page = applicant_client.get(f"/applications/{application.id}/submit").get_data(as_text=True)
    assert "提交前核对" in page
    assert "温室气体排放核算报告" in page and "核算报告.pdf" in page  # given
    assert "绿色工厂称号证明文件" in page and "缺少" in page  # missing
    assert "F-G2" in page and "已获省级及以上绿色工厂称号" in page  # the failed gate
    assert "企业承诺书" in page and "贵州测试电子有限公司" in page
    # F-G3 asks for an energy audit only where there are products: this draft has none
    assert "能源审计或节能监察报告" not in page


def test_check_answers_submits_with_the_commitment(dbs, engine, people, factory_round,
                                                   applicant_client):
    application = draft(dbs, engine, people["applicant"], factory_round)
    url = f"/applications/{application.id}/submit"
    page = applicant_client.post(url, data={"signer_name": "张伟", "signer_position": "总经理"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "请修改以下问题" in text and "提交前须阅读并勾选承诺书" in text
    dbs.refresh(application)
    assert application.state == "draft"
    done = applicant_client.post(url, data=SIGNED_FORM)
    assert done.status_code == 302 and done.headers["Location"].endswith("/submitted")
    confirmation = applicant_client.get(done.headers["Location"]).get_data(as_text=True)
    assert "申报已提交" in confirmation and "张伟" in confirmation
    dbs.refresh(application)
    assert application.state == "submitted"
    assert current_revision(dbs, application).signer_position == "总经理"
    # the old route does not submit: it leads to the check
    again = draft(dbs, engine, people["other_applicant"], factory_round)
    client = applicant_client.application.test_client()
    from tests.fixtures import login

    login(client, people["other_applicant"])
    moved = client.post(f"/applications/{again.id}/transition", data={"action": "submit"})
    assert moved.headers["Location"].endswith(f"/applications/{again.id}/submit")
    dbs.refresh(again)
    assert again.state == "draft"


def test_the_recommendation_text_is_required_and_shown(dbs, engine, people, factory_round,
                                                       city_client, applicant_client):
    application = draft(dbs, engine, people["applicant"], factory_round)
    transition(dbs, engine, application, "submit", people["applicant"], today=TODAY,
               commitment=SIGNED)
    url = f"/applications/{application.id}"
    page = city_client.get(url).get_data(as_text=True)
    assert "推荐意见" in page and 'name="reason"' in page
    refused = city_client.post(f"{url}/transition", data={"action": "recommend"},
                               follow_redirects=True).get_data(as_text=True)
    assert "请填写推荐意见" in refused
    dbs.refresh(application)
    assert application.state == "submitted"
    city_client.post(f"{url}/transition", data={"action": "recommend",
                                               "reason": "数据经核对属实，同意推荐。"})
    dbs.refresh(application)
    assert application.state == "recommended"
    for client in (city_client, applicant_client):
        shown = client.get(url).get_data(as_text=True)
        assert "市（州）推荐意见" in shown and "数据经核对属实，同意推荐。" in shown


def test_evidence_kind_is_chosen_for_each_file_and_can_be_changed(dbs, engine, people,
                                                                 factory_round, applicant_client):
    application = draft(dbs, engine, people["applicant"], factory_round)
    url = f"/applications/{application.id}"
    page = applicant_client.get(url).get_data(as_text=True)
    upload_form = page[page.index('name="item" required'):]
    assert '<option value="" selected>请选择材料用途</option>' in upload_form
    assert upload_form.count(" selected") == 1  # only the placeholder
    assert "尚缺的证明材料" in page and "合规经营承诺书及信用查询记录" in page
    refused = applicant_client.post(f"{url}/evidence", content_type="multipart/form-data",
                                    data={"file": (io.BytesIO(pdf("x")), "x.pdf")},
                                    follow_redirects=True).get_data(as_text=True)
    assert "请选择材料用途" in refused and not services.current_evidence(dbs, application)
    applicant_client.post(f"{url}/evidence", content_type="multipart/form-data",
                          data={"item": "other", "file": (io.BytesIO(pdf("c")), "承诺书.pdf")})
    [record] = services.current_evidence(dbs, application)
    assert record.item == "other"
    changed = applicant_client.post(f"{url}/evidence/{record.id}/kind",
                                    data={"item": "compliance_statement"}, follow_redirects=True)
    assert "已更改材料用途" in changed.get_data(as_text=True)
    dbs.refresh(record)
    assert record.item == "compliance_statement"
    event = dbs.exec(select(AuditEvent).where(AuditEvent.action == "change_evidence_kind")).one()
    assert event.details == {"evidence": record.id, "from": "other", "to": "compliance_statement"}
    page = applicant_client.get(url).get_data(as_text=True)
    missing = page[page.index("尚缺的证明材料"):page.index("</ul>", page.index("尚缺的证明材料"))]
    assert "合规经营承诺书及信用查询记录" not in missing
    # an unknown kind is refused; nobody else may change it
    applicant_client.post(f"{url}/evidence/{record.id}/kind", data={"item": "nonsense"})
    dbs.refresh(record)
    assert record.item == "compliance_statement"


def test_the_signed_form_is_a_kind_of_evidence(engine):
    for criteria in engine.sets.values():  # every set, so that every round can be signed
        kinds = criteria.model.evidence_kinds
        assert kinds["signed_application_form"].zh == "已签章的申报书"


def test_the_pages_speak_english_too(dbs, engine, people, factory_round, applicant_client):
    application = draft(dbs, engine, people["applicant"], factory_round)
    applicant_client.post("/language", data={"locale": "en", "next": "/"})
    page = applicant_client.get(f"/applications/{application.id}/submit").get_data(as_text=True)
    assert "Check your answers before submitting" in page and "Confirm and submit" in page
    assert "Evidence still missing" in applicant_client.get(
        f"/applications/{application.id}").get_data(as_text=True)
    done = applicant_client.post(f"/applications/{application.id}/submit", data=SIGNED_FORM,
                                 follow_redirects=True).get_data(as_text=True)
    assert "Application submitted" in done and "What happens next" in done
