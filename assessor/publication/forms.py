"""The forms of publication's pages: the public objection, and the officer's actions on the
publication page. Lengths and blanks of free text are the services' to refuse (their messages
name the field and the limit); a reason's 2,000 characters are refused before any view
(request_guards.MAX_REASON). CSRF is checked on each, as on every form of the site."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, StringField
from wtforms.validators import StopValidation
from wtforms.widgets import DateInput

from .official import DocumentNumberError, document_number


class DayField(Field):
    """An ISO date from 2000 to 2100; None when missing, malformed or outside (working days
    counted on from 9999-12-31 would overflow)."""

    widget = DateInput()

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            try:
                day = date.fromisoformat(valuelist[0])
            except ValueError:
                return
            self.data = day if 2000 <= day.year <= 2100 else None


class NumberField(IntegerField):
    """A whole number, or None when missing or not a number (never an error by itself)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None


class Given:
    """Refuses a field whose value is None (missing, or not what the field reads)."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data is None:
            raise StopValidation(self.message)


def first_error(form: FlaskForm) -> str:
    return str(next(message for errors in form.errors.values() for message in errors))


class ObjectionForm(FlaskForm):
    """Anyone's objection on the publicity page (attachments are read from every file field)."""
    application = NumberField()
    name = StringField(default="")
    contact = StringField(default="")
    reason = StringField(default="")

    def values(self) -> dict[str, str]:
        """What was typed, to show the form again."""
        return {"application": (self.application.raw_data or [""])[0], "name": self.name.data,
                "contact": self.contact.data, "reason": self.reason.data}


class PublicityForm(FlaskForm):
    starts_on = DayField(validators=[Given(_l("请填写公示开始日期"))])


class PublishForm(FlaskForm):
    """Publishing the list, under its 文号 (official.document_number: what one looks like)."""
    document_number = StringField(_l("名单文号"), default="",
                                  render_kw={"maxlength": 60, "autocomplete": "off"})

    def validate_document_number(self, field):
        try:
            field.data = document_number(field.data)
        except DocumentNumberError as error:
            raise StopValidation(error.zh) from None


class HolidayForm(FlaskForm):
    round = NumberField()  # the publication page to go back to
    day = DayField(validators=[Given(_l("请填写日期"))])
    name = StringField(default="")
    remove = StringField(default="")


class ObjectionDecisionForm(FlaskForm):
    decision = StringField(default="")
    reason = StringField(default="")

    @property
    def upheld(self) -> bool:
        return self.decision.data == "uphold"


class ReasonForm(FlaskForm):
    """A removal from the list, a certificate's revocation."""
    reason = StringField(default="")


class FilingCallForm(FlaskForm):
    year = NumberField(validators=[Given(_l("请填写年度和截止日期"))])
    deadline = DayField(validators=[Given(_l("请填写年度和截止日期"))])


class SubmitFilingForm(FlaskForm):
    """The annual filing page's second form: 'submit' (the first saves the data)."""
    submit_filing = StringField(default="")
