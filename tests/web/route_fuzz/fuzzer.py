"""RouteFuzzer: crawls each role's pages, then sends seeded requests and reports each 5xx."""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from .pages import Form, _FormReader
from .report import Finding, Report, Request, _where
from .values import HostileValues


class RouteFuzzer(HostileValues):
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
