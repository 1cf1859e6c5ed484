"""Excel in/out for the self-assessment draft (blueprint "excel").

GET  /applications/<id>/template.xlsx    the template for the round's criteria, prefilled
POST /applications/<id>/import           upload → every problem, or a preview of every change
POST /applications/<id>/import/confirm   apply the previewed data through services.save_draft

Between preview and confirm the parsed data stays on the server: it is written as JSON under
UPLOAD_FOLDER/excel-imports/ with a random name, and the confirm form carries only a signed
token (itsdangerous, the app's secret key) naming that file, the application, the user, the
draft's lock_version at preview time and the SHA-256 of the file. So the data never makes a
round trip through the browser (no form-size limit for a 10,000-row workbook, nothing to tamper
with), the token cannot be replayed by someone else or on another application, and a preview
made before the draft changed is refused by save_draft's lock_version check. Files are deleted
on confirm (or refusal) and swept when older than the token's lifetime.
"""

from __future__ import annotations

import io
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import APPLICANT
from ..accounts.regions import CITIES
from ..platform import db
from ..platform.engine_service import criteria_engine
from ..platform.i18n import is_english
from ..platform.refusal import return_to
from ..platform.viewkit import today
from . import queries, services
from .action_forms import ExcelConfirmForm, ExcelUploadForm, chosen_file
from .evidence import safe_name
from .excel import ImportLimits, build_template, import_changes, listed_problems, parse_workbook
from .excel import stash as previews
from .lifecycle import current_revision
from .lookup import visible_application_or_404
from .models import Application

bp = Blueprint("excel", __name__, url_prefix="/applications")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SALT = "assessor.excel-import"


def _organisation(application: Application) -> dict:
    """As the edit form records it (views.edit)."""
    organisation = queries.organisation_of(db.session(), application)
    return {"name": organisation.name, "uscc": organisation.uscc,
            "region": CITIES.get(organisation.city, "")}


def previews_folder() -> Path:
    """Where import previews wait for their confirmation (the annual filing's too)."""
    return Path(current_app.config["UPLOAD_FOLDER"]) / "excel-imports"


def _to_edit(application: Application):
    return redirect(url_for("applications.edit", application_id=application.id))


@bp.get("/<int:application_id>/template.xlsx")
@login_required
def template(application_id: int):
    """The template for the round's criteria set, prefilled with the current draft."""
    application = visible_application_or_404(application_id)
    if current_user.role != APPLICANT:  # officers see submitted data on the pages, not drafts
        abort(404)
    dbs = db.session()
    engine = criteria_engine()
    round_ = queries.round_of(dbs, application)
    revision = current_revision(dbs, application)
    criteria = engine.criteria(round_.criteria_id)
    content = build_template(criteria, criteria.reference,
                             revision.data, year=round_.year)
    response = send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True,
                         download_name=f"自评价数据-{round_.criteria_id}-{round_.year}-"
                                       f"{application.id}.xlsx")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:application_id>/import")
@login_required
def upload(application_id: int):
    """Parse an uploaded workbook: all problems, or a preview of every change. Saves nothing."""
    dbs = db.session()
    application = visible_application_or_404(application_id)
    return_to(url_for("applications.view", application_id=application.id))
    draft = services.editable_draft(dbs, current_user, application, today())
    upload_file = chosen_file(ExcelUploadForm())
    if upload_file is None:
        flash(_("请选择要上传的 Excel 文件（.xlsx）。"), "error")
        return _to_edit(application)
    filename = safe_name(upload_file.filename)
    engine = criteria_engine()
    round_ = queries.round_of(dbs, application)
    criteria = engine.criteria(round_.criteria_id)
    parsed = parse_workbook(upload_file.read(), engine, round_.criteria_id, year=round_.year,
                            this_year=today().year,
                            organisation=_organisation(application),
                            limits=ImportLimits.from_config(current_app.config))
    if parsed.problems:
        problems = listed_problems(parsed.problems, _, is_english())
        return render_template("applications/import_problems.html", application=application,
                               round=round_, problems=problems, filename=filename), 422
    changes = import_changes(services.diff(draft.data, parsed.data), draft.data, parsed.data,
                             criteria, criteria.reference, is_english())
    before_result, _problems = services.draft_result(engine, draft)
    token = previews.stash(previews_folder(), current_app.secret_key, SALT, parsed.data, {
        "application": application.id, "user": current_user.id,
        "lock_version": draft.lock_version}) if changes else ""
    return render_template(
        "applications/import_preview.html", application=application, round=round_,
        draft=draft, filename=filename, changes=changes, token=token, result=parsed.result,
        indicator_changes=services.indicator_changes(before_result, parsed.result))


@bp.post("/<int:application_id>/import/confirm")
@login_required
def confirm(application_id: int):
    """Apply a previewed import, if the draft has not changed since the preview."""
    dbs = db.session()
    application = visible_application_or_404(application_id)
    try:
        data, claim = previews.take(previews_folder(), current_app.secret_key, SALT,
                                    ExcelConfirmForm().token.data,
                                    {"application": application.id, "user": current_user.id})
    except previews.PreviewExpired:
        flash(_("导入预览已过期或无效，草稿没有改动。请重新上传 Excel 文件。"), "error")
        return _to_edit(application)
    except previews.PreviewUsed:
        flash(_("该导入预览已使用或已过期，草稿没有改动。请重新上传 Excel 文件。"), "error")
        return _to_edit(application)
    except previews.PreviewForeign:
        abort(404)
    try:
        problems = services.save_draft(dbs, criteria_engine(), current_user, application,
                                       data, int(claim["lock_version"]), today())
    except services.ApplicationError as error:
        dbs.rollback()
        flash(error.zh, "error")
        flash(_("预览之后草稿已有变化，本次 Excel 导入没有保存。请重新上传文件，查看新的变化后再确认。"), "error")
        return _to_edit(application)
    if problems:  # cannot happen for a parsed workbook, unless the criteria changed meanwhile
        flash(_("已从 Excel 导入并保存草稿，但还有问题需要修改后才能提交。"), "error")
    else:
        flash(_("已从 Excel 导入并保存草稿。"))
    return _to_edit(application)
