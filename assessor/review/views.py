from __future__ import annotations

from io import BytesIO
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..accounts.models import EXPERT, PROVINCE_OFFICER, User
from ..applications import services as applications
from ..applications.models import Application
from ..platform import db, versioned
from ..platform.engine_service import criteria_engine
from ..platform.hardening import framable_by_this_site
from ..platform.i18n import is_english, join
from ..platform.refusal import return_to
from ..platform.security import roles_required
from ..platform.viewkit import get_or_404, today
from ..rounds.models import Round
from . import queries, services
from .board import board_page, expert_pool, in_review_count
from .errors import ScoringProblems
from .forms import (
    AssignForm,
    DecisionForm,
    DeclareForm,
    PhotoForm,
    ProfileForm,
    ReopenForm,
    ReviewForm,
    SettingsForm,
    WithdrawForm,
    expert_form,
    review_form,
    show_problems,
)
from .models import SPECIALITY_TOPICS, Assignment
from .photos import add_photo
from .scoresheet import preview_kind, suggestions

bp = Blueprint("review", __name__, url_prefix="/review")
BOARD_PAGE_SIZE = 10  # each line offers the whole expert pool and its conflicts


def _my_assignment(assignment_id: int) -> Assignment:
    assignment = get_or_404(Assignment, assignment_id)
    if assignment.expert_id != current_user.id:
        abort(404)
    return assignment


def _in_review_application(application_id: int) -> Application:
    application = applications.get_visible(db.session(), current_user, application_id)
    if application is None:
        abort(404)
    return application


# -- the pool ---------------------------------------------------------------------------------

@bp.get("/experts")
@roles_required(PROVINCE_OFFICER)
def experts():
    return render_template("review/experts.html", pool=queries.expert_pool(db.session()),
                           rounds=queries.rounds(db.session()))


