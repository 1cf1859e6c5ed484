"""The two reference-data forms: a data year of electricity factors, a product's levels. The
fields check what a person can see is wrong (a number, a date, a unit) all at once; the rules
about the table itself are the service's (reference_changes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from . import reference_changes as changes
from .forms import REQUIRED


def _checked(problem):
    def check(_form, field):
        text = (field.data or "").strip()
        message = problem(text) if text else None
        if message:
            raise ValidationError(message)
    return check


def _factor(_form, field):
    text = (field.data or "").strip()
    if text:
        message = changes.number_problem(text, changes.MOST_PLAUSIBLE_FACTOR)
        if message:
            raise ValidationError(message)


def _year(_form, field):
    text = (field.data or "").strip()
    if not (len(text) == 4 and text.isdigit()):
        raise ValidationError(_l("请填写四位数的年份，如 2024"))


def tag_choices(current: str = "") -> list[tuple[str, str]]:
    """The tags, in words with their letter; a row's own longer tag (“U (probable)”) kept."""
    choices = [("", _l("请选择"))] + [(tag, f"{words}（{tag}）")
                                      for tag, words in changes.TAG_WORDS.items()]
    if current and current not in changes.TAG_WORDS:
        choices.append((current, current))
    return choices


def _length(n: int):
    return Length(max=n, message=_l("最多 %(max)d 个字符"))


class ElectricityYearForm(FlaskForm):
    data_year = StringField(_l("数据年份"), validators=[DataRequired(REQUIRED), _year])
    national_average = StringField(_l("全国电力平均二氧化碳排放因子"), validators=[_factor])
    national_excl_market_nonfossil = StringField(
        _l("全国电力平均二氧化碳排放因子（不包括市场化交易的非化石能源电量）"), validators=[_factor])
    national_fossil = StringField(_l("全国化石能源电力二氧化碳排放因子"), validators=[_factor])
    southern_grid = StringField(_l("南方区域电力平均二氧化碳排放因子"), validators=[_factor])
    guizhou = StringField(_l("贵州省电力平均二氧化碳排放因子"), validators=[_factor])
    announcement = StringField(_l("公告"), validators=[DataRequired(REQUIRED), _length(300)])
    published = StringField(_l("公告日期"), validators=[Optional(),
                                                       _checked(changes.date_problem)])
    source = TextAreaField(_l("来源（网址或文件）"), validators=[DataRequired(REQUIRED),
                                                           _length(500)])
    tag = SelectField(_l("可靠性"), validators=[DataRequired(_l("请选择可靠性标记"))])
    note = TextAreaField(_l("说明"), validators=[_length(1000)])
    lock_version = HiddenField()

    FACTORS = tuple(changes.YEAR_FACTORS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tag.choices = tag_choices()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not any((self[f].data or "").strip() for f in self.FACTORS):
            self.national_average.errors = [*self.national_average.errors,
                                            _l("请至少填写一个因子的数值")]
            valid = False
        return valid


class LevelsForm(FlaskForm):
    id = StringField(_l("编号"), validators=[DataRequired(REQUIRED), _length(80)])
    product_zh = StringField(_l("产品（中文）"), validators=[DataRequired(REQUIRED), _length(200)])
    product_en = StringField(_l("产品（英文）"), validators=[DataRequired(REQUIRED), _length(200)])
    indicator_zh = StringField(_l("指标（中文）"), validators=[_length(200)])
    indicator_en = StringField(_l("指标（英文）"), validators=[_length(200)])
    unit = StringField(_l("单位"), validators=[DataRequired(REQUIRED), _length(40),
                                             _checked(changes.unit_problem)])
    standard = StringField(_l("标准（1–3 级所依据）"), validators=[_length(300)])
    grade_1 = StringField(_l("1 级"), validators=[_checked(changes.number_problem)])
    grade_2 = StringField(_l("2 级"), validators=[_checked(changes.number_problem)])
    grade_3 = StringField(_l("3 级（限定值）"), validators=[_checked(changes.number_problem)])
    benchmark = StringField(_l("标杆水平"), validators=[_checked(changes.number_problem)])
    baseline = StringField(_l("基准水平"), validators=[_checked(changes.number_problem)])
    grades_tag = SelectField(_l("1–3 级的可靠性"), default="")
    levels_source = TextAreaField(_l("标杆、基准水平的来源"), validators=[_length(500)])
    levels_tag = SelectField(_l("标杆、基准水平的可靠性"), default="")
    guizhou_relevant = BooleanField(_l("贵州重点行业"))
    note = TextAreaField(_l("说明"), validators=[_length(1000)])
    lock_version = HiddenField()

    TEXT_COLUMNS = ("id", "product_zh", "product_en", "indicator_zh", "indicator_en", "unit",
                    "standard", *changes.LEVEL_COLUMNS, "grades_tag", "levels_source",
                    "levels_tag", "note")

    def __init__(self, *args, current: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.grades_tag.choices = tag_choices(current.get("grades_tag", ""))
        self.levels_tag.choices = tag_choices(current.get("levels_tag", ""))

    @classmethod
    def of_row(cls, row: dict[str, str], **kwargs) -> LevelsForm:
        """The form filled in with a row of the table (to change it)."""
        values = {c: row.get(c, "") for c in cls.TEXT_COLUMNS}
        return cls(current=row, guizhou_relevant=row.get("guizhou_relevant") == "true",
                   **values, **kwargs)

    def row(self) -> dict[str, str]:
        """The table's columns as typed."""
        out = {c: (self[c].data or "").strip() for c in self.TEXT_COLUMNS}
        out["guizhou_relevant"] = "true" if self.guizhou_relevant.data else "false"
        return out
