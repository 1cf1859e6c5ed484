from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import db
from ..accounts.models import PROVINCE_OFFICER
from ..engine_service import criteria_engine
from ..formkit import options
from ..i18n import pick
from ..security import roles_required
from . import services
from .forms import RoundForm

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
    form.criteria_id.choices = options(
        (c.id, f"{c.id} {pick(c.model.title)}") for c in engine.sets.values())
    if form.validate_on_submit():
        try:
            services.open_round(db.session(), engine, current_user, title=form.title.data,
                                subject=form.subject.data, year=form.year.data,
                                criteria_id=form.criteria_id.data, opens_on=form.opens_on.data,
                                closes_on=form.closes_on.data,
                                publicity_days=form.publicity_days.data)
        except services.RoundError as error:
            db.session().rollback()
            getattr(form, error.field or "title").errors.append(error.zh)
        else:
            flash(_("申报批次已开设。"))
            return redirect(url_for("rounds.index"))
    return render_template("rounds/new.html", form=form)
