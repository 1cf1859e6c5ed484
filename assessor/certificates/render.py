"""Certificate PDF rendering with WeasyPrint (A4 landscape, Chinese first, English second).

    pdf = render_certificate({
        "organisation": "贵州㵲阳河喆堃新材料有限公司", "level_title_zh": "零碳工厂（培育）",
        "level_title_en": "Zero-Carbon Factory (Cultivation)", "round_title": "2025年第一批…",
        "criteria_id": "GZ-F-2024", "criteria_version": "1.0", "issue_date": date(2025, 6, 1),
        "valid_until": date(2028, 5, 31), "serial": "ZC-…", "verify_url": "http://…/verify/ZC-…",
    })

Safety: the template is compiled in a sandboxed Jinja2 environment with autoescape on, from
a context of primitives only. WeasyPrint fetches through SafeFetcher, which serves files under
static/certificates/ through the private ``cert-static:`` scheme and image ``data:`` URLs, and
refuses everything else (file:, http(s):, ftp:, other data:), with no redirects. A render that
tried to fetch anything refused, or that drew a glyph no installed font has, raises
CertificateRenderError instead of returning a PDF.

Speed: the certificates' compact copy of Noto Sans CJK SC (fonts.py) is named first when it has
been made, the stylesheet is parsed once, one FontConfiguration and one image cache are shared by
every render in the process (module level, guarded by a lock since WeasyPrint objects are not
thread-safe), and the QR code is an inline SVG so nothing is fetched or cached per certificate.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import segno
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..publication.official import DEPARTMENT_EN, DEPARTMENT_ZH
from . import fonts

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static" / "certificates"
TEMPLATE_NAME = "certificates/certificate.html"
STYLESHEET = STATIC_DIR / "certificate.css"

SCHEME = "cert-static"
# What SafeFetcher serves from STATIC_DIR, by file suffix.
STATIC_TYPES = {
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".css": "text/css",
    ".otf": "font/otf", ".ttf": "font/ttf", ".woff": "font/woff", ".woff2": "font/woff2",
}
DATA_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"}
MAX_DATA_URL = 2_000_000  # characters

ISSUER_ZH, ISSUER_EN = DEPARTMENT_ZH, DEPARTMENT_EN  # when the caller names no department
REQUIRED = ("organisation", "level_title_zh", "level_title_en", "round_title", "criteria_id",
            "criteria_version", "issue_date", "valid_until", "serial", "verify_url")
OPTIONAL = ("organisation_en", "round_title_en", "issuer_zh", "issuer_en", "programme_title_zh",
            "programme_title_en", "uscc", "document_number")
# Other names accepted for the same facts (the publication code's Listing field names).
ALIASES = {"level_zh": "level_title_zh", "level_en": "level_title_en", "issued_on": "issue_date"}
MAX_FIELD = 300  # characters; a longer field is a caller bug, not a name
SERIAL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{3,63}")


class CertificateRenderError(ValueError):
    """The certificate cannot be rendered as asked (bad facts, a refused fetch, missing glyphs)."""


class RefusedURL(ValueError):
    """SafeFetcher refused to fetch a URL (WeasyPrint catches and logs it as a fetch error)."""


class SafeFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that reaches nothing but our own certificate assets.

    Serves ``cert-static:<relative path>`` from ``root`` (default static/certificates/), after
    resolving symlinks and checking the path stays inside ``root`` and has a known suffix;
    serves ``data:`` URLs whose media type is an image; refuses every other URL and records it
    in ``self.refused``. It never opens a socket and never follows a redirect (there is no
    HTTP handler in play: ``fetch`` is overridden entirely).
    """

    def __init__(self, root: Path = STATIC_DIR, *, fail_on_errors: bool = False):
        super().__init__(timeout=5, allowed_protocols={SCHEME, "data"}, allow_redirects=False,
                         fail_on_errors=fail_on_errors)
        self.root = Path(root).resolve()
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == SCHEME:
            response = self._static(url)
        elif scheme == "data":
            response = self._data(url)
        else:
            response = None
        if response is None:
            self.refused.append(url)
            raise RefusedURL(f"certificate renderer refuses to fetch {url[:200]!r}")
        self.served.append(url if scheme != "data" else url[:64])
        return response

    def _static(self, url: str) -> URLFetcherResponse | None:
        parts = urlsplit(url)
        if parts.netloc or parts.query or parts.fragment:
            return None
        relative = unquote(parts.path).lstrip("/")
        if not relative or "\x00" in relative or "\\" in relative:
            return None
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        content_type = STATIC_TYPES.get(path.suffix.lower())
        if content_type is None:
            return None
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def _data(self, url: str) -> URLFetcherResponse | None:
        if len(url) > MAX_DATA_URL or "," not in url:
            return None
        header, payload = url[5:].split(",", 1)
        params = [p.strip() for p in header.split(";")]
        media_type = params[0].lower()
        if media_type not in DATA_IMAGE_TYPES:
            return None
        try:
            if "base64" in (p.lower() for p in params[1:]):
                body = base64.b64decode(unquote(payload), validate=False)
            else:
                body = unquote(payload).encode("utf-8")
        except (binascii.Error, ValueError):
            return None
        return URLFetcherResponse(url, body, {"Content-Type": media_type})


