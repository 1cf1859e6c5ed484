"""The self-assessment form's units and amounts (a number beside its unit list), shared by the
form and its sector blocks; labels that come from data in both languages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import FormField, SelectField
from wtforms.validators import Optional

from ..platform.formkit import SubForm, options
from ..platform.i18n import pick
from .excel.layout import UNITS  # one list of unit choices for the form and the workbook
from .number_fields import NOT_NEGATIVE, NumberField

# the sector blocks' own units (kept apart: the Excel template's UNITS mirror the ones above)
SECTOR_UNITS = {
    "share": ["%", "fraction"],
    "tCO2/t": ["tCO2/t", "kgCO2/t"],
    "tC/t": ["tC/t", "kgC/t"],
    "min/d": ["min/d"],
    "flow": ["t", "kg", "万t", "Nm3", "万Nm3"],
    "carbon": ["%", "tC/t", "tC/万Nm3"],
    "water": ["m3", "万m3", "L"],
}


def pair(zh: str, en: str) -> LazyString:
    """A label from data that comes in both languages, chosen when the page is rendered (the
    form classes are built once and shared by every request)."""
    return LazyString(pick, (zh, en))


def unit_choices(kind: str) -> list:
    """A unit list's choices: the value is the engine's unit; 万 (10⁴) is spelt out in English."""
    listed = UNITS.get(kind) or SECTOR_UNITS[kind]
    return options((u, pair(u, u.replace("万", "10⁴ "))) for u in listed)


def amount_form(kind: str, label: str = "") -> type[SubForm]:
    class AmountForm(SubForm):
        quantity = NumberField(label or _l("数量"), validators=[Optional(), NOT_NEGATIVE])
        unit = SelectField(_l("单位"), choices=unit_choices(kind),
                           validate_choice=False)  # the engine checks units, with its message
    return AmountForm


def amount_field(kind: str, label) -> FormField:
    """An amount of a sector block: its label on the row and on its number."""
    return FormField(amount_form(kind, label), label=label)
