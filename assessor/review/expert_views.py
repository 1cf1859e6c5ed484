"""The expert's pages: the task list, the declaration, the score sheet with the applicant's
evidence beside each item, inspection photos; and the evidence files, downloaded or shown in
place (also for the officers: `inline`)."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import EXPERT
from ..applications.models import Application
from ..platform import db
from ..platform.engine_service import criteria_engine
from ..platform.hardening import framable_by_this_site
from ..platform.i18n import is_english
from ..platform.refusal import Refused, on_form
from ..platform.security import roles_required
from ..platform.viewkit import get_or_404, today
from . import queries, services
from .blueprint import bp
from .errors import ReviewError, ScoringProblems
from .forms import DeclareForm, PhotoForm, ReviewForm, review_form, show_problems
from .models import Assignment
from .photos import add_photo
from .scoresheet import preview_kind, suggestions


def _my_assignment(assignment_id: int) -> Assignment:
    assignment = get_or_404(Assignment, assignment_id)
    if assignment.expert_id != current_user.id:
        abort(404)
    return assignment



# -- the expert -------------------------------------------------------------------------------

@bp.get("/assignments")
@roles_required(EXPERT)
def my_assignments():
    tasks = queries.assignments_of_expert(db.session(), current_user, today())
    return render_template("review/my_assignments.html", tasks=tasks)


@bp.get("/assignments/<int:assignment_id>")
@roles_required(EXPERT)
def assignment_page(assignment_id: int):
    return _assignment_page(_my_assignment(assignment_id))


def _assignment_page(assignment: Assignment, posted: dict | None = None,
                     found: list | None = None, declared: DeclareForm | None = None,
                     photo_form: PhotoForm | None = None):
    """The expert's page: the declaration first (`declared`: as posted); then the score sheet,
    filled from the saved review, or as posted (with the problems `found` on their fields)."""
    page = queries.assignment_page(db.session(), criteria_engine(), assignment)
    if page.pop("declaring"):
        form = declared or DeclareForm(formdata=None)
        show_problems(form, found or [])
        return render_template("review/declare.html", form=form, **page)
    form = review_form(page["items"], is_english())
    if found:
        show_problems(form, found)
    values = posted or queries.saved_values(page["review"])
    return render_template("review/assignment.html", form=form, values=values,
                           photo_form=photo_form, **page)


@bp.post("/assignments/<int:assignment_id>/declare")
@roles_required(EXPERT)
def declare(assignment_id: int):
    assignment = _my_assignment(assignment_id)
    form = DeclareForm()
    try:
        if form.declines:
            services.decline(db.session(), current_user, assignment, form.reason.data)
            flash(_("已谢绝该评审任务。"))
        elif form.declares:
            services.declare_no_conflict(db.session(), current_user, assignment)
        else:
            raise ReviewError(_("请勾选无利益冲突声明，或填写理由谢绝。"), field="no_conflict")
    except ReviewError as error:  # shown on the declaration's field, or above it
        db.session().rollback()
        field = "reason" if form.declines else "no_conflict"
        if assignment.state != "pending":  # stopped for a conflict: no field is shown
            error.field = field = None
        on_form(form, error, field)
        return _assignment_page(assignment, declared=form), 422
    return redirect(url_for("review.assignment_page", assignment_id=assignment.id))


@bp.post("/assignments/<int:assignment_id>/review")
@roles_required(EXPERT)
def save(assignment_id: int):
    assignment = _my_assignment(assignment_id)
    form = ReviewForm()
    try:
        services.save_review(db.session(), criteria_engine(), current_user, assignment,
                             **form.review())
    except ScoringProblems as error:  # shown on the form as posted, each on its field
        db.session().rollback()
        return _assignment_page(assignment, form.values(), error.found), 422
    except services.ReviewError as error:
        db.session().rollback()
        return _assignment_page(assignment, form.values(), [("", error.zh, error.zh)]), 422
    flash(_("评审已提交。") if form.submitting else _("草稿已保存。"))
    return redirect(url_for("review.assignment_page", assignment_id=assignment.id))


@bp.post("/assignments/<int:assignment_id>/adopt")
@roles_required(EXPERT)
def adopt(assignment_id: int):
    """"采纳系统建议分": the form as posted with the engine's suggestion in every item that has
    one. Nothing is saved: the expert reads it over and saves or submits."""
    assignment = _my_assignment(assignment_id)
    if assignment.state != "active":
        return redirect(url_for("review.assignment_page", assignment_id=assignment.id))
    values = ReviewForm().values()
    application = db.session().get(Application, assignment.application_id)
    values["scores"] = {**values["scores"],
                        **suggestions(services.frozen_result(db.session(), application))}
    flash(_("已填入系统建议分，请核对后保存或提交。"))
    return _assignment_page(assignment, values)


@bp.post("/assignments/<int:assignment_id>/photos")
@roles_required(EXPERT)
def photo(assignment_id: int):
    assignment = _my_assignment(assignment_id)
    form = PhotoForm()
    try:
        if not form.validate():
            raise ReviewError(_("请选择照片（评审提交前可上传）"), field="photo")
        add_photo(db.session(), current_user, assignment, filename=form.photo.data.filename,
                  content=form.photo.data.read(),
                  folder=Path(current_app.config["UPLOAD_FOLDER"]))
    except Refused as error:  # the page again, the problem on the file field
        here = url_for("review.assignment_page", assignment_id=assignment.id)
        if assignment.state not in ("active", "submitted"):  # the page is the declaration
            db.session().rollback()
            flash(error.zh, "error")
            return redirect(here)
        form.photo.errors = []
        field = "photo" if assignment.state == "active" else None  # else no file field shown
        error.field = error.field and field
        on_form(form, error, field)
        return _assignment_page(assignment, photo_form=form), 422
    flash(_("照片已上传。"))
    return redirect(url_for("review.assignment_page", assignment_id=assignment.id))


@bp.get("/assignments/<int:assignment_id>/evidence/<int:evidence_id>")
@roles_required(EXPERT)
def evidence_file(assignment_id: int, evidence_id: int):
    found = queries.evidence_file(db.session(), _my_assignment(assignment_id), evidence_id)
    if found is None:
        abort(404)
    return send_file(Path(current_app.config["UPLOAD_FOLDER"]) / found.record.stored_name,
                     mimetype=found.record.content_type, as_attachment=True,
                     download_name=found.name)


@bp.get("/assignments/<int:assignment_id>/evidence/<int:evidence_id>/preview")
@roles_required(EXPERT)
def evidence_preview(assignment_id: int, evidence_id: int):
    """A PDF or an image, inline, for the frame beside the items on the expert's page."""
    found = queries.evidence_file(db.session(), _my_assignment(assignment_id), evidence_id)
    return inline(found.record if found else None, found.name if found else "")


def inline(record, name: str):
    """The file shown in place (Content-Disposition: inline), framable by this site alone;
    404 for what is not a PDF or an image, or not there."""
    if record is None or preview_kind(name) is None:
        abort(404)
    path = Path(current_app.config["UPLOAD_FOLDER"]) / record.stored_name
    if not path.is_file():
        abort(404)
    return framable_by_this_site(send_file(path, mimetype=record.content_type,
                                           as_attachment=False, download_name=name))
