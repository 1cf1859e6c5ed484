"""Versions: the list, one version's page and its moves, a new draft, export, comparison."""

from __future__ import annotations

import io
import zipfile

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import PROVINCE_OFFICER
from ..engine.reference_diff import compare_reference
from ..engine.version_diff import compare_criteria
from ..platform import db
from ..platform.i18n import pick
from ..platform.refusal import on_form, return_to
from ..platform.security import roles_required
from ..platform.viewkit import get_or_404
from . import queries, services
from .blueprint import bp
from .comparison_pdf import render_pdf
from .forms import NewDraftForm, ReasonForm, ReferenceChoiceForm
from .lifecycle import STATE_TITLES, is_editor
from .models import CriteriaVersion
from .store import set_of


@bp.app_context_processor
def _version_words():
    return {"version_state": lambda state: STATE_TITLES.get(state, state),
            "criteria_editor": is_editor(current_user) if current_user else False}


@bp.get("/")
@roles_required(PROVINCE_OFFICER)
def index():
    return render_template("criteria/index.html", versions=queries.versions(db.session()))


@bp.get("/<int:version_id>")
@roles_required(PROVINCE_OFFICER)
def show(version_id: int):
    return _page(get_or_404(CriteriaVersion, version_id))


def _page(version: CriteriaVersion, reason_form: ReasonForm | None = None, status: int = 200):
    """A version's page; with `reason_form`, a refused return shown at its field."""
    dbs = db.session()
    references = services.published(dbs, "reference")
    choice = ReferenceChoiceForm(reference_id=version.reference_id)
    choice.reference_id.choices = [(r.id, f"{r.key}（{r.label}）") for r in references]
    return render_template(
        "criteria/version.html", version=version, names=queries.names(dbs, version),
        problems=services.problems_of(dbs, version), cases=queries.case_rows(dbs, version),
        reference=dbs.get(CriteriaVersion, version.reference_id) if version.reference_id
        else None, based_on=dbs.get(CriteriaVersion, version.based_on_id)
        if version.based_on_id else None, others=queries.comparable(dbs, version),
        draft_form=NewDraftForm(key=_suggested_key(version), label=version.label),
        reason_form=reason_form or ReasonForm(formdata=None), choice=choice), status


def _suggested_key(version: CriteriaVersion) -> str:
    stem = version.key.rsplit("-v", 1)[0]
    taken = {v.key for v in queries.comparable(db.session(), version)} | {version.key}
    number = 2
    while f"{stem}-v{number}" in taken:
        number += 1
    return f"{stem}-v{number}"[:40]


@bp.post("/<int:version_id>/drafts")
@roles_required(PROVINCE_OFFICER)
def new_draft(version_id: int):
    dbs = db.session()
    source = get_or_404(CriteriaVersion, version_id)
    form = NewDraftForm()
    if form.validate_on_submit():
        try:
            draft = services.new_draft(dbs, current_user, source, key=form.key.data,
                                       label=form.label.data, note=form.note.data or "",
                                       replaces=form.replaces.data)
        except services.VersionRefused as error:
            on_form(form, error, "key")
        else:
            flash(_("已新建草稿 %(key)s。", key=draft.key))
            return redirect(url_for("criteria.show", version_id=draft.id))
    return render_template("criteria/new_draft.html", source=source, form=form), 422


@bp.post("/<int:version_id>/<any(submit, approve, return):action>")
@roles_required(PROVINCE_OFFICER)
def move(version_id: int, action: str):
    version = get_or_404(CriteriaVersion, version_id)
    return_to(url_for("criteria.show", version_id=version.id))
    form = ReasonForm()
    if not form.validate_on_submit():
        return _page(version, form, 422)
    try:
        services.change_state(db.session(), current_user, version, action,
                              reason=form.reason.data)
    except services.VersionRefused as error:
        if error.field != "reason":
            raise
        on_form(form, error)
        return _page(db.session().get(CriteriaVersion, version_id), form, 422)
    flash({"submit": _("已提交审核，请另一名编辑人员审核发布。"), "approve": _("已发布。"),
           "return": _("已退回修改。")}[action])
    return redirect(url_for("criteria.show", version_id=version.id))


