from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import jobs
from ..accounts.models import PROVINCE_OFFICER
from ..criteria import services as criteria_services
from ..platform import db
from ..platform.engine_service import criteria_engine
from ..platform.formkit import options
from ..platform.i18n import pick
from ..platform.refusal import on_form
from ..platform.security import roles_required
from ..platform.viewkit import get_or_404
from . import services
from .forms import RoundCriteriaForm, RoundForm
from .models import Round

bp = Blueprint("rounds", __name__, url_prefix="/rounds")


@bp.get("/")
@login_required
def index():
    return render_template("rounds/index.html", rounds=services.list_rounds(db.session()))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def new():
    engine = criteria_engine()
    form = RoundForm()
    published = {v.key for v in criteria_services.published(db.session(), "criteria")}
    form.criteria_id.choices = options(  # a new round takes a published version only
        (c.id, f"{c.id} {pick(c.model.title)}") for c in engine.sets.values()
        if c.id in published)
    if form.validate_on_submit():
        try:
            services.open_round(db.session(), engine, current_user, title=form.title.data,
                                subject=form.subject.data, year=form.year.data,
                                criteria_id=form.criteria_id.data, opens_on=form.opens_on.data,
                                closes_on=form.closes_on.data,
                                publicity_days=form.publicity_days.data)
        except services.RoundError as error:
            on_form(form, error, "title")
        else:
            flash(_("申报批次已开设。"))
            return redirect(url_for("rounds.index"))
    return render_template("rounds/new.html", form=form)


@bp.route("/<int:round_id>/criteria", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def criteria(round_id: int):
    """Another published version for a round, until its first submission."""
    dbs = db.session()
    round_ = get_or_404(Round, round_id)
    form = RoundCriteriaForm(criteria_id=round_.criteria_id)
    form.criteria_id.choices = [
        (v.key, f"{v.key} {pick((v.title_zh, v.title_en))}（{v.label}）")
        for v in criteria_services.published(dbs, "criteria", round_.subject)]
    status = 200
    if form.validate_on_submit():
        before = round_.criteria_id
        try:
            services.change_criteria(dbs, criteria_engine(), current_user, round_,
                                     form.criteria_id.data)
        except services.RoundError as error:
            on_form(form, error, "criteria_id")
        else:
            if before != round_.criteria_id:
                flash(_("%(round)s 的评价标准已改为 %(key)s。", round=round_.title,
                        key=round_.criteria_id))
            return redirect(url_for("rounds.index"))
    if form.errors:
        status = 422
    return render_template("rounds/criteria.html", round=round_, form=form,
                           fixed=services.has_submissions(dbs, round_)), status


@bp.post("/<int:round_id>/rescore")
@roles_required(PROVINCE_OFFICER)
def rescore(round_id: int):
    """Every submitted application scored again with the current criteria and reference data,
    beside its frozen result (which stays as it is), as a workbook."""
    round_ = get_or_404(Round, round_id)
    job = jobs.start("rescore", _("%(round)s 重新计算", round=round_.title), current_user.id,
                     "rounds.rescore", round_id=round_.id)
    return redirect(url_for("jobs.show", job_id=job.id))
