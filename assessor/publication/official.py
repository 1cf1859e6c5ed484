"""What makes a published list and its certificates official, in one place: the programme's full
title (from the round's subject), the issuing department (from the configuration) and the list's
document number (文号) as the officer enters it at publication. The certificate, the list's PDF
and the public list page all take them from here; the seal image is certificates/settings.py's.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from ..platform.refusal import Refused

PROGRAMMES = {
    "factory": ("贵州省零碳工厂培育名单", "Guizhou Zero-Carbon Factory Cultivation List"),
    "park": ("贵州省零碳工业园区培育名单", "Guizhou Zero-Carbon Industrial Park Cultivation List"),
}
DEPARTMENT_ZH = "贵州省工业和信息化厅"
DEPARTMENT_EN = "Guizhou Department of Industry and Information Technology"

DOCUMENT_NUMBER_MAX = 60  # the column's size
# The year of a 文号 in any brackets people type; printed in 〔 〕 as GB/T 9704-2012 has it.
_YEAR = re.compile(r"[\[［(（〔【]((?:19|20)\d{2})[\]］)）〕】]")
_WHOLE = re.compile(r"[^\s〔〕]{1,30}〔(?:19|20)\d{2}〕\d{1,6}号")


def programme_title(subject: str) -> dict[str, str]:
    """The programme a round's list belongs to, by the round's subject (factory or park)."""
    zh, en = PROGRAMMES[subject]
    return {"zh": zh, "en": en}


def department(config) -> dict[str, str]:
    """The issuing department as configured (ISSUING_DEPARTMENT, ISSUING_DEPARTMENT_EN)."""
    return {"zh": config.get("ISSUING_DEPARTMENT") or DEPARTMENT_ZH,
            "en": config.get("ISSUING_DEPARTMENT_EN") or DEPARTMENT_EN}


class DocumentNumberError(Refused):
    """The 文号 typed at publication cannot be printed as one."""


def document_number(text: str | None) -> str:
    """The 文号 as it is printed, e.g. 黔工信节能〔2025〕12号: blanks dropped and the year's
    brackets made 〔 〕 whatever was typed ([2025], （2025）…); refused unless it reads as the
    issuer's code, the year in brackets and the number with 号."""
    value = "".join((text or "").split())
    if not value:
        raise DocumentNumberError(_("请填写名单的文号"), "document_number")
    value = _YEAR.sub(lambda m: f"〔{m.group(1)}〕", value)
    if len(value) > DOCUMENT_NUMBER_MAX or not _WHOLE.fullmatch(value):
        raise DocumentNumberError(
            _("文号应写作“发文机关代字〔年份〕序号号”，例如 黔工信节能〔2025〕12号"),
            "document_number")
    return value
