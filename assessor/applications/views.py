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
from flask_login import current_user, login_required

from ..accounts.models import APPLICANT
from ..charts import carrier_energy, result_charts
from ..engine import SubmissionError, parse_submission, verdicts
from ..platform import db, versioned
from ..platform.engine_service import criteria_engine
from ..platform.formkit import off_page
from ..platform.i18n import is_english, pick
from ..platform.pagecache import kept_html
from ..platform.refusal import Refused, on_form, return_to
from ..platform.viewkit import get_or_404, today
from ..rounds.models import Round
from . import claim_places, comparison, form_page, formflow, queries, readable, services
from . import evidence as files
from .action_forms import (
    EvidenceForm,
    EvidenceKindForm,
    MoveForm,
    NewApplicationForm,
    chosen_file,
)
from .forms import add_blank_rows, form_class, submission_to_form_data
from .lifecycle import TransitionError, transition
from .lookup import visible_application_or_404
from .workflow import MOVES, REVIEW

bp = Blueprint("applications", __name__, url_prefix="/applications")


def _filtered():
    """The user's visible applications with the list's filters applied, and the filters."""
    state = request.args.get("state", "")
    round_id = request.args.get("round", type=int)
    city = request.args.get("city", "")
    query = services.filtered(current_user, state=state, round_id=round_id, city=city)
    return query, {"state": state, "round": round_id, "city": city}


@bp.route("/export.xlsx", methods=["GET", "POST"])
@login_required
def export():
    """The list as the user sees it (same filters), with each latest submission's result. A long
    list is made by a job, whose page offers the file when it is ready."""
    from .. import jobs
    from ..jobs.views import offer

    query, filters = _filtered()
    rows = queries.rows_of(db.session(), query)
    if rows > current_app.config["EXPORT_JOB_ROWS"]:
        label = _("申报列表导出（%(n)s 份）", n=rows)
        return offer(label, rows, lambda: jobs.start(
            "export", label, current_user.id, "applications.export", user_id=current_user.id,
            state=filters["state"], round_id=filters["round"], city=filters["city"]))
    content = services.export_workbook(db.session(), query)
    return send_file(BytesIO(content), as_attachment=True, download_name="applications.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/")
@login_required
def index():
    return _index_page()


