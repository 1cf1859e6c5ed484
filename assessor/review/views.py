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
from sqlmodel import select

from .. import db, versioned
from ..accounts.models import EXPERT, PROVINCE_OFFICER, Organisation, User
from ..applications import claim_ranges
from ..applications import evidence as files
from ..applications import services as applications
from ..applications.models import Application, Evidence
from ..engine_service import criteria_engine
from ..refusal import return_to
from ..rounds.models import Round
from ..security import roles_required
from ..viewkit import get_or_404, today
from . import services
from .blind import blind_data, blind_result, evidence_name
from .board import board_page, expert_pool, in_review_count
from .models import SPECIALITY_TOPICS, Assignment, InspectionPhoto
from .scales import reviewable_items, scale

bp = Blueprint("review", __name__, url_prefix="/review")
BOARD_PAGE_SIZE = 10  # each line offers the whole expert pool and its conflicts


def _my_assignment(assignment_id: int) -> Assignment:
    assignment = db.session().get(Assignment, assignment_id)
    if assignment is None or assignment.expert_id != current_user.id:
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
    dbs = db.session()
    pool = [(e, services.profile(dbs, e), services.relations(dbs, e.id))
            for e in services.experts(dbs)]
    rounds = dbs.exec(select(Round).order_by(Round.id.desc())).all()
    return render_template("review/experts.html", pool=pool, rounds=rounds)


def _profile_from_form():
    return {"industries": request.form.get("industries", "").replace("，", ",").split(","),
            "topics": [t for t in request.form.getlist("topics") if t in SPECIALITY_TOPICS],
            "affiliation": request.form.get("affiliation", "")[:200],
            "affiliation_uscc": request.form.get("affiliation_uscc", "")[:18]}


