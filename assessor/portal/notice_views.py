"""通知公告 for province officers: write a draft, publish it, withdraw a published one."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import PROVINCE_OFFICER
from ..platform import db
from ..platform.refusal import on_form, return_to
from ..platform.security import roles_required
from ..platform.viewkit import get_or_404, today
from . import queries, services
from .forms import NoticeForm, PublishForm, WithdrawForm
from .models import Notice
from .views import send_attachment

bp = Blueprint("portal_notices", __name__, url_prefix="/portal/notices")


def _uploads() -> list[tuple[str, bytes]]:
    largest = int(current_app.config.get("NOTICE_ATTACHMENT_MAX_BYTES",
                                         services.ATTACHMENT_BYTES))
    return [(upload.filename, upload.read(largest + 1))  # enough to refuse
            for upload in request.files.getlist("attachments") if upload.filename]


def _fields(form: NoticeForm) -> dict:
    return {"title": form.title.data or "", "number": form.number.data or "",
            "issued_on": form.issued_on.data, "body": form.body.data or "",
            "attachments": _uploads(), "folder": Path(current_app.config["UPLOAD_FOLDER"]),
            "max_bytes": int(current_app.config.get("NOTICE_ATTACHMENT_MAX_BYTES",
                                                    services.ATTACHMENT_BYTES))}


def _show_refusal(form: NoticeForm, error: services.NoticeError) -> None:
    """Each message at its field (the request's work rolled back, as on_form does)."""
    if not error.each:
        on_form(form, error, "title")
        return
    db.session().rollback()
    for field, message in error.each:
        form[field].errors = [*form[field].errors, message]


@bp.get("/")
@roles_required(PROVINCE_OFFICER)
def index():
    return render_template("portal/manage_index.html", notices=queries.all_notices(db.session()))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def new():
    form = NoticeForm()
    if request.method == "GET":
        form.issued_on.data = today()
    elif form.validate_on_submit():
        try:
            notice = services.create_notice(db.session(), current_user, **_fields(form))
        except services.NoticeError as error:
            _show_refusal(form, error)
        else:
            flash(_("通知草稿已保存，发布前公众看不到。"))
            return redirect(url_for(".edit", notice_id=notice.id))
    return render_template("portal/manage_edit.html", form=form, notice=None, attachments=[],
                           title=_("新建通知公告")), 422 if form.errors else 200


@bp.route("/<int:notice_id>", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def edit(notice_id: int):
    dbs = db.session()
    notice = get_or_404(Notice, notice_id)
    attachments = services.attachments_of(dbs, notice)
    form = NoticeForm(obj=notice if request.method == "GET" else None)
    form.remove.choices = [(a.id, a.name) for a in attachments]
    return_to(url_for(".edit", notice_id=notice.id))  # a refusal without a form to show it on
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.update_notice(dbs, current_user, notice, remove=form.remove.data or [],
                                   **_fields(form))
        except services.NoticeError as error:
            if notice.state != "draft":  # no form on the page: flashed on it instead
                raise
            _show_refusal(form, error)
        else:
            flash(_("通知已保存。"))
            return redirect(url_for(".edit", notice_id=notice.id))
    return render_template("portal/manage_edit.html", form=form, notice=notice,
                           attachments=attachments, publish_form=PublishForm(),
                           withdraw_form=WithdrawForm(), title=notice.title
                           ), 422 if form.errors else 200


@bp.post("/<int:notice_id>/publish")
@roles_required(PROVINCE_OFFICER)
def publish(notice_id: int):
    notice = get_or_404(Notice, notice_id)
    return_to(url_for(".edit", notice_id=notice.id))
    if not PublishForm().validate_on_submit():
        abort(400)
    services.publish_notice(db.session(), current_user, notice)
    flash(_("通知已发布，公众现在可以在通知公告中看到。"))
    return redirect(url_for(".edit", notice_id=notice.id))


@bp.post("/<int:notice_id>/withdraw")
@roles_required(PROVINCE_OFFICER)
def withdraw(notice_id: int):
    notice = get_or_404(Notice, notice_id)
    return_to(url_for(".edit", notice_id=notice.id))
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    services.withdraw_notice(db.session(), current_user, notice, form.reason.data or "")
    flash(_("通知已撤回：已从公开列表中移除，原网址显示已撤回。"))
    return redirect(url_for(".edit", notice_id=notice.id))


@bp.get("/<int:notice_id>/files/<int:attachment_id>")
@roles_required(PROVINCE_OFFICER)
def attachment(notice_id: int, attachment_id: int):
    notice = get_or_404(Notice, notice_id)
    record = queries.attachment(db.session(), notice, attachment_id)
    if record is None:
        abort(404)
    return send_attachment(record)
