"""What the self-assessment page shows around its fields: the sections and how far each is
filled (or has problems), the energy carriers shown (those in use, and those added with
“添加能源品种”), the guidance of each field and the products grouped by industry."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cache

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import Field, FieldList, FormField, SelectField, StringField

from ..engine import CriteriaSet, Reference
from ..platform.i18n import pick
from .forms import ELECTRICITY_FIELDS, SECTOR_ROWS
from .guidance import Guide, guide_for
from .number_fields import NumberField
from .sector_forms import CLINKER_OXIDES

# the form's sections, in order; what each holds is named in _SECTION_FIELDS
SECTIONS = (("unit", _l("单位信息")), ("energy", _l("能源消费")), ("electricity", _l("电力")),
            ("green", _l("绿电与证书")), ("emissions", _l("过程排放与碳抵消")),
            ("process", _l("工业生产过程活动数据")), ("computing", _l("算力设施")),
            ("products", _l("产品与能效")), ("members", _l("园区企业")),
            ("declarations", _l("声明与材料")))
# electricity figures under 绿电与证书 (the rest are 电力)
GREEN = ("onsite_certificates_sold", "green_certificates", "green_power_trade_certificates")
POWER = tuple(name for name, _label in ELECTRICITY_FIELDS if name not in GREEN)
SECTOR_BLOCKS = tuple(SECTOR_ROWS)  # the sector blocks of 工业生产过程活动数据, in the form's order
ADD_CARRIER = "add_carrier"  # the 添加 button's name; its value is the accounting unit's prefix


@dataclass
class Section:
    id: str
    title: str
    filled: bool = False
    errors: int = 0
    fields: list = field(default_factory=list)


def sections(form) -> list[Section]:
    """Each section with whether anything in it is filled and how many problems it has."""
    electricity = form.electricity.form
    holds = {
        "unit": [], "energy": [form.energy],
        "electricity": [electricity[n] for n in POWER],
        "green": [electricity[n] for n in GREEN],
        "emissions": [form.process_emissions, form.offsets],
        "process": [form[key] for key in SECTOR_BLOCKS],
        "computing": [form.computing],
        "products": [form.production],
        "members": [form.members] if "members" in form else None,
        "declarations": [form.declarations, form.reported],
    }
    out = []
    for key, title in SECTIONS:
        if holds[key] is None:
            continue
        leaves = [leaf for f in holds[key] for leaf in _leaves(f)]
        out.append(Section(key, str(title), filled=any(_filled(leaf) for leaf in leaves),
                           errors=sum(len(leaf.errors) for leaf in leaves), fields=holds[key]))
    return out


def _leaves(f: Field):
    if isinstance(f, FormField):
        for sub in f.form:
            yield from _leaves(sub)
    elif isinstance(f, FieldList):
        for entry in f.entries:
            yield from _leaves(entry)
    else:
        yield f


def _filled(leaf: Field) -> bool:
    """Something the applicant typed or chose: a number, a text, an answer or a product (a
    unit, an instrument or a count left at its default is not)."""
    if isinstance(leaf, NumberField):
        return leaf.data is not None or bool(leaf.raw_data and leaf.raw_data[0].strip())
    if isinstance(leaf, StringField) and leaf.type in ("StringField", "TextAreaField"):
        return bool((leaf.data or "").strip())
    if isinstance(leaf, SelectField):
        name = leaf.short_name
        return name not in DEFAULTED and bool(leaf.data)
    return False


# selects that always hold a value (a unit, a type or a method left at its default)
DEFAULTED = {"unit", "instrument", "method", "clinker_type", "guideline", "flow"}


def block_state(f: Field) -> Section:
    """One sector block's state: anything typed, and how many problems."""
    leaves = list(_leaves(f))
    own = [e for e in f.errors if isinstance(e, str)]  # the engine's, of the whole block
    return Section(f.short_name, str(f.label.text), filled=any(_filled(leaf) for leaf in leaves),
                   errors=len(own) + sum(len(leaf.errors) for leaf in leaves), fields=[f])


def shown_carriers(unit_form) -> tuple[list, list]:
    """(the carrier fields shown, the carriers that can still be added). Shown: a carrier with
    a value or a problem, one the applicant added (kept in `carriers_shown` across the page's
    posts) and the one the 添加 button just asked for."""
    prefix = unit_form.energy.name.removesuffix("energy")
    asked = set(request.form.get(prefix + "carriers_shown", "").split(","))
    if request.form.get(ADD_CARRIER) == prefix:
        asked.add(request.form.get(prefix + "new_carrier", ""))
    shown, hidden = [], []
    for carrier in unit_form.energy:
        quantity = carrier.form.quantity
        used = _filled(quantity) or quantity.errors or carrier.form.unit.errors
        (shown if used or carrier.short_name in asked else hidden).append(carrier)
    return shown, hidden


@dataclass(frozen=True)
class ProductGroup:
    title: str
    options: list  # (benchmark id, label)


def _industries(reference: Reference) -> dict[str, tuple[str, str, str]]:
    text = reference.files.get("benchmark_industries.csv")
    return {} if text is None else _read_industries(text)


@cache
def _read_industries(text: str) -> dict[str, tuple[str, str, str]]:
    return {r["benchmark"]: (r["industry"], r["industry_zh"], r["industry_en"])
            for r in csv.DictReader(io.StringIO(text, newline=""))}


def product_groups(reference: Reference) -> list[ProductGroup]:
    """The benchmarks grouped by industry (criteria/reference/benchmark_industries.csv), in the
    order the reference data lists them; a benchmark with no industry goes under 其他."""
    industries = _industries(reference)
    groups: dict[str, ProductGroup] = {}
    for bid, row in reference.benchmarks.iterrows():
        key, zh, en = industries.get(bid, ("other", "其他", "Other"))
        group = groups.setdefault(key, ProductGroup(pick((zh, en)), []))
        group.options.append((bid, pick((
            f"{row['product_zh']}：{row['indicator_zh']}（{row['unit']}）",
            f"{row['product_en']}: {row['indicator_en']} ({row['unit']})"))))
    return list(groups.values())


@dataclass(frozen=True)
class FormPage:
    sections: list[Section]
    guide: dict[str, Guide]
    products: list[ProductGroup]
    power: tuple = POWER  # the electricity figures of 电力, in the form's order
    clinker_oxides: tuple = tuple(name for name, _kind, _label in CLINKER_OXIDES)

    def block(self, f) -> Section:
        return block_state(f)

    def oxides_open(self, row) -> bool:
        """A clinker line's CaO/MgO data shown: its method, or anything typed or wrong there."""
        if row.method.data == "oxides_2015":
            return True
        states = [block_state(row[name]) for name in self.clinker_oxides]
        return any(s.filled or s.errors for s in states)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.id == key), None)

    def guide_of(self, f) -> Guide | None:
        """A field's guidance by its name, members' fields as their own unit's."""
        name = f.name.replace("-", ".")
        if name.startswith("members."):
            name = name.split(".", 2)[2]
        return self.guide.get(name)


def form_page(form, criteria: CriteriaSet, reference: Reference) -> FormPage:
    return FormPage(sections(form), guide_for(criteria, reference), product_groups(reference))
