"""Reference data pages: a version's tables for people to read, and on a draft, for criteria
editors, a new data year of electricity factors and a product's energy-efficiency levels. A
save goes through the whole reference's check (services.save_files): what does not load is
listed at the top with its file and row, nothing is kept, and the form keeps what was typed."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import PROVINCE_OFFICER
from ..platform import db
from ..platform.i18n import is_english
from ..platform.refusal import on_form, return_to
from ..platform.security import roles_required
from . import reference_changes as changes
from . import reference_tables as tables
from .blueprint import bp, version_of_kind
from .lifecycle import VersionRefused, is_editor
from .models import CriteriaVersion
from .reference_forms import ElectricityYearForm, LevelsForm


def _editing(version: CriteriaVersion) -> None:
    """Only criteria editors change a draft; anyone else is sent back to the tables."""
    return_to(url_for("criteria.reference_tables", version_id=version.id))
    if not is_editor(current_user):
        raise VersionRefused(_("只有省厅指定的评价标准编辑人员可以修改或审核评价标准"),
                             kind="forbidden")
    if version.state != "draft":
        raise VersionRefused(_("只有草稿可以修改；已发布的版本不再改变"), kind="stale")


def _lock(form) -> int:
    try:
        return int(form.lock_version.data or -1)
    except ValueError:
        return -1


def _refused(form, error: VersionRefused) -> list[tuple[str, str, str]]:
    """The refusal on its field (or above the form); the reference's own load problems as
    (file, row, message) for the list at the top."""
    english = is_english()
    if error.problems:
        db.session().rollback()
        return [(p.file.rsplit("/", 1)[-1], p.item, p.en if english else p.zh)
                for p in error.problems]
    on_form(form, error)
    return []


@bp.get("/<int:version_id>/reference")
@roles_required(PROVINCE_OFFICER)
def reference_tables(version_id: int):
    version = version_of_kind(version_id, "reference")
    files = version.files
    return render_template(
        "criteria/reference.html", version=version, t=tables,
        editable=version.state == "draft" and is_editor(current_user),
        electricity=tables.electricity(files), levels=tables.levels(files),
        coal=tables.coal(files), fuels=tables.fuels(files), other=tables.other(files),
        has_process=tables.has_process_tables(files), process=tables.process_factors(files),
        guidelines=tables.guidelines(files), gwp=tables.gwp(files))


@bp.route("/<int:version_id>/reference/electricity", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def reference_electricity(version_id: int):
    version = version_of_kind(version_id, "reference")
    _editing(version)
    form = ElectricityYearForm(lock_version=str(version.lock_version))
    problems = []
    if form.validate_on_submit():
        try:
            added = changes.add_electricity_year(
                db.session(), current_user, version, data_year=int(form.data_year.data),
                values={f: form[f].data or "" for f in form.FACTORS},
                announcement=form.announcement.data, published=form.published.data or "",
                source=form.source.data, tag=form.tag.data, note=form.note.data or "",
                lock_version=_lock(form))
        except VersionRefused as error:
            problems = _refused(form, error)
        else:
            flash(_("已添加 %(year)s 年的 %(n)s 个电力排放因子。", year=form.data_year.data,
                    n=len(added)))
            return redirect(url_for("criteria.reference_tables", version_id=version.id)
                            + "#electricity")
    status = 422 if request.method == "POST" else 200
    return render_template("criteria/reference_electricity.html", version=version, form=form,
                           problems=problems, latest=_latest_years(version)), status


def _latest_years(version: CriteriaVersion) -> dict[str, tuple[str, str]]:
    """Each factor's latest data year already in the table and its value, shown beside its
    field."""
    latest: dict[str, tuple[str, str]] = {}
    for row in tables.electricity(version.files):
        if row["factor"] in changes.YEAR_FACTORS:
            latest[row["factor"]] = (row["data_year"], row["value"])
    return latest


@bp.route("/<int:version_id>/reference/levels", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def reference_levels(version_id: int):
    version = version_of_kind(version_id, "reference")
    _editing(version)
    change = request.args.get("id") or None
    current = changes.level_row(version.files, change) if change else None
    if change and current is None:
        abort(404)
    if request.method == "GET" and current is not None:
        form = LevelsForm.of_row(current, lock_version=str(version.lock_version))
    else:
        form = LevelsForm(current=current, lock_version=str(version.lock_version))
    if change:
        form.id.data = change  # the product changed is the one the page was opened for
    problems = []
    if form.validate_on_submit():
        try:
            changes.save_levels(db.session(), current_user, version, form.row(), change=change,
                                lock_version=_lock(form))
        except VersionRefused as error:
            problems = _refused(form, error)
        else:
            flash(_("已保存 %(id)s 的能效水平。", id=change or form.id.data.strip()))
            return redirect(url_for("criteria.reference_tables", version_id=version.id)
                            + "#levels")
    status = 422 if request.method == "POST" else 200
    products = [(r["id"], f"{r['product_zh']} · {r['indicator_zh']}")
                for r in tables.levels(version.files)]
    return render_template("criteria/reference_levels.html", version=version, form=form,
                           problems=problems, change=change, products=products), status