# Shared between renders (WeasyPrint objects are not thread-safe, hence the lock).
_LOCK = threading.Lock()
_STATE: dict[str, Any] = {}


def _state() -> dict[str, Any]:
    """Build once: Jinja environment, FontConfiguration, parsed stylesheet, image cache."""
    if not _STATE:
        env = SandboxedEnvironment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                                   undefined=StrictUndefined, auto_reload=False)
        font_config = FontConfiguration()
        faces = CSS(string=fonts.font_face_css(), font_config=font_config,
                    url_fetcher=SafeFetcher(fail_on_errors=True))
        css = CSS(string=STYLESHEET.read_text(encoding="utf-8"), font_config=font_config,
                  url_fetcher=SafeFetcher(fail_on_errors=True))
        _STATE.update(env=env, template=env.get_template(TEMPLATE_NAME),
                      font_config=font_config, stylesheets=[faces, css], faces=[faces],
                      image_cache={})
    return _STATE


def _as_date(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise CertificateRenderError(f"{field} must be a date or an ISO date string")


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str | int):
        raise CertificateRenderError(f"{field} must be text")
    text = " ".join(str(value).split())  # no newlines or runs of blanks in a certificate line
    if len(text) > MAX_FIELD:
        raise CertificateRenderError(f"{field} is longer than {MAX_FIELD} characters")
    return text


def qr_svg(url: str) -> str:
    """The verify URL as an inline SVG QR code (error correction M, 2-module quiet zone)."""
    return segno.make(url, error="m", micro=False).svg_inline(
        scale=1, border=2, omitsize=True, dark="#000")


def organisation_font_size(name: str) -> int:
    """Point size for the organisation name so that long names still fit on one or two lines."""
    width = sum(1 if ord(ch) < 0x2E80 else 2 for ch in name)  # in half-width units
    for limit, size in ((32, 26), (44, 22), (56, 18), (80, 15)):
        if width <= limit:
            return size
    return 13


def _seal(url: Any) -> str:
    """The seal image as a data: URL (SafeFetcher serves those, and only of image types), or
    "" for none: a certificate without a seal is printed without an image, never a broken one."""
    if not url:
        return ""
    if not isinstance(url, str) or not url.startswith("data:image/") or len(url) > MAX_DATA_URL:
        raise CertificateRenderError("seal must be a data:image/… URL")
    return url


