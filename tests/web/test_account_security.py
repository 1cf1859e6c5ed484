"""Sessions end on the server, `next` stays on the site, sign-in and registration tell nothing
about who is registered, passwords are changed and reset by e-mailed single-use links, and a
USCC registered outside the chosen 市（州） is flagged."""

import email
import email.policy
import re
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from assessor.accounts import services as accounts
from assessor.accounts.models import AccountToken, Organisation, User
from assessor.accounts.uscc import city_mismatch, make
from assessor.applications import services as applications
from assessor.applications.lifecycle import transition
from assessor.audit import AuditEvent
from assessor.platform.db import utcnow
from assessor.platform.redirects import is_local
from tests.conftest import factory_submission
from tests.fixtures import PASSWORD, SIGNED, TODAY, login

NEW_PASSWORD = "another-horse-42"


def mails(inbox) -> list[tuple[list[str], str]]:
    """(recipients, text) of each message received."""
    found = []
    for envelope in inbox.messages:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        found.append((envelope.rcpt_tos, message.get_content()))
    return found


def link_in(text: str) -> str:
    return re.search(r"http://[^\s：]+/(?:register/confirm|password/reset)/[\w-]+", text)[0]


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


# --- signing out ends the session on the server ------------------------------------------------

def test_a_copy_of_the_cookie_is_refused_after_sign_out(applicant_client, client):
    stolen = applicant_client.get_cookie("session").value
    client.set_cookie("session", stolen)  # another browser, with a copy of the cookie
    assert client.get("/applications/").status_code == 200  # the copy works while signed in
    applicant_client.post("/logout")
    replayed = client.get("/applications/")
    assert replayed.status_code == 302 and "/login" in replayed.headers["Location"]
    assert "申报人" not in client.get("/").get_data(as_text=True)


def test_signing_out_ends_only_that_session(people, sign_in):
    phone = sign_in(people["applicant"])
    laptop = sign_in(people["applicant"])
    laptop.post("/logout")
    assert phone.get("/applications/").status_code == 200


# --- next stays on the site --------------------------------------------------------------------

HOSTILE = ["//evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
           "/\n/evil.example", "%2F%2Fevil.example", "/%2F%2Fevil.example", "/%5Cevil.example",
           "/%252F%252Fevil.example", "https:evil.example", "https://evil.example/",
           "http:/evil.example", "javascript:alert(1)", "evil.example", " /x", "/／evil.example",
           "/x\r\nSet-Cookie: a=b", "/x%0d%0aSet-Cookie:%20a=b", "/" + "a" * 5000, "",
           "/%E2%80%AE/x"]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_next_is_never_local(target):
    assert not is_local(target)


@pytest.mark.parametrize("target", ["/", "/applications/", "/applications/?page=2&q=a%20b",
                                    "/lists/1", "/verify/GZ-2025-0001", "/login?"])
def test_local_paths_are_kept(target):
    assert is_local(target)


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_next_goes_to_the_dashboard(app, people, target):
    signed_in = app.test_client().post("/login", query_string={"next": target},
                                       data={"email": "a@x.cn", "password": PASSWORD})
    switched = app.test_client().post("/language", data={"locale": "en", "next": target})
    # control characters in any parameter may be refused whole (400) before the view runs
    refused = (400, 302) if any(c in target for c in "\t\r\n") else (302,)
    for response in (signed_in, switched):
        assert response.status_code in refused, response.status_code
        assert response.status_code == 400 or response.headers["Location"] == "/"


def test_a_local_next_is_followed(app, people):
    response = app.test_client().post("/login", query_string={"next": "/applications/?page=2"},
                                      data={"email": "a@x.cn", "password": PASSWORD})
    assert response.headers["Location"] == "/applications/?page=2"
    switched = app.test_client().post("/language", data={"locale": "en", "next": "/lists"})
    assert switched.headers["Location"] == "/lists"


# --- sign-in and registration tell nothing about who is registered -----------------------------

