"""Staff accounts (UI and command line), colleagues, and notifications by e-mail."""

import email
import email.policy

from sqlmodel import select

from assessor.accounts.models import User
from assessor.applications import services
from assessor.applications.lifecycle import transition
from tests.conftest import factory_submission
from tests.fixtures import PASSWORD, SIGNED, TODAY


def test_admin_creates_a_city_officer_who_can_sign_in(dbs, admin_client, client):
    missing_city = admin_client.post("/admin/users", data={
        "name": "安顺", "email": "anshun@x.cn", "password": PASSWORD, "role": "city_officer",
        "city": ""})
    assert "须选择所属市（州）" in missing_city.get_data(as_text=True)
    assert dbs.exec(select(User).where(User.email == "anshun@x.cn")).first() is None
    admin_client.post("/admin/users",
                      data={"name": "安顺", "email": "Anshun@x.cn", "password": PASSWORD,
                                            "role": "city_officer", "city": "anshun"})
    officer = dbs.exec(select(User).where(User.email == "anshun@x.cn")).one()
    assert (officer.role, officer.city) == ("city_officer", "anshun")
    assert client.post("/login", data={"email": "anshun@x.cn",
                                       "password": PASSWORD}).status_code == 302


def test_command_line_creates_staff(dbs, runner):
    result = runner.invoke(args=[
        "users", "create", "--email", "p@gov.cn", "--name", "省厅", "--role", "province_officer",
        "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(args=[
        "users", "create", "--email", "q@gov.cn", "--name", "x", "--role", "city_officer",
        "--password", PASSWORD])
    assert bad.exit_code == 1 and "市（州）" in bad.output


def test_colleague_joins_the_organisation(dbs, people, factory_round, applicant_client, sign_in):
    applicant_client.post("/organisation/users", data={"name": "同事", "email": "c@x.cn",
                                                       "password": PASSWORD})
    colleague = dbs.exec(select(User).where(User.email == "c@x.cn")).one()
    assert colleague.organisation_id == people["applicant"].organisation_id
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    assert sign_in(colleague).get(f"/applications/{application.id}").status_code == 200


def test_wrong_password_is_refused_with_a_message(app, people):
    response = app.test_client().post("/login", data={"email": "a@x.cn", "password": "nope"})
    assert response.status_code == 200 and "邮箱或密码不正确" in response.get_data(as_text=True)


def test_transitions_are_mailed_when_smtp_is_configured(app, dbs, engine, people, factory_round,
                                                        smtp):
    inbox, port = smtp
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    services.save_draft(dbs, engine, people["applicant"], application, factory_submission(), 0,
                        TODAY)
    transition(dbs, engine, application, "submit", people["applicant"], commitment=SIGNED, today=TODAY)
    assert [m.rcpt_tos for m in inbox.messages] == [[people["city_officer"].email]]
    message = email.message_from_bytes(inbox.messages[0].content, policy=email.policy.default)
    assert "已提交" in message.get_content() and "已提交" in message["Subject"]


def test_a_mail_failure_never_undoes_the_change(app, dbs, engine, people, factory_round):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1)  # nothing listens there
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    services.save_draft(dbs, engine, people["applicant"], application, factory_submission(), 0,
                        TODAY)
    transition(dbs, engine, application, "submit", people["applicant"], commitment=SIGNED, today=TODAY)
    assert application.state == "submitted"
