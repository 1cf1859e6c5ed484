"""Turn parsed submissions into a batch, checking each against the set and the reference data.

Everything a user can get wrong is found here and reported together, with the JSON path and a
message in Chinese and English: unknown carriers, units of the wrong kind, green power larger
than the power bought, declarations the set does not ask for, and so on. Nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from .batch import CLAIM_COLUMNS, UNIT_COLUMNS, Batch
from .claims import blocks, normalise_serial, repeated_serials
from .compare import holds
from .criteria import CriteriaSet
from .errors import Problem, SubmissionError
from .process import account
from .reference import Reference
from .schema import MAX_QUANTITY, TOO_LARGE_EN, TOO_LARGE_ZH, AccountingUnit, Amount, Submission
from .units import UnitError, factor

_KIND_ZH = {"t": "质量单位（如 t、kg）", "m3": "体积单位（如 m3、万Nm3）", "GJ": "热量单位（如 GJ）",
            "MWh": "电量单位（如 kWh、MWh、万kWh）", "tCO2": "二氧化碳质量单位（如 tCO2）"}


class _Collector:
    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, path: str, zh: str, en: str, refused: bool = False):
        self.problems.append(Problem(path, zh, en, refused))

    def amount(self, amount: Amount | None, to_unit: str, path: str, what_zh: str) -> float:
        """The amount in `to_unit`; NaN (never 0: a refused figure must not pass a gate) with a
        problem recorded when its unit is refused or the converted figure is above the
        ceiling."""
        if amount is None:
            return 0.0
        try:
            value = amount.quantity * factor(amount.unit, to_unit)
        except UnitError as error:
            if error.kind == "dimension":
                kind = _KIND_ZH.get(to_unit, to_unit)
                self.add(f"{path}.unit", f"单位“{amount.unit}”不能用于{what_zh}，应为{kind}",
                         f"unit '{amount.unit}' cannot be used for {what_zh}; expected a unit "
                         f"convertible to {to_unit}", refused=True)
            else:  # unknown, a temperature with an offset, or ambiguous (ton)
                self.add(f"{path}.unit", error.zh, error.en, refused=True)
            return float("nan")
        if not abs(value) <= MAX_QUANTITY:  # also NaN and inf
            self.add(f"{path}.quantity", f"{TOO_LARGE_ZH}（换算为 {to_unit} 后为 {value:.4g}）",
                     f"{TOO_LARGE_EN} (it is {value:.4g} {to_unit})", refused=True)
            return float("nan")
        return value


def current_year() -> int:
    """The year in Beijing, whatever the server's time zone."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).year


def prepare(submissions: list[Submission], criteria: CriteriaSet, reference: Reference,
            strict: bool = True, this_year: int | None = None) -> Batch:
    """A batch of validated submissions. With strict (the default) any problem raises
    SubmissionError listing them all. A data year after `this_year` (default: the current
    year in Beijing) is refused."""
    check = _Collector()
    this_year = current_year() if this_year is None else this_year
    tables = _Tables.empty(criteria)
    many = len(submissions) > 1
    for index, submission in enumerate(submissions):
        _submission(check, criteria, reference, tables, submission, index,
                    f"[{index}]." if many else "", this_year)
    if check.problems and strict:
        raise SubmissionError(check.problems)
    return tables.batch()


@dataclass
class _Tables:
    """The batch's tables as lists while submissions are read (see batch.py)."""

    subs: dict[str, list]
    units: dict[str, list]
    energy: dict[str, list]  # carrier → [(accounting unit, amount)]
    products: dict[str, list]
    claims: dict[str, list]
    names: list[str]
    process_lines: list[list[dict]]

    @classmethod
    def empty(cls, criteria: CriteriaSet) -> _Tables:
        subs: dict[str, list] = {"reporting_year": [], "offsets_tco2": []}
        for d in criteria.model.declarations:
            subs[f"decl.{d.id}"] = []
        for r in criteria.model.reported:
            subs[f"reported.{r.id}"] = []
        for item in criteria.items_of("expert"):
            subs[f"expert.{item.id}"] = []
        return cls(subs, {"submission": [], "is_member": [], **{c: [] for c in UNIT_COLUMNS}},
                   {}, {k: [] for k in ("submission", "unit", "benchmark", "output", "energy")},
                   {k: [] for k in CLAIM_COLUMNS}, [], [])

    def batch(self) -> Batch:
        units = self.units
        count = len(units["submission"])
        unit_table = {k: np.asarray(v, dtype=float) for k, v in units.items()
                      if k not in ("submission", "is_member")}
        unit_table["submission"] = np.asarray(units["submission"], dtype=int)
        unit_table["is_member"] = np.asarray(units["is_member"], dtype=bool)
        for carrier, values in self.energy.items():
            column = np.zeros(count)
            for position, value in values:
                column[position] += value
            unit_table[f"energy.{carrier}"] = column
        claim_table = {k: np.asarray(v, dtype=object if k in ("kind", "serial", "prefix", "path")
                                     else (np.int64 if k in ("submission", "unit", "start",
                                                             "count") else float))
                       for k, v in self.claims.items()}
        submission_table = {k: np.asarray(v, dtype=int if k == "reporting_year" else float)
                            for k, v in self.subs.items()}
        _count_once(claim_table, unit_table, submission_table)
        products = {k: np.asarray(v, dtype=int if k in ("submission", "unit", "benchmark")
                                  else float) for k, v in self.products.items()}
        return Batch(submission_table, unit_table, products, claim_table, self.names,
                     self.process_lines)


