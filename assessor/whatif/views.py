from __future__ import annotations

import math

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from ..accounts.models import PROVINCE_OFFICER
from ..engine import DataFileError
from ..engine.criteria import criteria_from_text
from ..platform import db
from ..platform.engine_service import criteria_engine
from ..platform.i18n import is_english
from ..platform.refusal import Refused, on_form
from ..platform.security import roles_required
from ..rounds.models import Round
from . import services
from .forms import whatif_form

bp = Blueprint("whatif", __name__, url_prefix="/whatif")
MAX_DRAFT_BYTES = 1_000_000  # a shipped set is about 30 KB


@bp.route("/rounds/<int:round_id>", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def run(round_id: int):
    round_ = db.session().get(Round, round_id)
    if round_ is None:
        abort(404)
    engine = criteria_engine()
    current = engine.criteria(round_.criteria_id)
    gates = [i for i in current.items_of("gate") if i.rule.value is not None
             and not isinstance(i.rule.value, (bool, str, list))]
    form = whatif_form(gates, [lv for lv in current.model.levels if not lv.fallback],
                       is_english())
    changes, draft, refused = None, None, False
    if request.method == "POST":
        try:
            draft = _draft(engine, current)
            changes = services.compare(db.session(), engine, round_, draft)
        except DataFileError as problem:  # the uploaded draft's
            refused = True
            # on the threshold changed, or on the uploaded file
            field = "draft" if request.form.get("source") == "upload" else f"gate-{problem.item}"
            on_form(form, Refused(f"{problem.item}: " + (
                problem.message_en if is_english() else
                f"{problem.message_zh}（{problem.message_en}）"), field=field))
        except Refused as problem:
            refused = True
            on_form(form, problem)
    return render_template("whatif/run.html", round=round_, current=current, gates=gates,
                           others=[c for c in engine.sets.values()
                                   if c.subject == round_.subject and c.id != current.id],
                           draft=draft, changes=changes, form=form, values=request.form), \
        (422 if refused else 200)


def _draft(engine, current):
    source = request.form.get("source", "edit")
    if source == "upload":
        upload = request.files.get("draft")
        if upload is None or not upload.filename:
            raise Refused(_("请选择评价标准草案文件（YAML）"), field="draft")
        content = upload.read(MAX_DRAFT_BYTES + 1)
        if len(content) > MAX_DRAFT_BYTES:
            raise Refused(_("草案文件过大（最多 %(n)s KB）", n=MAX_DRAFT_BYTES // 1000),
                          field="draft")
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(_("草案文件应为 UTF-8 编码的 YAML"), field="draft") from None
        return criteria_from_text(text, upload.filename, current.reference)
    if source == "set":
        chosen = engine.sets.get(request.form.get("criteria_id", ""))
        if chosen is None:
            raise Refused(_("请选择评价标准"), field="criteria_id")
        return chosen
    gate_values, minimums = {}, {}
    for key, value in request.form.items():
        if not key.startswith(("gate-", "level-")) or not value.strip():
            continue
        try:
            number = float(value)
        except ValueError:
            raise Refused(_("“%(value)s”不是数字", value=value[:40]), field=key) from None
        if not math.isfinite(number):
            raise Refused(_("“%(value)s”超出可用的数值范围", value=value[:40]), field=key)
        if key.startswith("gate-"):
            gate_values[key[5:]] = number
        elif key.startswith("level-"):
            minimums[key[6:]] = number
    return services.edited(current, engine, gate_values, minimums)
