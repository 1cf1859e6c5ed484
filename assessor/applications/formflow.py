"""Posting the self-assessment form: the same steps for an application draft and for an annual
filing, with only the saving service different."""

from __future__ import annotations

from collections.abc import Callable

from flask import request
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ..accounts.models import Organisation
from ..accounts.regions import CITIES
from ..engine import CriteriaSet, Problem
from ..platform.i18n import pick
from ..platform.refusal import Refused, on_form
from .form_page import ADD_CARRIER
from .forms import field_for_problem, form_to_submission

Save = Callable[[dict, int], list[Problem]]


def post(form: FlaskForm, criteria: CriteriaSet, year: int, organisation: Organisation,
         save: Save) -> list[Problem] | None:
    """Validate and save a posted form. None: nothing was saved (the form shows why).
    Otherwise the engine's problems, each also placed beside its field (empty: all fine)."""
    if request.form.get(ADD_CARRIER) is not None:
        return None  # 添加能源品种: the page again with what was typed and the carrier, unsaved
    if not form.validate_on_submit():
        return None
    repeated = sorted(name for name, values in request.form.lists() if len(values) > 1)
    if repeated:  # WTForms would take the first value silently: which one was meant?
        form.form_errors.append(_("表单字段提交了不止一次（%(names)s），未保存：请刷新页面后重新填写",
                                  names="、".join(repeated[:5])))
        return None
    data, rows = form_to_submission(form.data, criteria, year,
                                    {"name": organisation.name, "uscc": organisation.uscc,
                                     "region": CITIES.get(organisation.city, "")})
    try:
        lock = int(form.lock_version.data)
    except (TypeError, ValueError):
        lock = -1  # a tampered or missing version: refused as stale, with its message
    try:
        problems = save(data, lock)
    except Refused as error:
        on_form(form, error)
        # refused input: each problem beside its field, or at the top (the data year)
        _beside_fields(form, error.problems, rows, form.form_errors)
        return None
    _beside_fields(form, problems, rows)
    return problems


def _beside_fields(form: FlaskForm, problems: list[Problem], rows: dict,
                   unplaced: list | None = None) -> None:
    for problem in problems:
        field = field_for_problem(form, problem.path, rows)
        if field is not None and isinstance(getattr(field, "errors", None), list):
            field.errors.append(pick(problem))
        elif unplaced is not None:
            unplaced.append(pick(problem))
