"""Publication moves only through their own routes: the application page's generic transition
refuses them and changes nothing; a removal, from the publication page or the API, revokes the
certificate and updates the list and the verify page, as one audit event."""

from datetime import date

import pytest
from sqlmodel import func, select

from assessor.applications.models import Application
from assessor.applications.workflow import MOVES, PUBLICATION_ONLY
from assessor.audit import AuditEvent
from assessor.certificates import issue as certificates
from assessor.publication import services
from assessor.publication.models import Listing
from tests.api.helpers import Api, token_for
from tests.fixtures import TODAY, login
from tests.publication.helpers import approved, issue

REFUSED = "只能在省厅的公示与名单管理页面办理"
REASON = "年度数据未按期报送"
VALID, REVOKED = "<strong>有效</strong>", "<strong>已撤销</strong>"  # the verify page's status


def last_event_id(dbs) -> int:
    return dbs.exec(select(func.max(AuditEvent.id))).one() or 0


def events_after(dbs, event_id: int) -> list[AuditEvent]:
    return list(dbs.exec(select(AuditEvent).where(AuditEvent.id > event_id)).all())


def test_the_table_declares_every_move_into_publication_states():
    assert {"publicize", "uphold_objection", "list", "remove"} == PUBLICATION_ONLY
    into_publication = {a for a, m in MOVES.items()
                        if m.target in ("in_publicity", "listed", "removed")}
    assert into_publication <= PUBLICATION_ONLY


def refused_on_the_application_page(app, dbs, people, application, action):
    """POSTs `action` to the generic transition as a province officer: refused with the
    message, the state and the audit log unchanged."""
    state, before = application.state, last_event_id(dbs)
    officer = login(app.test_client(), people["province_officer"])
    response = officer.post(f"/applications/{application.id}/transition",
                            data={"action": action, "reason": "绕过公示页面"})
    assert response.status_code == 422  # the page again, the refusal in its error summary
    assert REFUSED in response.get_data(as_text=True).split('class="error-summary"')[1]
    dbs.expire_all()
    assert dbs.get(Application, application.id).state == state
    assert events_after(dbs, before) == []


def test_generic_transition_refuses_publicity_and_listing(app, dbs, engine, people,
                                                          factory_round):
    first = approved(dbs, engine, people, factory_round)
    refused_on_the_application_page(app, dbs, people, first, "publicize")
    services.open_publicity(dbs, engine, people["province_officer"], factory_round,
                            date(2025, 3, 7), TODAY)
    dbs.refresh(first)
    for action in ("list", "uphold_objection"):
        refused_on_the_application_page(app, dbs, people, first, action)
    assert services.listings(dbs, factory_round) == []


def test_generic_transition_refuses_removal(app, dbs, people, published, province_client):
    certificate = issue(dbs, people, published)[0]
    listing = dbs.get(Listing, certificate.listing_id)
    application = dbs.get(Application, listing.application_id)
    assert application.state == "listed"
    refused_on_the_application_page(app, dbs, people, application, "remove")
    page = app.test_client().get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert VALID in page and REVOKED not in page
    listed = app.test_client().get(f"/lists/{published.id}").get_data(as_text=True)
    assert "已移出" not in listed
    # the application page offers no publication move either
    page = province_client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "移出名单" not in page


def removed_everywhere(app, dbs, published, certificate, before):
    """The certificate is revoked on the verify page (web and API), the list shows the
    removal, and exactly one audit event recorded all of it."""
    client = app.test_client()
    for _visit in range(2):  # without a cookie (kept before Flask), then with one (in Flask)
        page = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
        assert REVOKED in page and f"因移出名单而撤销：{REASON}" in page and VALID not in page
    client.post("/language", data={"locale": "en", "next": "/"})
    english = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert "revoked because the enterprise was removed from the list" in english
    listed = app.test_client().get(f"/lists/{published.id}").get_data(as_text=True)
    assert "已移出" in listed and REASON in listed
    found = app.test_client().get(f"/api/v1/certificates/{certificate.serial}").json
    assert found["status"] == "revoked"
    lists = app.test_client().get("/api/v1/lists").json["items"][0]["entries"]
    assert any(e["removed_on"] for e in lists)
    dbs.expire_all()
    assert certificates.find(dbs, certificate.serial).status == "revoked"
    events = events_after(dbs, before)
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("remove", "listed", "removed")]
    assert events[0].details["revoked_certificates"] == [certificate.serial]
    assert events[0].reason == REASON


