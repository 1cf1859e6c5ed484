from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

REQUIRED = _l("此项为必填项")


class TokenForm(FlaskForm):
    name = StringField(_l("用途（如：省数据共享平台）"),
                       validators=[DataRequired(REQUIRED), Length(max=100)])
    expires_on = DateField(_l("有效期至（不填则撤销前一直有效）"), validators=[Optional()])


class SystemTokenForm(TokenForm):
    """An admin's form: a token for a staff (system) account."""

    owner = SelectField(_l("账号"), coerce=int, validate_choice=True)
