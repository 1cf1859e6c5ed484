"""The forms of the criteria editor: one item, level, declaration or reported figure, the
evidence kinds and the set's header. Fields hold text as typed (numbers too): `entries.py`
reads them, puts a message at each field it cannot read and makes the YAML mapping."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..platform.formkit import SubForm, options

OP_PAIRS = [("<=", "≤"), ("<", "<"), (">=", "≥"), (">", ">"), ("==", "="), ("!=", "≠"),
       ("in", _l("属于"))]
OPS = options(OP_PAIRS)
TAGS = options([("V", _l("V 已核实")), ("S", _l("S 二手来源")), ("S-weak", _l("S-weak 较弱来源")),
        ("U", _l("U 未核实"))])
KINDS = options([("gate", _l("门槛（一票否决）")), ("scored", _l("评分项")),
                 ("expert", _l("专家评分项"))])
BLANK_ROWS = 2  # empty rows under a list, for adding without JavaScript
MAX_ROWS = 500  # rows a list reads from a request (more are ignored, never built)


def _text(label, limit=500):
    return StringField(label, validators=[Length(max=limit, message=_l("最多 %(max)d 个字符"))])


class Checkboxes(SelectMultipleField):
    """Several choices as checkboxes (evidence kinds, gates)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):  # an unknown value gets our own message (entries.py)
        pass


def _long(label, limit=1000):
    return TextAreaField(label, validators=[Length(max=limit,
                                                   message=_l("最多 %(max)d 个字符"))])


class SourceForm(SubForm):
    document = _long(_l("来源文件"))  # often 100 characters and more: a box, one line kept
    clause = _text(_l("条款"), 200)
    tag = SelectField(_l("可靠性"), choices=TAGS, validate_choice=False)
    note = _long(_l("说明"))


class ConditionForm(SubForm):
    indicator = SelectField(_l("指标"), validate_choice=False)
    op = SelectField(_l("比较"), choices=OPS, validate_choice=False)
    value = _text(_l("值"), 200)


class BandForm(SubForm):
    op = SelectField(_l("比较"), choices=options(OP_PAIRS[:6]), validate_choice=False)
    value = _text(_l("值"), 50)
    points = _text(_l("得分"), 20)
    label_zh = _text(_l("说明（中文）"), 200)
    label_en = _text(_l("说明（英文）"), 200)


class AnchorForm(SubForm):
    points = _text(_l("分值"), 20)
    label_zh = _text(_l("档位说明（中文）"), 200)
    label_en = _text(_l("档位说明（英文）"), 200)


class OptionForm(SubForm):
    key = _text(_l("选项编号"), 60)
    zh = _text(_l("选项名称（中文）"), 200)
    en = _text(_l("选项名称（英文）"), 200)


class EvidenceKindForm(SubForm):
    key = _text(_l("材料编号"), 60)
    zh = _text(_l("名称（中文）"), 200)
    en = _text(_l("名称（英文）"), 200)


class Locked(FlaskForm):
    """Every editor form carries the version's lock as it was when the form was opened."""

    lock_version = HiddenField()


class ItemForm(Locked):
    id = _text(_l("条目编号"), 40)
    kind = SelectField(_l("类型"), choices=KINDS, validate_choice=False)
    title_zh = _text(_l("名称（中文）"))
    title_en = _text(_l("名称（英文）"))
    category = _text(_l("类别"), 60)
    source = FormField(SourceForm, label=_l("来源"))
    evidence = Checkboxes(_l("证明材料"))
    rule = FormField(ConditionForm, label=_l("门槛规则"))
    points = _text(_l("满分"), 20)
    method = SelectField(_l("评分方式"), choices=options([("bands", _l("分档")), ("linear", _l("线性"))]),
                         validate_choice=False)
    scoring_indicator = SelectField(_l("评分指标"), validate_choice=False)
    bands = FieldList(FormField(BandForm), label=_l("分档"), max_entries=MAX_ROWS)
    baseline = _text(_l("基准值（0 分）"), 50)
    leading = _text(_l("领先值（满分）"), 50)
    scale = FieldList(FormField(AnchorForm), label=_l("评分档位"), max_entries=MAX_ROWS)
    suggestion_indicator = SelectField(_l("建议分依据的指标"), validate_choice=False)
    suggestion_baseline = _text(_l("建议分基准值（0 分）"), 50)
    suggestion_leading = _text(_l("建议分领先值（满分）"), 50)
    applies_if = FieldList(FormField(ConditionForm), label=_l("适用条件"), max_entries=MAX_ROWS)
    adjust_total = BooleanField(_l("总分随各项满分之和调整"))


class LevelForm(Locked):
    id = _text(_l("等级编号"), 40)
    title_zh = _text(_l("名称（中文）"))
    title_en = _text(_l("名称（英文）"))
    all_gates = SelectField(_l("须满足的门槛"), choices=options([
        ("all", _l("全部门槛")), ("some", _l("仅下列门槛"))]), validate_choice=False)
    gates = Checkboxes(_l("门槛"))
    min_total = _text(_l("最低总分"), 20)
    conditions = FieldList(FormField(ConditionForm), label=_l("附加条件"), max_entries=MAX_ROWS)
    fallback = BooleanField(_l("兜底等级（未达到其他等级时）"))
    source = FormField(SourceForm, label=_l("来源"))


class DeclarationForm(Locked):
    id = _text(_l("声明编号"), 40)
    type = SelectField(_l("类型"), choices=options([("boolean", _l("是/否")), ("choice", _l("选择"))]),
                       validate_choice=False)
    title_zh = _text(_l("名称（中文）"))
    title_en = _text(_l("名称（英文）"))
    options = FieldList(FormField(OptionForm), label=_l("选项"), max_entries=MAX_ROWS)
    evidence = Checkboxes(_l("证明材料"))


class ReportedForm(Locked):
    id = _text(_l("数据编号"), 40)
    title_zh = _text(_l("名称（中文）"))
    title_en = _text(_l("名称（英文）"))
    unit = _text(_l("单位"), 40)
    min = _text(_l("最小值"), 30)
    max = _text(_l("最大值"), 30)
    evidence = Checkboxes(_l("证明材料"))


class EvidenceKindsForm(Locked):
    kinds = FieldList(FormField(EvidenceKindForm), label=_l("证明材料种类"), max_entries=MAX_ROWS)


class HeaderForm(Locked):
    title_zh = _text(_l("标准名称（中文）"))
    title_en = _text(_l("标准名称（英文）"))
    version = _text(_l("版本号"), 40)
    notice_zh = TextAreaField(_l("说明（中文）"), validators=[
        Length(max=4000, message=_l("最多 %(max)d 个字符"))])
    notice_en = TextAreaField(_l("说明（英文）"), validators=[
        Length(max=4000, message=_l("最多 %(max)d 个字符"))])
    effective_from = _text(_l("施行日期"), 10)
    total_points = _text(_l("总分"), 20)


class RemoveForm(Locked):
    adjust_total = BooleanField(_l("总分随各项满分之和调整"))