def certificate_context(facts: dict) -> dict[str, Any]:
    """Check the facts and turn them into the template's primitives-only context."""
    facts = dict(facts)
    for alias, key in ALIASES.items():
        if facts.get(key) in (None, "") and alias in facts:
            facts[key] = facts[alias]
    missing = [key for key in REQUIRED if facts.get(key) in (None, "")]
    if missing:
        raise CertificateRenderError(f"missing certificate facts: {', '.join(missing)}")
    context = {key: _text(facts[key], key)
               for key in REQUIRED if key not in ("issue_date", "valid_until")}
    for key in OPTIONAL:
        context[key] = _text(facts.get(key) or "", key)
    context["issuer_zh"] = context["issuer_zh"] or ISSUER_ZH
    context["issuer_en"] = context["issuer_en"] or ISSUER_EN
    if not SERIAL_RE.fullmatch(context["serial"]):
        raise CertificateRenderError("serial must be 4–64 characters of A–Z a–z 0–9 . _ -")
    url = context["verify_url"]
    if urlsplit(url).scheme not in ("http", "https") or any(c.isspace() for c in url):
        raise CertificateRenderError("verify_url must be an http(s) URL")
    issued, until = _as_date(facts["issue_date"], "issue_date"), _as_date(
        facts["valid_until"], "valid_until")
    if until < issued:
        raise CertificateRenderError("valid_until is before issue_date")
    for key, day in (("issue_date", issued), ("valid_until", until)):
        context[f"{key}_zh"] = f"{day.year}年{day.month}月{day.day}日"
        context[f"{key}_en"] = day.isoformat()
    context["org_size_pt"] = organisation_font_size(context["organisation"])
    context["seal"] = _seal(facts.get("seal"))
    context["qr_svg"] = Markup(qr_svg(url))  # built here from segno's matrix, no user markup
    return context


def render_html(html: str, fetcher: SafeFetcher | None = None, *,
                certificate_style: bool = True) -> tuple[bytes, set[int]]:
    """Render an HTML string with the shared fonts and a SafeFetcher.

    Returns the PDF and the code points that no font could draw. The render path of
    render_certificate (certificate_style: with certificate.css) and render_document
    (without); exposed so that tests can feed it hostile markup.
    """
    fetcher = fetcher if fetcher is not None else SafeFetcher()
    with _LOCK:
        state = _state()
        if len(state["image_cache"]) > 64:  # data: URLs would otherwise pile up, keyed by URL
            state["image_cache"].clear()
        document = HTML(string=html, base_url=None, url_fetcher=fetcher).render(
            font_config=state["font_config"],
            stylesheets=state["stylesheets"] if certificate_style else state["faces"],
            cache=state["image_cache"])
        pdf = document.write_pdf()
        missing = {cp for font in document.fonts.values() for cp in font.missing}
    return pdf, missing


def certificate_html(facts: dict) -> str:
    """The certificate as HTML (what render_certificate feeds WeasyPrint)."""
    context = certificate_context(facts)
    with _LOCK:
        template = _state()["template"]
    return template.render(**context)


def render_certificate(facts: dict) -> bytes:
    """The certificate PDF for ``facts`` (see the module docstring for the keys).

    Raises CertificateRenderError when the facts are invalid, when rendering tried to fetch a
    refused URL, or when a character (typically of the organisation name) has no glyph in any
    installed font, so that a certificate with a blank box in the name is never issued.
    """
    fetcher = SafeFetcher()
    pdf, missing = render_html(certificate_html(facts), fetcher)
    return _checked(pdf, fetcher, missing)


def _checked(pdf: bytes, fetcher: SafeFetcher, missing: set[int]) -> bytes:
    if fetcher.refused:
        raise CertificateRenderError(f"the document tried to fetch refused URLs: {fetcher.refused}")
    if missing:
        chars = ", ".join(f"{chr(cp)} U+{cp:04X}" for cp in sorted(missing))
        raise CertificateRenderError(f"no installed font has a glyph for: {chars}")
    return pdf


PRIMITIVES = (str, int, float, bool, date, type(None))


def _check_primitive(value: Any, where: str) -> None:
    if isinstance(value, PRIMITIVES):
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_primitive(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CertificateRenderError(f"{where} has a key that is not text")
            _check_primitive(item, f"{where}[{key!r}]")
    else:
        raise CertificateRenderError(
            f"{where} is a {type(value).__name__}; pass only text, numbers, dates, lists, dicts")


def render_document(template_name: str, context: dict) -> bytes:
    """Any other PDF (e.g. a published list) from templates/<template_name>, the safe way.

    Same sandboxed, autoescaping Jinja environment, shared fonts and SafeFetcher as the
    certificate, without certificate.css (the template brings its own <style>). The context
    must hold only primitives (str, int, float, bool, None, date) and lists/dicts of them.
    Fails closed like render_certificate (refused fetch, missing glyph).
    """
    _check_primitive(context, "context")
    with _LOCK:
        template = _state()["env"].get_template(template_name)
    fetcher = SafeFetcher()
    pdf, missing = render_html(template.render(**context), fetcher, certificate_style=False)
    return _checked(pdf, fetcher, missing)

