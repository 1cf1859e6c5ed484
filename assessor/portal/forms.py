"""The portal's forms: a notice (officers), withdrawing one, and the public objection lookup.
Blanks and lengths are the services' to refuse, each message on its field; CSRF on every one."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget


class DayField(DateField):
    """An ISO date from 2000 to 2100, else None (the service names the field); what was typed
    is shown again."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0]:
            try:
                day = date.fromisoformat(valuelist[0].strip())
            except ValueError:
                return
            self.data = day if 2000 <= day.year <= 2100 else None


class NoticeForm(FlaskForm):
    title = StringField(_l("标题"))
    number = StringField(_l("文号"), description=_l("如 黔工信节能〔2025〕12号；没有文号的留空"))
    issued_on = DayField(_l("发布日期"))
    body = TextAreaField(_l("正文"), description=_l("纯文本；空一行分段"))
    attachments = MultipleFileField(_l("添加附件"))
    remove = SelectMultipleField(_l("删除附件"), coerce=int, choices=[], validate_choice=False,
                                 widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput())


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("撤回理由"))


class PublishForm(FlaskForm):
    """Nothing but the CSRF token: publishing is one button."""


class ObjectionLookupForm(FlaskForm):
    reference = StringField(_l("异议受理编号"))
