"""Every page a demo user can reach, in Chinese and in English, shows words and numbers for people:
no Python value (None, True, 50000.0, 4.105868166341226), no internal key (in_review,
grid_purchase) and no raw dictionary. The walk follows the links each role sees, from `/`, and
visits at most two pages of each shape (/applications/<n>, …) so that it stays quick."""

import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from assessor import create_app
from assessor.accounts.models import User
from assessor.demo.load import load_demo
from assessor.platform import db
from assessor.platform.dbcli import upgrade_database
from assessor.platform.engine_service import criteria_engine

PASSWORD = "Guizhou-demo-2024"
ROLES = {"visitor": None, "enterprise": "datacentre", "park": "guianpark", "city": "city.guiyang",
         "province": "province1", "expert": "expert1", "admin": "admin"}
PER_SHAPE = 2
SKIP = re.compile(r"^/(logout|static/)|\.(pdf|xlsx|csv|zip|png|jpg|svg|json)$|/evidence/\d+$"
                  r"|/download|/export|/openapi")

# What a person never reads on a page. `found` names the first offender on a page.
PYTHON_VALUES = re.compile(r"\b(None|True|False|nan|NaN|inf)\b|(?<![\d.])\d+\.0(?![\d.])"
                           r"|\d\.\d{7,}|\{'|\{\"|\['")
INTERNAL_KEY = re.compile(r"(?<![\w@./-])[a-z]+(?:_[a-z0-9]+)+(?![\w@.-])")


class _Text(HTMLParser):
    """The text a reader sees, with the links to follow; <code> (hashes, serials) is left out
    of the text but kept in the links."""

    def __init__(self):
        super().__init__()
        self.text, self.links, self._hidden = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "template"):
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.links.append(href.split("#")[0])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.text.append(data.strip())


def shape(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/\d+", "/<n>", parts.path)
    path = re.sub(r"/[A-Z0-9]{4}(-[A-Z0-9]{4}){2,}", "/<serial>", path)
    query = re.sub(r"=[^&]*", "=", parts.query)
    return f"{path}?{query}" if query else path


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("walk")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'walk.sqlite3'}",
                      "UPLOAD_FOLDER": str(folder / "uploads"), "TODAY": date(2025, 3, 3),
                      "CERTIFICATE_FOLDER": str(folder / "certificates"),
                      "JOB_FOLDER": str(folder / "jobs"), "MAIL_FOLDER": str(folder / "mail"),
                      "ARGON2_MEMORY_KIB": 1024, "QUEUE_URL": "", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "SECRET_KEY": "walk"})
    app.instance_path = str(folder / "instance")
    with app.app_context():
        upgrade_database()
        load_demo(db.session(), criteria_engine(), date(2025, 3, 3))
        db.close_session()
    return app


def _client(app, role: str, lang: str):
    client = app.test_client()
    with client.session_transaction() as session:
        session["locale"], session["locale_chosen"] = lang, True
    if ROLES[role]:
        email = f"{ROLES[role]}@demo.example.com"
        with app.app_context():
            assert db.session().exec(select(User).where(User.email == email)).first(), email
        answer = client.post("/login", data={"email": email, "password": PASSWORD})
        assert answer.status_code == 302, f"{email} cannot sign in"
    return client


def walk(client) -> dict[str, list[str]]:
    """{url: [offending snippets]} over the pages reachable from `/`."""
    queue, seen, per_shape, findings = ["/"], set(), Counter(), {}
    while queue and len(seen) < 400:
        url = queue.pop(0)
        if url in seen or SKIP.search(urlsplit(url).path) or per_shape[shape(url)] >= PER_SHAPE:
            continue
        seen.add(url)
        per_shape[shape(url)] += 1
        answer = client.get(url)
        assert answer.status_code < 500, f"{url} answered {answer.status_code}"
        if answer.status_code != 200 or answer.mimetype != "text/html":
            continue
        page = _Text()
        page.feed(answer.get_data(as_text=True))
        bad = [m.group(0) for line in page.text
               for m in (PYTHON_VALUES.search(line), INTERNAL_KEY.search(line)) if m]
        if bad:
            findings[url] = bad[:5]
        queue.extend(link for link in page.links if link not in seen)
    return findings


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_speaks_to_people(demo_app, role, lang):
    findings = walk(_client(demo_app, role, lang))
    assert not findings, "\n".join(f"{url}: {bad}" for url, bad in findings.items())
