"""The applicant's side of annual filing, and their certificates."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import APPLICANT
from ..applications import formflow
from ..applications.forms import add_blank_rows, form_class, submission_to_form_data
from ..certificates import issue as certificates
from ..engine import SubmissionError
from ..platform import db
from ..platform.engine_service import criteria_engine
from ..platform.refusal import return_to
from ..platform.security import roles_required
from ..platform.viewkit import get_or_404, today
from ..rounds.models import Round
from . import filing, queries
from .forms import SubmitFilingForm
from .models import FilingCall
from .services import PublicationError

bp = Blueprint("publication_filing", __name__, url_prefix="/filings")


@bp.get("/", endpoint="my_filings")
@roles_required(APPLICANT)
def my_filings():
    dbs = db.session()
    return render_template("publication/my_filings.html",
                           rows=queries.my_filings(dbs, current_user),
                           certificates=certificates.of_organisation(
                               dbs, current_user.organisation_id))


@bp.route("/<int:call_id>", methods=["GET", "POST"])
@roles_required(APPLICANT)
def edit(call_id: int):
    dbs = db.session()
    call = get_or_404(FilingCall, call_id)
    try:
        item = filing.filing(dbs, current_user, call)
    except PublicationError:  # not the user's to file: as if there were no such call
        abort(404)
    if request.method == "POST" and SubmitFilingForm().submit_filing.data:
        return_to(url_for("publication_filing.edit", call_id=call.id))
        filing.submit(dbs, criteria_engine(), current_user, item, today())
        flash(_("已报送。"))
        return redirect(url_for("publication_filing.edit", call_id=call.id))
    engine = criteria_engine()
    round_ = get_or_404(Round, call.round_id)
    criteria = engine.criteria(round_.criteria_id)
    Form = form_class(criteria, criteria.reference)
    problems = []
    refused = False
    if request.method == "POST":
        form = Form()
        saved = formflow.post(
            form, criteria, call.year, queries.organisation_of(dbs, current_user),
            lambda data, lock: filing.save(dbs, engine, current_user, item, data, lock, today()))
        if saved == []:
            flash(_("已保存。"))
            return redirect(url_for("publication_filing.edit", call_id=call.id))
        refused = saved is None and bool(form.errors or form.form_errors)
        if saved:
            problems = saved
            form.lock_version.data = str(item.lock_version)
    else:
        form = Form(data=submission_to_form_data(item.data, criteria))
        form.lock_version.data = str(item.lock_version)
        add_blank_rows(form)
    return render_template("publication/filing_edit.html", form=form, call=call, round=round_,
                           item=item, result=_result(engine, item, round_), problems=problems,
                           editable=item.submitted_at is None and today() <= call.deadline
                           ), (422 if refused else 200)


def _result(engine, item, round_):
    try:
        return engine.score(item.data, round_.criteria_id)
    except SubmissionError:  # an incomplete draft has no result yet; the problems show
        return None
