"""The forms of publication's pages: the public objection, and the officer's actions on the
publication page. Lengths and blanks of free text are the services' to refuse (their messages
name the field and the limit); a reason's 2,000 characters are refused before any view
(request_guards.MAX_REASON). CSRF is checked on each, as on every form of the site."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Field, IntegerField, StringField
from wtforms.validators import DataRequired, StopValidation
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


def on_fields(form: FlaskForm, found) -> None:
    """Each (field, message) refused on its field of `form`; the rest above the form."""
    for name, message in found:
        if name and name in form:
            form[name].errors = [*form[name].errors, message]
        else:
            form.form_errors.append(message)


class ObjectionForm(FlaskForm):
    """Anyone's objection on the publicity page (attachments are read from every file field)."""
    application = NumberField(_l("异议对象"))
    name = StringField(_l("姓名或单位"), default="")
    contact = StringField(_l("联系方式"), default="")
    reason = StringField(_l("异议理由"), default="")
    attachment = FileField(_l("附件"))

    def values(self) -> dict[str, str]:
        """What was typed, to show the form again."""
        return {"application": (self.application.raw_data or [""])[0], "name": self.name.data,
                "contact": self.contact.data, "reason": self.reason.data}


class VerifyUploadForm(FlaskForm):
    """A certificate's PDF, checked against the issued one's SHA-256 on the verify page."""
    pdf = FileField(_l("证书 PDF"))


class PublicityForm(FlaskForm):
    starts_on = DayField(_l("公示开始日期"), validators=[Given(_l("请填写公示开始日期"))])


class HolidayForm(FlaskForm):
    round = NumberField()  # the publication page to go back to
    day = DayField(_l("节假日日期"), validators=[Given(_l("请填写日期"))], id="holiday-day")
    name = StringField(_l("节假日名称"), default="", id="holiday-name")
    remove = StringField(default="")


class ObjectionDecisionForm(FlaskForm):
    decision = StringField(default="")
    reason = StringField(_l("处理理由"), default="")  # its id names the objection (the view)

    @property
    def upheld(self) -> bool:
        return self.decision.data == "uphold"


class ReasonForm(FlaskForm):
    """A removal from the list, a certificate's revocation (the view names the field's id and
    label after the line it is about)."""
    reason = StringField(_l("理由"), default="")


class FilingCallForm(FlaskForm):
    year = NumberField(_l("数据年度"), validators=[Given(_l("请填写年度和截止日期"))],
                       id="filing-year")
    deadline = DayField(_l("截止日期"), validators=[Given(_l("请填写年度和截止日期"))],
                        id="filing-deadline")


class PublishForm(FlaskForm):
    """Publishing the list, under its 文号 (official.document_number: what one looks like). It
    cannot be taken back: the officer confirms it on the form."""
    document_number = StringField(_l("名单文号"), default="",
                                  render_kw={"maxlength": 60, "autocomplete": "off"})
    confirm = BooleanField(_l("我已核对公示结果和异议处理情况，确认发布培育名单"), id="publish-confirm",
                           validators=[DataRequired(_l("请勾选确认后再发布名单"))])

    def validate_document_number(self, field):
        try:
            field.data = document_number(field.data)
        except DocumentNumberError as error:
            raise StopValidation(error.zh) from None


class IssueForm(FlaskForm):
    """Certificates are signed and sent out: the officer confirms it on the form."""
    confirm = BooleanField(_l("确认为名单中尚无有效证书的单位签发证书"), id="issue-confirm",
                           validators=[DataRequired(_l("请勾选确认后再签发证书"))])


class SubmitFilingForm(FlaskForm):
    """The annual filing page's second form: 'submit' (the first saves the data)."""
    submit_filing = StringField(default="")