@bp.route("/experts/<int:user_id>", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def expert_profile(user_id: int):
    expert = get_or_404(User, user_id)
    if expert.role != EXPERT:
        abort(404)
    form = ProfileForm()
    if form.is_submitted():
        services.update_profile(db.session(), current_user, expert, **form.profile())
        flash(_("已保存。"))
        return redirect(url_for("review.experts"))
    return _profile_page(expert, own=False)


def _profile_page(expert: User, own: bool):
    return render_template("review/profile.html", expert=expert,
                           profile=services.profile(db.session(), expert),
                           relations=services.relations(db.session(), expert.id), own=own,
                           topics=SPECIALITY_TOPICS)


@bp.route("/profile", methods=["GET", "POST"])
@roles_required(EXPERT)
def my_profile():
    if request.method == "GET":
        return _profile_page(current_user, own=True)
    return_to(url_for("review.my_profile"))
    form, dbs = expert_form(), db.session()
    if isinstance(form, WithdrawForm):
        services.withdraw_relation(dbs, current_user, form.relation_id.data)
    elif isinstance(form, ProfileForm):
        services.update_profile(dbs, current_user, current_user, **form.profile())
    else:
        services.declare_relation(dbs, current_user, uscc=form.uscc.data,
                                  organisation_name=form.name.data, relation=form.relation.data)
    flash(_("已保存。"))
    return redirect(url_for("review.my_profile"))


# -- the officer's board ----------------------------------------------------------------------

@bp.app_template_filter("joined")
def joined(keys, markup_by_key) -> Markup:
    """The markup kept for each of `keys`, in order: a board row's <option>s, from one set made
    per page (a Jinja loop over the pool in every row cost a sixth of the page)."""
    return Markup("".join(markup_by_key[key] for key in keys))


@bp.route("/rounds/<int:round_id>", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def board(round_id: int):
    round_ = get_or_404(Round, round_id)
    if request.method == "POST":
        return _save_settings(round_)
    # both change only with audited changes: kept per data version
    pool = versioned.kept(("expert pool",), lambda: expert_pool(db.session()))
    total = versioned.kept(("in review", round_.id), lambda: in_review_count(db.session(), round_))
    found = board_page(db.session(), round_, request.args.get("page", 1, type=int),
                       BOARD_PAGE_SIZE, pool, total)
    return render_template("review/board.html", round=round_, board=found,
                           users={e.id: e for e in pool})


def _save_settings(round_: Round):
    here = url_for("review.board", round_id=round_.id)
    return_to(here)
    form = SettingsForm()
    if not form.validate():
        flash(_("请填写数字"), "error")
        return redirect(here)
    services.configure_round(db.session(), current_user, round_, **form.settings())
    flash(_("评审设置已保存。"))
    return redirect(here)


@bp.post("/rounds/<int:round_id>/auto")
@roles_required(PROVINCE_OFFICER)
def auto(round_id: int):
    created = services.auto_assign(db.session(), current_user, get_or_404(Round, round_id), today())
    flash(_("已自动分配 %(n)s 个评审任务。", n=len(created)))
    return redirect(url_for("review.board", round_id=round_id))


@bp.post("/rounds/<int:round_id>/expire")
@roles_required(PROVINCE_OFFICER)
def expire(round_id: int):
    count = services.expire_overdue(db.session(), current_user, get_or_404(Round, round_id), today())
    flash(_("%(n)s 个逾期任务已收回，可重新分配。", n=count))
    return redirect(url_for("review.board", round_id=round_id))


@bp.post("/applications/<int:application_id>/assign")
@roles_required(PROVINCE_OFFICER)
def assign(application_id: int):
    application = _in_review_application(application_id)
    expert = get_or_404(User, AssignForm().expert.data)
    return_to(url_for("review.board", round_id=application.round_id))
    services.assign(db.session(), current_user, application, expert, today())
    flash(_("已分配。"))
    return redirect(url_for("review.board", round_id=application.round_id))


@bp.route("/rounds/<int:round_id>/export.xlsx", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def export(round_id: int):
    """The round's review workbook; a large round's is made by a job, whose page offers it."""
    from .. import jobs
    from ..jobs.views import offer
    from .export import application_count, round_workbook

    round_ = get_or_404(Round, round_id)
    rows = application_count(db.session(), round_)
    if rows > current_app.config["EXPORT_JOB_ROWS"]:
        label = _("%(round)s 评审结果导出", round=round_.title)
        return offer(label, rows, lambda: jobs.start(
            "review_export", label, current_user.id, "review.export", round_id=round_.id))
    content = round_workbook(db.session(), criteria_engine(), round_)
    return send_file(BytesIO(content), as_attachment=True,
                     download_name=f"review-round-{round_.id}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/applications/<int:application_id>")
@roles_required(PROVINCE_OFFICER)
def side_by_side(application_id: int):
    application = _in_review_application(application_id)
    page = queries.side_by_side(db.session(), criteria_engine(), current_user, application)
    if page is None:
        abort(404)
    return render_template("review/side_by_side.html", **page)


@bp.post("/applications/<int:application_id>/decide")
@roles_required(PROVINCE_OFFICER)
def decide(application_id: int):
    application = _in_review_application(application_id)
    return_to(url_for("review.side_by_side", application_id=application.id))
    form = DecisionForm()
    services.decide(db.session(), criteria_engine(), current_user, application,
                    form.action.data, form.reason.data, today())
    flash(_("决定已记录。"))
    return redirect(url_for("applications.view", application_id=application.id))


@bp.post("/assignments/<int:assignment_id>/reopen")
@roles_required(PROVINCE_OFFICER)
def reopen(assignment_id: int):
    assignment = get_or_404(Assignment, assignment_id)
    _in_review_application(assignment.application_id)
    back = url_for("review.side_by_side", application_id=assignment.application_id)
    return_to(back)
    services.reopen(db.session(), current_user, assignment, ReopenForm().reason.data, today())
    return redirect(back)


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
                     found: list | None = None):
    """The expert's page: the declaration first; then the score sheet, filled from the saved
    review, or as posted (with the problems `found` on their fields)."""
    page = queries.assignment_page(db.session(), criteria_engine(), assignment)
    if page.pop("declaring"):
        return render_template("review/declare.html",
                               error=join([named for _f, named, _s in found or []]), **page)
    form = review_form(page["items"], is_english())
    if found:
        show_problems(form, found)
    values = posted or queries.saved_values(page["review"])
    return render_template("review/assignment.html", form=form, values=values, **page)


@bp.post("/assignments/<int:assignment_id>/declare")
@roles_required(EXPERT)
def declare(assignment_id: int):
    assignment = _my_assignment(assignment_id)
    here = url_for("review.assignment_page", assignment_id=assignment.id)
    return_to(here)
    form = DeclareForm()
    if form.declines:
        services.decline(db.session(), current_user, assignment, form.reason.data)
        flash(_("已谢绝该评审任务。"))
    elif form.declares:
        services.declare_no_conflict(db.session(), current_user, assignment)
    else:
        flash(_("请勾选无利益冲突声明，或填写理由谢绝。"), "error")
    return redirect(here)


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
    here = url_for("review.assignment_page", assignment_id=assignment.id)
    return_to(here)
    form = PhotoForm()
    if not form.validate():
        flash(_("请选择照片（评审提交前可上传）"), "error")
        return redirect(here)
    add_photo(db.session(), current_user, assignment, filename=form.photo.data.filename,
              content=form.photo.data.read(), folder=Path(current_app.config["UPLOAD_FOLDER"]))
    flash(_("照片已上传。"))
    return redirect(here)


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
    return _inline(found.record if found else None, found.name if found else "")


@bp.get("/applications/<int:application_id>/evidence/<int:evidence_id>/preview")
@roles_required(PROVINCE_OFFICER)
def officer_evidence_preview(application_id: int, evidence_id: int):
    """The same preview for the officers, of a file of an application they may see."""
    from ..applications import evidence as files

    application = _in_review_application(application_id)
    try:
        record = files.for_download(db.session(), current_user, application, evidence_id)
    except files.EvidenceGone:
        record = None
    return _inline(record, record.original_name if record else "")


def _inline(record, name: str):
    """The file shown in place (Content-Disposition: inline), framable by this site alone;
    404 for what is not a PDF or an image, or not there."""
    if record is None or preview_kind(name) is None:
        abort(404)
    path = Path(current_app.config["UPLOAD_FOLDER"]) / record.stored_name
    if not path.is_file():
        abort(404)
    return framable_by_this_site(send_file(path, mimetype=record.content_type,
                                           as_attachment=False, download_name=name))
