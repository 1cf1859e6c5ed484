"""The criteria editor (条目与等级): a version's items, levels, evidence kinds, declarations,
reported figures and header, each edited in a form by the province's criteria editors while
the version is a draft; read-only for everyone else and for every other version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms import FieldList, FormField, SelectField

from ..accounts.models import PROVINCE_OFFICER
from ..engine import CriteriaSet
from ..engine.wording import OP_SIGN
from ..platform import db
from ..platform.formkit import options
from ..platform.refusal import on_form, return_to
from ..platform.security import roles_required
from . import editing, entries, entry_fields, services
from .blueprint import bp, editable, version_of_kind
from .item_forms import (
    DeclarationForm,
    EvidenceKindsForm,
    HeaderForm,
    ItemForm,
    LevelForm,
    RemoveForm,
    ReportedForm,
)
from .lifecycle import VersionRefused
from .models import CriteriaVersion
from .store import set_of


@dataclass(frozen=True)
class Section:
    """A list of entries with ids in the set file, and the form that edits one."""

    title: str
    form: type
    fill: Callable
    read: Callable
    listed: Callable[[CriteriaSet], list]
    template: str


SECTIONS = {
    "items": Section(_l("条目"), ItemForm, entries.fill_item, entries.read_item,
                     lambda c: c.model.items, "criteria/item_form.html"),
    "levels": Section(_l("等级"), LevelForm, entries.fill_level, entries.read_level,
                      lambda c: c.model.levels, "criteria/level_form.html"),
    "declarations": Section(_l("声明项"), DeclarationForm, entries.fill_declaration,
                            entries.read_declaration, lambda c: c.model.declarations,
                            "criteria/declaration_form.html"),
    "reported": Section(_l("填报数据"), ReportedForm, entries.fill_reported,
                        entries.read_reported, lambda c: c.model.reported,
                        "criteria/reported_form.html"),
}
SECTION_NAMES = "items, levels, declarations, reported"


# ---- shared ----



def _loaded(version: CriteriaVersion) -> CriteriaSet | None:
    """The version's set, or None (with a message) when its file does not load: then it is
    put right in the YAML view."""
    dbs = db.session()
    problems = services.problems_of(dbs, version)
    if problems:
        flash(_("该版本无法载入，请先在 YAML 文本中修正：%(message)s", message=problems[0].zh), "error")
        return None
    return set_of(dbs, version)




def _lock(form) -> int:
    try:
        return int(form.lock_version.data)
    except (TypeError, ValueError):
        return -1


def _choices(form, criteria: CriteriaSet) -> None:
    """Every indicator select offers the set's indicators; evidence and gates their lists."""
    indicators = entry_fields.indicator_choices(criteria)
    evidence = [(k, f"{t.zh}（{k}）") for k, t in criteria.model.evidence_kinds.items()]
    gates = [(i.id, f"{i.id} {i.title.zh}") for i in criteria.items_of("gate")]
    indicators, evidence, gates = options(indicators), options(evidence), options(gates)

    def walk(fields):
        for field in fields:
            if isinstance(field, FormField):
                walk(field.form)
            elif isinstance(field, FieldList):
                walk(field.entries)
            elif field.name.endswith("indicator") and isinstance(field, SelectField):
                field.choices = indicators
            elif field.short_name == "evidence":
                field.choices = evidence
            elif field.short_name == "gates":
                field.choices = gates
    walk(form)


def _dumped(entry) -> dict:
    return entry.model_dump(mode="json", exclude_defaults=True)


def _shown_unit(units: dict, original: dict | None, indicator: str | None) -> str:
    """The unit beside a value: the one it is written in, else the indicator's."""
    if original and original.get("indicator") == indicator and "unit" in original:
        return original["unit"] or ""
    return units.get(indicator or "", "")


def _page(template: str, version, criteria, form, status: int = 200, **context):
    return render_template(
        template, version=version, criteria=criteria, form=form,
        units=entry_fields.indicator_units(criteria) if criteria else {},
        shown_unit=_shown_unit, conditions_of=entry_fields.conditions_of,
        editable=editable(version), **context), status


