from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..platform.formkit import options

REQUIRED = _l("此项为必填项")


class RoundForm(FlaskForm):
    title = StringField(_l("批次名称"), validators=[DataRequired(REQUIRED), Length(max=200)])
    subject = SelectField(_l("申报类型"), choices=options([("factory", _l("零碳工厂")),
                                                 ("park", _l("零碳工业园区"))]))
    year = IntegerField(_l("数据年度"), validators=[
        InputRequired(REQUIRED), NumberRange(2020, 2100, _l("年度应在 2020–2100 之间"))])
    criteria_id = SelectField(_l("评价标准版本"), validators=[DataRequired(REQUIRED)])
    opens_on = DateField(_l("开始日期"), validators=[InputRequired(_l("请填写日期"))])
    closes_on = DateField(_l("截止日期"), validators=[InputRequired(_l("请填写日期"))])
    publicity_days = IntegerField(_l("公示期（工作日）"), default=5, validators=[
        InputRequired(REQUIRED), NumberRange(1, 60, _l("公示期应为1–60个工作日"))])


class RoundCriteriaForm(FlaskForm):
    criteria_id = SelectField(_l("评价标准版本"), validators=[DataRequired(REQUIRED)],
                              validate_choice=False)  # the service says why a choice is refused
