from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlmodel import select

from ..platform import db
from ..platform.hardening import start_session
from ..platform.i18n import DEFAULT, LANGUAGES
from ..platform.redirects import safe_next
from ..platform.refusal import on_form, return_to
from ..platform.security import roles_required
from ..platform.viewkit import get_or_404
from . import services, sessions, throttle
from .forms import (
    ChangePasswordForm,
    ColleagueForm,
    ConfirmRegistrationForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    RegisterForm,
    StaffForm,
)
from .models import ADMIN, APPLICANT, User
from .uscc import city_mismatch

bp = Blueprint("accounts", __name__)


def _address() -> str:
    return request.remote_addr or "unknown"


def _sign_in(user: User) -> None:
    """A fresh session for `user`, recorded on the server. A language the visitor chose (POST
    /language) before signing in is kept and becomes the user's own; messages flashed after
    this are in the user's language."""
    chosen = session.get("locale") if session.get("locale_chosen") else None
    # a new session: stamped for the idle and absolute timeouts, ended on the server at sign-out
    start_session(user, sessions.begin(db.session(), user))
    login_user(user)
    if chosen in LANGUAGES and chosen != user.locale:
        services.set_locale(db.session(), user, chosen)
    session["locale"] = user.locale
    refresh()


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        dbs = db.session()
        address = _address()
        wait = throttle.wait_needed(dbs, form.email.data, address)
        if wait:
            form.password.errors.append(_("尝试次数过多，请 %(n)s 分钟后再试。",
                                          n=throttle.minutes(wait)))
            return render_template("accounts/login.html", form=form), 429
        user = services.authenticate(dbs, form.email.data, form.password.data)
        if user:
            throttle.clear(dbs, form.email.data)
            _sign_in(user)
            return redirect(safe_next(request.args.get("next")))
        throttle.record_failure(dbs, form.email.data, address)
        form.password.errors.append(_("邮箱或密码不正确"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere():
    """Ends every session of this user, on every device (the session version moves on)."""
    services.end_all_sessions(db.session(), current_user)
    return logout()


@bp.post("/logout")
@login_required
def logout():
    locale = current_user.locale
    sessions.end(db.session(), session.get("sid"))  # a copy of the cookie is refused from now
    logout_user()
    session.clear()
    session["locale"] = locale  # the sign-in page stays in the user's language
    return redirect(url_for("accounts.login"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    """A visitor's registration: answered alike whether or not the e-mail or the code is
    already registered; the account is made when the e-mailed link is followed."""
    form = RegisterForm()
    if form.validate_on_submit():
        organisation = {"name": form.org_name.data.strip(), "uscc": form.uscc.data,
                        "kind": form.kind.data, "city": form.city.data,
                        "industry": form.industry.data.strip().upper(),
                        "address": form.address.data.strip(),
                        "contact_name": form.contact_name.data.strip(),
                        "contact_phone": form.contact_phone.data.strip()}
        try:
            warning = services.request_registration(
                db.session(), organisation=organisation, email=form.email.data,
                name=form.name.data, password=form.password.data, address=_address())
        except services.AccountError as error:
            on_form(form, error)
            status = 429 if isinstance(error, services.TooManyAttempts) else 200
            return render_template("accounts/register.html", form=form), status
        flash(_("若信息有效，我们已向 %(email)s 发送邮件，请按邮件中的说明在 %(n)s 小时内完成注册。",
                email=form.email.data.strip().lower(), n=services.REGISTER_LINK_HOURS))
        if warning:
            flash(warning, "warning")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form)


@bp.route("/register/confirm/<token>", methods=["GET", "POST"])
def confirm_registration(token: str):
    """The e-mailed link: a page with one button (mail scanners follow links; only the button
    creates the account)."""
    dbs = db.session()
    pending = services.valid_token(dbs, "register", token)
    if pending is None:
        return _link_invalid(url_for("accounts.register"))
    form = ConfirmRegistrationForm()
    if form.validate_on_submit():
        try:
            user = services.confirm_registration(dbs, token, form.password.data)
        except services.AccountError as error:
            if error.field != "password":  # the link was used meanwhile: no form to show
                dbs.rollback()
                return render_template("accounts/link_invalid.html", message=error.zh,
                                       again=url_for("accounts.login")), 409
            on_form(form, error)
        else:
            _sign_in(user)
            flash(_("注册成功。"))
            return redirect(url_for("dashboard.home"))
    organisation = pending.payload["organisation"]
    return render_template("accounts/confirm_registration.html", pending=pending, form=form,
                           city_warning=city_mismatch(organisation["uscc"], organisation["city"])
                           ), (422 if form.errors else 200)


def _link_invalid(again: str):
    return render_template("accounts/link_invalid.html", again=again,
                           message=_("链接无效、已使用或已过期。")), 410


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            services.request_reset(db.session(), form.email.data, _address())
        except services.TooManyAttempts as error:
            on_form(form, error, "email")
            return render_template("accounts/forgot_password.html", form=form), 429
        flash(_("若该邮箱已注册，我们已发送重设密码的链接，%(n)s 分钟内有效。",
                n=services.RESET_LINK_MINUTES))
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    dbs = db.session()
    if services.valid_token(dbs, "reset", token) is None:
        return _link_invalid(url_for("accounts.forgot_password"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(dbs, token, form.password.data)
        except services.AccountError as error:
            on_form(form, error, "password")
        else:
            flash(_("密码已重设，请用新密码登录。"))
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The signed-in user's account: change the password, sign out everywhere."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        dbs = db.session()
        try:
            services.change_password(dbs, current_user, form.current.data, form.password.data,
                                     keep_session=session.get("sid"))
        except services.AccountError as error:
            on_form(form, error, "password")
        else:
            flash(_("密码已修改，其他设备上的登录已退出。"))
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form)


@bp.post("/language")
def language():
    locale = request.form.get("locale", DEFAULT)
    session["locale"] = locale if locale in LANGUAGES else DEFAULT
    session["locale_chosen"] = True
    if current_user.is_authenticated:
        services.set_locale(db.session(), current_user, session["locale"])
    refresh()
    return redirect(safe_next(request.form.get("next")))


@bp.route("/organisation/users", methods=["GET", "POST"])
@roles_required(APPLICANT)
def colleagues():
    form = ColleagueForm()
    dbs = db.session()
    if form.validate_on_submit():
        try:
            services.add_colleague(dbs, current_user, email=form.email.data, name=form.name.data,
                                   password=form.password.data)
        except services.AccountError as error:
            on_form(form, error, "password")
        else:
            flash(_("已添加用户。"))
            return redirect(url_for("accounts.colleagues"))
    users = dbs.exec(select(User).where(User.organisation_id == current_user.organisation_id)
                     .order_by(User.id)).all()
    return render_template("accounts/colleagues.html", form=form, users=users)


@bp.route("/admin/users", methods=["GET", "POST"])
@roles_required(ADMIN)
def users():
    form = StaffForm()
    dbs = db.session()
    if form.validate_on_submit():
        try:
            services.create_staff(dbs, email=form.email.data, name=form.name.data,
                                  role=form.role.data, password=form.password.data,
                                  city=form.city.data or None, actor_id=current_user.id)
        except services.AccountError as error:
            on_form(form, error)
        else:
            flash(_("已创建账号。"))
            return redirect(url_for("accounts.users"))
    staff = dbs.exec(select(User).where(User.role != APPLICANT).order_by(User.role, User.id)).all()
    return render_template("accounts/users.html", form=form, users=staff, toggle=FlaskForm())


@bp.post("/admin/users/<int:user_id>/criteria-editor")
@roles_required(ADMIN)
def criteria_editor(user_id: int):
    user = get_or_404(User, user_id)
    return_to(url_for("accounts.users"))
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.name_criteria_editor(db.session(), current_user, user,
                                  request.form.get("editor") == "1")
    flash(_("已更新评价标准编辑人员。"))
    return redirect(url_for("accounts.users"))



@bp.app_template_global()
def uscc_city_warning(organisation) -> str | None:
    """On an organisation's pages: the code's registration authority outside its 市（州）."""
    return city_mismatch(organisation.uscc, organisation.city)
