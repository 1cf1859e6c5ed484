"""Two languages: every interface string is in the English catalogue, and English pages use it."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "assessor" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def interface_messages() -> set[str]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None,
                "lazy_gettext": None}
    found = set()
    for _filename, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_english_catalogue_misses_no_string():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m
                  for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(interface_messages() - set(translated))
    assert not missing, f"{len(missing)} strings lack an English translation: {missing[:20]}"


def test_english_pages_use_the_catalogue(applicant_client, client):
    client.post("/language", data={"locale": "en", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page and "登录" not in page
    applicant_client.post("/language", data={"locale": "en", "next": "/"})
    assert "工作台" not in applicant_client.get("/").get_data(as_text=True)
