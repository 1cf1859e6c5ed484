"""Submitting, GOV.UK's "check your answers" (blueprint "submission"), and the 申报书 PDF.

GET/POST /applications/<id>/submit        what will be submitted: the evidence kinds given and
                                          missing, the failed gates, the commitment letter to
                                          tick and sign; POST submits through transition()
GET      /applications/<id>/submitted     the confirmation
GET      /applications/<id>/application-form.pdf   the whole application as a 申报书 PDF
"""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from ..platform import db
from ..platform.engine_service import criteria_engine
from ..platform.refusal import on_form, return_to
from ..platform.viewkit import today
from . import claim_ranges, form_pdf, queries, services
from .action_forms import CommitmentForm
from .lifecycle import TransitionError, current_revision, transition
from .lookup import visible_application_or_404
from .submission import Commitment

bp = Blueprint("submission", __name__, url_prefix="/applications")


@bp.route("/<int:application_id>/submit", methods=["GET", "POST"])
@login_required
def check_answers(application_id: int):
    dbs = db.session()
    application = visible_application_or_404(application_id)
    return_to(url_for("applications.view", application_id=application.id))
    draft = services.editable_draft(dbs, current_user, application, today())
    engine = criteria_engine()
    form = CommitmentForm()
    refused_problems: list = []
    if form.validate_on_submit():
        commitment = Commitment(form.agreed.data, form.signer_name.data,
                                form.signer_position.data)
        try:
            transition(dbs, engine, application, "submit", current_user, today=today(),
                       commitment=commitment)
        except TransitionError as error:
            on_form(form, error)
            refused_problems = error.problems
            draft = current_revision(dbs, application)
        else:
            return redirect(url_for("submission.submitted", application_id=application.id))
    page = queries.check_answers_page(dbs, engine, application, draft)
    return render_template("applications/check_answers.html", application=application,
                           form=form, draft=draft, refused_problems=refused_problems, **page)


@bp.get("/<int:application_id>/submitted")
@login_required
def submitted(application_id: int):
    dbs = db.session()
    application = visible_application_or_404(application_id)
    revision = current_revision(dbs, application)
    if revision.submitted_at is None or application.state != "submitted":
        return redirect(url_for("applications.view", application_id=application.id))
    return render_template("applications/submitted.html", application=application,
                           revision=revision, round=queries.round_of(dbs, application),
                           organisation=queries.organisation_of(dbs, application),
                           claims_elsewhere=claim_ranges.shown(dbs, current_user, application))


@bp.get("/<int:application_id>/application-form.pdf")
@login_required
def application_form(application_id: int):
    """The 申报书: for whoever may see the application, of the revision they may see."""
    application = visible_application_or_404(application_id)
    pdf = form_pdf.render(db.session(), criteria_engine(), current_user, application)
    if pdf is None:
        abort(404)
    return send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"申报书-{application.id}.pdf")