@bp.route("/experts/<int:user_id>", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def expert_profile(user_id: int):
    dbs = db.session()
    expert = get_or_404(User, user_id)
    if expert.role != EXPERT:
        abort(404)
    if request.method == "POST":
        services.update_profile(dbs, current_user, expert, **_profile_from_form())
        flash(_("已保存。"))
        return redirect(url_for("review.experts"))
    return render_template("review/profile.html", expert=expert,
                           profile=services.profile(dbs, expert),
                           relations=services.relations(dbs, expert.id), own=False,
                           topics=SPECIALITY_TOPICS)


@bp.route("/profile", methods=["GET", "POST"])
@roles_required(EXPERT)
def my_profile():
    dbs = db.session()
    if request.method == "POST":
        try:
            if request.form.get("form") == "relation":
                services.declare_relation(dbs, current_user,
                                          uscc=request.form.get("uscc", "")[:18],
                                          organisation_name=request.form.get("name", "")[:200],
                                          relation=request.form.get("relation", "")[:200])
            elif request.form.get("form") == "withdraw":
                services.withdraw_relation(dbs, current_user,
                                           request.form.get("relation_id", type=int) or 0)
            else:
                services.update_profile(dbs, current_user, current_user, **_profile_from_form())
        except services.ReviewError as error:
            dbs.rollback()
            flash(error.zh, "error")
        else:
            flash(_("已保存。"))
        return redirect(url_for("review.my_profile"))
    return render_template("review/profile.html", expert=current_user,
                           profile=services.profile(dbs, current_user),
                           relations=services.relations(dbs, current_user.id), own=True,
                           topics=SPECIALITY_TOPICS)


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
        _save_settings(round_)
        return redirect(url_for("review.board", round_id=round_.id))
    # both change only with audited changes: kept per data version
    pool = versioned.kept(("expert pool",), lambda: expert_pool(db.session()))
    total = versioned.kept(("in review", round_.id), lambda: in_review_count(db.session(), round_))
    found = board_page(db.session(), round_, request.args.get("page", 1, type=int),
                       BOARD_PAGE_SIZE, pool, total)
    return render_template("review/board.html", round=round_, board=found,
                           users={e.id: e for e in pool})


def _save_settings(round_: Round) -> None:
    form = request.form
    try:
        settings = {"reviewers_per_application": int(form.get("reviewers_per_application", "")),
                    "disagreement_threshold": float(form.get("disagreement_threshold", "")),
                    "review_days": int(form.get("review_days", "")),
                    "aggregation": form.get("aggregation", ""),
                    "blind": form.get("blind") == "on",
                    "site_inspection": form.get("site_inspection") == "on"}
    except ValueError:
        flash(_("请填写数字"), "error")
        return
    try:
        services.configure_round(db.session(), current_user, round_, **settings)
    except services.ReviewError as error:
        db.session().rollback()
        flash(error.zh, "error")
    else:
        flash(_("评审设置已保存。"))


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
    expert = db.session().get(User, request.form.get("expert", type=int) or 0)
    if expert is None:
        abort(404)
    try:
        services.assign(db.session(), current_user, application, expert, today())
    except services.ReviewError as error:
        db.session().rollback()
        flash(error.zh, "error")
    else:
        flash(_("已分配。"))
    return redirect(url_for("review.board", round_id=application.round_id))


@bp.route("/rounds/<int:round_id>/export.xlsx", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def export(round_id: int):
    """The round's review workbook; a large round's is made by a job, whose page offers it."""
    from sqlmodel import func

    from .. import jobs
    from ..jobs.views import offer
    from .export import round_workbook

    round_ = get_or_404(Round, round_id)
    rows = db.session().exec(select(func.count(Application.id))
                             .where(Application.round_id == round_.id)).one()
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
    dbs = db.session()
    application = _in_review_application(application_id)
    engine = criteria_engine()
    try:
        result = services.frozen_result(dbs, application)
    except services.ReviewError:
        abort(404)
    criteria = engine.criteria(result["criteria"]["id"])
    reviews = services.submitted_reviews(dbs, application)
    return render_template(
        "review/side_by_side.html", application=application,
        organisation=dbs.get(Organisation, application.organisation_id),
        round=dbs.get(Round, application.round_id), result=result,
        items=reviewable_items(criteria, result), reviews=reviews,
        experts={u.id: u for u in services.experts(dbs)},
        assignments=services.assignments_of(dbs, application),
        summary=services.summary(dbs, engine, application) if reviews else None,
        claims_elsewhere=claim_ranges.shown(dbs, current_user, application))


@bp.post("/applications/<int:application_id>/decide")
@roles_required(PROVINCE_OFFICER)
def decide(application_id: int):
    application = _in_review_application(application_id)
    return_to(url_for("review.side_by_side", application_id=application.id))
    services.decide(db.session(), criteria_engine(), current_user, application,
                    request.form.get("action", ""), request.form.get("reason", ""), today())
    flash(_("决定已记录。"))
    return redirect(url_for("applications.view", application_id=application.id))


@bp.post("/assignments/<int:assignment_id>/reopen")
@roles_required(PROVINCE_OFFICER)
def reopen(assignment_id: int):
    assignment = get_or_404(Assignment, assignment_id)
    _in_review_application(assignment.application_id)
    try:
        services.reopen(db.session(), current_user, assignment, request.form.get("reason", ""),
                        today())
    except services.ReviewError as error:
        db.session().rollback()
        flash(error.zh, "error")
    return redirect(url_for("review.side_by_side", application_id=assignment.application_id))


# -- the expert -------------------------------------------------------------------------------

@bp.get("/assignments")
@roles_required(EXPERT)
def my_assignments():
    dbs = db.session()
    rows = dbs.exec(select(Assignment).where(Assignment.expert_id == current_user.id)
                    .order_by(Assignment.id.desc())).all()
    rounds = {a.id: dbs.get(Round, dbs.get(Application, a.application_id).round_id)
              for a in rows}
    return render_template("review/my_assignments.html", rows=rows, rounds=rounds)


@bp.get("/assignments/<int:assignment_id>")
@roles_required(EXPERT)
def assignment_page(assignment_id: int):
    assignment = _my_assignment(assignment_id)
    return _assignment_page(assignment, None, None)


def _assignment_page(assignment: Assignment, posted: dict | None, error: str | None):
    dbs = db.session()
    application = dbs.get(Application, assignment.application_id)
    round_ = dbs.get(Round, application.round_id)
    context = {"assignment": assignment, "round": round_, "application": application,
               "error": error}
    if assignment.state not in ("active", "submitted"):  # nothing opens before the declaration
        organisation = None if round_.blind else dbs.get(Organisation, application.organisation_id)
        return render_template("review/declare.html", organisation=organisation, **context)
    engine = criteria_engine()
    result = services.frozen_result(dbs, application)
    revision = services.submitted_revision(dbs, application)
    criteria = engine.criteria(result["criteria"]["id"])
    review = services.review_of(dbs, assignment)
    engine_points = {i["id"]: i["points"] for i in result["items"]}
    items = [(item, scale(item, engine_points.get(item.id)), engine_points.get(item.id))
             for item in reviewable_items(criteria, result)]
    evidence = revision.evidence or []
    if round_.blind:
        evidence = [dict(e, name=evidence_name(e["id"], e["name"])) for e in evidence]
    photos = dbs.exec(select(InspectionPhoto).where(InspectionPhoto.review_id == review.id)
                      ).all() if review.id else []
    values = posted or {"scores": review.scores, "comments": review.comments,
                        "opinion": review.opinion, "recommendation": review.recommendation,
                        "inspection": review.inspection or {}}
    return render_template(
        "review/assignment.html",
        organisation=None if round_.blind else dbs.get(Organisation, application.organisation_id),
        data=blind_data(revision.data) if round_.blind else revision.data,
        result=blind_result(result) if round_.blind else result, items=items,
        evidence=evidence, review=review, values=values, photos=photos, **context)


@bp.post("/assignments/<int:assignment_id>/declare")
@roles_required(EXPERT)
def declare(assignment_id: int):
    assignment = _my_assignment(assignment_id)
    try:
        if request.form.get("choice") == "decline":
            services.decline(db.session(), current_user, assignment,
                             request.form.get("reason", ""))
            flash(_("已谢绝该评审任务。"))
        elif request.form.get("no_conflict") == "yes":
            services.declare_no_conflict(db.session(), current_user, assignment)
        else:
            flash(_("请勾选无利益冲突声明，或填写理由谢绝。"), "error")
    except services.ReviewError as error:
        db.session().rollback()
        flash(error.zh, "error")
    return redirect(url_for("review.assignment_page", assignment_id=assignment.id))


@bp.post("/assignments/<int:assignment_id>/review")
@roles_required(EXPERT)
def save(assignment_id: int):
    assignment = _my_assignment(assignment_id)
    form = request.form
    scores, comments = {}, {}
    for key, value in form.items():
        if key.startswith("score-") and value != "":
            try:
                scores[key[6:]] = float(value)
            except ValueError:
                scores[key[6:]] = -1.0  # on no scale: the service says so beside the item
        elif key.startswith("comment-"):
            comments[key[8:]] = value[:2000]
    inspection = {k: form.get(f"inspection_{k}", "")[:2000] for k in ("date", "people",
                                                                      "findings")}
    posted = {"scores": scores, "comments": comments, "opinion": form.get("opinion", "")[:5000],
              "recommendation": form.get("recommendation") or None, "inspection": inspection}
    try:
        services.save_review(db.session(), criteria_engine(), current_user, assignment,
                             scores=scores, comments=comments, opinion=posted["opinion"],
                             recommendation=posted["recommendation"],
                             inspection=inspection if any(inspection.values()) else None,
                             submit=form.get("submit") == "yes")
    except services.ReviewError as error:
        db.session().rollback()
        return _assignment_page(assignment, posted, error.zh), 422
    flash(_("评审已提交。") if form.get("submit") == "yes" else _("草稿已保存。"))
    return redirect(url_for("review.assignment_page", assignment_id=assignment.id))


@bp.post("/assignments/<int:assignment_id>/photos")
@roles_required(EXPERT)
def photo(assignment_id: int):
    assignment = _my_assignment(assignment_id)
    dbs = db.session()
    upload = request.files.get("photo")
    if assignment.state != "active" or upload is None or not upload.filename:
        flash(_("请选择照片（评审提交前可上传）"), "error")
        return redirect(url_for("review.assignment_page", assignment_id=assignment.id))
    content = upload.read()
    try:
        content_type = files.identify(upload.filename, content[:16])
        if not content_type.startswith("image/"):
            raise files.EvidenceError(_("现场照片只接受 PNG 或 JPEG 图片"))
    except files.EvidenceError as error:
        flash(error.zh, "error")
        return redirect(url_for("review.assignment_page", assignment_id=assignment.id))
    review = services.review_of(dbs, assignment)
    if review.id is None:
        dbs.add(review)
        dbs.flush()
    stored, sha256 = files.store(Path(current_app.config["UPLOAD_FOLDER"]), content)
    dbs.add(InspectionPhoto(review_id=review.id, original_name=files.safe_name(upload.filename),
                            stored_name=stored, sha256=sha256, content_type=content_type,
                            size=len(content)))
    dbs.commit()
    flash(_("照片已上传。"))
    return redirect(url_for("review.assignment_page", assignment_id=assignment.id))


@bp.get("/assignments/<int:assignment_id>/evidence/<int:evidence_id>")
@roles_required(EXPERT)
def evidence_file(assignment_id: int, evidence_id: int):
    assignment = _my_assignment(assignment_id)
    if assignment.state not in ("active", "submitted"):
        abort(404)
    dbs = db.session()
    revision = services.submitted_revision(dbs, dbs.get(Application, assignment.application_id))
    if evidence_id not in {e["id"] for e in (revision.evidence or [])}:
        abort(404)
    record = dbs.get(Evidence, evidence_id)
    round_ = dbs.get(Round, dbs.get(Application, assignment.application_id).round_id)
    name = evidence_name(record.id, record.original_name) if round_.blind else \
        record.original_name
    return send_file(Path(current_app.config["UPLOAD_FOLDER"]) / record.stored_name,
                     mimetype=record.content_type, as_attachment=True, download_name=name)
