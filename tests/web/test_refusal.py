"""One handler for what a user can put right: the work is rolled back, the message shown, and
the user sent back to the page the view named, else the page they came from on this site."""

from datetime import date

import pytest
from sqlmodel import select

from assessor.platform import db
from assessor.platform.refusal import Refused, return_to
from assessor.publication.models import Holiday


@pytest.fixture
def refusing_app(app):
    """Routes that write a row and then refuse, as a service does halfway through."""

    def write_then_refuse(named: bool):
        db.session().add(Holiday(day=date(2031, 1, 1), name="测试"))
        db.session().flush()
        if named:
            return_to("/rounds/")
        raise Refused("数量不能为负数", kind="stale")

    app.add_url_rule("/t/refuse", "refuse", lambda: write_then_refuse(True), methods=["POST"])
    app.add_url_rule("/t/refuse-back", "refuse_back", lambda: write_then_refuse(False),
                     methods=["POST"])
    app.add_url_rule("/api/v1/t/refuse", "api_refuse", lambda: write_then_refuse(False),
                     methods=["POST"])
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def _holidays(app):
    with app.app_context():
        return db.session().exec(select(Holiday)).all()


def test_refusal_rolls_back_shows_the_message_and_returns_to_the_named_page(refusing_app):
    client = refusing_app.test_client()
    response = client.post("/t/refuse")
    assert response.status_code == 302
    assert response.headers["Location"] == "/rounds/"
    assert _holidays(refusing_app) == []
    with client.session_transaction() as session:
        assert ("error", "数量不能为负数") in session["_flashes"]


def test_refusal_goes_back_to_the_page_on_this_site_the_user_came_from(refusing_app):
    client = refusing_app.test_client()
    came_from = client.post("/t/refuse-back", headers={"Referer": "http://localhost/help?x=1"})
    assert came_from.headers["Location"] == "/help?x=1"
    elsewhere = client.post("/t/refuse-back", headers={"Referer": "http://evil.example/phish"})
    assert elsewhere.headers["Location"] == "/"
    assert _holidays(refusing_app) == []


def test_refusal_on_the_api_is_json_with_its_status(refusing_app):
    response = refusing_app.test_client().post("/api/v1/t/refuse")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "stale"
    assert response.get_json()["error"]["zh"] == "数量不能为负数"
    assert _holidays(refusing_app) == []


def test_a_form_shown_again_has_the_message_on_its_field_and_nothing_written(app):
    from flask_wtf import FlaskForm
    from wtforms import StringField

    from assessor.platform.refusal import on_form

    class Form(FlaskForm):
        email = StringField()
        password = StringField()

    placed = {}
    for refusal, default in ((Refused("该邮箱已注册", "email"), "password"),
                             (Refused("请稍后再试"), "password"),
                             (Refused("角色无效", "role"), None)):
        with app.test_request_context(method="POST", data={"email": "a@x.cn"}):
            form = Form()
            assert form.validate()
            db.session().add(Holiday(day=date(2031, 1, 1), name="测试"))
            db.session().flush()
            on_form(form, refusal, default)
            placed[refusal.zh] = (form.email.errors, form.password.errors, form.form_errors)
            assert db.session().exec(select(Holiday)).all() == []
    assert placed == {"该邮箱已注册": (["该邮箱已注册"], [], []),
                      "请稍后再试": ([], ["请稍后再试"], []),
                      "角色无效": ([], [], ["角色无效"])}
