"""The form's number inputs: typed as people write numbers (numbertext.py), shown back with
thousands separators, and a number input's keyboard on a phone."""

from __future__ import annotations

import math

from flask_babel import lazy_gettext as _l
from wtforms import FloatField, IntegerField
from wtforms.validators import NumberRange, StopValidation
from wtforms.widgets import TextInput

from .numbertext import parse_number, parse_whole, show_number


class _TypedAsPeopleWrite:
    """What both fields share: a text input with a number keyboard on phones, read by `read`
    (numbertext.py), shown back as typed when the form comes back with a problem."""

    widget = TextInput()
    inputmode = "decimal"

    @staticmethod
    def read(text: str):
        raise NotImplementedError

    def shown(self) -> str:
        raise NotImplementedError

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = self.read(valuelist[0])
        except ValueError:
            self.data = None
            raise

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.shown()

    def __call__(self, **kwargs):
        kwargs.setdefault("inputmode", self.inputmode)
        kwargs.setdefault("autocomplete", "off")
        return super().__call__(**kwargs)


class NumberField(_TypedAsPeopleWrite, FloatField):
    """A typed number. Text (true, 12kg) is "请填写数字", not WTForms' float jargon; 1,5 is a
    misplaced separator, never 15; nan, inf and 1e400 are passed on for the engine to refuse in
    its words, beside the field. A stored 2700000.0 is shown as 2,700,000. A text input: a
    browser's number input refuses 2,700,000 and full-width digits."""

    read = staticmethod(parse_number)

    def shown(self) -> str:
        return show_number(self.data)


class CountField(_TypedAsPeopleWrite, IntegerField):
    """A whole number (certificates, serials): 8,000 and ８０００ read as 8000 (a text input:
    a browser's number input drops 8,000 before it is sent)."""

    inputmode = "numeric"
    read = staticmethod(parse_whole)

    def shown(self) -> str:
        return show_number(self.data) if isinstance(self.data, int) else ""


class _Range(NumberRange):
    """NumberRange that is silent where the engine speaks: a value that is not a number (the
    field said so) or not finite (the engine says so; WTForms would call nan negative)."""

    def __call__(self, form, field):
        if field.data is None:
            raise StopValidation()
        if math.isfinite(field.data):
            super().__call__(form, field)


NOT_NEGATIVE = _Range(min=0, message=_l("不能为负数"))
