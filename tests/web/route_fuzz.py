"""A fuzzer over the whole URL map (app.url_map): every rule and method, as every role, with
hostile values in path variables, query strings, form fields, uploads and JSON bodies. The forms
are those the pages themselves show (found by reading every page fetched), so a request usually
passes the form's shape and carries one to three hostile values deeper in. Seeded: one seed
sends the same requests against the same world.

Used by tests/web/test_fuzz.py (a few hundred requests) and benchmarks/fuzz_routes.py (10,000+).
A finding is any 5xx or exception; the request is kept so it can be replayed.
"""

from __future__ import annotations

import io
import json
import random
import re
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from urllib.parse import urlencode, urlsplit

from werkzeug.routing import IntegerConverter

LONG = "长" * 3000 + "x" * 3000
HOSTILE = [
    "", " ", "0", "-1", "-2147483649", "2147483647", "2147483648", "9" * 30, "1" * 5000,
    "-" + "9" * 40, "1e309", "-1e309", "NaN", "inf", "-0", "3.5", "0x1F", "1_000",
    "a\r\nSet-Cookie: x=1", "line\nbreak", "tab\there", "%0d%0aLocation:%20//evil.example",
    "𠀀𪚥𫝀", "\u202etxt.exe", "\ufeff", "Ａ１２３４５６７８９０", "<script>alert(1)</script>",
    "' OR 1=1 --", "../../etc/passwd", "//evil.example", "/\\evil.example", "https://evil.example",
    "null", "[]", "{}", "true", "=1+2", "@SUM(A1)", LONG, "2025-02-30", "0000-00-00",
    "9999-12-31", "2025-13-01", "-0001-01-01", "20250101", "2025/03/01", "万", "吨", "°C",
]
NUMBERS = ["0", "-1", "2147483648", "9" * 30, "-" + "9" * 40, "1" * 5000, "1e309", "NaN", "-0",
           "0.000000000000000000001", "1e-400", "99999", "3.5", "１２", "1,000"]
DATES = ["2025-02-30", "0000-00-00", "9999-12-31", "1900-01-01", "2025-03-01", "", "昨天"]
QUERY_NAMES = ["page", "per_page", "round", "round_id", "state", "city", "serial", "job", "next",
               "year", "id", "locale", "q", "sort", "x\r\ny"]


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> choices (first: default)
    files: list[str] = field(default_factory=list)
    dates: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)


