"""The small forms of the application pages: a new application, a move, evidence, an Excel
import (the self-assessment form itself is forms.py). A reason's 2,000 characters are refused
before any view (request_guards.MAX_REASON). CSRF is checked on each, as on every form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, StringField


class NewApplicationForm(FlaskForm):
    round = IntegerField()  # None when missing or not a number: no such round


class MoveForm(FlaskForm):
    action = StringField(default="")
    reason = StringField()  # None when not given: the move asks for one if it needs it


class EvidenceForm(FlaskForm):
    file = FileField()
    item = StringField(default="other")  # what the file is evidence of


class ExcelUploadForm(FlaskForm):
    file = FileField()


class ExcelConfirmForm(FlaskForm):
    token = StringField(default="")  # names the previewed data kept on the server


def chosen_file(form):
    """The uploaded file, or None when none was chosen."""
    upload = form.file.data
    return upload if upload is not None and upload.filename else None
