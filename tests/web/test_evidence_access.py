"""Who downloads which evidence file: a file removed from a draft is gone for everyone (410, a
clear page); officers see a returned application's new files only once it is submitted again,
and the files of a submitted revision stay as they were submitted."""

import io

from assessor.applications import services
from assessor.applications.models import Evidence
from tests.conftest import factory_submission
from tests.fixtures import SIGNED_FORM, TODAY

GONE = "该文件已被删除"


def pdf(text: str) -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


def evidence_named(dbs, application, name: str) -> Evidence:
    return next(e for e in services.current_evidence(dbs, application)
                if e.original_name == name)


def url(application, evidence: Evidence) -> str:
    return f"/applications/{application.id}/evidence/{evidence.id}"


def test_removed_evidence_is_gone_for_everyone(dbs, engine, people, factory_round,
                                               applicant_client, sign_in):
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    services.save_draft(dbs, engine, people["applicant"], application, factory_submission(), 0,
                        TODAY)
    for name in ("报告.pdf", "误传.pdf"):
        applicant_client.post(f"/applications/{application.id}/evidence",
                              content_type="multipart/form-data",
                              data={"item": "other", "file": (io.BytesIO(pdf(name)), name)})
    kept, mistaken = (evidence_named(dbs, application, n) for n in ("报告.pdf", "误传.pdf"))
    assert applicant_client.get(url(application, mistaken)).data == pdf("误传.pdf")
    applicant_client.post(f"/applications/{application.id}/evidence/{mistaken.id}/remove")
    gone = applicant_client.get(url(application, mistaken))
    assert gone.status_code == 410 and GONE in gone.get_data(as_text=True)
    applicant_client.post(f"/applications/{application.id}/submit", data=SIGNED_FORM)
    for role in ("city_officer", "province_officer"):
        officer = sign_in(people[role])
        page = officer.get(f"/applications/{application.id}").get_data(as_text=True)
        assert "报告.pdf" in page and "误传.pdf" not in page
        assert officer.get(url(application, kept)).data == pdf("报告.pdf")
        gone = officer.get(url(application, mistaken))
        assert gone.status_code == 410 and GONE in gone.get_data(as_text=True)
    assert applicant_client.get(url(application, mistaken)).status_code == 410


def test_officers_see_a_returned_drafts_files_once_submitted_again(
        dbs, engine, people, factory_round, applicant_client, city_client, sign_in):
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    services.save_draft(dbs, engine, people["applicant"], application, factory_submission(), 0,
                        TODAY)

    def add(name):
        applicant_client.post(f"/applications/{application.id}/evidence",
                              content_type="multipart/form-data",
                              data={"item": "other", "file": (io.BytesIO(pdf(name)), name)})
        return evidence_named(dbs, application, name)

    first = add("第一版.pdf")
    applicant_client.post(f"/applications/{application.id}/submit", data=SIGNED_FORM)
    city_client.post(f"/applications/{application.id}/transition",
                     data={"action": "city_return", "reason": "补充材料"})
    second = add("第二版.pdf")
    applicant_client.post(f"/applications/{application.id}/evidence/{first.id}/remove")

    page = city_client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "第一版.pdf" in page and "第二版.pdf" not in page  # as submitted, not the draft
    assert city_client.get(url(application, first)).data == pdf("第一版.pdf")
    assert city_client.get(url(application, second)).status_code == 404
    own = applicant_client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "第二版.pdf" in own and "第一版.pdf" not in own  # the draft's files

    applicant_client.post(f"/applications/{application.id}/submit", data=SIGNED_FORM)
    page = city_client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "第二版.pdf" in page and "第一版.pdf" not in page
    assert city_client.get(url(application, second)).data == pdf("第二版.pdf")
    # the first submission keeps its file as it was submitted
    assert city_client.get(url(application, first)).data == pdf("第一版.pdf")
    stranger = sign_in(people["other_city_officer"])
    assert stranger.get(url(application, second)).status_code == 404
