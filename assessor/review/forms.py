"""The review pages' forms. Field names are those the templates post.

Fields the pages have always taken leniently stay lenient: text is cut to its column's size,
an id that is not a number is 0 (nothing has it, so the lookup or the service refuses), and the
services refuse what is wrong with a message. CSRFProtect (security.py) checks every POST's
token before a view runs; these forms carry it too. A reason's length (MAX_REASON) is refused by
request_guards before the form is read.
"""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired

from ..platform.formkit import options
from .models import SPECIALITY_TOPICS

NUMBER = _l("请填写数字")
NO_PHOTO = _l("请选择照片（评审提交前可上传）")


def cut(size: int):
    """A filter keeping the first `size` characters (the column's size)."""
    return lambda value: (value or "")[:size]


class IdField(HiddenField):
    """A record's id; 0 when the value is missing or not a number."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, default=0, **kwargs)

    def process_formdata(self, valuelist):
        try:
            self.data = int(valuelist[0]) if valuelist else 0
        except ValueError:
            self.data = 0


# -- the expert's profile ---------------------------------------------------------------------

class ProfileForm(FlaskForm):
    industries = StringField(_l("行业专长"), default="")
    topics = SelectMultipleField(  # an unknown topic is dropped, not refused
        choices=options((t, t) for t in SPECIALITY_TOPICS), validate_choice=False,
        filters=[lambda topics: [t for t in topics or [] if t in SPECIALITY_TOPICS]])
    affiliation = StringField(_l("工作单位"), default="", filters=[cut(200)])
    affiliation_uscc = StringField(_l("工作单位统一社会信用代码"), default="", filters=[cut(18)])

    def profile(self) -> dict:
        """The arguments of services.update_profile."""
        return {"industries": self.industries.data.replace("，", ",").split(","),
                "topics": self.topics.data, "affiliation": self.affiliation.data,
                "affiliation_uscc": self.affiliation_uscc.data}


class RelationForm(FlaskForm):
    uscc = StringField(_l("统一社会信用代码"), default="", filters=[cut(18)])
    name = StringField(_l("单位名称"), default="", filters=[cut(200)])
    relation = StringField(_l("关系"), default="", filters=[cut(200)])


class WithdrawForm(FlaskForm):
    relation_id = IdField()


def expert_form() -> ProfileForm | RelationForm | WithdrawForm:
    """The form posted on the expert's own page: its hidden field `form` says which."""
    kinds = {"relation": RelationForm, "withdraw": WithdrawForm}
    return kinds.get(request.form.get("form", ""), ProfileForm)()


# -- the officer ------------------------------------------------------------------------------

class SettingsForm(FlaskForm):
    """A round's review settings; a number that is not one is refused with NUMBER."""
    reviewers_per_application = IntegerField(_l("每个申报的专家人数"),
                                             validators=[InputRequired(NUMBER)])
    disagreement_threshold = FloatField(_l("分歧阈值"), validators=[InputRequired(NUMBER)])
    review_days = IntegerField(_l("评审期限（天）"), validators=[InputRequired(NUMBER)])
    aggregation = StringField(_l("汇总方法"), default="")
    blind = BooleanField()
    site_inspection = BooleanField()

    def settings(self) -> dict:
        """The arguments of services.configure_round."""
        return {name: getattr(self, name).data for name in (
            "reviewers_per_application", "disagreement_threshold", "review_days", "aggregation",
            "blind", "site_inspection")}


class AssignForm(FlaskForm):
    expert = IdField()


class DecisionForm(FlaskForm):
    action = HiddenField(default="")
    reason = TextAreaField(_l("决定理由"), default="")


class ReopenForm(FlaskForm):
    reason = StringField(_l("退回理由"), default="")


# -- the expert's assignment ------------------------------------------------------------------

class DeclareForm(FlaskForm):
    choice = HiddenField(default="")
    no_conflict = StringField(_l("无利益冲突声明"), default="")
    reason = TextAreaField(_l("谢绝理由"), default="")

    @property
    def declines(self) -> bool:
        return self.choice.data == "decline"

    @property
    def declares(self) -> bool:
        return self.no_conflict.data == "yes"


class ReviewForm(FlaskForm):
    """An expert's review. Besides these fields, one `score-<item>` and one `comment-<item>`
    per item: read from whatever items were posted, as the service says which are not the
    application's."""
    opinion = TextAreaField(_l("总体意见"), default="", filters=[cut(5000)])
    recommendation = StringField(_l("评审建议"), default="",
                                 filters=[lambda value: value or None])
    inspection_date = StringField(_l("核查日期"), default="", filters=[cut(2000)])
    inspection_people = StringField(_l("参加人员"), default="", filters=[cut(2000)])
    inspection_findings = TextAreaField(_l("核查发现"), default="", filters=[cut(2000)])
    submit = StringField(default="")

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        formdata = self.meta.wrap_formdata(self, formdata)
        super().process(formdata, obj, data, extra_filters, **kwargs)
        self.scores, self.comments = {}, {}
        for key, value in (formdata or {}).items():
            if key.startswith("score-") and value != "":
                try:
                    self.scores[key[6:]] = float(value)
                except ValueError:
                    self.scores[key[6:]] = -1.0  # on no scale: the service says so beside it
            elif key.startswith("comment-"):
                self.comments[key[8:]] = value[:2000]

    @property
    def submitting(self) -> bool:
        return self.submit.data == "yes"

    def values(self) -> dict:
        """What was posted, to show the form again."""
        return {"scores": self.scores, "comments": self.comments, "opinion": self.opinion.data,
                "recommendation": self.recommendation.data, "inspection": self.inspection()}

    def inspection(self) -> dict:
        return {k: getattr(self, f"inspection_{k}").data for k in ("date", "people", "findings")}

    def review(self) -> dict:
        """The arguments of services.save_review."""
        inspection = self.inspection()
        return {"scores": self.scores, "comments": self.comments, "opinion": self.opinion.data,
                "recommendation": self.recommendation.data,
                "inspection": inspection if any(inspection.values()) else None,
                "submit": self.submitting}


def review_form(items, english: bool) -> ReviewForm:
    """The review form of an application's items: one score and one comment field each, named
    as the page posts them, so a problem is shown on its field and linked from the summary."""
    fields = {}
    for row in items:
        item = row.item
        name = f"{item.id} {item.title.en if english else item.title.zh}"
        fields[f"score-{item.id}"] = StringField(name)
        fields[f"comment-{item.id}"] = StringField(_l("%(item)s 的说明", item=name))
    form = type("ItemsReviewForm", (ReviewForm,), fields)()
    # in the page's order (the items, then the opinion ...), as the summary lists the problems
    rest = {name: field for name, field in form._fields.items() if name not in fields}
    form._fields = {**{name: form._fields[name] for name in fields}, **rest}
    return form


def show_problems(form: ReviewForm, found: list[tuple[str, str, str]]) -> None:
    """Each refused field's message on it; the rest above the form."""
    for name, named, short in found:
        if name and name in form:
            form[name].errors = [*form[name].errors, short]
        else:
            form.form_errors.append(named)


class PhotoForm(FlaskForm):
    photo = FileField(_l("现场照片"), validators=[FileRequired(NO_PHOTO)])
