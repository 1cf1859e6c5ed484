"""Each data sheet read into its part of the submission, remembering which row every part came
from so that the engine's problems can be shown at their cells."""

from __future__ import annotations

import pandas as pd

from ...engine import CriteriaSet, Reference
from ...engine.units import UnitError, parse_unit
from .activity import ACTIVITY_UNITS, BASES, BLOCKS, Block, Part, choices, header, lookup
from .cells import (
    _blank,
    _duplicates,
    _long_text,
    _numbers,
    _refused_unit,
    _resolve,
    _serials,
    _shown,
    _text,
    _units,
)
from .layout import (
    CERTIFICATE_KINDS,
    CERTIFICATES,
    DECLARATIONS,
    ELECTRICITY,
    ELECTRICITY_FIELDS,
    ENERGY,
    INSTRUMENTS,
    MEMBERS,
    OFFSETS,
    PROCESS,
    PRODUCTS,
    REPORTED,
    UNITS,
    _choices,
    _name,
    _product_energy_units,
)
from .problems import _l, _Problems
from .table import _Table

# a declaration's 是 / 否 as people type it; never 1 / 0 (booleans and numbers are not
# interchangeable in the schema, so not here either)
_YES = {"是", "yes", "y", "true", "√", "✓"}
_NO = {"否", "no", "n", "false", "×", "✗"}


class _Builder:
    """The submission being built, and where each part of it came from."""

    def __init__(self, criteria: CriteriaSet, reference: Reference):
        self.criteria, self.reference = criteria, reference
        self.units: dict[str | None, dict] = {None: {}}
        self.member_order: list[str] = []
        self.members: dict[str, dict] = {}
        self.locations: dict[str, tuple[str, int]] = {}
        self.data: dict = {}

    def prefix(self, member: str | None) -> str:
        return "" if member is None else f"members[{self.member_order.index(member)}]."

    def unit(self, member: str | None) -> dict:
        return self.units.setdefault(member, {})

    def put(self, member, path: str, where: tuple[str, int], value: dict) -> None:
        """`value` as the member's unit's `path` (a single object, as computing)."""
        owner = None if pd.isna(member) else member
        self.unit(owner)[path] = value
        self.locations[f"{self.prefix(owner)}{path}"] = where

    def append(self, member, path: str, where: tuple[str, int], value: dict) -> None:
        """`value` added to the list at `path` (e.g. electricity.green_certificates) of the
        member's unit (NaN: the park's or factory's own), remembering its sheet and row."""
        owner = None if pd.isna(member) else member
        target = self.unit(owner)
        *parents, name = path.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        rows = target.setdefault(name, [])
        self.locations[f"{self.prefix(owner)}{path}[{len(rows)}]"] = where
        rows.append(value)


def _items(reference: Reference) -> tuple[dict[str, tuple[str, str, str]], dict[str, str]]:
    """(id → (section, id, canonical unit kind)) for carriers and electricity fields, and the
    Chinese names → id."""
    items = {c.id: ("energy", c.id, c.unit) for c in reference.carriers.values()}
    items.update({f: ("electricity", f, "MWh") for f, _ in ELECTRICITY_FIELDS})
    names = {c.name_zh: c.id for c in reference.carriers.values()}
    names.update({label: f for f, label in ELECTRICITY_FIELDS})
    return items, names