def _submission(check: _Collector, criteria: CriteriaSet, reference: Reference,
                tables: _Tables, submission: Submission, index: int, root: str,
                this_year: int) -> None:
    """Check one submission and add it to the tables: its figures, then each accounting unit
    (the factory, or the park's own facilities and each member)."""
    if submission.subject != criteria.subject:
        check.add(f"{root}subject",
                  f"提交对象为{_SUBJECT_ZH[submission.subject]}，评价标准“{criteria.id}”适用于"
                  f"{_SUBJECT_ZH[criteria.subject]}",
                  f"this is a {submission.subject} submission; criteria set {criteria.id} "
                  f"is for a {criteria.subject}")
    if submission.subject == "factory" and submission.members:
        check.add(f"{root}members", "工厂不能填报园区成员企业",
                  "only a park lists member enterprises")
    subs, units = tables.subs, tables.units
    year = submission.reporting_year
    subs["reporting_year"].append(year)
    _check_year(check, criteria, reference, year, f"{root}reporting_year", this_year)
    subs["offsets_tco2"].append(_offsets(check, criteria, submission, index, root,
                                         tables.claims))
    _declarations(check, criteria, submission, root, subs)
    _reported(check, criteria, submission, root, subs)
    _expert_scores(check, criteria, submission, root, subs)

    all_units: list[tuple[AccountingUnit, str, bool, str]] = [
        (submission, root, False, submission.organisation.name if submission.organisation
         else "")]
    all_units += [(m, f"{root}members[{k}].", True, m.name)
                  for k, m in enumerate(submission.members)]
    used_any = False
    tables.process_lines.append([])
    for unit, path, is_member, name in all_units:
        position = len(units["submission"])
        units["submission"].append(index)
        units["is_member"].append(is_member)
        tables.names.append(name)
        used_any |= _unit(check, reference, unit, path, position, units, tables.energy,
                          tables.process_lines[-1], name if is_member else "")
        _products(check, reference, unit, path, index, position, tables.products)
        _certificates(unit, path, index, position, tables.claims, check)
    if not used_any:
        check.add(f"{root}energy", "未填报任何能源或电力消费数据，无法计算指标",
                  "no energy or electricity use is reported, so nothing can be computed")


def _count_once(claims: dict, units: dict, subs: dict) -> None:
    """Serials listed twice in a submission count once (the union of the blocks): the repeats
    come off the certificates' MWh and the offsets' tCO2, and are counted for the gate."""
    repeated = repeated_serials(claims)
    n = len(subs["reporting_year"])
    owner = claims["submission"]
    subs["repeated_serials"] = np.bincount(owner, weights=repeated, minlength=n)[:n]
    if not repeated.any():
        return
    certificates = (claims["kind"] == "gec") & (repeated > 0)
    units["certificates_mwh"] = units["certificates_mwh"] - np.bincount(
        claims["unit"][certificates], weights=repeated[certificates],
        minlength=len(units["certificates_mwh"]))
    offsets = claims["unit"] < 0
    share = np.where(offsets, claims["quantity_tco2"] * repeated / claims["count"], 0.0)
    subs["offsets_tco2"] = subs["offsets_tco2"] - np.bincount(owner, weights=share,
                                                              minlength=n)[:n]


_SUBJECT_ZH = {"factory": "工厂", "park": "园区"}


def first_factor_year(criteria: CriteriaSet, reference: Reference) -> int | None:
    """The first data year with a published grid factor of the set's kind (None: none)."""
    factor_name = criteria.model.accounting.grid_factor
    return min((f.data_year for f in reference.electricity_factors if f.factor == factor_name),
               default=None)


def _check_year(check, criteria, reference, year, path, this_year):
    factor_name = criteria.model.accounting.grid_factor
    first = first_factor_year(criteria, reference)
    if first is None or year < first:
        check.add(path, f"{year} 年早于已发布的电力排放因子（“{factor_name}”最早为 "
                  f"{first or '无'} 年）",
                  f"no '{factor_name}' electricity factor is published for {year} or earlier",
                  refused=True)
    elif year > this_year:
        check.add(path, f"数据年份 {year} 年晚于当前年份（{this_year} 年），还没有这一年的数据",
                  f"the data year {year} is after the current year ({this_year})", refused=True)


