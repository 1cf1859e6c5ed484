"""Changes criteria editors make to a reference draft: a new data year of electricity factors,
a product's energy-efficiency levels. Each checks what a person typed (a refusal names the
field), writes the rows in the file's own format (reference_edit) and saves through
`services.save_files`, which loads the whole reference before anything is kept."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from itertools import pairwise

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from ..accounts.models import User
from ..engine.reference import TAGS
from ..engine.units import UnitError, parse_unit
from ..platform.i18n import is_english
from ..platform.viewkit import today
from . import reference_edit, services
from .lifecycle import VersionRefused, require_editor
from .models import CriteriaVersion

ELECTRICITY = "electricity_emission_factors.csv"
LEVELS = "energy_efficiency_levels.csv"
# The factors the MEE/NBS announce each data year, with their names as the file writes them
# (used when the file has no earlier row to copy the names from).
YEAR_FACTORS = {
    "national_average": ("全国电力平均二氧化碳排放因子",
                         "National average electricity CO2 emission factor"),
    "national_excl_market_nonfossil": (
        "全国电力平均二氧化碳排放因子（不包括市场化交易的非化石能源电量）",
        "National average electricity CO2 emission factor excluding market-traded non-fossil "
        "electricity"),
    "national_fossil": ("全国化石能源电力二氧化碳排放因子",
                        "National fossil-fuel electricity CO2 emission factor"),
    "southern_grid": ("南方区域电力平均二氧化碳排放因子",
                      "Southern region (China Southern Grid) average electricity CO2 emission "
                      "factor"),
    "guizhou": ("贵州省电力平均二氧化碳排放因子",
                "Guizhou provincial average electricity CO2 emission factor"),
}
FACTOR_UNIT = "tCO2/MWh"
MOST_PLAUSIBLE_FACTOR = Decimal(2)  # tCO2/MWh: even coal-only power stays well below
FIRST_DATA_YEAR = 2005
TAG_WORDS = {"V": _l("已核实"), "S": _l("二手来源"), "S-weak": _l("单一弱来源"), "U": _l("未核实")}
LEVEL_COLUMNS = ("grade_1", "grade_2", "grade_3", "benchmark", "baseline")
PRODUCT_ID = re.compile(r"^[a-z][a-z0-9_]{1,79}$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


# -- what a person typed ------------------------------------------------------------------------
def number_problem(text: str, ceiling: Decimal | None = None) -> str | None:
    """Why `text` is not a value the tables can hold (None: it is). Empty is not checked here."""
    text = (text or "").strip()
    if not _NUMBER.match(text):
        return _("“%(text)s”不是数字（请只填写数字，如 0.5306；不带单位）", text=text[:20])
    value = Decimal(text)
    if value < 0:
        return _("不能为负数")
    if ceiling is not None and value == 0:
        return _("应大于 0")
    if ceiling is not None and value > ceiling:
        return _("%(value)s 不合常理：电力排放因子以 tCO2/MWh 计，不会超过 %(ceiling)s"
                 "（如 0.5683）；请核对单位和小数点", value=text, ceiling=ceiling)
    return None


def number_text(text: str) -> str:
    """The number as the file should hold it: the digits as typed, without a '+' and with
    the 0 before a leading point."""
    text = text.strip().lstrip("+")
    return f"0{text}" if text.startswith(".") else text


def unit_problem(text: str) -> str | None:
    """What the engine's unit parser says about `text`, in the user's language."""
    try:
        parse_unit(text.strip())
    except UnitError as error:
        return error.en if is_english() else error.zh
    return None


def tag_problem(text: str) -> str | None:
    """The engine reads a tag as its first word (“U (probable)” is U)."""
    if text and text.split(" ")[0] not in TAGS:
        return _("可靠性标记应为 V、S、S-weak 或 U")
    return None


def date_problem(text: str) -> str | None:
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return _("日期格式应为 2025-12-31")
    return None


def _editable(actor: User, version: CriteriaVersion) -> None:
    require_editor(actor)
    if version.kind != "reference":
        raise VersionRefused(_("这不是参考数据版本"), kind="stale")
    if version.state != "draft":
        raise VersionRefused(_("只有草稿可以修改；已提交审核的版本请先退回修改"), kind="stale")


def _refuse(field: str, message: str) -> None:
    raise VersionRefused(message, field, kind="invalid")


# -- a data year of electricity factors ---------------------------------------------------------
def add_electricity_year(db: Session, actor: User, version: CriteriaVersion, *, data_year: int,
                         values: dict[str, str], announcement: str, published: str,
                         source: str, tag: str, note: str, lock_version: int) -> list[str]:
    """One row per factor given (factor -> value in tCO2/MWh) for `data_year`, appended to
    the electricity table; the factors written, in the table's order."""
    _editable(actor, version)
    given = {f: v.strip() for f, v in values.items() if f in YEAR_FACTORS and (v or "").strip()}
    if not given:
        _refuse("national_average", _("请至少填写一个因子的数值"))
    for factor, value in given.items():
        problem = number_problem(value, MOST_PLAUSIBLE_FACTOR)
        if problem:
            _refuse(factor, problem)
    if not FIRST_DATA_YEAR <= data_year <= today().year:
        _refuse("data_year", _("数据年份应在 %(first)s 至 %(last)s 年之间", first=FIRST_DATA_YEAR,
                               last=today().year))
    if not announcement.strip():
        _refuse("announcement", _("请填写发布该因子的公告"))
    if published.strip() and date_problem(published):
        _refuse("published", date_problem(published))
    if not source.strip():
        _refuse("source", _("请注明来源（网址或文件）"))
    if not tag or tag_problem(tag):
        _refuse("tag", tag_problem(tag) or _("请选择可靠性标记"))
    files = version.files
    text = files[ELECTRICITY]
    rows = reference_edit.rows(text)
    present = [f for f in given if any(r["factor"] == f and r["data_year"].strip() == str(data_year)
                                       for r in rows)]
    if present:
        names = "、".join(_factor_name(rows, f) for f in present)
        _refuse("data_year", _("%(year)s 年的%(names)s已在表中，不能重复添加（只填写表中还没有的因子）",
                               year=data_year, names=names))
    order = [f for f in YEAR_FACTORS if f in given]
    new_rows = [{"factor": f, "name_zh": _names(rows, f)[0], "name_en": _names(rows, f)[1],
                 "data_year": str(data_year), "value": number_text(given[f]),
                 "unit": FACTOR_UNIT, "announcement": announcement.strip(),
                 "published": published.strip(), "source": source.strip(), "tag": tag,
                 "note": _one_line(note)} for f in order]
    services.save_files(db, actor, version,
                        {**files, ELECTRICITY: reference_edit.append_rows(text, new_rows)},
                        lock_version=lock_version,
                        what=f"{ELECTRICITY}: {data_year} {', '.join(order)}")
    return order


