from __future__ import annotations

from io import BytesIO

from flask import (
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
from ..platform.pagecache import kept_html
from ..platform.refusal import Refused, on_form
from ..platform.security import roles_required
from ..platform.viewkit import get_or_404, today
from ..rounds.models import Round
from . import (
    expert_views,  # noqa: F401  (the expert's routes, on the same blueprint)
    queries,
    services,
)
from .blueprint import bp
from .board import board_page, expert_pool, in_review_count
from .expert_views import inline
from .forms import (
    AssignForm,
    DecisionForm,
    ProfileForm,
    ReopenForm,
    SettingsForm,
    WithdrawForm,
    expert_form,
)
from .models import SPECIALITY_TOPICS, Assignment

BOARD_PAGE_SIZE = 10  # each line offers the whole expert pool and its conflicts


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
        try:
            services.update_profile(db.session(), current_user, expert, **form.profile())
        except Refused as error:
            on_form(form, error)
            return _profile_page(expert, own=False, failed=form)
        flash(_("已保存。"))
        return redirect(url_for("review.experts"))
    return _profile_page(expert, own=False)


def _profile_page(expert: User, own: bool, failed=None):
    """The profile; with `failed`, the form whose problems it lists at the top (422)."""
    return render_template("review/profile.html", expert=expert, failed=failed,
                           profile=services.profile(db.session(), expert),
                           relations=services.relations(db.session(), expert.id), own=own,
                           topics=SPECIALITY_TOPICS), (422 if failed else 200)


@bp.route("/profile", methods=["GET", "POST"])
@roles_required(EXPERT)
def my_profile():
    if request.method == "GET":
        return _profile_page(current_user, own=True)
    form, dbs = expert_form(), db.session()
    try:
        if isinstance(form, WithdrawForm):
            services.withdraw_relation(dbs, current_user, form.relation_id.data)
        elif isinstance(form, ProfileForm):
            services.update_profile(dbs, current_user, current_user, **form.profile())
        else:
            services.declare_relation(dbs, current_user, uscc=form.uscc.data,
                                      organisation_name=form.name.data,
                                      relation=form.relation.data)
    except Refused as error:
        on_form(form, error, "uscc" if "uscc" in form else None)
        return _profile_page(current_user, own=True, failed=form)
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
    return _board_page(round_)


def _board_page(round_: Round, failed=None):
    """The board; with `failed`, the settings form whose problems it lists at the top (422)."""
    # all of it changes only with audited changes (moves, assignments, reviews, ties,
    # settings): the pool, the count and, when no form failed, the rendered table are kept
    total = versioned.kept(("in review", round_.id), lambda: in_review_count(db.session(), round_))
    pages = max(1, -(-total // BOARD_PAGE_SIZE))
    page = max(1, min(request.args.get("page", 1, type=int), pages))

    def table(failed=None) -> dict:
        pool = versioned.kept(("expert pool",), lambda: expert_pool(db.session()))
        return {"board": board_page(db.session(), round_, page, BOARD_PAGE_SIZE, pool, total),
                "users": {e.id: e for e in pool}, "round": round_, "failed": failed}

    if failed is not None:
        return render_template("review/board.html", **table(failed)), 422
    rows = kept_html(("review board", round_.id, page),
                     lambda: render_template("review/board_rows.html", **table()))
    return render_template("review/board.html", round=round_, rows=rows, failed=None)


def _save_settings(round_: Round):
    form = SettingsForm()
    if not form.validate():
        return _board_page(round_, form)
    try:
        services.configure_round(db.session(), current_user, round_, **form.settings())
    except Refused as error:
        on_form(form, error)
        return _board_page(round_, form)
    flash(_("评审设置已保存。"))
    return redirect(url_for("review.board", round_id=round_.id))


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
    """From the board's page the form was on (`page`), shown again on a refusal."""
    application = _in_review_application(application_id)
    form = AssignForm()
    form.expert.id = f"expert-{application.id}"
    form.expert.label.text = _("申报 %(id)s 的评审专家", id=application.id)
    expert = get_or_404(User, form.expert.data)
    try:
        services.assign(db.session(), current_user, application, expert, today())
    except Refused as error:
        on_form(form, error, "expert")
        return _board_page(db.session().get(Round, application.round_id), form)
    flash(_("已分配。"))
    return redirect(url_for("review.board", round_id=application.round_id,
                            page=request.args.get("page", 1, type=int)))


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
    return _side_by_side_page(_in_review_application(application_id))


def _side_by_side_page(application: Application, failed=None):
    """The summary; with `failed`, the form whose problems it lists at the top (422)."""
    page = queries.side_by_side(db.session(), criteria_engine(), current_user, application)
    if page is None:
        abort(404)
    return render_template("review/side_by_side.html", failed=failed, **page), \
        (422 if failed else 200)


def _refused_on(application: Application, form, act, field: str | None):
    """`act()`; a refusal shows the summary again with the problem on `field` of the form."""
    try:
        return act()
    except Refused as error:
        on_form(form, error, field)
        return _side_by_side_page(application, form)


@bp.post("/applications/<int:application_id>/decide")
@roles_required(PROVINCE_OFFICER)
def decide(application_id: int):
    application = _in_review_application(application_id)
    form = DecisionForm()
    action = form.action.data if form.action.data in ("approve", "reject") else None
    if action:  # the page has one reason field per decision
        form.reason.id = f"reason-{action}"

    def act():
        services.decide(db.session(), criteria_engine(), current_user, application,
                        form.action.data, form.reason.data, today())
        flash(_("决定已记录。"))
        return redirect(url_for("applications.view", application_id=application.id))
    blank = action and not (form.reason.data or "").strip()  # else the refusal is not the reason's
    return _refused_on(application, form, act, "reason" if blank else None)


@bp.post("/assignments/<int:assignment_id>/reopen")
@roles_required(PROVINCE_OFFICER)
def reopen(assignment_id: int):
    assignment = get_or_404(Assignment, assignment_id)
    application = _in_review_application(assignment.application_id)
    form = ReopenForm()
    form.reason.id = f"reopen-{assignment.id}-reason"

    def act():
        services.reopen(db.session(), current_user, assignment, form.reason.data, today())
        return redirect(url_for("review.side_by_side", application_id=application.id))
    return _refused_on(application, form, act,
                       None if (form.reason.data or "").strip() else "reason")


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
    return inline(record, record.original_name if record else "")