def _index_page(failed: NewApplicationForm | None = None):
    """The list; with `failed`, the new application refused, its problem at the top (422)."""
    dbs = db.session()
    query, filters = _filtered()
    # everything the list shows moves the data version (audited changes, drafts saved): the
    # total, and the whole list when no form failed, are kept per data version
    scope = (current_user.role, current_user.organisation_id, current_user.city)
    total = versioned.kept(("applications total", scope, *filters.items()),
                           lambda: services.count_of(dbs, query))
    size = current_app.config["PAGE_SIZE"]
    page = max(1, min(request.args.get("page", 1, type=int), max(1, -(-total // size))))

    def content() -> dict:
        applications, _total, _page, pages = services.page_of(dbs, query, page, size, total)
        extras = queries.list_page_extras(dbs, current_user, applications, today())
        return dict(applications=applications, **extras, total=total, page=page, pages=pages,
                    filters=filters, failed=failed)

    if failed is None:
        body = kept_html(("applications list", scope, *filters.items(), page),
                         lambda: render_template("applications/index_body.html", **content()))
        return render_template("applications/index.html", body=body, failed=None)
    shown = content()
    opened = {r.id for r in shown["open_rounds"]}  # beside the round's button, else the list
    failed.round.id = (f"round-{failed.round.data}" if failed.round.data in opened
                       else "open-rounds")
    return render_template("applications/index.html", **shown), 422


@bp.post("/new")
@login_required
def new():
    form = NewApplicationForm()
    try:
        if form.round.data is None:
            raise services.ApplicationError(_("请选择申报批次"), "round")
        round_ = get_or_404(Round, form.round.data)
        application = services.create(db.session(), current_user, round_, today())
    except Refused as error:  # the list again, the problem beside the round chosen
        on_form(form, error, None if error.kind == "forbidden" else "round")
        return _index_page(form)
    return redirect(url_for("applications.edit", application_id=application.id))


@bp.route("/<int:application_id>/edit", methods=["GET", "POST"])
@login_required
def edit(application_id: int):
    dbs = db.session()
    application = visible_application_or_404(application_id)
    return_to(url_for("applications.view", application_id=application.id))
    draft = services.editable_draft(dbs, current_user, application, today())
    engine = criteria_engine()
    round_ = queries.round_of(dbs, application)
    criteria = engine.criteria(round_.criteria_id)
    Form = form_class(criteria, criteria.reference)
    problems = []
    refused = False
    if request.method == "POST":
        form = Form()
        saved = formflow.post(
            form, criteria, round_.year, queries.organisation_of(dbs, application),
            lambda data, lock: services.save_draft(dbs, engine, current_user, application, data,
                                                   lock, today()))
        if saved == []:
            flash(_("已保存。"))
            return redirect(url_for("applications.edit", application_id=application.id))
        refused = saved is None and bool(form.errors or form.form_errors)
        if saved:
            problems = saved
            form.lock_version.data = str(draft.lock_version)
            flash(_("已保存草稿，但还有问题需要修改后才能提交。"), "error")
    else:
        form = Form(data=submission_to_form_data(draft.data, criteria))
        form.lock_version.data = str(draft.lock_version)
        add_blank_rows(form)
    result, engine_problems = services.draft_result(engine, draft)
    return render_template("applications/edit.html", form=form, application=application,
                           round=round_, criteria=criteria, reference=criteria.reference,
                           organisation=queries.organisation_of(dbs, application),
                           draft=draft, result=result, problems=problems or engine_problems
                           ), (422 if refused else 200)


@bp.get("/<int:application_id>")
@login_required
def view(application_id: int):
    return _application_page(visible_application_or_404(application_id))


def _application_page(application, failed=None):
    """The page; with `failed`, the refused form whose problems it lists at the top (422).
    A problem of a field the page does not show is listed without a link."""
    engine = criteria_engine()
    page = queries.application_page(db.session(), engine, current_user, application, today())
    if page is None:
        abort(404)
    if failed is not None:
        off_page(failed, queries.page_fields(page))
    items = _evidence_items(engine.criteria(page["round"].criteria_id))
    return render_template("applications/view.html", application=application, **page,
                           chart_list=_charts(engine, page["latest"], page["result"]),
                           evidence_items=items, evidence_titles=dict(items),
                           failed=failed), (200 if failed is None else 422)


def _named(form, field: str, element_id: str, label: str):
    """A form of one line of the page: its field's id and label name the line."""
    form[field].id, form[field].label.text = element_id, label
    return form


def _charts(engine, revision, result) -> list[dict]:
    """Energy mix, emissions waterfall, products against their levels, points by category."""
    if not result:
        return []
    lang = "en" if is_english() else "zh"
    energy = None
    try:
        batch = engine.prepare([parse_submission(revision.data)], revision.criteria_id)
        energy = carrier_energy(batch, engine.criteria(revision.criteria_id).reference,
                                result["indicators"]["electricity_energy_tce"]["value"], lang=lang)
    except SubmissionError:
        pass
    return result_charts(result, energy, lang=lang)


def _evidence_items(criteria) -> list[tuple[str, str]]:
    """(id, title) of every kind of evidence the set asks for, then 'other'."""
    english = is_english()
    titles = [(k, t.en if english else t.zh) for k, t in criteria.model.evidence_kinds.items()]
    return [*titles, ("other", _("其他材料"))]


@bp.post("/<int:application_id>/transition")
@login_required
def change_state(application_id: int):
    """The application page's moves only: a decision is made on the review summary, and
    publication moves (publicity, listing, removal) are refused here by transition()."""
    application = visible_application_or_404(application_id)
    form = MoveForm()
    move = MOVES.get(form.action.data)
    _named(form, "reason", f"reason-{form.action.data}",
           _("推荐意见") if form.action.data == "recommend" else _("理由"))
    if move is not None and move.route == REVIEW and current_user.role == move.role:
        return redirect(url_for("review.side_by_side", application_id=application.id))
    if form.action.data == "submit":  # through "check your answers", with the commitment
        return redirect(url_for("submission.check_answers", application_id=application.id))
    try:  # the refused input's problems are shown too, each with its place
        transition(db.session(), criteria_engine(), application, form.action.data,
                   current_user, reason=form.reason.data, today=today())
    except TransitionError as error:  # the page again, the problem beside the move's reason
        on_form(form, error)
        form.form_errors.extend(_("%(path)s：%(problem)s", path=p.path, problem=pick(p))
                                for p in error.problems[:20])
        return _application_page(application, form)
    flash(_("操作已完成。"))
    return redirect(url_for("applications.view", application_id=application.id))


@bp.post("/<int:application_id>/evidence")
@login_required
def upload(application_id: int):
    application = visible_application_or_404(application_id)
    form = EvidenceForm()
    if not form.chosen(_kinds_of(application)):
        return _application_page(application, form)
    upload_file = chosen_file(form)
    try:
        services.add_evidence(db.session(), current_user, application, item=form.item.data,
                              filename=upload_file.filename, content=upload_file.read(),
                              folder=Path(current_app.config["UPLOAD_FOLDER"]), today=today())
    except Refused as error:  # the file's content, or the draft no longer editable
        on_form(form, error, "file")
        return _application_page(application, form)
    flash(_("文件已上传。"))
    return redirect(url_for("applications.view", application_id=application.id) + "#evidence")


def _kinds_of(application) -> dict[str, str]:
    round_ = queries.round_of(db.session(), application)
    return dict(_evidence_items(criteria_engine().criteria(round_.criteria_id)))


@bp.post("/<int:application_id>/evidence/<int:evidence_id>/kind")
@login_required
def change_kind(application_id: int, evidence_id: int):
    """An uploaded file's kind changed, without uploading it again."""
    application = visible_application_or_404(application_id)
    form = _named(EvidenceKindForm(), "item", f"evidence-{evidence_id}-kind", _("材料用途"))
    try:
        if form.item.data not in _kinds_of(application):
            raise services.ApplicationError(_("请选择材料用途"), "item")
        services.change_evidence_kind(db.session(), current_user, application, evidence_id,
                                      form.item.data, today())
    except Refused as error:
        on_form(form, error, "item")
        return _application_page(application, form)
    flash(_("已更改材料用途。"))
    return redirect(url_for("applications.view", application_id=application.id) + "#evidence")


@bp.post("/<int:application_id>/evidence/<int:evidence_id>/remove")
@login_required
def remove(application_id: int, evidence_id: int):
    application = visible_application_or_404(application_id)
    return_to(url_for("applications.view", application_id=application.id))
    services.remove_evidence(db.session(), current_user, application, evidence_id, today())
    flash(_("文件已删除。"))
    return redirect(url_for("applications.view", application_id=application.id))


@bp.get("/<int:application_id>/evidence/<int:evidence_id>")
@login_required
def download(application_id: int, evidence_id: int):
    application = visible_application_or_404(application_id)
    try:
        record = files.for_download(db.session(), current_user, application, evidence_id)
    except files.EvidenceGone as error:
        return render_template("applications/evidence_gone.html", application=application,
                               message=error.zh), 410
    if record is None:
        abort(404)
    path = Path(current_app.config["UPLOAD_FOLDER"]) / record.stored_name
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=record.content_type, as_attachment=True,
                     download_name=record.original_name)


@bp.get("/<int:application_id>/revisions/<int:number>")
@login_required
def revision(application_id: int, number: int):
    application = visible_application_or_404(application_id)
    chosen = next((r for r in services.revisions(db.session(), application)
                   if r.number == number), None)
    if chosen is None or (chosen.submitted_at is None and current_user.role != APPLICANT):
        abort(404)
    engine = criteria_engine()
    words = queries.data_words(engine, chosen.criteria_id)
    titles = {k: pick(t) for k, t in words.evidence_kinds.items()}
    return render_template("applications/revision.html", application=application,
                           revision=chosen, result=chosen.result,
                           data_rows=comparison.data_rows(chosen.data or {}, words),
                           evidence_titles=titles,
                           chart_list=_charts(engine, chosen, chosen.result))


@bp.app_template_filter("claim_place")
def claim_place(path: str) -> str:
    return claim_places.place(path, is_english())


@bp.app_template_filter("claim_finding")
def claim_finding(pair: dict, lang: str | None = None) -> str:
    return claim_places.finding(pair, lang == "en" if lang else is_english())


@bp.app_template_global()
def self_assessment_page(form) -> form_page.FormPage:
    """The self-assessment page's sections, guidance and products, for the form's criteria."""
    engine = criteria_engine()
    criteria = engine.criteria(form.criteria_id)
    return form_page.form_page(form, criteria, criteria.reference)


bp.add_app_template_global(form_page.shown_carriers, "shown_carriers")


@bp.app_template_global()
def problem_place(form, path: str) -> str:
    return claim_places.problem_place(form, path)


@bp.app_template_global()
def readable_result(result: dict, lang: str = "zh") -> dict:
    """The result macro's words, sources and gap bars (applications/readable.py)."""
    try:
        criteria = criteria_engine().criteria(result["criteria"]["id"])
    except (SubmissionError, KeyError, TypeError):
        criteria = None  # a set no longer loaded: the words fall back to the result's own
    said = readable.readable(result, criteria, lang)
    # sources and reliability tags are for officers and experts; applicants open them
    said["applicant"] = not current_user.is_authenticated or current_user.role == APPLICANT
    return said


@bp.app_template_filter("say")
def say_number(value, unit: str | None = None) -> str:
    """A number for people: rounded, separated, with its unit in human form."""
    return verdicts.say(value, unit)