def _unit(check: _Collector, reference: Reference, unit: AccountingUnit, path: str,
          position: int, units: dict, energy: dict, process_lines: list[dict],
          name: str) -> bool:
    """Add one accounting unit's energy, electricity, process emissions and computing-facility
    figures; whether it reports any use at all."""
    used = _energy(check, reference, unit, path, position, energy)
    values = _electricity(check, unit.electricity, f"{path}electricity.")
    process = account(check, reference, unit, path, name)
    values.update(process_tco2=process.tco2, feedstock_tco2=process.feedstock_tco2,
                  it_mwh=process.it_mwh, facility_mwh=process.facility_mwh,
                  water_m3=process.water_m3)
    process_lines += process.lines
    for column, value in values.items():
        units[column].append(value)
    used |= values["grid_mwh"] + values["direct_green_mwh"] + values["onsite_used_mwh"] > 0
    return used


def _energy(check: _Collector, reference: Reference, unit: AccountingUnit, path: str,
            position: int, energy: dict) -> bool:
    used = False
    for carrier_id, amount in unit.energy.items():
        carrier = reference.carriers.get(carrier_id)
        where = f"{path}energy.{carrier_id}"
        if carrier is None:
            check.add(where, f"不认识的能源品种“{carrier_id}”（可选：{'、'.join(reference.carriers)}）",
                      f"unknown energy carrier '{carrier_id}'")
            continue
        value = check.amount(amount, carrier.unit, where, carrier.name_zh)
        energy.setdefault(carrier_id, []).append((position, value))
        used |= value > 0
    return used


def _electricity(check: _Collector, e, where: str) -> dict[str, float]:
    """The unit's electricity in MWh, green power no larger than the power it is part of."""
    values = {
        "grid_mwh": check.amount(e.grid_purchase, "MWh", where + "grid_purchase", "电网购电"),
        "green_trading_mwh": check.amount(e.green_power_trading, "MWh",
                                          where + "green_power_trading", "绿电交易电量"),
        "direct_green_mwh": check.amount(e.direct_green_supply, "MWh",
                                         where + "direct_green_supply", "绿电直连电量"),
        "onsite_used_mwh": check.amount(e.onsite_renewable_self_used, "MWh",
                                        where + "onsite_renewable_self_used", "自发自用可再生电力"),
        "onsite_exported_mwh": check.amount(e.onsite_renewable_exported, "MWh",
                                            where + "onsite_renewable_exported", "上网可再生电力"),
        "onsite_sold_mwh": check.amount(e.onsite_certificates_sold, "MWh",
                                        where + "onsite_certificates_sold", "已出售绿证的自发电量"),
        "certificates_mwh": float(sum(c.count for c in e.green_certificates)),
    }
    if holds(">", values["green_trading_mwh"], values["grid_mwh"]):
        check.add(where + "green_power_trading", "绿电交易电量不能大于电网购电总量（绿电交易电量是购电量的一部分）",
                  "green-power trading cannot exceed the grid purchase it is part of")
    if holds(">", values["onsite_sold_mwh"], values["onsite_used_mwh"]):
        check.add(where + "onsite_certificates_sold", "已出售绿证的电量不能大于自发自用电量",
                  "certificates sold cannot exceed the on-site power used")
    return values


def _products(check, reference, unit, path, index, position, products):
    for k, product in enumerate(unit.production):
        where = f"{path}production[{k}]"
        row = reference.benchmark_index.get(product.benchmark)
        if row is None:
            check.add(f"{where}.benchmark", f"能效对标表中没有“{product.benchmark}”",
                      f"'{product.benchmark}' is not in energy_efficiency_levels.csv")
            continue
        levels = reference.benchmarks.iloc[row]
        name = f"{levels['product_zh']}（{levels['indicator_zh']}）"
        products["submission"].append(index)
        products["unit"].append(position)
        products["benchmark"].append(row)
        products["output"].append(check.amount(product.output, levels["output_unit"],
                                               f"{where}.output", f"{name}产量"))
        products["energy"].append(check.amount(product.energy, levels["energy_unit"],
                                               f"{where}.energy", f"{name}能耗"))


def _certificates(unit, path, index, position, claims, check):
    electricity = unit.electricity
    for k, block in enumerate(electricity.green_certificates):
        _claim(claims, check, index, position, "gec", block.serial, block.count,
               float("nan"), f"{path}electricity.green_certificates[{k}]")
    for k, block in enumerate(electricity.green_power_trade_certificates):
        _claim(claims, check, index, position, "green_trade", block.serial, block.count,
               float("nan"), f"{path}electricity.green_power_trade_certificates[{k}]")


