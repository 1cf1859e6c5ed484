"""The 申报书 PDF: the whole application as submitted, for whoever may see the application."""

import io
import re

import pypdf

from assessor.accounts.models import Organisation
from assessor.applications import services
from assessor.applications.lifecycle import transition
from tests.conftest import factory_submission
from tests.fixtures import OPINION, SIGNED, TODAY, give_evidence


def text_of(pdf: bytes) -> str:
    """The PDF's text with line breaks and spaces taken out (a long hash wraps in a cell)."""
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", text)


def test_the_application_form_holds_the_whole_application(dbs, engine, people, factory_round,
                                                          applicant_client, city_client,
                                                          province_client, sign_in):
    applicant = people["applicant"]
    application = services.create(dbs, applicant, factory_round, TODAY)
    services.save_draft(dbs, engine, applicant, application, factory_submission(), 0, TODAY)
    give_evidence(dbs, applicant, application, "ghg_report")
    [evidence] = services.current_evidence(dbs, application)
    url = f"/applications/{application.id}/application-form.pdf"

    draft = applicant_client.get(url)  # a draft prints too, marked as not submitted
    assert draft.status_code == 200 and "尚未提交" in text_of(draft.data)
    assert city_client.get(url).status_code == 404  # the city never sees a draft

    transition(dbs, engine, application, "submit", applicant, today=TODAY, commitment=SIGNED)
    transition(dbs, engine, application, "recommend", people["city_officer"], reason=OPINION,
               today=TODAY)
    organisation = dbs.get(Organisation, application.organisation_id)
    for client in (applicant_client, city_client, province_client):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = text_of(response.data)
        assert organisation.name in text and organisation.uscc in text
        assert evidence.sha256 in text  # in full
        assert "承诺书" in text and SIGNED.signer_name in text and SIGNED.signer_position in text
        assert re.sub(r"\s+", "", OPINION) in text  # the city's 推荐意见
        assert "天然气" in text and "万Nm3" in text  # the figures, with their units
        assert "综合能耗" in text and "总分" in text and "签字盖章" in text
    assert sign_in(people["other_applicant"]).get(url).status_code == 404
    assert sign_in(people["other_city_officer"]).get(url).status_code == 404
    page = applicant_client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert url in page
