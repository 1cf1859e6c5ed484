from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp

from ..platform.formkit import options
from ..platform.i18n import is_english
from .regions import CITIES, city_name

REQUIRED = _l("此项为必填项")


class LoginForm(FlaskForm):
    email = EmailField(_l("邮箱"), validators=[DataRequired(REQUIRED)])
    password = PasswordField(_l("密码"), validators=[DataRequired(REQUIRED)])


def city_choices():
    english = is_english()
    return options([("", _l("— 请选择 —")), *((code, city_name(code, english)) for code in CITIES)])


class RegisterForm(FlaskForm):
    org_name = StringField(_l("单位名称"), validators=[DataRequired(REQUIRED), Length(max=200)])
    uscc = StringField(_l("统一社会信用代码"), validators=[DataRequired(REQUIRED), Length(max=18)])
    kind = SelectField(_l("申报类型"), choices=options([("factory", _l("零碳工厂（企业）")),
                                                ("park", _l("零碳工业园区（园区管理机构）"))]))
    city = SelectField(_l("所在市（州）"), choices=city_choices,
                       validators=[DataRequired(_l("请选择所在市（州）"))])
    industry = StringField(
        _l("行业代码（GB/T 4754）"),
        validators=[DataRequired(REQUIRED),
                    Regexp(r"^[A-Ta-t]\d{2,4}$", message=_l("应为门类字母加2–4位数字，如 C3011"))])
    address = StringField(_l("地址"), validators=[DataRequired(REQUIRED), Length(max=300)])
    contact_name = StringField(_l("联系人"), validators=[DataRequired(REQUIRED), Length(max=100)])
    contact_phone = StringField(
        _l("联系电话"), validators=[DataRequired(REQUIRED),
                                Regexp(r"^[0-9+\-() ]{7,30}$", message=_l("电话号码格式不正确"))])
    name = StringField(_l("您的姓名"), validators=[DataRequired(REQUIRED), Length(max=100)])
    email = EmailField(_l("邮箱（登录名）"), validators=[
        DataRequired(REQUIRED), Email(_l("邮箱格式不正确"), check_deliverability=False)])
    password = PasswordField(_l("密码（至少10位）"), validators=[
        DataRequired(REQUIRED), Length(min=10, message=_l("密码至少10位"))])
    confirm = PasswordField(_l("再次输入密码"), validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("两次输入的密码不一致"))])


class ColleagueForm(FlaskForm):
    name = StringField(_l("姓名"), validators=[DataRequired(REQUIRED), Length(max=100)])
    email = EmailField(_l("邮箱（登录名）"), validators=[
        DataRequired(REQUIRED), Email(_l("邮箱格式不正确"), check_deliverability=False)])
    password = PasswordField(_l("初始密码（至少10位）"), validators=[
        DataRequired(REQUIRED), Length(min=10, message=_l("密码至少10位"))])


class StaffForm(ColleagueForm):
    role = SelectField(_l("角色"), choices=options([("city_officer", _l("市（州）工作人员")),
                                          ("province_officer", _l("省厅工作人员")),
                                          ("expert", _l("评审专家")), ("admin", _l("系统管理员"))]))
    city = SelectField(_l("所属市（州）（市州工作人员必选）"), choices=city_choices)


class ConfirmRegistrationForm(FlaskForm):
    """The password chosen when registering: whoever follows the link must know it, so an
    account cannot be made for someone else's mailbox with a password chosen by another."""
    password = PasswordField(_l("注册时设置的密码"), validators=[DataRequired(REQUIRED)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("邮箱"), validators=[DataRequired(REQUIRED), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("新密码（至少10位）"), validators=[
        DataRequired(REQUIRED), Length(min=10, message=_l("密码至少10位"))])
    confirm = PasswordField(_l("再次输入新密码"), validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("两次输入的密码不一致"))])


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("当前密码"), validators=[DataRequired(REQUIRED)])
