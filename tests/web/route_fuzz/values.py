"""Hostile values for path variables, query strings, form fields, uploads and JSON bodies."""

from __future__ import annotations

import io
import json
import re
from urllib.parse import urlencode

from werkzeug.routing import IntegerConverter

from .pages import Form

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


class HostileValues:
    """The value-making half of RouteFuzzer: it draws from `rng` and uses `strings`, `max_id`,
    the path `values` and `forms` seen so far and the `downloads` kept."""

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
