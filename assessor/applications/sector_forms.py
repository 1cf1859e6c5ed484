"""The sector blocks of the self-assessment form (carbonates, clinker lines and substitutes,
aluminium, steel materials, carbon balance) and the computing facility: material lists by name from
the version's process tables, a plant's own values folded beside each default."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from ..engine import Reference
from ..platform.formkit import SubForm, options
from . import process_terms as pt
from .form_fields import amount_field as _amount_field
from .form_fields import pair as _pair
from .form_fields import unit_choices as _units
from .number_fields import NOT_NEGATIVE, NumberField

BASIS_CHOICES = [("", "—"), *((k, _pair(*v)) for k, v in pt.BASES.items())]
_BASIS_MISSING = _l("请选择计算值或实测值")


def _own_value_form(kind: str) -> type[SubForm]:
    """A plant's own value replacing a guideline default: blank keeps the default."""
    class OwnValueForm(SubForm):
        quantity = NumberField(_l("自有数值"), validators=[Optional(), NOT_NEGATIVE])
        unit = SelectField(_l("单位"), choices=_units(kind), validate_choice=False)
        basis = SelectField(_l("数值依据"), choices=options(BASIS_CHOICES), default="")
        evidence = StringField(_l("来源（检测报告或计算书）"),
                               validators=[Optional(), Length(max=300)])

        def validate_basis(self, field):
            if self.quantity.data is not None and not field.data:
                raise ValidationError(_BASIS_MISSING)
    return OwnValueForm


def _factor_choices(terms: pt.Terms, guideline: str, *roles: str) -> list:
    return options([("", _l("— 请选择 —"))] + [
        (f.parameter, _pair(f"{f.name[0]}（缺省 {f.value} {f.unit}）",
                            f"{f.name[1]} (default {f.value} {f.unit})"))
        for f in terms.rows(guideline, *roles)])


