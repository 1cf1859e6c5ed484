"""The public front door and its pages: notices, the objection lookup (no sign-in).
Downloads are in download_views.py, the officers' notice pages in notice_views.py."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file
from flask_babel import gettext as _

from ..platform import db, pagecache
from ..platform.ratelimit import limiter
from ..platform.viewkit import today
from . import queries
from .forms import ObjectionLookupForm
from .models import Notice, NoticeAttachment
from .services import attachments_of

bp = Blueprint("portal", __name__)
FRONT_DOOR_NOTICES = 5


def front_door():
    """`/` for a visitor who has not signed in (dashboard.home calls it)."""
    return pagecache.public_page(_front_door_page)


def _front_door_page() -> str:
    dbs, day = db.session(), today()
    return render_template(
        "portal/front_door.html",
        rounds=queries.rounds_taking_applications(dbs, day),
        publicities=queries.current_publicities(dbs, day),
        notices=queries.published_notices(dbs, 1, FRONT_DOOR_NOTICES)[0],
        lists=queries.published_lists(dbs))


@bp.get("/notices")
def notices():
    return pagecache.public_page(_notices_page)


def _notices_page() -> str:
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, total = queries.published_notices(db.session(), page)
    pages = max((total + queries.NOTICES_PER_PAGE - 1) // queries.NOTICES_PER_PAGE, 1)
    if page > pages:
        abort(404)
    return render_template("portal/notices.html", notices=rows, total=total, page=page,
                           pages=pages)


@bp.get("/notices/<int:notice_id>")
def notice(notice_id: int):
    found = queries.public_notice(db.session(), notice_id)
    if found is None:
        abort(404)
    if found.state == "withdrawn":  # the address says so, and why (410: gone for good)
        return render_template("portal/notice.html", notice=found, attachments=[]), 410
    return pagecache.public_page(lambda: _notice_page(notice_id))


def _notice_page(notice_id: int) -> str:
    dbs = db.session()
    found = queries.public_notice(dbs, notice_id)
    return render_template("portal/notice.html", notice=found,
                           attachments=attachments_of(dbs, found))


def send_attachment(attachment: NoticeAttachment):
    path = Path(current_app.config["UPLOAD_FOLDER"]) / attachment.stored
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=attachment.content_type, as_attachment=True,
                     download_name=attachment.name, etag=attachment.sha256)


@bp.get("/notices/<int:notice_id>/files/<int:attachment_id>")
def attachment(notice_id: int, attachment_id: int):
    dbs = db.session()
    found = dbs.get(Notice, notice_id)
    if found is None or found.state != "published":  # a withdrawn notice's files go with it
        abort(404)
    record = queries.attachment(dbs, found, attachment_id)
    if record is None:
        abort(404)
    return send_attachment(record)


def _lookup_limit() -> str:
    return current_app.config.get("OBJECTION_LOOKUP_LIMIT", "20 per hour;60 per day")


@bp.route("/objections/lookup", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"], deduct_when=lambda r: r.status_code == 404,
               error_message=lambda: _("您所在的网络地址查询未果的次数过多，请稍后再试。"))
def objection_lookup():
    """An objection's state and the department's reply by its reference number. Only lookups
    that find nothing count against the address's limit, so guessing is slow and a real
    reference is always answered."""
    form = ObjectionLookupForm()
    answer, status = None, 200
    if form.validate_on_submit():
        reference = queries.normalise_reference(form.reference.data)
        if not reference:
            form.reference.errors.append(_("请填写异议受理编号"))
            status = 422
        else:
            answer = queries.objection_answer(db.session(), reference)
            if answer is None:
                form.reference.errors.append(_(
                    "未查到受理编号为“%(reference)s”的异议，请核对后重新输入（格式如 "
                    "YY20250301-ABC234）", reference=reference[:40]))
                status = 404
    elif request.method == "POST":
        status = 400
    return render_template("portal/objection_lookup.html", form=form, answer=answer), status
