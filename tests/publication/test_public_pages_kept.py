"""Public pages kept for visitors who bring no cookie (pagecache.ServedBeforeFlask): each visitor
still gets a working CSRF token of their own, and changes show at once in the process that made
them and within PUBLIC_PAGE_FRESH_SECONDS in any other."""

import io
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from flask import current_app, request_started

from tests.publication.helpers import issue

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def visit(app, path):
    """A first visit: a new client, so no cookie."""
    client = app.test_client()
    answer = client.get(path)
    return client, answer


def test_each_new_visitor_gets_a_token_of_their_own_that_works(app, dbs, people, published):
    certificate = issue(dbs, people, published)[0]
    pdf = (Path(current_app.config["CERTIFICATE_FOLDER"]) / certificate.stored_name).read_bytes()
    app.config["WTF_CSRF_ENABLED"] = True
    first, page = visit(app, f"/verify/{certificate.serial}")
    _second, again = visit(app, f"/verify/{certificate.serial}")
    for answer in (page, again):
        text = answer.get_data(as_text=True)
        assert answer.status_code == 200 and "有效" in text and certificate.pdf_sha256 in text
        assert "session=" in answer.headers["Set-Cookie"]
        assert answer.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert answer.headers["Vary"] == "Cookie"
    mine, theirs = TOKEN.findall(page.get_data(as_text=True)), TOKEN.findall(again.get_data(
        as_text=True))
    assert len(set(mine)) == 1 and mine[0] != theirs[0]

    checked = first.post(f"/verify/{certificate.serial}", content_type="multipart/form-data",
                         data={"pdf": (io.BytesIO(pdf), "c.pdf"), "csrf_token": mine[0]})
    assert checked.status_code == 200 and "一致" in checked.get_data(as_text=True)
    refused = first.post("/language", data={"locale": "en", "csrf_token": theirs[0]})
    assert refused.status_code == 400  # another visitor's token is no good
    switched = first.post("/language", data={"locale": "en", "csrf_token": mine[0],
                                              "next": f"/verify/{certificate.serial}"})
    assert switched.status_code == 302
    english = first.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert "Verify a certificate" in english


def test_changes_and_new_days_show_at_once_in_the_same_process(app, dbs, people, published):
    from assessor.publication import services

    certificate = issue(dbs, people, published)[0]
    path = f"/verify/{certificate.serial}"
    assert "有效" in visit(app, path)[1].get_data(as_text=True)
    assert visit(app, "/verify/ABCD-EFGH-JKLM-NPQR")[1].status_code == 404
    app.config["TODAY"] = certificate.valid_until + timedelta(days=1)
    assert "已过期" in visit(app, path)[1].get_data(as_text=True)
    app.config["TODAY"] = certificate.issued_on
    listing = f"/lists/{published.id}"
    assert "已撤销" not in visit(app, listing)[1].get_data(as_text=True)
    services.revoke(dbs, people["province_officer"], certificate, "数据造假")
    assert "已撤销" in visit(app, path)[1].get_data(as_text=True)
    assert "已撤销" in visit(app, listing)[1].get_data(as_text=True)


REVOKE = """
import sys
from assessor import create_app
from assessor.accounts.models import User
from assessor.certificates import issue as certificates
from assessor.platform import db
from assessor.publication import services
app = create_app({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "test"})
with app.app_context():
    session = db.session()
    services.revoke(session, session.get(User, int(sys.argv[3])),
                    certificates.find(session, sys.argv[2]), "另一进程撤销")
"""


def test_another_process_change_shows_within_the_fresh_seconds(app, dbs, people, published,
                                                               database_url, tmp_path):
    certificate = issue(dbs, people, published)[0]
    path = f"/verify/{certificate.serial}"
    app.config["PUBLIC_PAGE_FRESH_SECONDS"] = 0.2
    assert "有效" in visit(app, path)[1].get_data(as_text=True)  # kept
    dbs.close()
    subprocess.run([sys.executable, "-c", REVOKE, database_url, certificate.serial,
                    str(people["province_officer"].id)], check=True, cwd=tmp_path,
                   env={"PATH": "/usr/bin:/bin", "ASSESSOR_INSTANCE_PATH": str(tmp_path)})
    time.sleep(0.25)
    page = visit(app, path)[1].get_data(as_text=True)
    assert "已撤销" in page and "另一进程撤销" in page


def test_a_returning_visitor_is_served_the_kept_page_in_their_language_with_their_token(
        app, dbs, people, published):
    from assessor.publication import services

    certificate = issue(dbs, people, published)[0]
    path = f"/verify/{certificate.serial}"
    app.config["WTF_CSRF_ENABLED"] = True
    visitor, first = visit(app, path)
    token = TOKEN.findall(first.get_data(as_text=True))[0]
    through_flask = []
    request_started.connect(lambda sender, **_: through_flask.append(1), app, weak=False)
    again = visitor.get(path)
    assert not through_flask  # served before Flask, as a first visit is
    text = again.get_data(as_text=True)
    assert again.status_code == 200 and "有效" in text
    assert "Set-Cookie" not in again.headers  # their cookie is kept as it is
    assert again.headers["Vary"] == "Cookie"
    assert visitor.post("/language", data={"locale": "en", "csrf_token": TOKEN.findall(text)[0],
                                           "next": path}).status_code == 302
    visitor.get(path)  # the English page is made once, through Flask
    through_flask.clear()
    english = visitor.get(path).get_data(as_text=True)
    assert "Verify a certificate" in english and "Valid" in english
    assert not through_flask  # their language in their cookie: still before Flask
    assert "有效" in visit(app, path)[1].get_data(as_text=True)  # a new visitor: still Chinese
    services.revoke(dbs, people["province_officer"], certificate, "数据造假")
    revoked = visitor.get(path).get_data(as_text=True)
    assert "Revoked" in revoked and "数据造假" in revoked
    assert token  # the first visit's token was signed from the same secret as the later ones


def test_a_signed_in_or_tampered_cookie_is_never_served_the_anonymous_page(
        app, dbs, people, published, sign_in):
    certificate = issue(dbs, people, published)[0]
    path = f"/verify/{certificate.serial}"
    visit(app, path)  # the anonymous page is kept
    visitor, _ = visit(app, path)
    cookie = visitor.get_cookie("session")
    payload, rest = cookie.value.split(".", 1)
    forger = app.test_client()
    forger.set_cookie("session", payload[:-3] + ("x" if payload[-3] != "x" else "y")
                      + payload[-2:] + "." + rest)
    tampered = forger.get(path)
    assert tampered.status_code == 200 and "session=" in tampered.headers["Set-Cookie"]
    officer = sign_in(people["province_officer"])
    page = officer.get(path).get_data(as_text=True)
    assert "退出" in page  # their own page, with their menu
