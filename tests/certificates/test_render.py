"""Certificate rendering: content, page size, fonts, escaping, and what the renderer may fetch."""

from __future__ import annotations

import base64
import http.server
import io
import re
import subprocess
import threading
from datetime import date
from pathlib import Path
from typing import ClassVar

import pypdf
import pytest
import segno
from jinja2 import DictLoader
from jinja2.sandbox import SandboxedEnvironment
from pypdf.generic import StreamObject
from weasyprint.urls import URLFetchingError, fetch

from assessor.certificates import fonts as cert_fonts
from assessor.certificates import render
from assessor.certificates.render import (
    STATIC_DIR,
    CertificateRenderError,
    RefusedURL,
    SafeFetcher,
    certificate_html,
    qr_svg,
    render_certificate,
    render_document,
    render_html,
)

NAME = "贵州㵲阳河喆堃新材料有限公司"  # 㵲 is U+3D72, CJK Extension A, not in GB 2312
SERIAL = "ZC25-7QK4-M2XP-9TBD"
FACTS = {
    "organisation": NAME,
    "organisation_en": "Guizhou Wuyanghe Zhekun New Materials Co., Ltd.",
    "level_title_zh": "零碳工厂（培育）",
    "level_title_en": "Zero-Carbon Factory (Cultivation)",
    "round_title": "2025年贵州省零碳工厂培育名单（第一批）",
    "round_title_en": "Guizhou Zero-Carbon Factory Cultivation List 2025 (Batch 1)",
    "criteria_id": "GZ-F-2024",
    "criteria_version": "2024.1",
    "issue_date": date(2025, 6, 1),
    "valid_until": "2028-05-31",
    "serial": SERIAL,
    "verify_url": f"http://127.0.0.1:5000/verify/{SERIAL}",
}
PASSWD_LINE = Path("/etc/passwd").read_text().splitlines()[0]  # e.g. root:x:0:0:root:/root:…
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def page_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def decoded_streams(pdf: bytes) -> bytes:
    """Every stream of the PDF, decompressed, concatenated (to look for leaked content)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    chunks = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # free or odd objects are not what we look for
            continue
        if isinstance(obj, StreamObject):
            chunks.append(obj.get_data())
    return b"\n".join(chunks)


def assert_nothing_from_passwd(pdf: bytes) -> None:
    assert PASSWD_LINE not in page_text(pdf)
    assert PASSWD_LINE.encode() not in pdf
    assert PASSWD_LINE.encode() not in decoded_streams(pdf)
    assert b"root:x:0:0" not in decoded_streams(pdf)
    assert b"/EmbeddedFiles" not in pdf


@pytest.fixture(scope="module")
def certificate() -> bytes:
    return render_certificate(FACTS)


def test_text_has_the_exact_name_serial_and_facts(certificate):
    text = page_text(certificate)
    assert NAME in text
    assert SERIAL in text
    for fact in ("零碳工厂（培育）", "Zero-Carbon Factory", "GZ-F-2024", "2024.1",
                 "2025年6月1日", "2025-06-01", "2028年5月31日", "2028-05-31",
                 "2025年贵州省零碳工厂培育名单（第一批）", "贵州省工业和信息化厅"):
        assert fact in text.replace("\n", " "), fact
    # Chinese first, English second
    assert text.index(NAME) < text.index("Guizhou Wuyanghe")
    assert text.index("经评价") < text.index("Having been assessed")


def test_page_is_a4_landscape(certificate):
    reader = pypdf.PdfReader(io.BytesIO(certificate))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(841.89, abs=1)
    assert float(box.height) == pytest.approx(595.28, abs=1)


def _embedded(pdf: bytes) -> dict[str, int]:
    """The page's fonts: name -> bytes of the embedded font file."""
    fonts = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    found = {}
    for font in fonts.values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        file = next(descriptor[k] for k in ("/FontFile3", "/FontFile2") if k in descriptor)
        found[str(font["/BaseFont"])] = len(file.get_object().get_data())
    return found