def test_unknown_and_known_emails_cost_one_argon2_verification_each(app, dbs, people,
                                                                    monkeypatch):
    verified = []
    real = PasswordHasher.verify

    def counting(self, hash_, password):
        verified.append(hash_)
        return real(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    people["expert"].active = False
    dbs.add(people["expert"])
    dbs.commit()
    for address in ("a@x.cn", "nobody@x.cn", "expert@x.cn"):  # known, unknown, disabled
        response = app.test_client().post("/login", data={"email": address,
                                                          "password": "wrong-one-1"})
        assert "邮箱或密码不正确" in response.get_data(as_text=True)
    assert len(verified) == 3
    assert all(h.startswith("$argon2id$") for h in verified)


REGISTRATION = {"org_name": "贵州新企业有限公司", "uscc": make("91520100MA6D0900X"),
                "kind": "factory", "city": "guiyang", "industry": "C3011", "address": "贵阳",
                "contact_name": "李四", "contact_phone": "0851-1234567", "name": "李四",
                "email": "li@x.cn", "password": PASSWORD, "confirm": PASSWORD}


def test_registration_answers_alike_and_tells_the_mailboxes(app, dbs, people, smtp):
    inbox, port = smtp
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    taken_uscc = dbs.get(Organisation, people["applicant"].organisation_id).uscc
    answers = []
    for changes in ({}, {"email": "a@x.cn", "uscc": make("91520100MA6D0901X")},
                    {"email": "new@x.cn", "uscc": taken_uscc}):
        client = app.test_client()
        response = client.post("/register", data={**REGISTRATION, **changes})
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, response.headers["Location"],
                        page.replace(changes.get("email", REGISTRATION["email"]), "…")))
    assert answers[0] == answers[1] == answers[2]
    assert "若信息有效，我们已向 … 发送邮件" in answers[0][2]
    assert dbs.exec(select(User).where(User.email.in_(["li@x.cn", "new@x.cn"]))).all() == []

    sent = mails(inbox)
    assert [to for to, _text in sent] == [["li@x.cn"], ["a@x.cn"], ["new@x.cn"], ["a@x.cn"]]
    assert "已有账号" in sent[1][1] and "已有单位账号" in sent[2][1]
    assert "new@x.cn" in sent[3][1]  # the organisation's user learns who asked

    confirm = path_of(link_in(sent[0][1]))
    client = app.test_client()
    assert "确认注册" in client.get(confirm).get_data(as_text=True)
    # someone who knows the link but not the password chosen when registering gets nothing
    wrong = client.post(confirm, data={"password": "not-the-password-1"})
    assert wrong.status_code == 422 and "密码与注册时设置的不一致" in wrong.get_data(as_text=True)
    assert dbs.exec(select(User).where(User.email == "li@x.cn")).first() is None
    done = client.post(confirm, data={"password": PASSWORD}, follow_redirects=True)
    assert "注册成功" in done.get_data(as_text=True)
    user = dbs.exec(select(User).where(User.email == "li@x.cn")).one()
    assert client.get("/applications/").status_code == 200 and user.role == "applicant"
    again = app.test_client().get(confirm)
    assert again.status_code == 410 and "链接无效、已使用或已过期" in again.get_data(as_text=True)


def test_registration_is_throttled_per_address(people, client):
    for n in range(5):
        response = client.post("/register", data={**REGISTRATION, "email": f"r{n}@x.cn"})
        assert response.status_code == 302
    blocked = client.post("/register", data={**REGISTRATION, "email": "r9@x.cn"})
    assert blocked.status_code == 429 and "尝试次数过多" in blocked.get_data(as_text=True)
    # signing in from the same address is counted apart
    login(client, people["applicant"])


def test_mistakes_the_visitor_can_fix_are_shown_on_the_form(app, people):
    bad = app.test_client().post("/register", data={**REGISTRATION, "uscc": "91350100M000100Y44"})
    assert bad.status_code == 200 and "校验位不正确" in bad.get_data(as_text=True)


# --- password change and reset -----------------------------------------------------------------

def audit_actions(dbs, user) -> list[str]:
    return dbs.exec(select(AuditEvent.action).where(AuditEvent.object_type == "user",
                                                    AuditEvent.object_id == user.id)).all()