def sector_forms(reference: Reference) -> dict:
    """The sector blocks of one accounting unit: their rows' forms by the submission's keys."""
    terms = pt.terms(reference)
    own_factor = _own_value_form("tCO2/t")
    carbonate = type("CarbonateForm", (SubForm,), {
        "material": SelectField(_l("碳酸盐品种"), default="", validate_choice=False,
                                choices=_factor_choices(terms, pt.CARBONATES, "carbonate")),
        "consumption": _amount_field("t", _l("消耗量")),
        "purity": _amount_field("share", _l("纯度")),
        "factor": FormField(own_factor, label=_l("自有排放因子")),
    })
    clinker = type("ClinkerLineForm", (SubForm,), {
        "line": StringField(_l("生产线名称"), validators=[Optional(), Length(max=200)]),
        "method": SelectField(_l("核算方法"), default="ets_2024", choices=options(
            (k, _pair(*v)) for k, v in pt.CLINKER_METHODS.items())),
        "clinker_type": SelectField(_l("熟料品种"), default="clinker_portland",
                                    validate_choice=False,
                                    choices=_factor_choices(terms, pt.CEMENT, "clinker")[1:]),
        "output": _amount_field("t", _l("熟料产量")),
        "factor": FormField(own_factor, label=_l("自有熟料排放因子")),
        **{name: _amount_field(kind, label)
           for name, kind, label in CLINKER_OXIDES},
    })
    substitute = type("ClinkerSubstituteForm", (SubForm,), {
        "material": SelectField(_l("替代原料"), default="", validate_choice=False,
                                choices=_factor_choices(terms, pt.CEMENT, "substitute")),
        "consumption": _amount_field("t", _l("消耗量")),
        "factor": FormField(own_factor, label=_l("自有扣减因子")),
    })
    aluminium = type("AluminiumForm", (SubForm,), {
        "guideline": SelectField(_l("核算指南"), default=pt.ALUMINIUM_GUIDELINES[0],
                                 choices=options((g, _pair(*terms.guideline(g)))
                                                 for g in pt.ALUMINIUM_GUIDELINES)),
        "output": _amount_field("t", _l("原铝（铝液）产量")),
        "net_anode": FormField(_own_value_form("tC/t"), label=_l("吨铝炭阳极净耗")),
        "anode_sulphur": FormField(_own_value_form("share"), label=_l("炭阳极含硫量")),
        "anode_ash": FormField(_own_value_form("share"), label=_l("炭阳极灰分")),
        "anode_effect_minutes": _amount_field("min/d", _l("阳极效应持续时间")),
        "limestone": _amount_field("t", _l("煅烧石灰石用量")),
    })
    steel = type("SteelMaterialForm", (SubForm,), {
        "material": SelectField(_l("材料或固碳产品"), default="", validate_choice=False,
                                choices=_factor_choices(terms, pt.STEEL)),
        "quantity": _amount_field("t", _l("用量或产量")),
        "factor": FormField(own_factor, label=_l("自有排放因子")),
    })
    carriers = [("", _l("— 未计入能源消费 —"))] + [
        (c.id, _pair(c.name_zh, c.name_en)) for c in reference.carriers.values()]
    flow = type("CarbonFlowForm", (SubForm,), {
        # not "process": a form's process() would be hidden (the JSON's `process`)
        "process_step": StringField(_l("工序"), validators=[Optional(), Length(max=200)]),
        "flow": SelectField(_l("碳流类型"), default="input", choices=options(
            (k, _pair(*v)) for k, v in pt.FLOWS.items())),
        "material": StringField(_l("物料名称"), validators=[Optional(), Length(max=200)]),
        "quantity": _amount_field("flow", _l("数量")),
        "carbon": _amount_field("carbon", _l("含碳量")),
        "basis": SelectField(_l("含碳量依据"), choices=options(BASIS_CHOICES), default=""),
        "carrier": SelectField(_l("已计入能源消费的品种"), choices=options(carriers), default="",
                               validate_choice=False),
        "validate_basis": _flow_basis,
    })
    return {
        "carbonates": FieldList(FormField(carbonate), label=_l("碳酸盐使用")),
        "clinker_lines": FieldList(FormField(clinker), label=_l("水泥熟料生产线")),
        "clinker_substitutes": FieldList(FormField(substitute), label=_l("熟料非碳酸盐替代原料")),
        "aluminium": FieldList(FormField(aluminium), label=_l("电解铝")),
        "steel_materials": FieldList(FormField(steel), label=_l("钢铁熔剂、电极、外购含碳原料和固碳产品")),
        "carbon_balance": FieldList(FormField(flow), label=_l("碳平衡（铁合金、电石、黄磷、煤化工）")),
        "computing": FormField(ComputingForm, label=_l("算力设施（数据中心）")),
    }


def _flow_basis(form, field):
    typed = (form.quantity.form.quantity.data is not None
             or form.carbon.form.quantity.data is not None
             or any((f.data or "").strip() for f in (form.process_step, form.material)))
    if typed and not field.data:
        raise ValidationError(_BASIS_MISSING)


CLINKER_OXIDES = (
    ("cao", "share", _l("熟料中 CaO 含量")), ("mgo", "share", _l("熟料中 MgO 含量")),
    ("cao_non_carbonate", "share", _l("熟料中非碳酸盐 CaO 含量")),
    ("mgo_non_carbonate", "share", _l("熟料中非碳酸盐 MgO 含量")),
    ("kiln_dust", "t", _l("窑头粉尘量")), ("bypass_dust", "t", _l("旁路放风粉尘量")),
    ("raw_meal", "t", _l("生料消耗量")), ("raw_meal_carbon", "share", _l("生料中非燃料碳含量")),
)


class ComputingForm(SubForm):
    it_energy = _amount_field("MWh", _l("IT 设备能耗"))
    facility_energy = _amount_field("MWh", _l("数据中心总能耗"))
    water = _amount_field("water", _l("用水量"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        given = [f.form.quantity.data is not None
                 for f in (self.it_energy, self.facility_energy, self.water)]
        if any(given):
            for f in (self.it_energy, self.facility_energy):
                if f.form.quantity.data is None and not f.form.quantity.errors:
                    f.form.quantity.errors = [*f.form.quantity.errors,
                                              _l("计算 PUE 需同时填写 IT 设备能耗和数据中心总能耗")]
                    valid = False
        return valid
