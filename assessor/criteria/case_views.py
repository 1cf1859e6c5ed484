"""算例: a criteria version's worked cases — the list with each failure in words, one case and
its outcome, and for criteria editors on a draft a case added, changed or removed. The expected
values are always typed by a person; the form never offers the engine's."""

from __future__ import annotations

import yaml
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import PROVINCE_OFFICER
from ..platform import db
from ..platform.refusal import on_form, return_to
from ..platform.security import roles_required
from . import files as version_files
from . import queries, services
from . import worked_cases as cases_service
from .blueprint import bp, editable, version_of_kind
from .case_forms import MIN_ROWS, case_form, expected_from, fill, posted_rows, row_count
from .case_words import failure_words
from .forms import LockForm
from .lifecycle import VersionRefused
from .models import CriteriaVersion
from .store import set_of


def _lock(text) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return -1


def _loads(version: CriteriaVersion):
    """The version's set, or None when its files do not load (its page says why)."""
    dbs = db.session()
    return None if services.problems_of(dbs, version) else set_of(dbs, version)


@bp.get("/<int:version_id>/cases")
@roles_required(PROVINCE_OFFICER)
def cases(version_id: int):
    dbs = db.session()
    version = version_of_kind(version_id, "criteria")
    criteria = _loads(version)
    rows = queries.case_rows(dbs, version) if criteria is not None else []
    words = {row.file: [failure_words(line, criteria) for line in row.outcome.failures]
             for row in rows if row.outcome is not None}
    single = {file for file, text in version_files.cases(version.files).items()
              if "submission" in cases_service.read_case(text)}  # the form edits these
    return render_template("criteria/cases.html", version=version, rows=rows, words=words,
                           single=single,
                           loads=criteria is not None, editable=editable(version),
                           slug_of=cases_service.slug_of, lock_form=LockForm(
                               lock_version=version.lock_version))


def _case_file(version: CriteriaVersion, slug: str) -> str:
    file = cases_service.file_of(slug)
    if file not in version_files.cases(version.files):
        abort(404)
    return file


@bp.get("/<int:version_id>/cases/<slug>")
@roles_required(PROVINCE_OFFICER)
def case(version_id: int, slug: str):
    dbs = db.session()
    version = version_of_kind(version_id, "criteria")
    file = _case_file(version, slug)
    criteria = _loads(version)
    outcome = cases_service.outcome_of(dbs, version, file) if criteria is not None else None
    stored = cases_service.read_case(version.files[file])
    return render_template(
        "criteria/case.html", version=version, file=file, slug=slug, case=stored,
        titles={s.id: ((s.title.zh, s.title.en), s.unit) for s in criteria.symbols.values()}
        if criteria is not None else {},
        levels={lv.id: (lv.title.zh, lv.title.en) for lv in criteria.model.levels}
        if criteria is not None else {},
        text=version.files[file], outcome=outcome, editable=editable(version),
        words=[failure_words(line, criteria) for line in outcome.failures] if outcome else [],
        lock_form=LockForm(lock_version=version.lock_version))


def _save(version: CriteriaVersion, form, *, file: str | None, old: dict | None):
    """The case as typed, written; a redirect to its page, or None with the problems on the
    form (nothing saved)."""
    dbs = db.session()
    valid = form.validate_on_submit()
    kept = bool(old) and any(k not in ("level", "total", "gates", "indicators", "items")
                             for k in (old.get("expect") or {}))
    expected = expected_from(form, kept=kept)
    submission = None
    if form.submission.data:
        try:
            submission = cases_service.submission_from_text(form.submission.data)
        except VersionRefused as error:
            form.submission.errors = [*form.submission.errors, error.zh]
    if not valid or expected is None or submission is None:
        return None
    text = cases_service.case_text(version.key, form.name.data, submission, expected,
                                   form.arithmetic.data, old)
    lock = _lock(form.lock_version.data)
    try:
        if file is None:
            slug = (form.slug.data or "").strip() or cases_service.suggested_slug(
                version, form.name.data)
            file = cases_service.add_case(dbs, current_user, version, slug, text,
                                          name=form.name.data, lock_version=lock)
        else:
            cases_service.replace_case(dbs, current_user, version, file, text,
                                       name=form.name.data, lock_version=lock)
    except VersionRefused as error:
        on_form(form, error, "name")
        return None
    flash(_("已保存算例。下面是它在本版本下的运行结果。"))
    return redirect(url_for("criteria.case", version_id=version.id,
                            slug=cases_service.slug_of(file)))


@bp.route("/<int:version_id>/cases/new", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def new_case(version_id: int):
    version = version_of_kind(version_id, "criteria")
    return_to(url_for("criteria.cases", version_id=version.id))
    criteria = _loads(version)
    if not editable(version) or criteria is None:
        raise VersionRefused(_("只有评价标准编辑人员可以在可载入的草稿中添加算例"), kind="forbidden")
    if request.method == "POST":
        form = case_form(criteria, posted_rows(request.form))
        done = _save(version, form, file=None, old=None)
        if done is not None:
            return done
        status = 422
    else:
        form = case_form(criteria, MIN_ROWS, lock_version=str(version.lock_version))
        status = 200
    return render_template("criteria/case_form.html", version=version, form=form,
                           file=None, criteria=criteria), status


@bp.route("/<int:version_id>/cases/<slug>/edit", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def edit_case(version_id: int, slug: str):
    version = version_of_kind(version_id, "criteria")
    file = _case_file(version, slug)
    return_to(url_for("criteria.case", version_id=version.id, slug=slug))
    criteria = _loads(version)
    if not editable(version) or criteria is None:
        raise VersionRefused(_("只有评价标准编辑人员可以修改可载入的草稿中的算例"), kind="forbidden")
    old = cases_service.read_case(version.files[file])
    if "submission" not in old:  # a batch of submissions, or a file that does not read
        raise VersionRefused(_("此算例不是单个申报的算例，不能在表单中修改；请删除后重新添加"))
    indicators = list((old.get("expect") or {}).get("indicators") or {})
    if request.method == "POST":
        form = case_form(criteria, posted_rows(request.form), indicators)
        done = _save(version, form, file=file, old=old)
        if done is not None:
            return done
        status = 422
    else:
        form = case_form(criteria, row_count(old.get("expect") or {}), indicators,
                         name=str(old.get("name", "")), arithmetic=str(old.get("arithmetic", "")),
                         submission=yaml.safe_dump(old["submission"], allow_unicode=True,
                                                   sort_keys=False),
                         lock_version=str(version.lock_version))
        fill(form, old)
        status = 200
    return render_template("criteria/case_form.html", version=version, form=form, file=file,
                           criteria=criteria), status


@bp.post("/<int:version_id>/cases/<slug>/remove")
@roles_required(PROVINCE_OFFICER)
def remove_case(version_id: int, slug: str):
    version = version_of_kind(version_id, "criteria")
    file = _case_file(version, slug)
    return_to(url_for("criteria.cases", version_id=version.id))
    form = LockForm()
    if not form.validate_on_submit():
        abort(400)
    cases_service.remove_case(db.session(), current_user, version, file,
                              lock_version=form.lock_version.data)
    flash(_("已删除算例 %(file)s。", file=file))
    return redirect(url_for("criteria.cases", version_id=version.id))
