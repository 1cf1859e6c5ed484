"""An unknown serial on the verify page: a 404 that says so and offers the form again, for
visitors without a cookie (served before Flask) as for everyone else, and never kept."""

import re

from assessor.certificates import issue as issuing
from assessor.platform import pagecache
from tests.publication.helpers import issue

SERIAL = "ZC25-LATE-ISSU-ED01"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_an_unknown_serial_is_a_404_that_offers_the_form_again(app, dbs, people, published):
    for _visit in range(2):  # a first and a second visitor without a cookie
        answer = app.test_client().get(f"/verify/{SERIAL}")
        text = answer.get_data(as_text=True)
        assert answer.status_code == 404 and "未查到该证书" in text
        assert f'value="{SERIAL}"' in text and 'action="/verify"' in text
        assert pagecache._STAND_IN not in text and TOKEN.search(text)

    english = app.test_client()
    english.get("/")
    english.post("/language", data={"locale": "en", "next": "/"})
    answer = english.get(f"/verify/{SERIAL}")
    assert answer.status_code == 404
    assert "No certificate with this number" in answer.get_data(as_text=True)
    assert english.post(f"/verify/{SERIAL}", data={}).status_code == 404


def test_a_404_is_not_kept_once_the_serial_is_issued(app, dbs, people, published, monkeypatch):
    assert app.test_client().get(f"/verify/{SERIAL}").status_code == 404
    serials = iter([SERIAL])
    random = issuing.new_serial
    monkeypatch.setattr(issuing, "new_serial", lambda: next(serials, None) or random())
    issue(dbs, people, published)
    answer = app.test_client().get(f"/verify/{SERIAL}")
    assert answer.status_code == 200 and "有效" in answer.get_data(as_text=True)
    typed = app.test_client().get("/verify?serial=zc25-late-issu-ed01")
    assert typed.status_code == 302 and typed.headers["Location"].endswith(f"/verify/{SERIAL}")