def _offsets(check, criteria, submission, index, root, claims) -> float:
    per_serial = criteria.model.accounting.tco2_per_serial
    total = 0.0
    for k, offset in enumerate(submission.offsets):
        where = f"{root}offsets[{k}]"
        tco2 = check.amount(Amount(quantity=offset.quantity, unit=offset.unit), "tCO2", where,
                            "碳抵消量")
        total += tco2
        each = per_serial.get(offset.instrument)
        if each is not None and holds("!=", tco2, offset.count * each):
            name = "CCER" if offset.instrument == "ccer" else offset.instrument
            check.add(f"{where}.quantity",
                      f"{name} 每个编号为 {each:g} tCO2e：{offset.count} 个编号应为 "
                      f"{offset.count * each:g} tCO2e，填报为 {tco2:g} tCO2e",
                      f"each {name} serial is {each:g} tCO2e: {offset.count} serials make "
                      f"{offset.count * each:g} tCO2e, not {tco2:g}")
        _claim(claims, check, index, -1, offset.instrument, offset.serial, offset.count, tco2,
               where)
    return total


def _claim(claims, check, index, position, kind, serial, count, quantity, path):
    if not normalise_serial(serial)[-1:].isdigit() and count > 1:
        check.add(f"{path}.serial", "序列号不以数字结尾，无法表示连续多个编号",
                  "a serial must end in digits to stand for a consecutive block")
    for prefix, start, part, first in blocks(serial, count):  # two when crossing 10^18
        share = quantity * part / count
        for column, value in (("submission", index), ("unit", position), ("kind", kind),
                              ("serial", first), ("prefix", prefix), ("start", start),
                              ("count", part), ("quantity_tco2", share), ("path", path)):
            claims[column].append(value)


def _unknown_keys(check, criteria: CriteriaSet, given: dict, known: dict, where: str,
                  what_zh: str, what_en: str):
    for key in given:
        if key not in known:
            check.add(f"{where}.{key}", f"评价标准“{criteria.id}”没有{what_zh}“{key}”",
                      f"criteria set {criteria.id} has no {what_en} '{key}'")


def _declarations(check, criteria: CriteriaSet, submission, root, subs):
    _unknown_keys(check, criteria, submission.declarations, criteria.declarations_by_id,
                  f"{root}declarations", "声明项", "declaration")
    for d in criteria.model.declarations:
        value = submission.declarations.get(d.id)
        where = f"{root}declarations.{d.id}"
        code = np.nan
        if value is None:
            pass
        elif d.type == "boolean":
            if isinstance(value, bool):
                code = float(value)
            else:
                check.add(where, "应为是或否（true/false）", "must be true or false", refused=True)
        elif isinstance(value, str) and value in d.options:
            code = float(d.options.index(value))
        else:
            check.add(where, f"取值应为以下之一：{'、'.join(d.options)}",
                      f"must be one of {', '.join(d.options)}", refused=isinstance(value, bool))
        subs[f"decl.{d.id}"].append(code)


def _reported(check, criteria: CriteriaSet, submission, root, subs):
    _unknown_keys(check, criteria, submission.reported, criteria.reported_by_id,
                  f"{root}reported", "填报项", "reported figure")
    for r in criteria.model.reported:
        amount = submission.reported.get(r.id)
        where = f"{root}reported.{r.id}"
        value = np.nan
        if amount is not None:
            value = check.amount(amount, r.unit, where, r.title.zh)
            low = -np.inf if r.min is None else r.min
            high = np.inf if r.max is None else r.max
            if not (holds(">=", value, low) and holds("<=", value, high)):
                check.add(f"{where}.quantity", f"{r.title.zh}应在 {low:g}–{high:g} {r.unit} 之间",
                          f"{r.title.en} must lie between {low:g} and {high:g} {r.unit}")
        subs[f"reported.{r.id}"].append(value)


def _expert_scores(check, criteria: CriteriaSet, submission, root, subs):
    experts = {i.id: i for i in criteria.items_of("expert")}
    for key in submission.expert_scores:
        if key not in experts:
            check.add(f"{root}expert_scores.{key}", f"“{key}”不是专家评分项",
                      f"'{key}' is not an expert item of {criteria.id}")
    for item_id, item in experts.items():
        value = submission.expert_scores.get(item_id)
        if value is not None and not 0 <= value <= item.points:
            check.add(f"{root}expert_scores.{item_id}", f"应在 0–{item.points:g} 分之间",
                      f"must lie between 0 and {item.points:g}")
            value = None
        subs[f"expert.{item_id}"].append(np.nan if value is None else value)