def _amounts(table: _Table, code: pd.Series, items: dict, out: _Problems
             ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Which rows have a quantity, the quantities, and the units (each from its item's list)."""
    quantities = _numbers(table, "quantity", out)
    has = table.frame["quantity"].notna()
    allowed = code.map(lambda c: UNITS[items[c][2]] if isinstance(c, str) else None)
    units = _units(table, "unit", has & code.notna(), allowed, out)
    return has, quantities, units


def _fixed_amounts(tables: dict[str, _Table], b: _Builder, out: _Problems) -> None:
    """能源消费 and 电力: one row per carrier or field."""
    items, names = _items(b.reference)
    for sheet, section, key in ((ENERGY, "energy", "carrier"), (ELECTRICITY, "electricity",
                                                                 "field")):
        table = tables.get(sheet)
        if table is None:
            continue
        ids = [i for i, v in items.items() if v[0] == section]
        given = table.frame["quantity"].notna() | table.frame["unit"].notna()
        code = _resolve(table, key, "name", ids, names, out,
                        _l("能源品种") if section == "energy" else _l("电力项目"), given)
        has, quantities, units = _amounts(table, code, items, out)
        valid = has & code.notna() & quantities.notna() & units.notna()
        repeated = _duplicates(table, code.to_frame(), has & code.notna(), key, out,
                               lambda v: f"“{_name(b.reference, v[0])}”")
        valid &= ~repeated
        target = b.unit(None).setdefault(section, {})
        for row, c, q, u in zip(code.index[valid], code[valid], quantities[valid], units[valid],
                                strict=True):
            target[c] = {"quantity": float(q), "unit": u}
            b.locations[f"{section}.{c}"] = (sheet, int(row))


def _member_column(table: _Table, b: _Builder, out: _Problems) -> pd.Series:
    member = _text(table, "member")
    unknown = member.notna() & ~member.isin(b.member_order)
    out.cells(table, unknown, "member",
              lambda r: _l("所属企业“%(member)s”不在“%(sheet)s”表中；园区自有设施请留空",
                           member=_shown(member[r]), sheet=MEMBERS))
    return member.where(~unknown)


def _owners(table: _Table, b: _Builder, out: _Problems, park: bool
            ) -> tuple[pd.Series, pd.Series]:
    """The 所属企业 column (blank outside parks) and the rows naming an unknown member."""
    member = _member_column(table, b, out) if park else _blank(table)
    return member, _text(table, "member").notna() & member.isna()


def _counts(table: _Table, out: _Problems) -> pd.Series:
    """The 张数 / 连续编号个数 column: a positive whole number, 1 where blank."""
    counts = _numbers(table, "count", out, integer=True, positive=True)
    return counts.where(table.frame["count"].notna(), 1.0)


def _certificate_kinds(table: _Table, out: _Problems) -> pd.Series:
    """The 绿证类型 column as the list each row goes to; blank, or no such column (workbooks of
    the earlier template), is 另购绿证."""
    names = {**{k.lower(): k for k, _ in CERTIFICATE_KINDS},
             **{label: k for k, label in CERTIFICATE_KINDS}}
    given = _text(table, "kind")
    kind = given.str.lower().map(names) if given.notna().any() else given
    out.cells(table, given.notna() & kind.isna(), "kind",
              lambda r: _l("绿证类型“%(value)s”不可用，应为：%(choices)s", value=_shown(given[r]),
                           choices=[label for _, label in CERTIFICATE_KINDS]))
    return kind.where(given.notna(), CERTIFICATE_KINDS[0][0])


def _certificates(table: _Table, b: _Builder, out: _Problems, park: bool) -> None:
    member, bad_member = _owners(table, b, out, park)
    serial = _serials(table, "serial", out)
    out.cells(table, _text(table, "serial").isna(), "serial", _l("请填写绿证起始编号"))
    counts = _counts(table, out)
    kind = _certificate_kinds(table, out)
    # a block repeated within one list; the same block in both lists is the engine's to count
    keys = pd.DataFrame({"member": member.fillna(""), "serial": serial, "kind": kind})
    repeated = _duplicates(table, keys, serial.notna() & kind.notna(), "serial", out,
                           lambda v: _l("绿证编号“%(serial)s”", serial=v[1]),
                           _l("每个编号段只能填一次"))
    valid = serial.notna() & counts.notna() & kind.notna() & ~repeated & ~bad_member
    for row, m, k, s, c in zip(serial.index[valid], member[valid], kind[valid], serial[valid],
                               counts[valid], strict=True):
        b.append(m, f"electricity.{k}", (table.sheet, int(row)), {"serial": s, "count": int(c)})


def _process(table: _Table, b: _Builder, out: _Problems, park: bool) -> None:
    member, bad_member = _owners(table, b, out, park)
    source = _long_text(table, "source", out, 200)
    quantity = _numbers(table, "quantity", out)
    out.cells(table, table.frame["quantity"].isna(), "quantity", _l("请填写排放量"))
    units = _units(table, "unit", table.frame["quantity"].notna(), UNITS["tCO2"], out)
    method = _long_text(table, "method", out, 1000)
    valid = quantity.notna() & units.notna() & ~bad_member & ~(
        _text(table, "source").notna() & source.isna()) & ~(
        _text(table, "method").notna() & method.isna())
    for row, m, s, q, u, how in zip(quantity.index[valid], member[valid], source[valid],
                                    quantity[valid], units[valid], method[valid], strict=True):
        emission = {"source": "—" if pd.isna(s) else s, "quantity": float(q), "unit": u}
        if not pd.isna(how):
            emission["method"] = how
        b.append(m, "process_emissions", (table.sheet, int(row)), emission)


# -- the sector activity sheets (activity.py) ----------------------------------------------------

def _activity(table: _Table, block: Block, b: _Builder, out: _Problems, park: bool) -> None:
    """A block's rows into the schema's items: every cell read by its part, a row with any
    problem left out (the problems say why)."""
    if table.frame.empty:  # most workbooks: the sheet untouched (and each column costs ~10 ms)
        return
    member, bad = _owners(table, b, out, park)
    bad = bad.copy()
    values: dict[str, pd.Series] = {}
    for part in block.parts:
        values[part.key], wrong = _part(table, part, b.reference, out)
        bad |= wrong
    if block.single:
        owners = pd.DataFrame({"member": member.fillna("")})
        bad |= _duplicates(table, owners, ~bad, block.parts[0].key, out,
                           lambda v: _l("企业“%(name)s”的数据", name=v[0]) if v[0]
                           else _l("本单位的数据"), _l("每个核算单元只填一行"))
    for row in table.frame.index[~bad.to_numpy(dtype=bool)]:
        item = {part.key: values[part.key][row] for part in block.parts
                if values[part.key][row] is not None}
        where = (table.sheet, int(row))
        if block.single:
            b.put(member[row], block.path, where, item)
        else:
            b.append(member[row], block.path, where, item)


def _none(table: _Table) -> pd.Series:
    return pd.Series([None] * len(table.frame.index), index=table.frame.index, dtype=object)


def _part(table: _Table, part: Part, reference: Reference, out: _Problems
          ) -> tuple[pd.Series, pd.Series]:
    """The part's value in every row (None where blank) and the rows with a problem in it."""
    if part.kind in ("amount", "own"):
        return _own_amount(table, part, out) if part.kind == "own" else _amount(table, part, out)
    given = _text(table, part.key)
    if part.kind == "text":
        value = _long_text(table, part.key, out, part.limit)
        wrong = given.notna() & value.isna()
    else:
        value, wrong = _chosen(table, part.key, lookup(reference, part), out,
                               [f"“{zh}”" for _, zh, _en in choices(reference, part)]
                               if part.kind == "choice" else None)
    missing = given.isna() & part.required
    out.cells(table, missing, part.key, _l("请填写“%(header)s”", header=header(part)))
    plain = pd.Series([None if pd.isna(v) else v for v in value], index=value.index,
                      dtype=object)
    return plain, wrong | missing


def _chosen(table: _Table, key: str, names: dict[str, str], out: _Problems,
            listed: list[str] | None) -> tuple[pd.Series, pd.Series]:
    """A list column as ids: an id or a name (any case) of the list."""
    given = _text(table, key)
    value = given.map(lambda v: names.get(v.strip().lower()) if isinstance(v, str) else None)
    wrong = given.notna() & value.isna()
    column = table.headers.get(key, key)
    if listed:
        out.cells(table, wrong, key, lambda r: _l(
            "“%(header)s”不能填“%(value)s”，应为%(choices)s之一", header=column,
            value=_shown(given[r]), choices=listed))
    else:
        out.cells(table, wrong, key, lambda r: _l(
            "“%(header)s”中没有“%(value)s”，请从下拉列表选择", header=column,
            value=_shown(given[r])))
    return value, wrong


def _quantity_and_unit(table: _Table, part: Part, out: _Problems
                       ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The quantity column (a number, never negative) and its unit (needed with a quantity):
    values and the rows with a problem in either."""
    quantity = _numbers(table, part.key, out)
    given = table.frame[part.key].notna()
    unit_key = f"{part.key}_unit"
    units = _text(table, unit_key)
    allowed = ACTIVITY_UNITS[part.units]
    missing = given & units.isna()
    out.cells(table, missing, unit_key, _l("已填写数量，请同时填写“%(header)s”",
                                           header=table.headers.get(unit_key, unit_key)))
    known = units.map(lambda u: isinstance(u, str) and _unit_fits(u, allowed))
    wrong = given & units.notna() & ~known.astype(bool)
    out.cells(table, wrong, unit_key, lambda r: _refused_unit(units[r]) or _l(
        "单位“%(unit)s”不可用，请从下拉列表选择：%(choices)s", unit=_shown(units[r]),
        choices=list(allowed)))
    return quantity, units, (given & quantity.isna()) | missing | wrong


def _unit_fits(unit: str, allowed: list[str]) -> bool:
    """A unit of the list, or of the same kind as a listed one that has a dimension (kg of
    t, GJ … not % of min/d: numbers without a dimension are only the listed ones)."""
    if unit in allowed:
        return True
    try:
        parsed = parse_unit(unit)
    except (UnitError, ValueError, TypeError):
        return False
    for listed in allowed:
        target = parse_unit(listed)
        if target.dimensionless:
            continue
        if parsed.dimensionality == target.dimensionality:
            return True
    return False


def _amount(table: _Table, part: Part, out: _Problems) -> tuple[pd.Series, pd.Series]:
    quantity, units, wrong = _quantity_and_unit(table, part, out)
    missing = table.frame[part.key].isna() & part.required
    out.cells(table, missing, part.key, _l("请填写“%(header)s”", header=header(part)))
    value = _none(table)
    ok = quantity.notna() & units.notna() & ~wrong
    for row in quantity.index[ok.to_numpy(dtype=bool)]:
        value[row] = {"quantity": float(quantity[row]), "unit": units[row]}
    return value, wrong | missing


def _own_amount(table: _Table, part: Part, out: _Problems) -> tuple[pd.Series, pd.Series]:
    """An own value: quantity and unit, its basis (计算值 / 实测值, needed) and evidence."""
    quantity, units, wrong = _quantity_and_unit(table, part, out)
    given = table.frame[part.key].notna()
    basis_key, evidence_key = f"{part.key}_basis", f"{part.key}_evidence"
    basis, bad_basis = _chosen(table, basis_key, {t.lower(): b for b, zh, en in BASES
                                                  for t in (b, zh, en)}, out,
                               [f"“{zh}”" for _, zh, _en in BASES])
    evidence = _long_text(table, evidence_key, out, 300)
    bad_evidence = _text(table, evidence_key).notna() & evidence.isna()
    no_basis = given & _text(table, basis_key).isna()
    out.cells(table, no_basis, basis_key, _l("已填写“%(header)s”，请同时填写“%(needed)s”（计算值或实测值）",
                                             header=header(part),
                                             needed=header(part, "basis")))
    orphan = ~given & (_text(table, basis_key).notna() | _text(table, evidence_key).notna())
    out.cells(table, orphan, part.key, _l("已填写依据或证明材料，请同时填写“%(header)s”",
                                          header=header(part)))
    bad = wrong | bad_basis | bad_evidence | no_basis | orphan
    value = _none(table)
    ok = quantity.notna() & units.notna() & basis.notna() & ~bad
    for row in quantity.index[ok.to_numpy(dtype=bool)]:
        own = {"quantity": float(quantity[row]), "unit": units[row], "basis": basis[row]}
        if not pd.isna(evidence[row]):
            own["evidence"] = evidence[row]
        value[row] = own
    return value, bad


def _products(table: _Table, b: _Builder, out: _Problems, park: bool) -> None:
    member, bad_member = _owners(table, b, out, park)
    benchmark = _text(table, "benchmark")
    out.cells(table, benchmark.isna(), "benchmark", _l("请填写能效指标代码（从下拉列表选择）"))
    unknown = benchmark.notna() & ~benchmark.isin(list(b.reference.benchmarks.index))
    out.cells(table, unknown, "benchmark",
              lambda r: _l("能效对标表中没有“%(code)s”，请从下拉列表选择能效指标代码",
                           code=_shown(benchmark[r])))
    output = _numbers(table, "output", out)
    energy = _numbers(table, "energy", out)
    out.cells(table, table.frame["output"].isna(), "output", _l("请填写产量"))
    out.cells(table, table.frame["energy"].isna(), "energy", _l("请填写能耗"))
    output_unit = _units(table, "output_unit", table.frame["output"].notna(), UNITS["t"], out)
    energy_unit = _units(table, "energy_unit", table.frame["energy"].notna(),
                         _product_energy_units(b.reference), out)
    valid = (benchmark.notna() & ~unknown & output.notna() & energy.notna() & output_unit.notna()
             & energy_unit.notna() & ~bad_member)
    for row, m, bid, o, ou, e, eu in zip(benchmark.index[valid], member[valid], benchmark[valid],
                                         output[valid], output_unit[valid], energy[valid],
                                         energy_unit[valid], strict=True):
        b.append(m, "production", (table.sheet, int(row)),
                 {"benchmark": bid, "output": {"quantity": float(o), "unit": ou},
                  "energy": {"quantity": float(e), "unit": eu}})


def _offsets(table: _Table, b: _Builder, out: _Problems) -> None:
    names = {**{k: k for k, _ in INSTRUMENTS}, **{v.lower(): k for k, v in INSTRUMENTS}}
    given = _text(table, "instrument")
    instrument = given.str.lower().map(names) if given.notna().any() else given
    out.cells(table, given.isna(), "instrument", _l("请填写类型（CCER、林业碳票或其他）"))
    out.cells(table, given.notna() & instrument.isna(), "instrument",
              lambda r: _l("类型“%(value)s”不可用，应为：CCER、林业碳票、其他",
                           value=_shown(given[r])))
    serial = _serials(table, "serial", out)
    out.cells(table, _text(table, "serial").isna(), "serial", _l("请填写登记编号（起始）"))
    counts = _counts(table, out)
    quantity = _numbers(table, "quantity", out, positive=True)
    out.cells(table, table.frame["quantity"].isna(), "quantity", _l("请填写抵消量"))
    units = _units(table, "unit", table.frame["quantity"].notna(), UNITS["tCO2"], out)
    repeated = _duplicates(table, pd.DataFrame({"i": instrument, "s": serial}),
                           serial.notna() & instrument.notna(), "serial", out,
                           lambda v: _l("登记编号“%(serial)s”", serial=v[1]),
                           _l("每个编号段只能填一次"))
    valid = (instrument.notna() & serial.notna() & counts.notna() & quantity.notna()
             & units.notna() & ~repeated)
    rows = []
    for row, i, s, c, q, u in zip(serial.index[valid], instrument[valid], serial[valid],
                                  counts[valid], quantity[valid], units[valid], strict=True):
        b.locations[f"offsets[{len(rows)}]"] = (table.sheet, int(row))
        rows.append({"instrument": i, "serial": s, "count": int(c), "quantity": float(q),
                     "unit": u})
    if rows:
        b.data["offsets"] = rows


def _declarations(table: _Table, b: _Builder, out: _Problems) -> None:
    criteria = b.criteria
    titles = {d.title.zh: d.id for d in criteria.model.declarations}
    answer = _text(table, "answer")
    code = _resolve(table, "declaration", "title", criteria.declarations_by_id, titles, out,
                    _l("声明代码"), answer.notna())
    repeated = _duplicates(table, code.to_frame(), code.notna(), "declaration", out,
                           lambda v: _l("声明“%(code)s”", code=v[0]), _l("每项声明只能回答一次"))
    answers = {}
    for row in code.index[(code.notna() & answer.notna() & ~repeated).to_numpy()]:
        declaration = criteria.declarations_by_id[code[row]]
        value = _answer(declaration, answer[row])
        if value is None:
            out.cell(table, int(row), "answer",
                     _l("回答“%(answer)s”不可用，应为：%(choices)s", answer=_shown(answer[row]),
                        choices=list(_choices(declaration))))
            continue
        answers[declaration.id] = value
        b.locations[f"declarations.{declaration.id}"] = (table.sheet, int(row))
    if answers:
        b.data["declarations"] = {d.id: answers[d.id] for d in criteria.model.declarations
                                  if d.id in answers}


def _answer(declaration, text: str):
    lowered = text.strip().lower()
    if declaration.type == "boolean":
        return True if lowered in _YES else False if lowered in _NO else None
    for option in declaration.options:
        title = declaration.option_titles.get(option)
        if lowered in {option.lower(), *((title.zh.lower(), title.en.lower()) if title else ())}:
            return option
    return None


def _reported(table: _Table, b: _Builder, out: _Problems) -> None:
    criteria = b.criteria
    titles = {r.title.zh: r.id for r in criteria.model.reported}
    code = _resolve(table, "indicator", "title", criteria.reported_by_id, titles, out, _l("指标代码"),
                    table.frame["value"].notna())
    values = _numbers(table, "value", out, negative=True)
    unit = _text(table, "unit")
    repeated = _duplicates(table, code.to_frame(), code.notna() & values.notna(), "indicator",
                           out, lambda v: _l("指标“%(code)s”", code=v[0]), _l("每个指标只能填一行"))
    reported = {}
    for row in code.index[(code.notna() & values.notna() & ~repeated).to_numpy()]:
        figure = criteria.reported_by_id[code[row]]
        given = unit[row]
        if isinstance(given, str) and given.replace("％", "%") != figure.unit:
            out.cell(table, int(row), "unit",
                     _l("单位固定为“%(unit)s”，请勿修改（填写的是“%(value)s”）", unit=figure.unit,
                        value=_shown(given)))
            continue
        reported[figure.id] = {"quantity": float(values[row]), "unit": figure.unit}
        b.locations[f"reported.{figure.id}"] = (table.sheet, int(row))
    if reported:
        b.data["reported"] = {r.id: reported[r.id] for r in criteria.model.reported
                              if r.id in reported}


def _members(table: _Table, b: _Builder, out: _Problems) -> None:
    items, names = _items(b.reference)
    name = _long_text(table, "name", out, 200)
    out.cells(table, _text(table, "name").isna(), "name", _l("请填写企业名称"))
    uscc = _text(table, "uscc").str.upper()
    long = uscc.str.len().gt(18).fillna(False)
    out.cells(table, long, "uscc", _l("统一社会信用代码应为 18 位"))
    first_rows: dict[str, int] = {}
    codes: dict[str, str] = {}
    for row, n, u in zip(name.index, name, uscc.where(~long), strict=True):
        if pd.isna(n):
            continue
        if n not in first_rows:
            first_rows[n] = int(row)
            b.member_order.append(n)
            b.members[n] = {"name": n, "uscc": "" if pd.isna(u) else u}
            b.locations[f"members[{len(b.member_order) - 1}]"] = (table.sheet, int(row))
            codes[n] = "" if pd.isna(u) else u
        elif not pd.isna(u) and u != codes[n]:
            if codes[n]:
                out.cell(table, int(row), "uscc", _l("企业“%(name)s”的统一社会信用代码与第 %(row)s 行不一致",
                                                     name=n, row=first_rows[n]))
            else:
                codes[n] = b.members[n]["uscc"] = u
    item = _resolve(table, "item", None, items, names, out, _l("项目（能源品种或电力项目）"),
                    table.frame["quantity"].notna())
    has, quantities, units = _amounts(table, item, items, out)
    repeated = _duplicates(table, pd.DataFrame({"n": name, "i": item}),
                           has & item.notna() & name.notna(), "item", out,
                           lambda v: _l("企业“%(name)s”的“%(item)s”", name=v[0],
                                        item=_name(b.reference, v[1])))
    valid = name.notna() & has & item.notna() & quantities.notna() & units.notna() & ~repeated
    for row, n, i, q, u in zip(item.index[valid], name[valid], item[valid], quantities[valid],
                               units[valid], strict=True):
        section = items[i][0]
        b.unit(n).setdefault(section, {})[i] = {"quantity": float(q), "unit": u}
        b.locations[f"{b.prefix(n)}{section}.{i}"] = (table.sheet, int(row))


def _unit_data(unit: dict) -> dict:
    """One accounting unit in the form's shape: electricity fields in the form's order."""
    out: dict = {}
    if unit.get("energy"):
        out["energy"] = unit["energy"]
    electricity = unit.get("electricity") or {}
    ordered = {f: electricity[f] for f, _ in ELECTRICITY_FIELDS if f in electricity}
    for listed, _kind in CERTIFICATE_KINDS:
        if electricity.get(listed):
            ordered[listed] = electricity[listed]
    if ordered:
        out["electricity"] = ordered
    for key in ("process_emissions", *(block.path for block in BLOCKS), "production"):
        if unit.get(key):
            out[key] = unit[key]
    return out


def _submission(tables: dict[str, _Table], criteria: CriteriaSet, reference: Reference,
                out: _Problems, *, year: int, organisation: dict | None) -> tuple[dict, _Builder]:
    """The submission in the sheets read, and the builder that knows where each part came from
    (members first, so that the other sheets can name them)."""
    park = criteria.subject == "park"
    b = _Builder(criteria, reference)
    if park and MEMBERS in tables:
        _members(tables[MEMBERS], b, out)
    _fixed_amounts(tables, b, out)
    for sheet, parse in ((CERTIFICATES, _certificates), (PROCESS, _process),
                         (PRODUCTS, _products)):
        if sheet in tables:
            parse(tables[sheet], b, out, park)
    for block in BLOCKS:
        if block.sheet in tables:
            _activity(tables[block.sheet], block, b, out, park)
    for sheet, parse in ((OFFSETS, _offsets), (DECLARATIONS, _declarations),
                         (REPORTED, _reported)):
        if sheet in tables:
            parse(tables[sheet], b, out)

    data = {"subject": criteria.subject, "reporting_year": year}
    if organisation is not None:
        data["organisation"] = organisation
    data.update(_unit_data(b.unit(None)))
    data.update({k: b.data[k] for k in ("offsets", "declarations", "reported") if k in b.data})
    if park and b.member_order:
        data["members"] = [{**b.members[n], **_unit_data(b.unit(n))} for n in b.member_order]
    return data, b
