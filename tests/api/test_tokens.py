"""API tokens through the pages: made and shown once, stored as a hash, revoked; the admin's
page for system accounts; every way a token stops working."""

import hashlib
import re
from datetime import date, timedelta

from sqlmodel import select

from assessor.accounts import services as accounts
from assessor.api import tokens
from assessor.api.models import ApiToken
from assessor.audit import AuditEvent
from tests.api.helpers import bearer, token_for
from tests.fixtures import PASSWORD, TODAY

TOKEN = re.compile(r'value="(asr_[A-Za-z0-9_-]{43})"')


def make_token(client, **form) -> tuple[str, str]:
    """POST the form; (the page, the whole token shown on it)."""
    response = client.post("/account/tokens", data={"name": "省数据共享平台", **form})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    found = TOKEN.search(page)
    return page, found.group(1) if found else ""


def rounds_status(app, secret: str) -> int:
    return app.test_client().get("/api/v1/rounds", headers=bearer(secret)).status_code


def test_a_token_is_shown_once_stored_hashed_and_revocable(app, dbs, people, applicant_client):
    page, secret = make_token(applicant_client, expires_on="2025-12-31")
    assert secret and "只显示这一次" in page
    stored = dbs.exec(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:12] and secret not in str(stored.model_dump())
    assert stored.expires_on == date(2025, 12, 31) and stored.user_id == people["applicant"].id
    again = applicant_client.get("/account/tokens").get_data(as_text=True)
    assert secret not in again and stored.prefix in again  # never shown again
    assert rounds_status(app, secret) == 200
    dbs.refresh(stored)
    assert stored.last_used_at is not None

    response = applicant_client.post(f"/tokens/{stored.id}/revoke", follow_redirects=True)
    assert "令牌已撤销" in response.get_data(as_text=True)
    assert rounds_status(app, secret) == 401
    actions = [e.action for e in dbs.exec(select(AuditEvent)).all()]
    assert actions[-2:] == ["create_api_token", "revoke_api_token"]


def test_bad_form_input_makes_no_token(dbs, applicant_client):
    page, secret = make_token(applicant_client, name=" ")
    assert not secret and "此项为必填项" in page
    page, secret = make_token(applicant_client, expires_on=(TODAY - timedelta(days=1)).isoformat())
    assert not secret and "有效期不能早于今天" in page
    refused = applicant_client.post("/account/tokens", data={"name": "a\x00b"})  # refused whole
    assert refused.status_code == 400 and "控制字符" in refused.get_data(as_text=True)
    assert dbs.exec(select(ApiToken)).all() == []


def test_revoking_a_revoked_token_says_so_and_records_nothing(dbs, people, applicant_client,
                                                             admin_client):
    token_for(dbs, people["applicant"])
    token = dbs.exec(select(ApiToken)).one()
    tokens.revoke(dbs, people["applicant"], token)
    client = applicant_client
    again = client.post(f"/tokens/{token.id}/revoke")
    assert again.status_code == 302 and again.headers["Location"].endswith("/account/tokens")
    with client.session_transaction() as session:
        assert session["_flashes"][-1] == ("error", "该令牌已撤销")
    assert admin_client.post(f"/tokens/{token.id}/revoke").headers["Location"].endswith(
        "/admin/tokens")
    actions = [e.action for e in dbs.exec(select(AuditEvent)).all()]
    assert actions.count("revoke_api_token") == 1


def test_users_revoke_only_their_own(app, dbs, people, applicant_client):
    secret = token_for(dbs, people["other_applicant"])
    token = dbs.exec(select(ApiToken)).one()
    assert applicant_client.post(f"/tokens/{token.id}/revoke").status_code == 404
    assert rounds_status(app, secret) == 200


def test_admin_makes_tokens_for_system_accounts_and_revokes_any(
        app, dbs, people, admin_client, applicant_client):
    platform = accounts.create_staff(dbs, email="platform@x.cn", name="省数据共享平台",
                                     role="province_officer", city=None, password=PASSWORD)
    page = admin_client.get("/admin/tokens").get_data(as_text=True)
    assert "platform@x.cn" in page and "a@x.cn" not in page  # applicants act for themselves
    response = admin_client.post("/admin/tokens", data={"owner": platform.id, "name": "数据共享"})
    secret = TOKEN.search(response.get_data(as_text=True)).group(1)
    made = dbs.exec(select(ApiToken)).one()
    assert (made.user_id, made.created_by) == (platform.id, people["admin"].id)
    assert rounds_status(app, secret) == 200

    refused = admin_client.post("/admin/tokens",
                                data={"owner": people["applicant"].id, "name": "x"})
    assert TOKEN.search(refused.get_data(as_text=True)) is None
    assert len(dbs.exec(select(ApiToken)).all()) == 1

    applicants = token_for(dbs, people["applicant"])
    listed = admin_client.get("/admin/tokens").get_data(as_text=True)
    assert "申报人" in listed and "数据共享" in listed
    theirs = dbs.exec(select(ApiToken).where(ApiToken.user_id == people["applicant"].id)).one()
    response = admin_client.post(f"/tokens/{theirs.id}/revoke")
    assert response.headers["Location"].endswith("/admin/tokens")
    assert rounds_status(app, applicants) == 401
    assert applicant_client.get("/admin/tokens").status_code == 404


def test_a_token_stops_with_expiry_sign_out_everywhere_and_deactivation(app, dbs, people, sign_in):
    user = people["applicant"]
    _token, expiring = tokens.issue(dbs, user, user, name="到期", expires_on=TODAY, today=TODAY)
    assert rounds_status(app, expiring) == 200
    app.config["TODAY"] = TODAY + timedelta(days=1)
    assert rounds_status(app, expiring) == 401
    app.config["TODAY"] = TODAY

    lasting = token_for(dbs, user)
    client = sign_in(user)
    client.post("/logout/everywhere")
    assert rounds_status(app, lasting) == 401
    page = sign_in(user).get("/account/tokens").get_data(as_text=True)
    assert "已失效" in page

    officer = people["city_officer"]
    secret = token_for(dbs, officer)
    officer.active = False
    dbs.add(officer)
    dbs.commit()
    assert rounds_status(app, secret) == 401


def test_the_token_page_needs_sign_in_and_a_csrf_token(app, dbs, applicant_client, client):
    assert client.get("/account/tokens").status_code == 302
    app.config["WTF_CSRF_ENABLED"] = True
    assert applicant_client.post("/account/tokens", data={"name": "x"}).status_code == 400
    assert dbs.exec(select(ApiToken)).all() == []