def test_removal_from_the_publication_page(app, dbs, people, published, province_client):
    certificate = issue(dbs, people, published)[0]
    anonymous = app.test_client()  # the pages are kept before the removal
    assert VALID in anonymous.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert "已移出" not in anonymous.get(f"/lists/{published.id}").get_data(as_text=True)
    before = last_event_id(dbs)
    blank = province_client.post(f"/publication/listings/{certificate.listing_id}/remove",
                                 data={"reason": " "}, follow_redirects=True)
    assert "请填写移出理由" in blank.get_data(as_text=True)
    assert events_after(dbs, before) == []
    done = province_client.post(f"/publication/listings/{certificate.listing_id}/remove",
                                data={"reason": REASON}, follow_redirects=True)
    assert "已移出名单，证书已撤销" in done.get_data(as_text=True)
    removed_everywhere(app, dbs, published, certificate, before)
    again = province_client.post(f"/publication/listings/{certificate.listing_id}/remove",
                                 data={"reason": REASON}, follow_redirects=True)
    assert "已移出名单" in again.get_data(as_text=True)
    assert len(events_after(dbs, before)) == 1


def test_removal_through_the_api(app, dbs, people, published, client):
    certificate = issue(dbs, people, published)[0]
    application_id = dbs.get(Listing, certificate.listing_id).application_id
    url = f"/api/v1/applications/{application_id}/removal"
    assert VALID in client.get(f"/verify/{certificate.serial}").get_data(
        as_text=True)
    holder = Api(app, token_for(dbs, people["applicant"]))
    officer = Api(app, token_for(dbs, people["province_officer"]))
    before = last_event_id(dbs)
    assert holder.post(url, json={"reason": REASON}).status_code == 403
    blank = officer.post(url, json={"reason": "  "})
    assert blank.status_code == 422 and blank.json["error"]["fields"][0]["path"] == "reason"
    assert officer.post(url, json={}).status_code == 422
    assert [e.action for e in events_after(dbs, before)] == []
    response = officer.post(url, json={"reason": REASON})
    assert response.status_code == 200, response.json
    assert response.json["state"] == "removed"
    removed_everywhere(app, dbs, published, certificate, before)
    again = officer.post(url, json={"reason": REASON})
    assert again.status_code == 409 and again.json["error"]["zh"] == "已移出名单"
    assert len(events_after(dbs, before)) == 1


def test_api_removal_needs_a_listed_application(app, dbs, engine, people, factory_round):
    application = approved(dbs, engine, people, factory_round)
    officer = Api(app, token_for(dbs, people["province_officer"]))
    response = officer.post(f"/api/v1/applications/{application.id}/removal",
                            json={"reason": REASON})
    assert response.status_code == 409 and "未列入名单" in response.json["error"]["zh"]
    dbs.refresh(application)
    assert application.state == "approved"


@pytest.mark.parametrize("path", ["page", "api"])
def test_a_removal_left_half_done_by_the_old_route_can_be_finished(
        app, dbs, engine, people, published, path, province_client):
    """Before this change the generic route could remove a listed application and leave its
    line and certificate behind; the removal service finishes such a removal."""
    certificate = issue(dbs, people, published)[0]
    listing = dbs.get(Listing, certificate.listing_id)
    application = dbs.get(Application, listing.application_id)
    application.state = "removed"  # as the old generic route left it
    dbs.add(application)
    dbs.commit()
    api = Api(app, token_for(dbs, people["province_officer"]))
    before = last_event_id(dbs)
    if path == "page":
        province_client.post(f"/publication/listings/{listing.id}/remove", data={"reason": REASON})
    else:
        response = api.post(f"/api/v1/applications/{application.id}/removal",
                            json={"reason": REASON})
        assert response.status_code == 200
    dbs.expire_all()
    assert certificates.find(dbs, certificate.serial).status == "revoked"
    assert dbs.get(Listing, listing.id).removed_on is not None
    assert [e.action for e in events_after(dbs, before)] == ["remove"]