class _FormReader(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms, self.form, self.select = page_url, [], None, None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        if tag == "form":
            self.form = Form(a.get("action") or self.page_url, a.get("method", "get").lower(),
                             "multipart" in a.get("enctype", ""))
            self.forms.append(self.form)
        elif self.form is None or not a.get("name"):
            return
        elif tag == "input":
            kind, name = a.get("type", "text").lower(), a["name"]
            if kind == "file":
                self.form.files.append(name)
            elif kind not in ("submit", "button", "image", "reset"):
                self.form.fields.setdefault(name, []).append(a.get("value", ""))
                if kind == "date":
                    self.form.dates.add(name)
                if kind == "number" or re.fullmatch(r"-?[0-9][0-9.]*", a.get("value", "")):
                    self.form.numbers.add(name)
        elif tag in ("select", "textarea"):
            self.select = self.form.fields.setdefault(a["name"], [])
            if tag == "textarea":
                self.select.append("")
        elif tag == "option" and self.select is not None:
            self.select.append(a.get("value", ""))
        elif tag == "button":
            self.form.fields.setdefault(a["name"], []).append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag in ("select", "textarea"):
            self.select = None


@dataclass
class Request:
    role: str
    method: str
    url: str
    data: dict | None = None
    json_body: bytes | None = None
    multipart: bool = False

    def describe(self) -> str:
        shown = {k: (v if not isinstance(v, str) or len(v) < 80 else v[:40] + f"…({len(v)})")
                 for k, v in (self.data or {}).items()}
        body = f" form={shown}" if self.data else ""
        if self.json_body is not None:
            body = f" json={self.json_body[:120]!r}…({len(self.json_body)} bytes)"
        return f"[{self.role}] {self.method} {self.url[:300]}{body}"


@dataclass
class Finding:
    request: Request
    status: int
    error: str

    def __str__(self) -> str:
        return f"{self.status} {self.request.describe()}\n{self.error}"


@dataclass
class Report:
    requests: int = 0
    sign_ins: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    seconds: float = 0.0
    reached: dict[str, set[int]] = field(default_factory=dict)  # endpoint -> statuses seen

    @property
    def server_errors(self) -> int:
        return len(self.findings)


class RouteFuzzer:
    """`sign_in(role)` returns a signed-in test client for a role (None: anonymous);
    `token_for(role)` a new API token (again after "sign out everywhere" ended the last);
    `strings` real values for string path variables by name (criteria ids, certificate
    serials); `max_id` the largest id in the database."""

    def __init__(self, app, roles: list[str | None], sign_in: Callable, token_for: Callable,
                 strings: dict[str, list[str]], max_id: int, seed: int = 2025):
        self.app, self.roles, self.sign_in, self.token_for = app, roles, sign_in, token_for
        self.tokens = {role: token_for(role) for role in roles if role}
        self.strings, self.max_id, self.rng = strings, max_id, random.Random(seed)
        self.clients = {role: sign_in(role) for role in roles}
        self.forms: dict[tuple[str | None, str], list[Form]] = {}  # (role, endpoint) -> forms
        self.values: dict[str, set[str]] = {}  # path variable -> values seen in links and forms
        self.links: dict[tuple[str | None, str], set[str]] = {}  # (role, endpoint) -> paths
        self.rules = sorted(((rule, method) for rule in app.url_map.iter_rules()
                             for method in sorted(rule.methods - {"HEAD", "OPTIONS"})),
                            key=lambda rm: (rm[0].rule, rm[1]))
        self.adapter = app.url_map.bind("localhost")
        self.report = Report()
        self.downloads: list[bytes] = []  # workbooks and PDFs the app served: uploaded back

    # -- values ------------------------------------------------------------------------------

    def _hostile(self) -> str:
        return self.rng.choice(HOSTILE)

    def _id(self) -> str:
        r = self.rng.random()
        if r < 0.75:  # a row of some table: often another organisation's
            return str(self.rng.randint(1, min(self.max_id, 60) + 1))
        return self.rng.choice(["0", "-1", "2147483648", "9" * 30, "1" * 400])

    def _path_value(self, name: str, converter) -> str:
        seen = sorted(self.values.get(name, ()))
        if seen and self.rng.random() < 0.6:  # seen in some role's pages: real, maybe not ours
            return self.rng.choice(seen)
        if isinstance(converter, IntegerConverter):
            return self._id()
        real = self.strings.get(name, [])
        if real and self.rng.random() < 0.6:
            return self.rng.choice(real)
        return self._hostile() or "x"

    def _url(self, rule) -> str:
        values = {name: self._path_value(name, conv) for name, conv in rule._converters.items()}
        path = rule.rule
        for name, value in values.items():
            quoted = "".join(c if c.isalnum() or c in "-._~" else
                             "".join(f"%{b:02X}" for b in c.encode()) for c in value)
            if name == "filename":
                quoted = quoted.replace("%2F", "/")
            path = re.sub(rf"<(?:\w+:)?{name}>", lambda _m, q=quoted: q, path)
        if self.rng.random() < 0.5:
            path += "?" + urlencode(self._query())
        return path

    def _query(self) -> list[tuple[str, str]]:
        pairs = []
        for _ in range(self.rng.randint(1, 3)):
            name = self.rng.choice(QUERY_NAMES)
            value = self._id() if self.rng.random() < 0.3 else self._hostile()
            pairs.append((name, value))
        return pairs

    def _form_data(self, role, rule) -> tuple[dict, bool]:
        forms = self.forms.get((role, rule.endpoint)) or self.forms.get(("*", rule.endpoint))
        if not forms:
            names = self.rng.sample(["name", "email", "reason", "state", "move", "comment",
                                     "locale", "next", "password", "file", "serial"], 3)
            return {n: self._hostile() for n in names}, False
        return self._fill(self.rng.choice(forms))

    def _fill(self, form: Form) -> tuple[dict, bool]:
        """The form as the page offers it, with none to three values made hostile."""
        data = {name: ((choices or [""])[0] if self.rng.random() < 0.7 or len(choices) < 2
                       else self.rng.choice(choices))
                for name, choices in form.fields.items() if name != "csrf_token"}
        names = list(data)
        hostile = 0 if self.rng.random() < 0.15 else self.rng.randint(1, 3)
        for name in self.rng.sample(names, min(len(names), hostile)):
            typed = DATES if name in form.dates else NUMBERS if name in form.numbers else None
            data[name] = (self.rng.choice(typed) if typed and self.rng.random() < 0.7
                          else self._hostile())
        if names and self.rng.random() < 0.1:
            data.pop(self.rng.choice(names))
        for name in form.files:
            content = self.rng.choice([b"", b"%PDF-1.4\n%\xe2\xe3\n" + b"0" * 100,
                                       bytes(self.rng.randrange(256) for _ in range(300)),
                                       b"PK\x03\x04" + b"\0" * 200, *self.downloads])
            filename = self.rng.choice(["证明.pdf", "a.xlsx", "../../x.pdf", "", "a\r\nb.pdf",
                                        "x" * 300 + ".pdf", "photo.jpg", "draft.yaml",
                                        "申报.xlsx"])
            data[name] = (io.BytesIO(content), filename)
        return data, bool(form.files) or form.multipart

    def _submission(self) -> dict:
        """A plausible factory submission with one value somewhere made hostile."""
        from tests.conftest import factory_submission

        data = factory_submission()
        node, key = data, None
        while isinstance(node, (dict, list)) and node:
            key = self.rng.choice(list(node)) if isinstance(node, dict) else \
                self.rng.randrange(len(node))
            if not isinstance(node[key], (dict, list)) or self.rng.random() < 0.2:
                break
            node = node[key]
        if key is not None:
            node[key] = self.rng.choice([self._hostile(), -1, 1e308, 10**30, None, True, [],
                                         {"quantity": 1, "unit": "ton"}])
        return data

    def _json(self) -> bytes:
        kind = self.rng.randrange(11)
        if kind >= 9:
            body = {"data": self._submission()}
            body.update({"round_id": self.rng.randint(1, 5)} if kind == 9 else
                        {"lock_version": self.rng.randint(0, 5)})
            return json.dumps(body, ensure_ascii=False).encode()
        if kind == 0:
            return b"[" * 100_000 + b"]" * 100_000
        if kind == 1:
            return b'{"round_id": ' + b"9" * 5000 + b"}"
        if kind == 2:
            return self.rng.choice([b"", b"null", b"{", b"\xff\xfe", b'"x"', b"1e999", b"[]"])
        if kind == 3:
            return json.dumps({"round_id": self.rng.randint(1, self.max_id + 1),
                               "data": {"subject": "factory", "reporting_year": 2023}}).encode()
        if kind == 4:
            nested: object = 1
            for _ in range(self.rng.choice([10, 40, 500])):
                nested = {"data": nested}
            return json.dumps({"lock_version": 0, "data": nested}).encode()
        if kind == 5:
            return json.dumps({"lock_version": self.rng.choice([-1, 2**31, 10**30, True, "0"]),
                               "data": {"reporting_year": self._hostile()}}).encode()
        if kind == 6:
            reason = json.dumps(self._hostile()[:50])
            return ('{"reason": ' + reason + ', "reason": "x"}').encode()  # a duplicate key
        if kind == 7:
            return json.dumps({"data": {"energy": {"natural_gas": {
                "quantity": self.rng.choice([1e308, -1, 0, "1" * 50, None]),
                "unit": self.rng.choice(["t", "ton", "°C", "m3", ""])}}},
                "round_id": 1}).encode()
        return json.dumps({self._hostile()[:20]: self._hostile()}).encode()

    def next_request(self) -> Request:
        r = self.rng.random()
        if r < 0.45:  # a form some role's page offers, posted by that role to its own action
            forms = sorted((k for k in self.forms if k[0] != "*"), key=str)
            if forms:
                role, endpoint = self.rng.choice(forms)
                form = self.rng.choice(self.forms[(role, endpoint)])
                request = Request(role, "POST", urlsplit(form.action).path + (
                    "?" + urlencode(self._query()) if self.rng.random() < 0.2 else ""))
                request.data, request.multipart = self._fill(form)
                return request
        if r < 0.65:  # a page some role's pages link to, by that role or another
            links = sorted(self.links, key=str)
            if links:
                key = self.rng.choice(links)
                role = key[0] if self.rng.random() < 0.7 else self.rng.choice(self.roles)
                path = self.rng.choice(sorted(self.links[key]))
                return Request(role, "GET", path + (
                    "?" + urlencode(self._query()) if self.rng.random() < 0.6 else ""))
        rule, method = self.rng.choice(self.rules)
        role = self.rng.choice(self.roles)
        request = Request(role, method, self._url(rule))
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            if rule.rule.startswith("/api/"):
                request.json_body = self._json()
            else:
                request.data, request.multipart = self._form_data(role, rule)
        return request

    # -- sending -----------------------------------------------------------------------------

    def send(self, request: Request, client=None):
        client = client or self.clients[request.role]
        headers = {}
        if request.url.startswith("/api/") and request.role and self.rng.random() < 0.9:
            headers["Authorization"] = f"Bearer {self.tokens[request.role]}"
        kwargs = {"headers": headers}
        if request.json_body is not None:
            kwargs.update(data=request.json_body, content_type="application/json")
        elif request.data is not None:
            data = {k: (io.BytesIO(v[0].getvalue()), v[1]) if isinstance(v, tuple) else v
                    for k, v in request.data.items()}  # a replay needs fresh file objects
            kwargs.update(data=data, content_type="multipart/form-data" if request.multipart
                          else "application/x-www-form-urlencoded")
        started = time.perf_counter()
        self.report.requests += 1
        try:
            with self.app.app_context():  # its own, as in production: a failed request's
                # database session ends with it, whatever context the caller runs in
                response = client.open(request.url, method=request.method, **kwargs)
        except Exception:  # TESTING propagates exceptions: the same as a 500 to a user
            self._found(request, 500, _where())
            return None
        finally:
            spent = time.perf_counter() - started
            self.report.slowest = sorted([*self.report.slowest, (spent, request.describe()[:160])],
                                         reverse=True)[:5]
        if response.status_code == 200 and len(self.downloads) < 20 and response.mimetype in (
                "application/pdf", "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet") and len(response.get_data()) < 2_000_000:
            self.downloads.append(response.get_data())
        try:
            endpoint = self.adapter.match(urlsplit(request.url).path, method=request.method)[0]
        except Exception:
            endpoint = "(no route)"
        self.report.reached.setdefault(endpoint, set()).add(response.status_code)
        self.report.statuses[response.status_code] = (
            self.report.statuses.get(response.status_code, 0) + 1)
        if response.status_code >= 500:
            self._found(request, response.status_code, response.get_data(as_text=True)[:500])
        elif request.role and response.status_code == 302 and urlsplit(
                response.headers.get("Location", "")).path.startswith("/login"):
            self.clients[request.role] = self.sign_in(request.role)  # signed out, or expired
            self.tokens[request.role] = self.token_for(request.role)
            self.report.sign_ins += 1
        return response

    def _found(self, request: Request, status: int, error: str) -> None:
        self.report.findings.append(Finding(request, status, error))

    def learn(self, response, role) -> None:
        """The forms and links of a page: what to post where, and real path values."""
        if response is None or response.status_code != 200 or \
                not response.content_type.startswith("text/html"):
            return
        reader = _FormReader(response.request.path)
        reader.feed(response.get_data(as_text=True))
        for form in reader.forms:
            endpoint = self._match(form.action, "POST", role)
            if form.method != "post" or endpoint is None:
                continue
            known = self.forms.setdefault((role, endpoint), [])
            if len(known) < 8 and all(f.fields.keys() != form.fields.keys() for f in known):
                known.append(form)
            self.forms.setdefault(("*", endpoint), known[:1] or [form])
        for link in reader.links:
            endpoint = self._match(link, "GET", role)
            if endpoint is not None:
                self.links.setdefault((role, endpoint), set()).add(urlsplit(link).path)

    def _match(self, url: str, method: str, role) -> str | None:
        try:
            endpoint, values = self.adapter.match(urlsplit(url).path, method=method)
        except Exception:
            return None
        for name, value in values.items():
            self.values.setdefault(name, set()).add(str(value))
        return endpoint

    def crawl(self, pages_per_role: int = 60) -> None:
        """Each role follows the links from its start pages: the forms to fill and the real
        ids to use come from there."""
        starts = [rule.rule for rule, method in self.rules if method == "GET"
                  and not rule.arguments and not rule.rule.startswith(("/api/", "/static"))]
        for role in self.roles:
            queue, seen = list(starts), set(starts)
            for _ in range(pages_per_role):
                if not queue:
                    break
                url = queue.pop(0)
                response = self.send(Request(role, "GET", url))
                self.learn(response, role)
                for (who, endpoint), paths in sorted(self.links.items(), key=str):
                    if who != role or endpoint in ("static", "accounts.logout"):
                        continue
                    for path in sorted(paths)[:3]:  # a few of each kind of page
                        if path not in seen:
                            seen.add(path)
                            queue.append(path)

    def run(self, count: int, progress: Callable[[int], None] | None = None) -> Report:
        started = time.perf_counter()
        for done in range(count):
            request = self.next_request()
            response = self.send(request)
            if request.method == "GET":
                self.learn(response, request.role)
            if progress:
                progress(done + 1)
        self.report.seconds += time.perf_counter() - started
        return self.report

    def anonymous_posts_with_csrf(self) -> dict[str, int]:
        """CSRF on: every rule but GET's posted anonymously without a token; the status of
        each, by endpoint."""
        self.app.config["WTF_CSRF_ENABLED"] = True
        answers = {}
        try:
            client = self.app.test_client()
            for rule, method in self.rules:
                if method == "GET":
                    continue
                request = Request(None, method, self._url(rule).split("?")[0])
                request.data, request.multipart = self._form_data(None, rule)
                response = self.send(request, client)
                answers[f"{method} {rule.endpoint}"] = response.status_code if response else 500
        finally:
            self.app.config["WTF_CSRF_ENABLED"] = False
        return answers


def _where() -> str:
    """The exception and the project's frames it passed through (not the libraries')."""
    lines = traceback.format_exc().splitlines()
    ours = [f"{a.strip()} | {b.strip()}" for a, b in pairwise(lines)
            if a.strip().startswith("File") and "/site-packages/" not in a and "<" not in a]
    error = sys.exc_info()[1]
    return "\n".join([*ours[-6:], f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"])


def signer(app, users: dict[str, tuple[int, str]], password: str) -> Callable:
    """sign_in(role) for RouteFuzzer: a fresh client signed in as users[role] (id, e-mail), from
    an address of its own (sign-in throttling is per address). An account the fuzz itself
    locked (a changed password, deactivated by the admin) is put back first."""
    addresses = iter(range(1, 10**6))

    def sign_in(role):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "10." + ".".join(map(str, next(addresses).to_bytes(3, "big")))
        if role is None:
            return client
        user_id, email = users[role]
        for _attempt in range(2):
            response = client.post("/login", data={"email": email, "password": password})
            if response.status_code == 302 and not urlsplit(
                    response.headers["Location"]).path.startswith("/login"):
                return client
            _repair(app, user_id, email, password)
        raise AssertionError(f"cannot sign in as {role}: {response.status_code}")

    return sign_in


def _repair(app, user_id: int, email: str, password: str) -> None:
    from assessor import db
    from assessor.accounts import services as accounts
    from assessor.accounts import throttle
    from assessor.accounts.models import User

    with app.app_context():
        session = db.session()
        user = session.get(User, user_id)
        user.active, user.password_hash = True, accounts.hash_password(password)
        session.add(user)
        session.commit()
        throttle.clear(session, email)


def token_maker(app, user_ids: dict[str, int]) -> Callable:
    """token_for(role) for RouteFuzzer: a new API token for users[role]."""
    from datetime import date

    from assessor import db
    from assessor.accounts.models import User
    from assessor.api import tokens

    def token_for(role) -> str:
        with app.app_context():
            session = db.session()
            user = session.get(User, user_ids[role])
            return tokens.issue(session, user, user, name="fuzz", expires_on=None,
                                today=date(2025, 1, 1))[1]

    return token_for
