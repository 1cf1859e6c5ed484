"""Numbers as people type and read them: 2,700,000, 2700000, ２７００００, 2 700 000 and 1。5 (a
Chinese input method's full stop) are read; a number is shown back with thousands separators
and every digit it has, so the text shown reads back as exactly the same number."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal

from flask_babel import lazy_gettext as _l

NUMBER = _l("请填写数字")
WHOLE = _l("请填写整数")
GROUPING = _l("千位分隔符位置不对：整数部分每三位一组（如 2,700,000），小数点用“.”")

# separators between groups of three digits: commas (ASCII or full-width, after NFKC), spaces
# of every width and the apostrophe some spreadsheets use
_SEPARATORS = re.compile(r"[\s,'’]+")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_LONGEST_SHOWN = 40  # beyond this (1e300) the number is shown as Python writes it


def _plain(text: str) -> str:
    """Full-width digits and signs made ASCII, 。 read as the decimal point, separators as one
    comma; a separator within the digits is kept for checking where it stands."""
    text = unicodedata.normalize("NFKC", text).replace("。", ".").replace("−", "-").strip()
    return _SEPARATORS.sub(",", text)


def _ungrouped(text: str) -> str:
    """The digits without their separators; ValueError (GROUPING) where the separators are not
    every three digits of the whole part: 1,5 is not read as 15."""
    if "," not in text:
        return text
    if not _GROUPED.match(text):
        raise ValueError(GROUPING)
    return text.replace(",", "")


def parse_number(text: str) -> float | None:
    """A typed number, None for blank; ValueError with the message to show. nan, inf and 1e400
    are read as Python reads them (the engine refuses them in its words, beside the field)."""
    text = _plain(text or "")
    if not text:
        return None
    text = _ungrouped(text)
    try:
        return float(text)
    except ValueError:
        raise ValueError(NUMBER) from None


def parse_whole(text: str) -> int | None:
    """A typed whole number (a count of certificates), None for blank."""
    text = _plain(text or "")
    if not text:
        return None
    text = _ungrouped(text)
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(WHOLE)
    return int(text)


def show_number(value) -> str:
    """2700000.0 as 2,700,000; 0.1 as 0.1 (the shortest digits that read back as the same
    float); not finite or not a number: as Python writes it."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if not math.isfinite(value):
        return repr(value)
    exact = Decimal(repr(value))
    if exact == exact.to_integral_value():
        exact = exact.to_integral_value()  # 2700000.0 → 2700000; 1e+30 keeps its exponent
    shown = f"{exact:,f}"
    return shown if len(shown) <= _LONGEST_SHOWN else repr(value)
