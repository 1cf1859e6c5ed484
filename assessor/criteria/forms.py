from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

REQUIRED = _l("此项为必填项")


class NewDraftForm(FlaskForm):
    key = StringField(_l("新版本编号"), validators=[
        DataRequired(REQUIRED), Length(max=40, message=_l("最多 40 个字符")),
        Regexp(r"^[A-Za-z0-9_\-.]+$", message=_l("只能包含字母、数字、“-”“_”“.”"))])
    label = StringField(_l("版本号"), validators=[DataRequired(REQUIRED),
                                               Length(max=40, message=_l("最多 40 个字符"))])
    note = TextAreaField(_l("修订说明"), validators=[Length(max=2000,
                                                          message=_l("最多 2000 个字符"))])
    replaces = BooleanField(_l("发布后取代所基于的版本（新版本）；不勾选则两者并行有效（另立一套评价标准）"),
                            default=True)


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("退回理由"), validators=[Length(max=2000,
                                                            message=_l("最多 2000 个字符"))])


class YamlForm(FlaskForm):
    text = TextAreaField(_l("评价标准（YAML）"), validators=[InputRequired(REQUIRED)])
    lock_version = HiddenField()


class ReferenceChoiceForm(FlaskForm):
    reference_id = SelectField(_l("参考数据版本"), coerce=int)


class LockForm(FlaskForm):
    lock_version = IntegerField()
