"""Sign-in throttling, password policy, session timeouts, sign out everywhere, headers, size limit."""

import io
from datetime import timedelta

import pytest

from assessor.accounts import services as accounts
from assessor.accounts import throttle
from assessor.platform.db import utcnow
from tests.fixtures import PASSWORD, login


def test_five_failures_then_a_growing_wait(dbs, people, client):
    for _ in range(5):
        response = client.post("/login", data={"email": "a@x.cn", "password": "wrong-one-1"})
        assert response.status_code == 200
    blocked = client.post("/login", data={"email": "a@x.cn", "password": PASSWORD})
    assert blocked.status_code == 429 and "尝试次数过多" in blocked.get_data(as_text=True)
    # the same address is blocked for another account too
    other = client.post("/login", data={"email": "b@x.cn", "password": PASSWORD})
    assert other.status_code == 429
    later = utcnow() + timedelta(minutes=2)
    assert throttle.wait_needed(dbs, "a@x.cn", "127.0.0.1", later) == timedelta(0)
    throttle.record_failure(dbs, "a@x.cn", "127.0.0.1")  # a sixth: two minutes now
    assert throttle.wait_needed(dbs, "a@x.cn", "127.0.0.1") > timedelta(minutes=1)


def test_success_clears_the_account_failures(dbs, people, client):
    for _ in range(3):
        client.post("/login", data={"email": "a@x.cn", "password": "wrong-one-1"})
    login(client, people["applicant"])
    assert throttle.wait_needed(dbs, "a@x.cn", "10.9.9.9") == timedelta(0)


@pytest.mark.parametrize("password", ["short-1", "onlyletterslong", "1234567890123"])
def test_password_policy(dbs, password):
    with pytest.raises(accounts.AccountError):
        accounts.hash_password(password)


def test_idle_and_absolute_timeouts(people, sign_in):
    client = sign_in(people["applicant"])
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["seen_at"] -= 31 * 60
    expired = client.get("/applications/")
    assert expired.status_code == 302 and "/login" in expired.headers["Location"]
    client = sign_in(people["applicant"])
    with client.session_transaction() as session:
        session["auth_at"] -= 13 * 3600
    assert client.get("/applications/").status_code == 302


def test_sign_out_everywhere_ends_other_sessions(people, sign_in):
    phone = sign_in(people["applicant"])
    laptop = sign_in(people["applicant"])
    laptop.post("/logout/everywhere")
    assert phone.get("/applications/").status_code == 302
    again = sign_in(people["applicant"])
    assert again.get("/applications/").status_code == 200


def test_security_headers(app):
    response = app.test_client().get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers
    secure = app.test_client().get("/login", base_url="https://assessor.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    for page in ("/login", "/register", "/publicity", "/lists", "/verify"):
        assert "<script" not in app.test_client().get(page).get_data(as_text=True)


def test_oversized_upload_is_refused_clearly(app, dbs, people, factory_round, applicant_client):
    from assessor.applications import services as applications
    from tests.fixtures import TODAY

    application = applications.create(dbs, people["applicant"], factory_round, TODAY)
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = applicant_client.post(f"/applications/{application.id}/evidence",
                                     content_type="multipart/form-data",
                                     data={"file": (io.BytesIO(b"%PDF-" + b"0" * 2_000_000),
                                                    "big.pdf")})
    assert response.status_code == 413 and "文件过大" in response.get_data(as_text=True)