def test_fonts_are_small_embedded_subsets_of_the_compact_copy(certificate):
    # make makes the compact copy of Noto Sans CJK SC (certificates/fonts.py); a subset of the
    # full collection would be 650-780 KB a face, mostly empty glyphs
    assert cert_fonts.font_face_css(), "run make (flask --app assessor certificates fonts)"
    found = _embedded(certificate)
    assert found and all(re.match(r"/[A-Z]{6}\+Assessor-Sans", name) for name in found), found
    assert all(size < 400_000 for size in found.values()), found


def test_without_the_compact_copy_the_same_text_is_drawn_with_noto(monkeypatch, tmp_path):
    with_copy = render_certificate(FACTS)
    monkeypatch.setattr(cert_fonts, "FOLDER", tmp_path)
    render._STATE.clear()
    try:
        without = render_certificate(FACTS)
        assert all("Noto-Sans-CJK-SC" in name for name in _embedded(without))
        assert page_text(without) == page_text(with_copy)
    finally:
        render._STATE.clear()


def _font_covers(codepoint: int) -> bool:
    try:
        found = subprocess.run(["fc-list", f":charset={codepoint:x}", "family"],
                               capture_output=True, text=True, timeout=30).stdout
    except FileNotFoundError:
        return False
    return bool(found.strip())


def test_rare_extension_b_ideographs_render():
    name = "贵州𠀀𪚥科技有限公司"  # U+20000, U+2A6A5: CJK Extension B
    # set-up installs fonts-hanazono for these; without it this fails rather than skips
    assert all(_font_covers(ord(ch)) for ch in "𠀀𪚥"), "install fonts-hanazono (make test does)"
    text = page_text(render_certificate({**FACTS, "organisation": name}))
    assert name in text


def test_a_character_no_font_has_is_refused_not_drawn_as_a_box():
    with pytest.raises(CertificateRenderError, match=r"U\+10FFFD"):
        render_certificate({**FACTS, "organisation": "贵州\U0010fffd有限公司"})


def test_markup_in_a_name_prints_as_text_and_fetches_nothing():
    name = "<img src=file:///etc/passwd>"
    html = certificate_html({**FACTS, "organisation": name})
    assert "&lt;img src=file:///etc/passwd&gt;" in html
    assert "<img src=file:///etc/passwd>" not in html
    fetcher = SafeFetcher()
    pdf, missing = render_html(html, fetcher)
    assert not missing
    assert fetcher.refused == []
    assert name in page_text(pdf)
    assert_nothing_from_passwd(pdf)
    assert_nothing_from_passwd(render_certificate({**FACTS, "organisation": name}))


def test_template_syntax_in_facts_is_not_evaluated():
    html = certificate_html({**FACTS, "organisation": "{{ 7*7 }}{% raw %}x", "serial": "AB-1234"})
    assert "{{ 7*7 }}{% raw %}x" in html
    assert ">49<" not in html


def test_publication_field_names_are_accepted():
    facts = {key: value for key, value in FACTS.items()
             if key not in ("level_title_zh", "level_title_en", "issue_date")}
    facts.update(level_zh="零碳工业园区（培育）", level_en="Zero-Carbon Industrial Park (Cultivation)",
                 issued_on="2025-06-01", subject="park")
    text = page_text(render_certificate(facts))
    assert "零碳工业园区（培育）" in text and "2025年6月1日" in text


@pytest.mark.parametrize("facts, message", [
    ({"organisation": ""}, "missing"),
    ({"serial": "../../etc"}, "serial"),
    ({"serial": "AB"}, "serial"),
    ({"verify_url": "javascript:alert(1)"}, "verify_url"),
    ({"verify_url": "file:///etc/passwd"}, "verify_url"),
    ({"valid_until": "2020-01-01"}, "before"),
    ({"issue_date": "next week"}, "issue_date"),
    ({"organisation": "x" * 301}, "longer"),
    ({"organisation": {"name": "贵州"}}, "text"),
])
def test_bad_facts_are_refused(facts, message):
    with pytest.raises(CertificateRenderError, match=message):
        render_certificate({**FACTS, **facts})


