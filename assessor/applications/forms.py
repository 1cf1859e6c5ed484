"""The self-assessment form, built from the round's criteria set and the reference data.

Field names follow the engine's JSON paths (energy-natural_gas-quantity is
energy.natural_gas.quantity), so every problem the engine reports lands beside its field.
"""

from __future__ import annotations

import re
import weakref

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from ..engine import CriteriaSet, Reference
from ..engine.claims import normalise_serial
from ..platform.formkit import SubForm, options
from . import process_terms as pt
from .form_fields import UNITS  # noqa: F401  (the Excel template mirrors forms.UNITS; a test compares)
from .form_fields import amount_form as _amount_form
from .form_fields import pair as _pair
from .form_fields import unit_choices as _units
from .number_fields import NOT_NEGATIVE, CountField, NumberField, _Range
from .sector_forms import CLINKER_OXIDES
from .sector_forms import sector_forms as _sector_forms


def _benchmark_title(row) -> LazyString:
    return _pair(f"{row['product_zh']}：{row['indicator_zh']}（{row['unit']}）",
                 f"{row['product_en']}: {row['indicator_en']} ({row['unit']})")


def _serial(value):
    """Serials as the engine compares them: full-width, spaces and case do not matter."""
    return normalise_serial(value) if isinstance(value, str) and value.strip() else value


class CertificateForm(SubForm):
    serial = StringField(_l("绿证起始编号"), filters=[_serial], validators=[
        Optional(), Length(max=80),
        Regexp(r"^[0-9A-Za-z._:/\-]+$", message=_l("编号只能包含字母、数字和 . _ : / -"))])
    count = CountField(_l("张数（1张=1 MWh）"), validators=[
        Optional(), NumberRange(min=1, max=10_000_000, message=_l("张数应为 1 至 10,000,000"))])


class ProcessForm(SubForm):
    source = StringField(_l("排放源"), validators=[Optional(), Length(max=200)])
    quantity = NumberField(_l("排放量"), validators=[Optional(), NOT_NEGATIVE])
    unit = SelectField(_l("单位"), choices=_units("tCO2"),
                       default="tCO2", validate_choice=False)
    method = TextAreaField(_l("说明计算方法"), validators=[Length(max=1000)],
                           render_kw={"rows": 2})

    def validate_method(self, field):
        if self.quantity.data is not None and not (field.data or "").strip():
            raise ValidationError(_l("填写了排放量，请说明计算方法（依据的指南、公式和数据）"))


class OffsetForm(SubForm):
    instrument = SelectField(_l("类型"), choices=options([("ccer", "CCER"),
                                                 ("forestry_ticket", _l("林业碳票")),
                                                 ("other", _l("其他"))]), default="ccer")
    serial = StringField(_l("登记编号（起始）"), filters=[_serial], validators=[
        Optional(), Length(max=80),
        Regexp(r"^[0-9A-Za-z._:/\-]+$", message=_l("编号只能包含字母、数字和 . _ : / -"))])
    count = CountField(_l("连续编号个数"), default=1, validators=[
        Optional(), NumberRange(min=1, max=10_000_000, message=_l("应为正整数"))])
    quantity = NumberField(_l("抵消量"), validators=[Optional(), NOT_NEGATIVE])
    unit = SelectField(_l("单位"), choices=_units("tCO2"),
                       default="tCO2", validate_choice=False)


ELECTRICITY_FIELDS = [
    ("grid_purchase", _l("电网购电总量（含绿电交易）")),
    ("green_power_trading", _l("其中：绿电交易电量")),
    ("direct_green_supply", _l("绿电直连电量")),
    ("onsite_renewable_self_used", _l("自发自用可再生能源电量")),
    ("onsite_renewable_exported", _l("可再生能源上网电量")),
    ("onsite_certificates_sold", _l("已出售绿证的自发电量")),
]


_CLASSES: dict[tuple, type] = {}


def _cached(key: tuple, build, *owners):
    """A form class kept while the objects it was built from live (keyed by their ids: an id
    is not reused while its object lives, and the entry goes when the first of them goes —
    versions leave the engine's store, and a later object may get the same id)."""
    if key not in _CLASSES:
        _CLASSES[key] = build()
        for owner in owners:
            weakref.finalize(owner, _CLASSES.pop, key, None)
    return _CLASSES[key]


def _unit_form(reference: Reference) -> type[SubForm]:
    return _cached(("unit", id(reference)), lambda: _build_unit_form(reference), reference)


