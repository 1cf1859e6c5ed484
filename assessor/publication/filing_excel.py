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

import hashlib
import io
import json
import re
import secrets
import time
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
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer

from ..accounts.models import APPLICANT
from ..accounts.regions import CITIES
from ..applications import services as applications
from ..applications.action_forms import ExcelConfirmForm, ExcelUploadForm, chosen_file
from ..applications.evidence import safe_name
from ..applications.excel import (
    FILE,
    ImportLimits,
    build_template,
    change_order,
    describe_path,
    format_value,
    parse_workbook,
)
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
PREVIEW_SECONDS = 2 * 3600
_SALT = "assessor.filing-excel-import"
_NAME = re.compile(r"^[0-9a-f]{32}$")


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


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "excel-imports"  # as excel_views'


def _sweep(folder: Path) -> None:
    """Previews older than a token's lifetime (the application's are swept the same way)."""
    cutoff = time.time() - PREVIEW_SECONDS - 60
    for path in folder.glob("*.json"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # another worker got there first


@bp.get("/<int:call_id>/template.xlsx")
@roles_required(APPLICANT)
def template(call_id: int):
    call, item, round_ = _filing(call_id)
    engine = criteria_engine()
    content = build_template(engine.criteria(round_.criteria_id), engine.reference, item.data,
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
        english = is_english()
        problems = [{"sheet": _("（文件）") if p.sheet == FILE else p.sheet, "row": p.row,
                     "column": p.column, "header": p.header, "message": p.text(_, english)}
                    for p in parsed.problems]
        return render_template("publication/filing_import_problems.html", problems=problems,
                               **page), 422
    criteria = engine.criteria(round_.criteria_id)
    changes = _changes(item.data, parsed.data, criteria, engine.reference)
    token = _stash(item, parsed.data) if changes else ""
    return render_template("publication/filing_import_preview.html", changes=changes,
                           token=token, result=parsed.result,
                           indicator_changes=applications.indicator_changes(
                               _result(engine, item, round_), parsed.result), **page)


def _result(engine, item: Filing, round_: Round) -> dict | None:
    try:
        return engine.score(item.data, round_.criteria_id)
    except SubmissionError:
        return None


def _changes(before: dict, imported: dict, criteria, reference) -> list[dict]:
    """Every change the import makes, in the workbook's order (as excel_views shows them)."""
    members = (imported.get("members") or []) + (before.get("members") or [])[
        len(imported.get("members") or []):]
    english = is_english()
    changes = []
    for change in applications.diff(before, imported):
        sheet, what = describe_path(change.path, criteria, reference, members, english)
        changes.append({"sheet": sheet, "item": what, "path": change.path,
                        "before": format_value(change.path, change.before, criteria, reference,
                                               english),
                        "after": format_value(change.path, change.after, criteria, reference,
                                              english)})
    order = change_order(criteria.subject, reference)
    changes.sort(key=lambda c: order(c["sheet"], c["path"]))
    return changes


def _stash(item: Filing, data: dict) -> str:
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    name = secrets.token_hex(16)
    with (folder / f"{name}.json").open("xb") as handle:
        handle.write(body)
    return _serializer().dumps({"file": name, "filing": item.id, "user": current_user.id,
                                "lock_version": item.lock_version,
                                "sha256": hashlib.sha256(body).hexdigest()})


@bp.post("/<int:call_id>/import/confirm")
@roles_required(APPLICANT)
def confirm(call_id: int):
    """Apply a previewed import, if the filing has not changed since the preview."""
    call, item, _round = _filing(call_id)
    try:
        claim = _serializer().loads(ExcelConfirmForm().token.data, max_age=PREVIEW_SECONDS)
    except BadData:
        flash(_("导入预览已过期或无效，没有改动。请重新上传 Excel 文件。"), "error")
        return _to_edit(call)
    if (not isinstance(claim, dict) or claim.get("filing") != item.id
            or claim.get("user") != current_user.id or not _NAME.match(str(claim.get("file")))):
        abort(404)
    path = _folder() / f"{claim['file']}.json"
    try:
        body = path.read_bytes()
    except OSError:
        flash(_("该导入预览已使用或已过期，没有改动。请重新上传 Excel 文件。"), "error")
        return _to_edit(call)
    path.unlink(missing_ok=True)
    if hashlib.sha256(body).hexdigest() != claim.get("sha256"):
        abort(404)
    return_to(url_for("publication_filing.edit", call_id=call.id))
    problems = filing.save(db.session(), criteria_engine(), current_user, item, json.loads(body),
                           int(claim["lock_version"]), today())
    if problems:
        flash(_("已从 Excel 导入并保存，但还有问题需要修改后才能报送。"), "error")
    else:
        flash(_("已从 Excel 导入并保存。"))
    return _to_edit(call)
