from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required, login_user, logout_user
from sqlmodel import select

from .. import db
from ..hardening import start_session
from ..i18n import DEFAULT, LANGUAGES
from ..security import roles_required
from . import services, throttle
from .forms import ColleagueForm, LoginForm, RegisterForm, StaffForm
from .models import ADMIN, APPLICANT, User

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.home")


def _sign_in(user: User) -> None:
    """A fresh session for `user`. A language the visitor chose (POST /language) before signing
    in is kept and becomes the user's own; messages flashed after this are in the user's
    language."""
    chosen = session.get("locale") if session.get("locale_chosen") else None
    start_session(user)  # a new session: stamped for the idle and absolute timeouts
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
        address = request.remote_addr or "unknown"
        wait = throttle.wait_needed(dbs, form.email.data, address)
        if wait:
            form.password.errors.append(_("尝试次数过多，请 %(n)s 分钟后再试。",
                                          n=int(wait.total_seconds() // 60) + 1))
            return render_template("accounts/login.html", form=form), 429
        user = services.authenticate(dbs, form.email.data, form.password.data)
        if user:
            throttle.clear(dbs, form.email.data)
            _sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
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
    logout_user()
    session.clear()
    session["locale"] = locale  # the sign-in page stays in the user's language
    return redirect(url_for("accounts.login"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        organisation = {"name": form.org_name.data.strip(), "uscc": form.uscc.data,
                        "kind": form.kind.data, "city": form.city.data,
                        "industry": form.industry.data.strip().upper(),
                        "address": form.address.data.strip(),
                        "contact_name": form.contact_name.data.strip(),
                        "contact_phone": form.contact_phone.data.strip()}
        try:
            user = services.register_applicant(db.session(), organisation=organisation,
                                               email=form.email.data, name=form.name.data,
                                               password=form.password.data)
        except services.AccountError as error:
            db.session().rollback()
            field = {"uscc": form.uscc, "email": form.email, "city": form.city,
                     "password": form.password}.get(error.field)
            (field.errors if field else form.form_errors).append(error.zh)
        else:
            _sign_in(user)
            flash(_("注册成功。"))
            return redirect(url_for("dashboard.home"))
    return render_template("accounts/register.html", form=form)


@bp.post("/language")
def language():
    locale = request.form.get("locale", DEFAULT)
    session["locale"] = locale if locale in LANGUAGES else DEFAULT
    session["locale_chosen"] = True
    if current_user.is_authenticated:
        services.set_locale(db.session(), current_user, session["locale"])
    refresh()
    return redirect(_safe_next(request.form.get("next")))


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
            dbs.rollback()
            (form.email.errors if error.field == "email" else form.password.errors).append(error.zh)
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
            dbs.rollback()
            field = {"email": form.email, "city": form.city, "password": form.password,
                     "role": form.role}.get(error.field)
            (field.errors if field else form.form_errors).append(error.zh)
        else:
            flash(_("已创建账号。"))
            return redirect(url_for("accounts.users"))
    staff = dbs.exec(select(User).where(User.role != APPLICANT).order_by(User.role, User.id)).all()
    return render_template("accounts/users.html", form=form, users=staff)