def _build_unit_form(reference: Reference) -> type[SubForm]:
    """Energy, electricity, process emissions and products of one accounting unit."""
    energy = type("EnergyForm", (SubForm,), {
        c.id: FormField(_amount_form(c.unit), label=_pair(c.name_zh, c.name_en))
        for c in reference.carriers.values()})
    electricity_fields = {name: FormField(_amount_form("MWh"), label=label)
                          for name, label in ELECTRICITY_FIELDS}
    electricity_fields["green_certificates"] = FieldList(FormField(CertificateForm),
                                                         label=_l("另购绿证（单独购买并注销）"))
    electricity_fields["green_power_trade_certificates"] = FieldList(
        FormField(CertificateForm), label=_l("绿电交易所附绿证（证电合一，电量已计入绿电交易）"))
    electricity = type("ElectricityForm", (SubForm,), electricity_fields)
    benchmarks = [("", "—")] + [
        (bid, _benchmark_title(row))
        for bid, row in reference.benchmarks.iterrows()]
    product = type("ProductForm", (SubForm,), {
        "benchmark": SelectField(_l("产品及能效指标"), choices=options(benchmarks), default=""),
        "output": FormField(_amount_form("t", _l("产量"))),
        "energy": FormField(_amount_form("product_energy", _l("能耗（按指标分子计）"))),
    })
    return type("UnitForm", (SubForm,), {
        "energy": FormField(energy, label=_l("能源消费")),
        "electricity": FormField(electricity, label=_l("电力")),
        "process_emissions": FieldList(FormField(ProcessForm), label=_l("工业生产过程排放")),
        **_sector_forms(reference),
        "production": FieldList(FormField(product), label=_l("主要产品能效")),
    })


def form_class(criteria: CriteriaSet, reference: Reference) -> type[FlaskForm]:
    return _cached(("form", id(reference), id(criteria)),
                   lambda: _build_form_class(criteria, reference), criteria, reference)


def _build_form_class(criteria: CriteriaSet, reference: Reference) -> type[FlaskForm]:
    unit = _unit_form(reference)
    declarations = {}
    for d in criteria.model.declarations:
        if d.type == "boolean":
            choices = [("", _l("— 未填写 —")), ("yes", _l("是")), ("no", _l("否"))]
        else:
            choices = [("", _l("— 未填写 —"))] + [
                (o, _pair(d.option_titles[o].zh, d.option_titles[o].en)
                 if o in d.option_titles else o) for o in d.options]
        declarations[d.id] = SelectField(_pair(d.title.zh, d.title.en), choices=options(choices),
                                         default="")
    reported = {}
    for r in criteria.model.reported:
        bounds = _Range(min=r.min, max=r.max,
                             message=_l("应在 %(min)s 至 %(max)s 之间"))
        reported[r.id] = NumberField(_pair(f"{r.title.zh}（{r.unit}）", f"{r.title.en} ({r.unit})"),
                                    validators=[Optional(), bounds])
    fields = dict(unit.__dict__.items())
    fields = {k: v for k, v in fields.items() if hasattr(v, "field_class")}
    fields.update({
        "criteria_id": criteria.id,  # not a field: the page's guidance reads the set by it
        "lock_version": HiddenField(),
        "offsets": FieldList(FormField(OffsetForm), label=_l("碳抵消")),
        "declarations": FormField(type("DeclarationsForm", (SubForm,), declarations),
                                  label=_l("声明")),
        "reported": FormField(type("ReportedForm", (SubForm,), reported), label=_l("填报指标")),
    })
    if criteria.subject == "park":
        member = type("MemberForm", (unit,), {
            "name": StringField(_l("企业名称"), validators=[Optional(), Length(max=200)]),
            "uscc": StringField(_l("统一社会信用代码"), validators=[Optional(), Length(max=18)]),
        })
        fields["members"] = FieldList(FormField(member), label=_l("园区企业"))
    return type("SelfAssessmentForm", (FlaskForm,), fields)


# -- form data <-> submission JSON ----------------------------------------------------------

def _amount(data: dict | None) -> dict | None:
    if not data or data.get("quantity") is None:
        return None
    return {"quantity": data["quantity"], "unit": data["unit"]}