def test_password_change_needs_the_current_one_and_ends_other_sessions(app, dbs, people, sign_in):
    user = people["applicant"]
    other = sign_in(user)
    client = sign_in(user)
    page = client.get("/account").get_data(as_text=True)
    assert "修改密码" in page and "/password/forgot" in page
    wrong = client.post("/account", data={"current": "not-my-password-1",
                                          "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert "当前密码不正确" in wrong.get_data(as_text=True)
    weak = client.post("/account", data={"current": PASSWORD, "password": "aaaaaaaaaaaa",
                                         "confirm": "aaaaaaaaaaaa"})
    assert "至少两类" in weak.get_data(as_text=True)
    assert accounts.check_password(dbs.get(User, user.id), PASSWORD)

    done = client.post("/account", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                         "confirm": NEW_PASSWORD}, follow_redirects=True)
    assert "密码已修改" in done.get_data(as_text=True)
    assert client.get("/applications/").status_code == 200  # this session goes on
    assert other.get("/applications/").status_code == 302  # the other one has ended
    assert app.test_client().post("/login", data={"email": user.email, "password": PASSWORD}
                                  ).status_code == 200  # the old password no longer works
    assert "password_change" in audit_actions(dbs, user)


def test_password_reset_by_a_single_use_link(app, dbs, people, smtp, sign_in):
    inbox, port = smtp
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    user = people["applicant"]
    signed_in = sign_in(user)
    assert "/password/forgot" in app.test_client().get("/login").get_data(as_text=True)

    known = app.test_client().post("/password/forgot", data={"email": "A@x.cn"},
                                   follow_redirects=True).get_data(as_text=True)
    unknown = app.test_client().post("/password/forgot", data={"email": "nobody@x.cn"},
                                     follow_redirects=True).get_data(as_text=True)
    assert known == unknown and "若该邮箱已注册" in known
    [(to, text)] = mails(inbox)
    assert to == ["a@x.cn"]
    link = path_of(link_in(text))
    row = dbs.exec(select(AccountToken).where(AccountToken.user_id == user.id)).one()
    assert link.rsplit("/", 1)[1] not in (row.token_hash, str(row.payload))  # only a hash kept

    tampered = app.test_client().get(link[:-3] + "xyz")
    assert tampered.status_code == 410 and "链接无效" in tampered.get_data(as_text=True)
    client = app.test_client()
    mismatch = client.post(link, data={"password": NEW_PASSWORD, "confirm": "other-horse-42"})
    assert "两次输入的密码不一致" in mismatch.get_data(as_text=True)
    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                       follow_redirects=True)
    assert "密码已重设" in done.get_data(as_text=True)
    assert client.post("/login", data={"email": user.email, "password": NEW_PASSWORD}
                       ).status_code == 302
    assert signed_in.get("/applications/").status_code == 302  # every old session ended
    reused = app.test_client().post(link, data={"password": PASSWORD, "confirm": PASSWORD})
    assert reused.status_code == 410 and "链接无效、已使用或已过期" in reused.get_data(as_text=True)
    assert "password_reset" in audit_actions(dbs, user)


def test_an_expired_reset_link_is_refused(app, dbs, people, smtp):
    inbox, port = smtp
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    app.test_client().post("/password/forgot", data={"email": "a@x.cn"})
    link = path_of(link_in(mails(inbox)[0][1]))
    row = dbs.exec(select(AccountToken)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    dbs.add(row)
    dbs.commit()
    expired = app.test_client().post(link, data={"password": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD})
    assert expired.status_code == 410 and "/password/forgot" in expired.get_data(as_text=True)
    assert accounts.check_password(dbs.get(User, people["applicant"].id), PASSWORD)


# --- a USCC registered outside the chosen 市（州） ---------------------------------------------

@pytest.mark.parametrize("division, city, warned", [
    ("520100", "guiyang", False), ("520302", "zunyi", False), ("522701", "qiannan", False),
    ("520400", "guian", False), ("520000", "bijie", False),  # the province's own authority
    ("520100", "zunyi", True), ("522301", "qiandongnan", True), ("350100", "guiyang", True)])
def test_registration_authority_against_the_chosen_area(division, city, warned):
    warning = city_mismatch(make(f"91{division}MA6D09000"), city)
    assert bool(warning) == warned
    if warned:
        assert division in warning


def test_registration_warns_and_the_city_officer_sees_it(
        app, dbs, engine, people, factory_round, sign_in, applicant_client):
    response = app.test_client().post("/register", data={**REGISTRATION, "city": "zunyi"},
                                      follow_redirects=True)
    assert "不在所选的遵义市" in response.get_data(as_text=True)  # a warning, not a refusal
    assert response.status_code == 200 and "若信息有效" in response.get_data(as_text=True)

    # 遵义's applicant in the fixtures holds a Guiyang (520100) code
    applicant = people["other_applicant"]
    application = applications.create(dbs, applicant, factory_round, TODAY)
    applications.save_draft(dbs, engine, applicant, application, factory_submission(), 0, TODAY)
    transition(dbs, engine, application, "submit", applicant, commitment=SIGNED, today=TODAY)
    officer = sign_in(people["other_city_officer"])
    page = officer.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "登记管理机关行政区划码 520100 不在所选的遵义市" in page
    own = applications.create(dbs, people["applicant"], factory_round, TODAY)
    mine = applicant_client.get(f"/applications/{own.id}")
    assert "登记管理机关" not in mine.get_data(as_text=True)


def test_without_a_mail_relay_the_registration_link_is_written_to_the_mail_folder(app, people):
    """`make run` has no SMTP relay: the mail still goes out, as a file an operator can open."""
    assert not app.config["SMTP_HOST"]
    client = app.test_client()
    assert client.post("/register", data=REGISTRATION).status_code == 302
    files = sorted(Path(app.config["MAIL_FOLDER"]).glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "li@x.cn"
    confirm = path_of(link_in(message.get_content()))
    assert "确认注册" in app.test_client().get(confirm).get_data(as_text=True)
