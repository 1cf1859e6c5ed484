"""Reading a sheet's cells a column at a time (pandas Series indexed by Excel row), every
wrong cell becoming a problem at its row and column."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...engine.units import UnitError, parse_unit
from .layout import MAX_COUNT, MAX_NUMBER
from .problems import Text, _l, _Problems, pair
from .table import _Table

_SERIAL = r"[0-9A-Za-z._:/\-]+"
_SEPARATOR = r"\d[,，\s]+\d"
_GROUPED = r"[+-]?\d{1,3}(?:(?:,|，| )\d{3})+(?:\.\d*)?"
_EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!",
                 "#GETTING_DATA", "#SPILL!", "#CALC!"}


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _strip(value):
    if isinstance(value, str):
        value = value.strip()
        return value or np.nan
    return value


def _as_text(value):
    """A cell as text: whole numbers lose their '.0' (a serial typed as a number)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return np.nan
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value).strip() or np.nan


def _blank(table: _Table) -> pd.Series:
    return pd.Series(np.nan, index=table.frame.index, dtype=object)


def _text(table: _Table, key: str) -> pd.Series:
    if key not in table.frame:
        return _blank(table)
    return table.frame[key].map(_as_text).astype(object)


def _numbers(table: _Table, key: str, out: _Problems, *, integer: bool = False,
             negative: bool = False, positive: bool = False) -> pd.Series:
    """The column as floats (NaN where blank or wrong); every wrong cell becomes a problem."""
    column = table.frame[key]
    blank = column.isna()
    kinds = column.map(type)
    is_text = kinds.eq(str)
    numeric_kind = kinds.isin([int, float, np.int64, np.float64])
    text = column.where(is_text)
    cleaned = text.str.replace(r"[,，\s]", "", regex=True) if is_text.any() else text
    candidate = column.where(numeric_kind, cleaned)
    values = pd.to_numeric(candidate, errors="coerce").astype(float)
    header = table.headers[key]
    lowered = cleaned.str.lower() if is_text.any() else cleaned
    # a separator is a thousands separator only between groups of three digits: "1,5" is not
    # 15 (nor 1.5: which one was meant is not known)
    separated = text.str.contains(_SEPARATOR, regex=True) if is_text.any() else is_text
    grouped = text.str.strip().str.fullmatch(_GROUPED) if is_text.any() else is_text
    reasons = [
        (is_text & column.isin(_EXCEL_ERRORS),
         lambda r: _l("单元格为错误值 %(value)s，请填写数字", value=column[r])),
        (separated.fillna(False) & ~grouped.fillna(False),
         lambda r: _l("“%(header)s”中的逗号或空格位置不对（填写的是“%(value)s”）："
                      "千位分隔符应每三位一个，小数请用小数点", header=header,
                      value=_shown(column[r]))),
        (~blank & lowered.isin(["nan", "inf", "-inf", "+inf", "infinity", "-infinity"]),
         lambda r: _l("“%(header)s”应为有限的数字（填写的是“%(value)s”）", header=header,
                      value=_shown(column[r]))),
        (~blank & values.isna(),
         lambda r: _l("“%(header)s”应为数字，不要带单位或文字（填写的是“%(value)s”）",
                      header=header, value=_shown(column[r]))),
        (np.isinf(values), _l("“%(header)s”应为有限的数字", header=header)),
        ((values < 0) & (not negative),
         lambda r: _l("“%(header)s”不能为负数（填写的是 %(value)s）", header=header,
                      value=f"{values[r]:g}")),
        (values.abs() > MAX_NUMBER,
         lambda r: _l("“%(header)s”数值过大（%(value)s，超过 10¹²），请检查单位或小数点位置",
                      header=header, value=f"{values[r]:.4g}")),
        ((values <= 0) & positive, _l("“%(header)s”应大于 0", header=header)),
        ((values % 1 != 0) & values.notna() & integer,
         lambda r: _l("“%(header)s”应为整数（填写的是 %(value)s）", header=header,
                      value=f"{values[r]:g}")),
        ((values > MAX_COUNT) & integer,
         _l("“%(header)s”不能大于 %(limit)s", header=header, limit=f"{MAX_COUNT:,}")),
    ]
    bad = pd.Series(False, index=column.index)
    for mask, message in reasons:
        mask = mask.fillna(False).astype(bool) & ~bad
        if mask.any():
            out.cells(table, mask, key, message)
            bad |= mask
    return values.where(~bad)