def _unit_data(form_data: dict, rows: dict, prefix: str) -> dict:
    out: dict = {"energy": {}, "electricity": {}, "process_emissions": []}
    for carrier, amount in (form_data.get("energy") or {}).items():
        if (value := _amount(amount)) is not None:
            out["energy"][carrier] = value
    electricity = form_data.get("electricity") or {}
    for name, _label in ELECTRICITY_FIELDS:
        if (value := _amount(electricity.get(name))) is not None:
            out["electricity"][name] = value
    for listed in ("green_certificates", "green_power_trade_certificates"):
        certificates = _rows(electricity.get(listed), rows, f"{prefix}electricity.{listed}",
                             lambda r: r.get("serial"))
        if certificates:
            out["electricity"][listed] = [
                {"serial": r["serial"], "count": r.get("count") or 1} for r in certificates]
    for r in _rows(form_data.get("process_emissions"), rows, f"{prefix}process_emissions",
                   lambda r: r.get("quantity") is not None):
        entry = {"source": r.get("source") or "—", "quantity": r["quantity"], "unit": r["unit"]}
        if (r.get("method") or "").strip():
            entry["method"] = r["method"].strip()
        out["process_emissions"].append(entry)
    for key, (keep, build) in SECTOR_ROWS.items():
        kept = _rows(form_data.get(key), rows, f"{prefix}{key}", keep)
        if kept:
            out[key] = [build(r) for r in kept]
    computing = form_data.get("computing") or {}
    if any(_amount(computing.get(k)) for k in ("it_energy", "facility_energy", "water")):
        out["computing"] = _fields(computing, amounts=("it_energy", "facility_energy", "water"))
    out["production"] = []
    for r in _rows(form_data.get("production"), rows, f"{prefix}production",
                   lambda r: r.get("benchmark")):
        out["production"].append({"benchmark": r["benchmark"],
                                  "output": _amount(r.get("output")) or {"quantity": 0, "unit": "t"},
                                  "energy": _amount(r.get("energy")) or {"quantity": 0,
                                                                          "unit": "tce"}})
    return {k: v for k, v in out.items() if v}


def _own(data: dict | None) -> dict | None:
    if not data or data.get("quantity") is None:
        return None
    value = {"quantity": data["quantity"], "unit": data["unit"], "basis": data.get("basis") or ""}
    if (data.get("evidence") or "").strip():
        value["evidence"] = data["evidence"].strip()
    return value


def _fields(row: dict, texts=(), amounts=(), owns=(), choices=()) -> dict:
    """A block row's JSON: texts and choices as given (a blank required one is left for the
    engine to name), amounts and own values only when a quantity is given."""
    out: dict = {}
    for key in texts:
        out[key] = (row.get(key) or "").strip()
    for key in choices:
        if row.get(key):
            out[key] = row[key]
    for key in amounts:
        if (value := _amount(row.get(key))) is not None:
            out[key] = value
    for key in owns:
        if (value := _own(row.get(key))) is not None:
            out[key] = value
    return out


def _quantity(*keys):
    return lambda r: any((r.get(k) or {}).get("quantity") is not None for k in keys)


def _any(*tests):
    return lambda r: any(t(r) for t in tests)


def _text(*keys):
    return lambda r: any((r.get(k) or "").strip() for k in keys)


_FACTOR = ("factor",)
# each sector block: which rows are kept (anything typed) and how a row reads as JSON
SECTOR_ROWS = {
    "carbonates": (_any(_text("material"), _quantity("consumption", "purity", "factor")),
                   lambda r: _fields(r, amounts=("consumption", "purity"),
                                     owns=_FACTOR) | {"material": r.get("material") or ""}),
    "clinker_lines": (
        _any(_text("line"), _quantity("output", "factor", *(k for k, _u, _l in CLINKER_OXIDES))),
        lambda r: _fields(r, texts=("line",), choices=("method", "clinker_type"),
                          amounts=("output", *(k for k, _u, _l in CLINKER_OXIDES)),
                          owns=_FACTOR)),
    "clinker_substitutes": (_any(_text("material"), _quantity("consumption", "factor")),
                            lambda r: _fields(r, amounts=("consumption",), owns=_FACTOR)
                            | {"material": r.get("material") or ""}),
    "aluminium": (_quantity("output", *pt.ALUMINIUM_PARAMETERS, "anode_effect_minutes",
                            "limestone"),
                  lambda r: _fields(r, choices=("guideline",),
                                    amounts=("output", "anode_effect_minutes", "limestone"),
                                    owns=pt.ALUMINIUM_PARAMETERS)),
    "steel_materials": (_any(_text("material"), _quantity("quantity", "factor")),
                        lambda r: _fields(r, amounts=("quantity",), owns=_FACTOR)
                        | {"material": r.get("material") or ""}),
    "carbon_balance": (_any(_text("process_step", "material"), _quantity("quantity", "carbon")),
                       lambda r: _fields(r, texts=("material",), choices=("flow", "carrier"),
                                         amounts=("quantity", "carbon"))
                       | {"process": (r.get("process_step") or "").strip(),
                          "basis": r.get("basis") or ""}),
}
BLOCKS = ("process_emissions", *SECTOR_ROWS, "computing")