def _refused(form, error: VersionRefused) -> int:
    on_form(form, error)
    return 409 if error.kind == "stale" else 422


# ---- the overview ----

def _value_markup(value) -> Markup:
    """A rule's value: a declaration's options as the keys they are (in <code>)."""
    if isinstance(value, (list, str)):
        values = value if isinstance(value, list) else [value]
        return Markup("、").join(Markup("<code>{}</code>").format(v) for v in values)
    return Markup(escape(entry_fields.value_text(value)))


def condition_text(condition) -> Markup:
    """`carbon_per_energy ≤ 1.8 tCO2/tce`, as the officer reads a rule (ids in <code>)."""
    if condition is None:
        return Markup("")
    if condition.thresholds is not None:
        by = Markup("<code>{}</code>").format(condition.thresholds.by)
        value = Markup(_("按 %(by)s 分档", by=by))  # our own catalogue's words
    else:
        value = _value_markup(condition.value)
    unit = f" {condition.unit}" if condition.unit else ""
    return Markup("<code>{}</code> {} {}{}").format(condition.indicator, OP_SIGN[condition.op],
                                                    value, unit)


def scoring_text(scoring) -> Markup:
    if scoring is None:
        return Markup("")
    unit = f" {scoring.unit}" if scoring.unit else ""
    if scoring.method == "linear":
        return Markup("<code>{}</code> {}").format(scoring.indicator, _(
            "线性：%(baseline)s → %(leading)s%(unit)s",
            baseline=entry_fields.number_text(scoring.baseline),
            leading=entry_fields.number_text(scoring.leading), unit=unit))
    bands = Markup("；").join(
        Markup("{} {}{} → {}").format(OP_SIGN[b.op], _value_markup(b.value), unit,
                                      entry_fields.number_text(b.points)) for b in scoring.bands)
    return Markup("<code>{}</code>：{}").format(scoring.indicator, bands)


@bp.app_template_global()
def criteria_number(value) -> str:
    return entry_fields.number_text(value)


@bp.get("/<int:version_id>/items")
@roles_required(PROVINCE_OFFICER)
def items(version_id: int):
    version = version_of_kind(version_id, "criteria")
    criteria = _loaded(version)
    if criteria is None:
        return redirect(url_for("criteria.yaml_text", version_id=version.id))
    return render_template("criteria/items.html", version=version, criteria=criteria,
                           model=criteria.model, editable=editable(version),
                           condition_text=condition_text, scoring_text=scoring_text)


# ---- one entry ----

def _original(section: str, criteria: CriteriaSet, entry_id: str | None) -> dict | None:
    if entry_id is None:
        return None
    for entry in SECTIONS[section].listed(criteria):
        if entry.id == entry_id:
            return _dumped(entry)
    abort(404)


def _place(section: str, criteria: CriteriaSet, mapping: dict) -> str | None:
    """Where a new entry goes: an item after the last of its kind, a level before the
    fallback (always last), anything else at the end."""
    if section == "items":
        same = criteria.items_of(mapping["kind"])
        return same[-1].id if same else None
    if section == "levels" and len(criteria.model.levels) >= 2:
        return criteria.model.levels[-2].id
    return None


