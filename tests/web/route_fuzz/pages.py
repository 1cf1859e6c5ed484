"""What a page offers: its forms (fields, choices, files) and its links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


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