def _names(rows: list[dict[str, str]], factor: str) -> tuple[str, str]:
    """The factor's names as the table's latest row writes them."""
    for row in reversed(rows):
        if row["factor"] == factor:
            return row["name_zh"], row["name_en"]
    return YEAR_FACTORS[factor]


def _factor_name(rows, factor: str) -> str:
    zh, en = _names(rows, factor)
    return en if is_english() else zh


# -- a product's energy-efficiency levels -------------------------------------------------------
def level_row(files: dict[str, str], product_id: str) -> dict[str, str] | None:
    return next((r for r in reference_edit.rows(files[LEVELS]) if r["id"] == product_id), None)


def save_levels(db: Session, actor: User, version: CriteriaVersion, row: dict[str, str], *,
                change: str | None, lock_version: int) -> None:
    """`row` (column -> text) as a new product (`change` None) or in place of product
    `change`. The engine's own rules (a per-product unit, a level given) are checked when
    the whole reference loads."""
    _editable(actor, version)
    row = {k: (v or "").strip() for k, v in row.items()}
    files = version.files
    text = files[LEVELS]
    existing = {r["id"]: r for r in reference_edit.rows(text)}
    product_id = change or row.get("id", "")
    if change is None:
        if not PRODUCT_ID.match(product_id):
            _refuse("id", _("编号只能用小写字母、数字和下划线，以字母开头"))
        if product_id in existing:
            _refuse("id", _("编号“%(id)s”已有，请换一个编号，或在表中点“修改”更改该产品",
                            id=product_id))
    elif change not in existing:
        _refuse("id", _("没有编号为“%(id)s”的产品", id=change))
    for column in ("product_zh", "product_en", "unit"):  # the indicator may go unnamed
        if not row.get(column):
            _refuse(column, _("此项为必填项"))
    problem = unit_problem(row["unit"])
    if problem:
        _refuse("unit", problem)
    levels = {}
    for column in LEVEL_COLUMNS:
        if row.get(column):
            problem = number_problem(row[column])
            if problem:
                _refuse(column, problem)
            row[column] = number_text(row[column])
            levels[column] = Decimal(row[column])
    if not levels:
        _refuse("grade_1", _("请至少填写一个能效水平（1–3 级、标杆或基准）"))
    _check_order(levels)
    grades = any(c in levels for c in LEVEL_COLUMNS[:3])
    targets = any(c in levels for c in LEVEL_COLUMNS[3:])
    if grades and not row.get("standard"):
        _refuse("standard", _("填写了 1–3 级，请注明所依据的标准"))
    if grades and not row.get("grades_tag"):
        _refuse("grades_tag", _("填写了 1–3 级，请选择其可靠性标记"))
    if targets and not row.get("levels_source"):
        _refuse("levels_source", _("填写了标杆或基准水平，请注明其来源"))
    if targets and not row.get("levels_tag"):
        _refuse("levels_tag", _("填写了标杆或基准水平，请选择其可靠性标记"))
    for column in ("grades_tag", "levels_tag"):
        if tag_problem(row.get(column, "")):
            _refuse(column, tag_problem(row[column]))
    row["id"] = product_id
    row["note"] = _one_line(row.get("note", ""))
    if change is None:
        new_text = reference_edit.append_rows(text, [row])
    else:
        new_text = reference_edit.replace_row(text, "id", change,
                                              {**existing[change], **row})
    services.save_files(db, actor, version, {**files, LEVELS: new_text},
                        lock_version=lock_version,
                        what=f"{LEVELS}: {'change' if change else 'add'} {product_id}")


def _check_order(levels: dict[str, Decimal]) -> None:
    """Grade 1 is the strictest (least energy per product), grade 3 the limit; the benchmark
    (标杆) is below the baseline (基准)."""
    present = [c for c in LEVEL_COLUMNS[:3] if c in levels]
    for lower, higher in pairwise(present):
        if levels[lower] > levels[higher]:
            _refuse(higher, _("%(higher)s 不应小于 %(lower)s（1 级最先进、能耗最低）",
                              higher=_level_title(higher), lower=_level_title(lower)))
    if "benchmark" in levels and "baseline" in levels and levels["benchmark"] > levels["baseline"]:
        _refuse("baseline", _("基准水平不应小于标杆水平（标杆水平能耗更低）"))


def _level_title(column: str) -> str:
    return {"grade_1": _("1 级"), "grade_2": _("2 级"), "grade_3": _("3 级")}[column]


def _one_line(text: str) -> str:
    """A note as one line of the table (a line break typed in the box becomes a space)."""
    return " ".join(text.strip().splitlines())