@bp.route(f"/<int:version_id>/<any({SECTION_NAMES}):section>/new", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def new_entry(version_id: int, section: str):
    return _entry(version_id, section, None)


@bp.route(f"/<int:version_id>/<any({SECTION_NAMES}):section>/<entry_id>",
          methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def edit_entry(version_id: int, section: str, entry_id: str):
    return _entry(version_id, section, entry_id)


def _entry(version_id: int, section: str, entry_id: str | None):
    version = version_of_kind(version_id, "criteria")
    overview = url_for("criteria.items", version_id=version.id)
    if not editable(version):
        if request.method == "POST":
            return_to(overview)
            editing.require_draft(current_user, version)  # refused: says why
        return redirect(overview)
    criteria = _loaded(version)
    if criteria is None:
        return redirect(url_for("criteria.yaml_text", version_id=version.id))
    spec = SECTIONS[section]
    original = _original(section, criteria, entry_id)
    form = spec.form()
    status = 200
    if request.method == "POST":
        return_to(request.path)
        status = 422
        if form.validate_on_submit():
            _choices(form, criteria)
            mapping = spec.read(form, criteria, original)
            if mapping is not None:
                total = None
                if section == "items" and form.adjust_total.data:
                    total = entries.total_with(criteria, entry_id, mapping)
                try:
                    editing.save_entry(db.session(), current_user, version, section, entry_id,
                                       mapping, lock_version=_lock(form), total=total,
                                       after_id=_place(section, criteria, mapping)
                                       if entry_id is None else None)
                except VersionRefused as error:
                    status = _refused(form, error)
                else:
                    flash(_("已保存 %(id)s。", id=mapping["id"]))
                    return redirect(overview)
    else:
        form.lock_version.data = str(version.lock_version)
        if section == "items" and entry_id is None:
            form.kind.data = request.args.get("kind", "gate")
            form.adjust_total.data = True
        spec.fill(form, original)
    _choices(form, criteria)
    return _page(spec.template, version, criteria, form, status, section=section,
                 section_title=spec.title, entry_id=entry_id, original=original or {},
                 remove_form=RemoveForm(lock_version=form.lock_version.data,
                                        adjust_total=True))


@bp.post(f"/<int:version_id>/<any({SECTION_NAMES}):section>/<entry_id>/remove")
@roles_required(PROVINCE_OFFICER)
def remove_entry(version_id: int, section: str, entry_id: str):
    version = version_of_kind(version_id, "criteria")
    return_to(url_for("criteria.items", version_id=version.id))
    editing.require_draft(current_user, version)
    criteria = _loaded(version)
    if criteria is None:
        return redirect(url_for("criteria.yaml_text", version_id=version.id))
    _original(section, criteria, entry_id)  # 404 for an entry that is not there
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    total = None
    if section == "items" and form.adjust_total.data:
        total = entries.total_with(criteria, entry_id, None)
    editing.remove_entry(db.session(), current_user, version, section, entry_id,
                         lock_version=_lock(form), total=total)
    flash(_("已删除 %(id)s。", id=entry_id))
    return redirect(url_for("criteria.items", version_id=version.id))


# ---- evidence kinds and the header ----

def _whole_form(version_id: int, form_class, fill, read, save, template: str):
    version = version_of_kind(version_id, "criteria")
    overview = url_for("criteria.items", version_id=version.id)
    if not editable(version):
        if request.method == "POST":
            return_to(overview)
            editing.require_draft(current_user, version)
        return redirect(overview)
    criteria = _loaded(version)
    if criteria is None:
        return redirect(url_for("criteria.yaml_text", version_id=version.id))
    form = form_class()
    status = 200
    if request.method == "POST":
        return_to(request.path)
        status = 422
        if form.validate_on_submit():
            values = read(form)
            if values is not None:
                try:
                    save(db.session(), current_user, version, values,
                         lock_version=_lock(form))
                except VersionRefused as error:
                    status = _refused(form, error)
                else:
                    flash(_("已保存。"))
                    return redirect(overview)
    else:
        form.lock_version.data = str(version.lock_version)
        fill(form, criteria.model)
    return _page(template, version, criteria, form, status)


@bp.route("/<int:version_id>/evidence-kinds", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def evidence_kinds(version_id: int):
    return _whole_form(version_id, EvidenceKindsForm,
                       lambda form, model: entries.fill_evidence_kinds(
                           form, {k: t.model_dump() for k, t in model.evidence_kinds.items()}),
                       entries.read_evidence_kinds, editing.save_evidence_kinds,
                       "criteria/evidence_kinds_form.html")


@bp.route("/<int:version_id>/header", methods=["GET", "POST"])
@roles_required(PROVINCE_OFFICER)
def header(version_id: int):
    return _whole_form(version_id, HeaderForm, entries.fill_header, entries.read_header,
                       editing.save_header, "criteria/header_form.html")
