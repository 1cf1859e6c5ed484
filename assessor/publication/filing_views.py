"""The applicant's side of annual filing, and their certificates."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import db
from ..accounts.models import APPLICANT, Organisation
from ..applications import formflow
from ..applications.forms import add_blank_rows, form_class, submission_to_form_data
from ..engine import SubmissionError
from ..engine_service import criteria_engine
from ..rounds.models import Round
from ..security import roles_required
from ..viewkit import today
from . import certificates, filing
from .models import FilingCall
from .services import PublicationError

bp = Blueprint("publication_filing", __name__, url_prefix="/filings")


@bp.get("/", endpoint="my_filings")
@roles_required(APPLICANT)
def my_filings():
    dbs = db.session()
    rows = [(call, listing, dbs.get(Round, call.round_id))
            for call, listing in filing.calls_for(dbs, current_user)]
    return render_template("publication/my_filings.html", rows=rows,
                           certificates=certificates.of_organisation(
                               dbs, current_user.organisation_id))


@bp.route("/<int:call_id>", methods=["GET", "POST"])
@roles_required(APPLICANT)
def edit(call_id: int):
    dbs = db.session()
    call = dbs.get(FilingCall, call_id)
    if call is None:
        abort(404)
    try:
        item = filing.filing(dbs, current_user, call)
    except PublicationError:
        abort(404)
    engine = criteria_engine()
    round_ = dbs.get(Round, call.round_id)
    criteria = engine.criteria(round_.criteria_id)
    Form = form_class(criteria, engine.reference)
    result, problems = None, []
    if request.method == "POST" and request.form.get("submit_filing"):
        try:
            filing.submit(dbs, engine, current_user, item, today())
        except PublicationError as error:
            dbs.rollback()
            flash(error.zh, "error")
        else:
            flash(_("已报送。"))
        return redirect(url_for("publication_filing.edit", call_id=call.id))
    if request.method == "POST":
        form = Form()
        saved = formflow.post(
            form, criteria, call.year, dbs.get(Organisation, current_user.organisation_id),
            lambda data, lock: filing.save(dbs, engine, current_user, item, data, lock, today()),
            PublicationError)
        if saved == []:
            flash(_("已保存。"))
            return redirect(url_for("publication_filing.edit", call_id=call.id))
        if saved:
            problems = saved
            form.lock_version.data = str(item.lock_version)
    else:
        form = Form(data=submission_to_form_data(item.data, criteria))
        form.lock_version.data = str(item.lock_version)
        add_blank_rows(form)
    try:
        result = engine.score(item.data, round_.criteria_id)
    except SubmissionError:  # an incomplete draft has no result yet; the problems show
        result = None
    return render_template("publication/filing_edit.html", form=form, call=call, round=round_,
                           item=item, result=result, problems=problems,
                           editable=item.submitted_at is None and today() <= call.deadline)
