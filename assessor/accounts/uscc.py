"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters from a 31-character alphabet (digits and capitals without I, O, S, V, Z); the last
is a check character: 31 − (Σ value × 3^i mod 31) mod 31, i counting from the first character.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..platform.refusal import Refused

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]


class USCCError(Refused):
    """A code that is not a USCC; `en` for the API, which answers in both languages."""

    def __init__(self, zh: str, en: str):
        super().__init__(zh, "uscc")
        self.en = en


def check_character(first17: str) -> str:
    total = sum(_VALUES[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    """The code in capitals, checked; USCCError when it is not valid (`zh`: the message in the
    user's language, Chinese outside a request; `en`: English)."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        raise USCCError(_("统一社会信用代码应为18位"), "a USCC has 18 characters")
    bad = sorted({c for c in code if c not in _VALUES})
    if bad:
        raise USCCError(_("统一社会信用代码含无效字符：%(chars)s（不使用 I、O、S、V、Z）",
                          chars="".join(bad)),
                        f"invalid characters: {''.join(bad)}")
    if not code[2:8].isdigit():
        raise USCCError(_("统一社会信用代码第3–8位应为行政区划代码（数字）"),
                        "characters 3-8 must be the administrative division code")
    if check_character(code[:17]) != code[17]:
        raise USCCError(_("统一社会信用代码校验位不正确，请核对"), "the check character does not match")
    return code


def make(first17: str) -> str:
    """A valid code from its first 17 characters (demo data and tests)."""
    return first17 + check_character(first17)


# registered by the province's or the state's authority: the code names no city
_ABOVE_CITY = ("5200", "1000")


def city_mismatch(code: str, city: str) -> str | None:
    """A warning (not a refusal) when the registration authority in the code (characters 3-8,
    an administrative division) lies outside the chosen 市（州）; None when it agrees or cannot
    tell. Offices move and branches register elsewhere, so the officer judges."""
    from ..platform.i18n import is_english
    from .regions import CITIES, DIVISION_PREFIXES, city_name

    division = (code or "")[2:8]
    if len(division) != 6 or not division.isdigit() or city not in CITIES:
        return None
    if division.startswith(_ABOVE_CITY) or division.startswith(DIVISION_PREFIXES[city]):
        return None
    return _("统一社会信用代码中的登记管理机关行政区划码 %(division)s 不在所选的%(city)s，请核对所在市（州）。",
             division=division, city=city_name(city, is_english()))