def _units(table: _Table, key: str, needed: pd.Series, allowed, out: _Problems) -> pd.Series:
    """The unit column; blank where a quantity is given, or a unit not in the list, is a
    problem. `allowed` is one list for every row or a Series of lists, row by row."""
    units = _text(table, key) if key in table.frame else pd.Series(np.nan, index=needed.index)
    header = table.headers.get(key, "单位")
    missing = needed & units.isna()
    out.cells(table, missing, key, _l("已填写数量，请同时填写“%(header)s”", header=header))
    if isinstance(allowed, pd.Series):
        known = pd.Series([u in a if isinstance(a, list) else True
                           for u, a in zip(units, allowed, strict=True)], index=units.index)
        choices = allowed
    else:
        known = units.isin(allowed)
        choices = pd.Series([allowed] * len(units), index=units.index, dtype=object)
    wrong = needed & units.notna() & ~known
    out.cells(table, wrong, key, lambda r: _refused_unit(units[r]) or _l(
        "单位“%(unit)s”不可用，请从下拉列表选择：%(choices)s", unit=units[r], choices=list(choices[r])))
    return units.where(~wrong)


def _refused_unit(unit: str) -> Text | None:
    """The engine's reason for a unit it refuses everywhere (ton, °C), in both languages."""
    try:
        parse_unit(unit)
    except UnitError as error:
        if error.kind in ("offset", "ambiguous"):
            return pair(error.zh, error.en)
    return None


_SUM_UP = _l("同一项目请合计后填一行")


def _duplicates(table: _Table, keys: pd.DataFrame, mask: pd.Series, key: str, out: _Problems,
                what, advice: Text = _SUM_UP) -> pd.Series:
    """Rows (among `mask`) repeating an earlier row's `keys`: each a problem naming the first."""
    subset = keys[mask.to_numpy(dtype=bool)]
    if subset.empty:
        return pd.Series(False, index=mask.index)
    repeated = subset.duplicated(keep="first")
    if not repeated.any():
        return pd.Series(False, index=mask.index)
    firsts = subset[~subset.duplicated(keep="first")]
    first_row = {tuple(v): r for r, v in zip(firsts.index, firsts.itertuples(index=False),
                                              strict=True)}
    for row in repeated.index[repeated.to_numpy()]:
        values = tuple(subset.loc[row])
        out.cell(table, int(row), key,
                 _l("%(what)s重复（与第 %(row)s 行相同），%(advice)s", what=what(values),
                    row=first_row[values], advice=advice))
    return repeated.reindex(mask.index, fill_value=False)


def _resolve(table: _Table, key: str, name_key: str | None, ids, names: dict[str, str],
             out: _Problems, what: Text, needed: pd.Series) -> pd.Series:
    """Codes of a column, taking the name column (when the sheet has it) where the code is
    blank."""
    code = _text(table, key)
    direct = code.where(code.isin(set(ids)))
    resolved = direct.where(direct.notna(), code.map(names))  # a name typed as the code
    if name_key and name_key in table.frame:
        resolved = resolved.where(code.notna(), _text(table, name_key).map(names))
    unknown = code.notna() & resolved.isna()
    header = table.headers.get(key, what)
    out.cells(table, unknown, key, lambda r: _l("不认识的%(what)s“%(value)s”，请使用模板中的%(header)s",
                                                what=what, value=_shown(code[r]), header=header))
    missing = code.isna() & resolved.isna() & needed
    out.cells(table, missing, key, _l("请填写%(header)s", header=header))
    return resolved


def _serials(table: _Table, key: str, out: _Problems) -> pd.Series:
    serial = _text(table, key)
    long = serial.str.len() > 80
    out.cells(table, long.fillna(False), key, _l("编号过长（最多 80 个字符）"))
    # astype(bool): with a blank serial the matches are objects, and ~True on an object is -2
    matches = serial.str.fullmatch(_SERIAL).fillna(False).astype(bool)
    pattern = serial.notna() & ~long.fillna(False) & ~matches
    out.cells(table, pattern, key, lambda r: _l("编号“%(serial)s”只能包含字母、数字和 . _ : / -",
                                                serial=_shown(serial[r])))
    return serial.where(~(long.fillna(False) | pattern))


def _long_text(table: _Table, key: str, out: _Problems, limit: int) -> pd.Series:
    text = _text(table, key)
    long = text.str.len().gt(limit).fillna(False)
    out.cells(table, long, key, _l("“%(header)s”过长（最多 %(limit)s 个字符）",
                                   header=table.headers.get(key, key), limit=limit))
    return text.where(~long)


def ord_(letter: str) -> int:
    """The 0-based position of a column letter (A → 0, AA → 26)."""
    number = 0
    for char in letter:
        number = number * 26 + ord(char) - 64
    return number - 1