def _rows(values, rows: dict, path: str, keep) -> list[dict]:
    """Non-blank rows, remembering which form row each came from (for error messages)."""
    kept = []
    for index, value in enumerate(values or []):
        if value and keep(value):
            rows.setdefault(path, []).append(index)
            kept.append(value)
    return kept


def form_to_submission(form_data: dict, criteria: CriteriaSet, year: int,
                       organisation: dict) -> tuple[dict, dict]:
    """The engine's JSON from the form's data, and the map of list rows kept."""
    rows: dict = {}
    data = {"subject": criteria.subject, "reporting_year": year, "organisation": organisation}
    data.update(_unit_data(form_data, rows, ""))
    offsets = _rows(form_data.get("offsets"), rows, "offsets", lambda r: r.get("serial"))
    if offsets:
        data["offsets"] = [{"instrument": r["instrument"], "serial": r["serial"],
                            "count": r.get("count") or 1, "quantity": r.get("quantity") or 0,
                            "unit": r["unit"]} for r in offsets]
    declarations = {}
    for d in criteria.model.declarations:
        value = (form_data.get("declarations") or {}).get(d.id) or ""
        if value:
            declarations[d.id] = (value == "yes") if d.type == "boolean" else value
    if declarations:
        data["declarations"] = declarations
    reported = {}
    for r in criteria.model.reported:
        value = (form_data.get("reported") or {}).get(r.id)
        if value is not None:
            reported[r.id] = {"quantity": value, "unit": r.unit}
    if reported:
        data["reported"] = reported
    if criteria.subject == "park":
        members = []
        for index, member in enumerate(form_data.get("members") or []):
            if not member.get("name"):
                continue
            rows.setdefault("members", []).append(index)
            entry = {"name": member["name"], "uscc": (member.get("uscc") or "").upper()}
            entry.update(_unit_data(member, rows, f"members[{len(members)}]."))
            members.append(entry)
        if members:
            data["members"] = members
    return data, rows


def submission_to_form_data(data: dict, criteria: CriteriaSet) -> dict:
    """Form data from stored JSON (declarations as yes/no, reported figures as numbers)."""
    out = _unit_form_data(data)
    out["declarations"] = {}
    for d in criteria.model.declarations:
        value = (data.get("declarations") or {}).get(d.id)
        if value is not None:
            out["declarations"][d.id] = ("yes" if value else "no") if d.type == "boolean" \
                else value
    out["reported"] = {k: v["quantity"] for k, v in (data.get("reported") or {}).items()}
    if criteria.subject == "park":
        out["members"] = [member | _unit_form_data(member) for member in data.get("members") or []]
    return out


def _unit_form_data(data: dict) -> dict:
    out = {k: v for k, v in data.items() if k in ("energy", "electricity", *BLOCKS,
                                                  "production", "offsets")}
    if out.get("carbon_balance"):
        out["carbon_balance"] = [{"process_step": f.get("process", ""),
                                  **{k: v for k, v in f.items() if k != "process"}}
                                 for f in out["carbon_balance"]]
    return out


def add_blank_rows(form: FlaskForm, blanks: int = 2) -> None:
    """Room for new rows in every list (GET only; a POST keeps the rows it sent)."""
    def walk(field):
        if isinstance(field, FieldList):
            for _ in range(blanks):
                field.append_entry()
            for entry in field.entries:
                walk(entry)
        elif isinstance(field, FormField):
            for sub in field.form:
                walk(sub)
    for field in form:
        walk(field)


FORM_NAMES = {"process": "process_step"}  # JSON keys whose form fields are named otherwise
_INDEX = re.compile(r"\[(\d+)\]")


def field_for_problem(form: FlaskForm, path: str, rows: dict):
    """The form field a problem's JSON path points at, or None."""
    parts: list[str] = []
    prefix = ""
    for segment in path.split("."):
        match = _INDEX.search(segment)
        name = _INDEX.sub("", segment)
        parts.append(name)
        prefix = f"{prefix}{name}"
        if match:
            index = int(match.group(1))
            kept = rows.get(prefix)
            parts.append(str(kept[index]) if kept and index < len(kept) else str(index))
            prefix = f"{prefix}[{index}]"
        prefix += "."
    field = form
    for part in parts:
        part = FORM_NAMES.get(part, part)
        try:
            field = field[int(part)] if isinstance(field, FieldList) else (
                field.form[part] if isinstance(field, FormField) else field[part])
        except (KeyError, IndexError, ValueError, TypeError):
            return field if field is not form else None
    if isinstance(field, FormField) and "quantity" in field.form:
        return field.form["quantity"]  # a missing amount or own value: beside its number
    return field
