"""The worked case form: the submission as text and the expected values a person typed, one
field per gate and item of the set, rows of indicators; read back into an `Expected`, each bad
value refused at its field."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..engine import CriteriaSet
from ..platform.i18n import pick
from .worked_cases import STATUSES, Expected, number_from_text

REQUIRED = _l("此项为必填项")
MIN_ROWS = 6


class CaseForm(FlaskForm):
    slug = StringField(_l("文件名"), validators=[
        Optional(), Length(max=80, message=_l("最多 80 个字符")),
        Regexp(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$",
               message=_l("只能包含字母、数字、“-”“_”，以字母或数字开头"))])
    name = StringField(_l("算例名称"), validators=[
        DataRequired(REQUIRED), Length(max=500, message=_l("最多 500 个字符"))])
    submission = TextAreaField(_l("申报数据（YAML 或 JSON）"), validators=[DataRequired(REQUIRED)])
    level = SelectField(_l("预期等级"), validate_choice=False)
    total = StringField(_l("预期总分"))
    arithmetic = TextAreaField(_l("人工计算过程"), validators=[
        DataRequired(_l("请写出人工计算过程：它证明预期值是人工算出的，而非抄自系统结果")),
        Length(max=50_000, message=_l("最多 50000 个字符"))])
    lock_version = HiddenField()


def status_choices() -> list[tuple[str, str]]:
    words = {"passed": _("通过"), "failed": _("未通过"), "missing": _("数据缺失"),
             "not_applicable": _("不适用")}
    return [("", _("— 不检查")), *((s, f"{words[s]} ({s})") for s in STATUSES)]


def indicator_choices(criteria: CriteriaSet, extra: list[str]) -> list[tuple[str, str]]:
    """The set's figures a case can check (its declarations are answers, not results)."""
    choices = [("", _("— 请选择指标"))]
    for symbol in criteria.symbols.values():
        if symbol.kind != "declaration":
            unit = f" [{symbol.unit}]" if symbol.unit else ""
            choices.append((symbol.id, f"{symbol.id} {pick(symbol.title)}{unit}"))
    known = {c[0] for c in choices}
    choices += [(key, key) for key in extra if key not in known]
    return choices


def case_form(criteria: CriteriaSet, rows: int, extra_indicators: list[str] = (), **data):
    """The form for `criteria`: `gate-<id>` and `item-<id>` per gate and item, `rows` indicator
    rows (`indicator-<n>`, `value-<n>`)."""
    fields = {}
    for item in criteria.model.items:
        label = f"{item.id} {pick(item.title)}"
        if item.kind == "gate":
            fields[f"gate-{item.id}"] = SelectField(label, validate_choice=False)
        else:
            fields[f"item-{item.id}"] = StringField(label)
    for n in range(max(rows, MIN_ROWS)):
        fields[f"indicator-{n}"] = SelectField(_("指标 %(n)s", n=n + 1), validate_choice=False)
        fields[f"value-{n}"] = StringField(_("预期值 %(n)s", n=n + 1))
    form = type("WorkedCaseForm", (CaseForm,), fields)(**data)
    form.level.choices = [("", _("— 不检查"))] + [
        (lv.id, f"{pick(lv.title)} ({lv.id})") for lv in criteria.model.levels]
    indicators = indicator_choices(criteria, list(extra_indicators))
    for name, field in form._fields.items():
        if name.startswith("gate-"):
            field.choices = status_choices()
        elif name.startswith("indicator-"):
            field.choices = indicators
    return form


def posted_rows(values) -> int:
    """How many indicator rows a posted form had (rows added in the browser count too)."""
    numbers = [int(k.split("-", 1)[1]) for k in values
               if k.startswith("indicator-") and k.split("-", 1)[1].isdigit()]
    return min(max(numbers, default=-1) + 1, 200)


def row_count(expect: dict) -> int:
    return len(expect.get("indicators") or {}) + 3


def fill(form, case: dict) -> None:
    """A stored case's values in the form, as its author typed them."""
    expect = case.get("expect") or {}
    form.level.data = str(expect.get("level") or "")
    form.total.data = "" if expect.get("total") is None else str(expect["total"])
    for gate, status in (expect.get("gates") or {}).items():
        if f"gate-{gate}" in form:
            form[f"gate-{gate}"].data = str(status)
    for item, points in (expect.get("items") or {}).items():
        if f"item-{item}" in form:
            form[f"item-{item}"].data = str(points)
    for n, (key, value) in enumerate((expect.get("indicators") or {}).items()):
        form[f"indicator-{n}"].data, form[f"value-{n}"].data = str(key), str(value)


def expected_from(form, kept: bool = False) -> Expected | None:
    """The typed values, or None with each problem on its field. `kept`: the case keeps other
    expected values the form does not show (a gap, problems), so the form's may all be blank."""
    ok = True

    def number(field):
        nonlocal ok
        try:
            return number_from_text(field.data or "")
        except ValueError:
            field.errors = [*field.errors, _("“%(value)s”不是数字", value=(field.data or "")[:40])]
            ok = False
            return None

    levels = {c[0] for c in form.level.choices}
    if (form.level.data or "") not in levels:
        form.level.errors = [*form.level.errors, _("请从列表中选择等级")]
        ok = False
    expected = Expected(level=form.level.data or None, total=number(form.total))
    rows = {}
    for name, field in form._fields.items():
        if name.startswith("gate-") and field.data:
            if field.data not in STATUSES:
                field.errors = [*field.errors, _("请从列表中选择")]
                ok = False
            else:
                expected.gates[name[5:]] = field.data
        elif name.startswith("item-"):
            value = number(field)
            if value is not None:
                expected.items[name[5:]] = value
        elif name.startswith("indicator-"):
            rows[name[len("indicator-"):]] = field
    allowed = {c[0] for c in next(iter(rows.values())).choices} if rows else set()
    for n, chosen in rows.items():
        value_field = form[f"value-{n}"]
        value = number(value_field)
        key = chosen.data or ""
        if not key and value is None:
            continue
        if not key or key not in allowed:
            chosen.errors = [*chosen.errors, _("请选择指标")]
            ok = False
        elif value is None and not value_field.errors:
            value_field.errors = [*value_field.errors, _("请填写该指标的预期值")]
            ok = False
        elif key in expected.indicators:
            chosen.errors = [*chosen.errors, _("该指标已在上面填写")]
            ok = False
        elif value is not None:
            expected.indicators[key] = value
    if ok and not kept and not (expected.level or expected.total is not None or expected.gates
                   or expected.items or expected.indicators):
        form.level.errors = [*form.level.errors,
                             _("请至少填写一项预期值（等级、总分、否决项、指标或评分项）")]
        ok = False
    return expected if ok else None
