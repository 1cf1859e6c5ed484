"""The small forms of the application pages: a new application, a move, evidence, an Excel
import (the self-assessment form itself is forms.py). A reason's 2,000 characters are refused
before any view (request_guards.MAX_REASON). CSRF is checked on each, as on every form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, Length

from .submission import SIGNER_MAX


class NewApplicationForm(FlaskForm):
    # None when missing or not a number; its id is the chosen round's button (the view)
    round = IntegerField(_l("申报批次"))


class MoveForm(FlaskForm):
    action = StringField(default="")
    # None when not given: the move asks for one if it needs it; its id names the move (view)
    reason = StringField(_l("理由"))


class EvidenceForm(FlaskForm):
    item = StringField(_l("材料用途"), default="")  # what the file is evidence of: each file's
    file = FileField(_l("文件"))  # after the kind, as on the page (the summary's order)

    def chosen(self, kinds) -> bool:
        """A kind of `kinds` and a file chosen; else each missing one refused on its field."""
        if self.item.data not in kinds:  # nothing is preselected: each file's kind is chosen
            self.item.errors = [_l("请选择材料用途")]
        if chosen_file(self) is None:
            self.file.errors = [_l("请选择文件")]
        return not (self.item.errors or self.file.errors)


class EvidenceKindForm(FlaskForm):
    item = StringField(_l("材料用途"), default="")  # the kind; its id names the file (view)


class CommitmentForm(FlaskForm):
    """The commitment letter signed before submitting (check your answers)."""

    agreed = BooleanField(_l("我已阅读并同意以上承诺"),
                          validators=[DataRequired(_l("提交前须阅读并勾选承诺书"))])
    signer_name = StringField(_l("签署人姓名"), validators=[
        DataRequired(_l("请填写承诺书签署人姓名")),
        Length(max=SIGNER_MAX, message=_l("不能超过 60 字"))])
    signer_position = StringField(_l("签署人职务"), validators=[
        DataRequired(_l("请填写承诺书签署人职务")),
        Length(max=SIGNER_MAX, message=_l("不能超过 60 字"))])


class ExcelUploadForm(FlaskForm):
    file = FileField()


class ExcelConfirmForm(FlaskForm):
    token = StringField(default="")  # names the previewed data kept on the server


def chosen_file(form):
    """The uploaded file, or None when none was chosen."""
    upload = form.file.data
    return upload if upload is not None and upload.filename else None