@bp.post("/<int:version_id>/discard")
@roles_required(PROVINCE_OFFICER)
def discard(version_id: int):
    version = get_or_404(CriteriaVersion, version_id)
    return_to(url_for("criteria.show", version_id=version.id))
    if not ReasonForm().validate_on_submit():
        abort(400)
    key = version.key
    services.discard(db.session(), current_user, version)
    flash(_("草稿 %(key)s 已删除。", key=key))
    return redirect(url_for("criteria.index"))


@bp.post("/<int:version_id>/reference")
@roles_required(PROVINCE_OFFICER)
def use_reference(version_id: int):
    dbs = db.session()
    version = get_or_404(CriteriaVersion, version_id)
    return_to(url_for("criteria.show", version_id=version.id))
    form = ReferenceChoiceForm()
    form.reference_id.choices = [(r.id, r.key) for r in services.published(dbs, "reference")]
    if not form.validate_on_submit():
        raise services.VersionRefused(_("请选择已发布的参考数据版本"), "reference_id")
    services.use_reference(dbs, current_user, version, dbs.get(CriteriaVersion,
                                                               form.reference_id.data))
    flash(_("已改用参考数据版本 %(key)s。", key=dbs.get(CriteriaVersion, form.reference_id.data).key))
    return redirect(url_for("criteria.show", version_id=version.id))


@bp.get("/<int:version_id>/export.zip")
@roles_required(PROVINCE_OFFICER)
def export(version_id: int):
    """The version's files in the layout of criteria/ (what `criteria export` writes)."""
    version = get_or_404(CriteriaVersion, version_id)
    buffer = io.BytesIO()
    prefix = "reference/" if version.kind == "reference" else ""
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(version.files.items()):
            archive.writestr(f"criteria/{prefix}{name}", text.encode("utf-8"))
    buffer.seek(0)
    return send_file(buffer, mimetype="application/zip", as_attachment=True,
                     download_name=f"{version.key}.zip")


def _pair() -> tuple[CriteriaVersion, CriteriaVersion]:
    dbs = db.session()
    try:
        old = dbs.get(CriteriaVersion, int(request.args.get("old", "")))
        new = dbs.get(CriteriaVersion, int(request.args.get("new", "")))
    except ValueError:
        abort(404)
    if old is None or new is None:
        abort(404)
    return old, new


def _diff(old: CriteriaVersion, new: CriteriaVersion):
    if old.kind != new.kind:
        raise services.VersionRefused(_("只能比较同一类的版本（评价标准与评价标准，参考数据与参考数据）"))
    if old.kind == "reference":
        return compare_reference(old.files, new.files)
    dbs = db.session()
    for version in (old, new):
        if services.problems_of(dbs, version):
            raise services.VersionRefused(_("版本 %(key)s 无法载入，请先修正后再比较", key=version.key))
    return compare_criteria(set_of(dbs, old).model, set_of(dbs, new).model)


def _meta(version: CriteriaVersion) -> dict:
    return {"id": version.key, "label": version.label, "state": version.state,
            "title": pick((version.title_zh, version.title_en))}


@bp.get("/compare")
@roles_required(PROVINCE_OFFICER)
def compare():
    old, new = _pair()
    return_to(url_for("criteria.show", version_id=new.id))
    return render_template("criteria/compare.html", old=old, new=new, diff=_diff(old, new))


@bp.get("/compare.pdf")
@roles_required(PROVINCE_OFFICER)
def compare_pdf():
    old, new = _pair()
    return_to(url_for("criteria.show", version_id=new.id))
    pdf = render_pdf(_diff(old, new), _meta(old), _meta(new))
    return send_file(io.BytesIO(pdf), mimetype="application/pdf",
                     download_name=f"{old.key}_{new.key}_对照表.pdf")
