"""Pages where users make and revoke their API tokens, and admins see every token and make
them for system accounts. The whole token appears once, in the answer to the form."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import ADMIN, User
from ..platform import db
from ..platform.refusal import on_form, return_to
from ..platform.security import roles_required
from ..platform.viewkit import today
from . import tokens
from .forms import SystemTokenForm, TokenForm
from .models import ApiToken

bp = Blueprint("api_tokens", __name__)


def _issue(form, owner_id: int):
    """(token, secret) from a valid form, or None with the refusal on the form."""
    dbs = db.session()
    owner = dbs.get(User, owner_id)
    if owner is None:
        form.form_errors.append(_("账号不存在"))
        return None
    try:
        return tokens.issue(dbs, current_user, owner, name=form.name.data,
                            expires_on=form.expires_on.data, today=today())
    except tokens.TokenError as error:
        on_form(form, error)
        return None


def _page(template: str, **context):
    """The page, never cached: it may carry a new token."""
    response = make_response(render_template(template, today=today(), **context))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def mine():
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        created = _issue(form, current_user.id)
        if created:
            form = TokenForm(formdata=None)
    mine = tokens.of_user(db.session(), current_user)
    return _page("api/tokens.html", form=form, created=created,
                 rows=[(t, tokens.state(t, current_user, today())) for t in mine])


def _system_form(**kwargs) -> SystemTokenForm:
    form = SystemTokenForm(**kwargs)
    form.owner.choices = [(u.id, f"{u.name} <{u.email}>")
                          for u in tokens.system_accounts(db.session())]
    return form


@bp.route("/admin/tokens", methods=["GET", "POST"])
@roles_required(ADMIN)
def admin():
    dbs = db.session()
    form = _system_form()
    created = None
    if form.validate_on_submit():
        created = _issue(form, form.owner.data)
        if created:
            form = _system_form(formdata=None)
    rows = [(t, u, tokens.state(t, u, today())) for t, u in tokens.everyone(dbs)]
    return _page("api/admin_tokens.html", form=form, created=created, rows=rows)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    dbs = db.session()
    token = dbs.get(ApiToken, token_id)
    if token is None or not tokens.may_revoke(current_user, token):
        abort(404)
    if current_user.role == ADMIN and token.user_id != current_user.id:
        back = url_for("api_tokens.admin")
    else:
        back = url_for("api_tokens.mine")
    return_to(back)
    tokens.revoke(dbs, current_user, token)
    flash(_("令牌已撤销，使用它的系统将无法再访问。"))
    return redirect(back)