# --- the URL fetcher ------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "http://127.0.0.1/",
    "https://example.com/",
    "ftp://127.0.0.1/x",
    "data:text/plain,root:x:0:0",
    "data:text/html;base64," + base64.b64encode(b"<p>root:x:0:0</p>").decode(),
    "data:text/css,body{}",
    "data:application/pdf;base64,JVBERi0=",
    "data:,root",
    "cert-static:../../../etc/passwd",
    "cert-static:%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "cert-static:/../../etc/passwd",
    "cert-static://127.0.0.1/emblem.svg",
    "cert-static:emblem.svg?x=1",
    "cert-static:missing.svg",
    "cert-static:",
    "emblem.svg",
    "/etc/passwd",
    "javascript:alert(1)",
])
def test_fetcher_refuses(url):
    fetcher = SafeFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    # the way WeasyPrint calls it: an error it logs, never content
    with pytest.raises(URLFetchingError), fetch(SafeFetcher(), url):
        pass


def test_fetcher_refuses_files_outside_the_folder_and_unknown_kinds(tmp_path):
    root = tmp_path / "assets"
    root.mkdir()
    (root / "leak.svg").symlink_to("/etc/passwd")
    (root / "notes.txt").write_text("secret")
    (root / "page.html").write_text("<p>x</p>")
    fetcher = SafeFetcher(root)
    for url in ("cert-static:leak.svg", "cert-static:notes.txt", "cert-static:page.html"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_fetcher_serves_our_static_files_and_image_data_urls():
    fetcher = SafeFetcher()
    response = fetcher.fetch("cert-static:emblem.svg")
    assert response.read() == (STATIC_DIR / "emblem.svg").read_bytes()
    assert response.content_type == "image/svg+xml"
    response = fetcher.fetch("cert-static:certificate.css")
    assert response.content_type == "text/css"
    png = fetcher.fetch("data:image/png;base64," + base64.b64encode(PNG_1PX).decode())
    assert png.read() == PNG_1PX and png.content_type == "image/png"
    svg = fetcher.fetch("data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000"
                        "%2Fsvg%22%2F%3E")
    assert svg.read().startswith(b"<svg") and svg.content_type == "image/svg+xml"
    assert fetcher.refused == []


def test_our_template_and_stylesheet_only_reference_cert_static():
    css = (STATIC_DIR / "certificate.css").read_text()
    template = (render.TEMPLATES_DIR / render.TEMPLATE_NAME).read_text()
    # the one exception: the seal, a data:image/ URL that render._seal checks (test_official)
    template = template.replace('src="{{ seal }}"', "")
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + re.findall(
        r"(?:src|href|data)\s*=\s*['\"]?([^'\"\s>]+)", template)
    assert urls, "expected the emblem reference at least"
    assert all(url.startswith("cert-static:") for url in urls), urls
    assert "@import" not in css and "@font-face" not in css


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        self.hits.append(self.path)
        body = b"root:x:0:0 from http"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_hostile_references_in_html_and_css_are_not_fetched(local_server):
    base, hits = local_server
    leaky = "data:text/plain;base64," + base64.b64encode(PASSWD_LINE.encode()).decode()
    html = f"""<!doctype html><html><head>
    <link rel="stylesheet" href="{base}/style.css">
    <link rel="stylesheet" href="file:///etc/passwd">
    <link rel="attachment" href="file:///etc/passwd">
    <link rel="attachment" href="{base}/attach">
    <style>
      @import url("{base}/import.css");
      @import url("file:///etc/passwd");
      @font-face {{ font-family: Leak; src: url(file:///usr/share/fonts/truetype/dejavu/DejaVuSans.ttf); }}
      .bg {{ background-image: url({base}/bg.png); font-family: Leak; }}
      .li {{ list-style-image: url(file:///etc/passwd); }}
    </style></head><body>
    <p class="bg">marker-visible</p>
    <ul class="li"><li>item</li></ul>
    <img src="file:///etc/passwd" alt="">
    <img src="{base}/img.png" alt="">
    <img src="{leaky}" alt="">
    <object data="file:///etc/passwd" type="text/plain"></object>
    <embed src="{base}/embed" type="image/png">
    <iframe src="file:///etc/passwd"></iframe>
    <svg width="20" height="20"><image href="file:///etc/passwd" width="20" height="20"/>
      <image href="{base}/svg.png" width="20" height="20"/></svg>
    </body></html>"""
    fetcher = SafeFetcher()
    pdf, _ = render_html(html, fetcher)
    assert hits == []  # not one request reached the local server
    assert "marker-visible" in page_text(pdf)
    assert_nothing_from_passwd(pdf)
    assert b"from http" not in decoded_streams(pdf)
    refused = set(fetcher.refused)
    for url in ("file:///etc/passwd", f"{base}/style.css", f"{base}/import.css",
                f"{base}/img.png", f"{base}/bg.png", f"{base}/attach", f"{base}/embed",
                f"{base}/svg.png", "file:///usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                leaky):
        assert url in refused, url
    assert all(not url.startswith("cert-static:") for url in refused)


def test_render_certificate_fails_closed_when_the_template_reaches_out(monkeypatch):
    hostile = SandboxedEnvironment(autoescape=True).from_string(
        '<p>{{ organisation }}</p><img src="file:///etc/passwd">'
        '<img src="http://127.0.0.1:9/x.png">')
    monkeypatch.setitem(render._state(), "template", hostile)
    with pytest.raises(CertificateRenderError, match="refused"):
        render_certificate(FACTS)


LIST_TEMPLATE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<style>@page { size: A4; margin: 15mm } body { font-family: "Noto Sans CJK SC" }</style></head>
<body><h1>{{ title }}</h1>{% for r in rows %}<p>{{ r["序号"] }}. {{ r["单位名称"] }}</p>{% endfor %}
</body></html>"""


@pytest.fixture
def list_template(monkeypatch):
    env = SandboxedEnvironment(loader=DictLoader({"list.html": LIST_TEMPLATE}), autoescape=True)
    monkeypatch.setitem(render._state(), "env", env)


def test_render_document_renders_other_templates_the_same_safe_way(list_template):
    rows = [{"序号": 1, "单位名称": NAME}, {"序号": 2, "单位名称": "<img src=file:///etc/passwd>"}]
    pdf = render_document("list.html", {"title": "培育名单", "rows": rows})
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert float(reader.pages[0].mediabox.height) == pytest.approx(841.89, abs=1)  # portrait
    text = page_text(pdf)
    assert NAME in text and "<img src=file:///etc/passwd>" in text
    assert_nothing_from_passwd(pdf)


def test_render_document_takes_primitives_only(list_template):
    with pytest.raises(CertificateRenderError, match="pass only text"):
        render_document("list.html", {"title": "x", "rows": [{"序号": 1, "单位名称": object()}]})


# --- the QR code ----------------------------------------------------------------------------

def test_qr_code_is_segnos_matrix_for_the_verify_url_inline():
    html = certificate_html(FACTS)
    svg = qr_svg(FACTS["verify_url"])
    assert svg in html
    assert "data:" not in html and "http://127.0.0.1:5000/verify/" + SERIAL in html
    expected = segno.make(FACTS["verify_url"], error="m", micro=False)
    # the inline SVG path draws exactly segno's dark modules (rows of runs), border 2
    dark = set()
    x = y = 0.0
    for command, number, rest in re.findall(r"([Mmh])(-?\d+(?:\.\d+)?)(?: (-?\d+(?:\.\d+)?))?",
                                             re.search(r' d="([^"]+)"', svg).group(1)):
        if command == "M":
            x, y = float(number), float(rest)
        elif command == "m":
            x, y = x + float(number), y + float(rest)
        else:
            dark.update((int(x) + i - 2, int(y) - 2) for i in range(int(number)))
            x += float(number)
    matrix = {(col, row) for row, line in enumerate(expected.matrix)
              for col, bit in enumerate(line) if bit}
    assert dark == matrix


def test_qr_code_in_the_pdf_decodes_to_the_verify_url(certificate):
    import pypdfium2 as pdfium
    import zxingcpp
    document = pdfium.PdfDocument(certificate)
    try:
        image = document[0].render(scale=2).to_pil()
    finally:
        document.close()
    texts = [result.text for result in zxingcpp.read_barcodes(image)]
    assert texts == [FACTS["verify_url"]]
