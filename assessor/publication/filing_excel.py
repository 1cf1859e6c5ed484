"""Excel in/out for an annual filing (blueprint "filing_excel"), as for an application draft:

GET  /filings/<call>/template.xlsx    the round's template, prefilled with the filing's data
POST /filings/<call>/import           upload → every problem, or a preview of every change
POST /filings/<call>/import/confirm   apply the previewed data through filing.save

The workbook is the application's (applications/excel): the same sheets, checks and messages.
Between preview and confirm the parsed data waits on the server as in excel_views: a JSON file
under UPLOAD_FOLDER/excel-imports/ with a random name, named by a signed token that also names
the filing, the user, the filing's lock_version at preview time and the file's SHA-256; a
preview made before the filing changed is refused by filing.save's lock_version check.
"""

from __future__ import annotations

import io

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
from flask_login import current_user

from ..accounts.models import APPLICANT
from ..accounts.regions import CITIES
from ..applications import services as applications
from ..applications.action_forms import ExcelConfirmForm, ExcelUploadForm, chosen_file
from ..applications.evidence import safe_name
from ..applications.excel import (
    ImportLimits,
    build_template,
    import_changes,
    listed_problems,
    parse_workbook,
)
from ..applications.excel import stash as previews
from ..applications.excel_views import previews_folder
from ..engine import SubmissionError
from ..platform import db
from ..platform.engine_service import criteria_engine
from ..platform.i18n import is_english
from ..platform.refusal import return_to
from ..platform.security import roles_required
from ..platform.viewkit import get_or_404, today
from ..rounds.models import Round
from . import filing, queries
from .models import Filing, FilingCall
from .services import PublicationError

bp = Blueprint("filing_excel", __name__, url_prefix="/filings")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SALT = "assessor.filing-excel-import"


def _filing(call_id: int) -> tuple[FilingCall, Filing, Round]:
    """The call, the user's organisation's filing for it and the round; 404 for others."""
    call = get_or_404(FilingCall, call_id)
    try:
        item = filing.filing(db.session(), current_user, call)
    except PublicationError:
        abort(404)
    return call, item, get_or_404(Round, call.round_id)


def _to_edit(call: FilingCall):
    return redirect(url_for("publication_filing.edit", call_id=call.id))


@bp.get("/<int:call_id>/template.xlsx")
@roles_required(APPLICANT)
def template(call_id: int):
    call, item, round_ = _filing(call_id)
    engine = criteria_engine()
    criteria = engine.criteria(round_.criteria_id)
    content = build_template(criteria, criteria.reference, item.data,
                             year=call.year)
    response = send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True,
                         download_name=f"年度报送-{round_.criteria_id}-{call.year}-{item.id}.xlsx")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:call_id>/import")
@roles_required(APPLICANT)
def upload(call_id: int):
    """Parse an uploaded workbook: all problems, or a preview of every change. Saves nothing."""
    call, item, round_ = _filing(call_id)
    return_to(url_for("publication_filing.edit", call_id=call.id))
    filing.editable(db.session(), item, today())
    upload_file = chosen_file(ExcelUploadForm())
    if upload_file is None:
        flash(_("请选择要上传的 Excel 文件（.xlsx）。"), "error")
        return _to_edit(call)
    filename = safe_name(upload_file.filename)
    engine = criteria_engine()
    organisation = queries.organisation_of(db.session(), current_user)
    parsed = parse_workbook(upload_file.read(), engine, round_.criteria_id, year=call.year,
                            this_year=today().year,
                            organisation={"name": organisation.name, "uscc": organisation.uscc,
                                          "region": CITIES.get(organisation.city, "")},
                            limits=ImportLimits.from_config(current_app.config))
    page = {"call": call, "round": round_, "filename": filename}
    if parsed.problems:
        problems = listed_problems(parsed.problems, _, is_english())
        return render_template("publication/filing_import_problems.html", problems=problems,
                               **page), 422
    criteria = engine.criteria(round_.criteria_id)
    changes = import_changes(applications.diff(item.data, parsed.data), item.data, parsed.data,
                             criteria, criteria.reference, is_english())
    token = previews.stash(previews_folder(), current_app.secret_key, SALT, parsed.data, {
        "filing": item.id, "user": current_user.id,
        "lock_version": item.lock_version}) if changes else ""
    return render_template("publication/filing_import_preview.html", changes=changes,
                           token=token, result=parsed.result,
                           indicator_changes=applications.indicator_changes(
                               _result(engine, item, round_), parsed.result), **page)


def _result(engine, item: Filing, round_: Round) -> dict | None:
    try:
        return engine.score(item.data, round_.criteria_id)
    except SubmissionError:
        return None


@bp.post("/<int:call_id>/import/confirm")
@roles_required(APPLICANT)
def confirm(call_id: int):
    """Apply a previewed import, if the filing has not changed since the preview."""
    call, item, _round = _filing(call_id)
    try:
        data, claim = previews.take(previews_folder(), current_app.secret_key, SALT,
                                    ExcelConfirmForm().token.data,
                                    {"filing": item.id, "user": current_user.id})
    except previews.PreviewExpired:
        flash(_("导入预览已过期或无效，没有改动。请重新上传 Excel 文件。"), "error")
        return _to_edit(call)
    except previews.PreviewUsed:
        flash(_("该导入预览已使用或已过期，没有改动。请重新上传 Excel 文件。"), "error")
        return _to_edit(call)
    except previews.PreviewForeign:
        abort(404)
    return_to(url_for("publication_filing.edit", call_id=call.id))
    problems = filing.save(db.session(), criteria_engine(), current_user, item, data,
                           int(claim["lock_version"]), today())
    if problems:
        flash(_("已从 Excel 导入并保存，但还有问题需要修改后才能报送。"), "error")
    else:
        flash(_("已从 Excel 导入并保存。"))
    return _to_edit(call)
