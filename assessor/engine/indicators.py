"""The built-in indicators: energy, emissions and shares, one named formula each.

Each formula takes whole columns (one value per submission, or per accounting unit where it
says `per=UNIT`) and returns a column; a single submission is the one-row case. A formula's
parameters are what it uses (formulas.py). Conventions are documented in docs/engine.md; the
ones that matter most:
- comprehensive energy counts fuels, purchased heat and steam, and all electricity used (grid,
  direct green supply and on-site renewable self-use) at the set's electricity coefficient;
- market-based scope 2 counts green-power trades, retired unbundled certificates (up to the grid
  power left) and direct supply at zero, and the rest of the grid power at the residual factor;
- carbon per energy (单位能耗碳排放) uses market-based emissions before offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .batch import Batch
from .compare import difference
from .formulas import (
    PRODUCT,
    SHARED,
    UNIT,
    CarrierSum,
    Evaluation,
    IndicatorInfo,
    Rows,
    builtin_indicators,
    carrier_sum,
    evaluate,
    indicator,
    variable,
)
from .products import product_levels as _product_levels
from .reference import Reference

__all__ = ["BUILTIN", "Accounting", "IndicatorInfo", "compute", "evaluate_batch", "inputs"]


@dataclass(frozen=True)
class Accounting:
    """The set's accounting choices (criteria YAML `accounting:`)."""

    electricity_conversion: str  # equivalent | equal_value
    grid_factor: str  # location-based factor, e.g. guizhou
    residual_factor: str  # market-based factor for grid power not claimed green


# columns of the batch's accounting units the formulas use (canonical units, see batch.py)
UNIT_INPUTS = ("grid_mwh", "green_trading_mwh", "direct_green_mwh", "onsite_used_mwh",
               "onsite_sold_mwh", "certificates_mwh", "process_tco2", "feedstock_tco2", "it_mwh",
               "facility_mwh", "water_m3", "is_member")


def inputs(batch: Batch, accounting: Accounting, reference: Reference) -> dict:
    """What the formulas start from: the batch's columns, the reference data and the set's
    accounting choices."""
    units = batch.units
    zeros = np.zeros(len(units["submission"]))
    given = {name: units.get(name, zeros) for name in UNIT_INPUTS}
    given["carrier_amounts"] = [(c, units[f"energy.{c.id}"]) for c in reference.carriers.values()
                                if units.get(f"energy.{c.id}") is not None]
    given.update(units=Rows(units["submission"], batch.size), submissions=batch.submissions,
                 products=batch.products, product_rows=Rows(batch.products["submission"],
                                                            batch.size),
                 reference=reference, accounting=accounting)
    return given


def evaluate_batch(batch: Batch, accounting: Accounting, reference: Reference) -> Evaluation:
    given = inputs(batch, accounting, reference)
    return evaluate(given, given["units"], UNIT_INPUTS)


def compute(batch: Batch, accounting: Accounting, reference: Reference) -> dict[str, np.ndarray]:
    """All built-in indicators, one array each (length = number of submissions), plus the grid
    factors used (keys starting with `factor.`)."""
    return indicator_values(evaluate_batch(batch, accounting, reference), batch.size)


def indicator_values(evaluation: Evaluation, n: int) -> dict[str, np.ndarray]:
    """What scoring reads: every built-in indicator, and the figures the remedies and the
    result use (grid power, grid factors and their years as `factor.*`)."""
    v = evaluation.values
    out = {name: v[name] for name in BUILTIN}
    out["grid_purchase_mwh"] = v["grid_purchase_mwh"]
    out["residual_grid_mwh"] = v["residual_grid_mwh"]
    out["factor.location"] = v["location_factor"]
    out["factor.location_year"] = v["location_factor_year"]
    out["factor.residual"] = v["residual_factor"]
    out["factor.residual_year"] = v["residual_factor_year"]
    out["factor.residual_is_location"] = v["residual_is_location"].astype(float)
    out["factor.electricity_tce_per_mwh"] = np.full(n, v["electricity_tce_per_mwh"])
    return out


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    out = np.full(whole.shape, np.nan)
    np.divide(part, whole, out=out, where=whole > 0)
    return out


# -- indicators, in the order results list them ------------------------------------------------

@indicator("tce", "综合能耗", "Comprehensive energy consumption")
def comprehensive_energy_tce(fuel_energy_tce, electricity_energy_tce):
    return fuel_energy_tce + electricity_energy_tce


@indicator("tce", "燃料及外购热力、蒸汽能耗", "Fuels, heat and steam")
def fuel_energy_tce(units, carrier_amounts):
    return carrier_sum(units, carrier_amounts, lambda c: c.tce_per_unit)


@indicator("MWh", "用电量", "Electricity used")
def electricity_consumption_mwh(units, grid_mwh, direct_green_mwh, onsite_used_mwh):
    """Exported on-site power is not consumption."""
    return units.sum(grid_mwh + direct_green_mwh + onsite_used_mwh)


@indicator("tce", "电力折标准煤", "Electricity in standard coal")
def electricity_energy_tce(electricity_consumption_mwh, electricity_tce_per_mwh):
    return electricity_consumption_mwh * electricity_tce_per_mwh


@indicator("MWh", "可再生能源电力消费量", "Renewable electricity claimed")
def renewable_electricity_mwh(units, green_trading_mwh, certificates_counted_mwh,
                              direct_green_mwh, onsite_green_mwh):
    return units.sum(green_trading_mwh + certificates_counted_mwh + direct_green_mwh
                     + onsite_green_mwh)


@indicator("MWh", "非化石能源电力物理认定量", "Physically traceable green electricity")
def physical_green_electricity_mwh(units, direct_green_mwh, onsite_green_mwh):
    return units.sum(direct_green_mwh + onsite_green_mwh)


@indicator("MWh", "超出购入电量而未计入的绿证", "Certificates beyond the grid power, not counted")
def excess_certificates_mwh(units, certificates_mwh, certificates_counted_mwh):
    return units.sum(certificates_mwh - certificates_counted_mwh)


@indicator("tce", "非化石能源消费量", "Non-fossil energy")
def non_fossil_energy_tce(renewable_electricity_mwh, electricity_tce_per_mwh):
    """Grid power beyond the green claims counts as fossil."""
    return renewable_electricity_mwh * electricity_tce_per_mwh


@indicator("tce", "清洁能源消费量", "Clean energy")
def clean_energy_tce(non_fossil_energy_tce, clean_fuel_tce):
    return non_fossil_energy_tce + clean_fuel_tce


@indicator("tCO2", "化石燃料燃烧排放", "Fuel combustion emissions")
def scope1_combustion_tco2(units, carrier_amounts, feedstock_tco2):
    """Fuel × NCV × carbon content × oxidation × 44/12 (worked out per unit in reference.py),
    less the fuel used as a reductant or feedstock, whose carbon the carbon balance counts."""
    burnt = carrier_sum(units, carrier_amounts, lambda c: c.tco2_per_unit,
                        keep=lambda c: c.scope != 2)
    return CarrierSum(burnt.value - units.sum(feedstock_tco2), burnt.parts)


@indicator("tCO2", "工业生产过程排放", "Process emissions")
def process_emissions_tco2(units, process_tco2):
    return units.sum(process_tco2)


@indicator("tCO2", "直接排放（范围一）", "Scope 1 emissions")
def scope1_tco2(scope1_combustion_tco2, process_emissions_tco2):
    return scope1_combustion_tco2 + process_emissions_tco2


@indicator("tCO2", "外购热力和蒸汽排放", "Purchased heat and steam")
def scope2_heat_tco2(units, carrier_amounts):
    return carrier_sum(units, carrier_amounts, lambda c: c.tco2_per_unit,
                       keep=lambda c: c.scope == 2)


@indicator("tCO2", "间接排放（范围二，基于位置）", "Scope 2, location-based")
def scope2_location_tco2(grid_purchase_mwh, location_factor, scope2_heat_tco2):
    return grid_purchase_mwh * location_factor + scope2_heat_tco2


@indicator("tCO2", "间接排放（范围二，基于市场）", "Scope 2, market-based")
def scope2_market_tco2(residual_grid_mwh, residual_factor, scope2_heat_tco2):
    """Traded green power, counted certificates and direct supply count as zero."""
    return residual_grid_mwh * residual_factor + scope2_heat_tco2


@indicator("tCO2", "排放总量（基于位置）", "Total emissions, location-based")
def total_emissions_location_tco2(scope1_tco2, scope2_location_tco2):
    return scope1_tco2 + scope2_location_tco2


@indicator("tCO2", "排放总量（基于市场）", "Total emissions, market-based")
def total_emissions_market_tco2(scope1_tco2, scope2_market_tco2):
    return scope1_tco2 + scope2_market_tco2


@indicator("tCO2", "碳抵消量", "Offsets retired")
def offsets_tco2(submissions):
    return submissions["offsets_tco2"]


@indicator("tCO2", "抵消后净排放", "Net emissions after offsets")
def net_emissions_tco2(total_emissions_market_tco2, offsets_tco2):
    # offsets equal to the emissions, in whatever unit they were entered, leave exactly zero
    return np.maximum(difference(total_emissions_market_tco2, offsets_tco2), 0.0)


@indicator("fraction", "碳抵消比例", "Share of emissions offset")
def offset_coverage(offsets_tco2, total_emissions_market_tco2):
    """1 when nothing is emitted."""
    coverage = _share(offsets_tco2, total_emissions_market_tco2)
    return np.where(total_emissions_market_tco2 == 0, 1.0, coverage)


@indicator("tCO2/tce", "单位能耗碳排放", "CO2 per unit of energy")
def carbon_per_energy(total_emissions_market_tco2, comprehensive_energy_tce):
    return _share(total_emissions_market_tco2, comprehensive_energy_tce)


@indicator("fraction", "可再生能源电力消费占比", "Renewable electricity share")
def renewable_electricity_share(renewable_electricity_mwh, electricity_consumption_mwh):
    return _share(renewable_electricity_mwh, electricity_consumption_mwh)


@indicator("fraction", "非化石能源电力消费物理认定量占比", "Physically traceable green power share")
def physical_green_electricity_share(physical_green_electricity_mwh, electricity_consumption_mwh):
    return _share(physical_green_electricity_mwh, electricity_consumption_mwh)


@indicator("fraction", "非化石能源消费占比", "Non-fossil energy share")
def non_fossil_energy_share(non_fossil_energy_tce, comprehensive_energy_tce):
    return _share(non_fossil_energy_tce, comprehensive_energy_tce)


@indicator("fraction", "清洁能源消费占比", "Clean energy share")
def clean_energy_share(clean_energy_tce, comprehensive_energy_tce):
    return _share(clean_energy_tce, comprehensive_energy_tce)


@indicator("dimensionless", "对标产品数", "Products with a level")
def product_count(product_rows):
    return product_rows.count()


@indicator("dimensionless", "未达到能效要求的产品数", "Products above their efficiency target")
def products_above_target(product_rows, product_levels, products_unevaluable):
    above = product_rows.sum(product_levels["evaluable"] & ~product_levels["meets_target"])
    return np.where(products_unevaluable, np.nan, above)


@indicator("dimensionless", "产品能效最差等级",
           "Worst limit-standard grade reached (4 = worse than grade 3)")
def worst_grade(product_rows, product_levels, products_unevaluable):
    return np.where(products_unevaluable, np.nan, product_rows.worst(product_levels["grade"]))


@indicator("dimensionless", "单位产品能耗与标杆值之比（最大）", "Highest ratio of unit energy to benchmark")
def worst_benchmark_ratio(product_rows, product_levels):
    return product_rows.worst(product_levels["ratio_benchmark"])


@indicator("dimensionless", "单位产品能耗与基准值之比（最大）", "Highest ratio of unit energy to baseline")
def worst_baseline_ratio(product_rows, product_levels):
    return product_rows.worst(product_levels["ratio_baseline"])


@indicator("fraction", "达到能耗限额2级的产品占比", "Share of products at grade 2 or better")
def product_grade2_share(product_rows, product_levels, products_unevaluable, product_count):
    grade2 = product_rows.sum(product_levels["grade"] <= 2)
    return np.where(products_unevaluable, np.nan, _share(grade2, product_count))


@indicator("dimensionless", "电能利用效率（PUE）", "Power usage effectiveness (PUE)")
def pue(units, facility_mwh, it_mwh):
    """Data centre energy ÷ IT equipment energy (算力基础设施高质量发展行动计划, 2023)."""
    return _share(units.sum(facility_mwh), units.sum(it_mwh))


@indicator("L/kWh", "水资源利用效率（WUE）", "Water usage effectiveness (WUE)")
def wue(units, water_m3, it_mwh):
    """Water in L ÷ IT energy in kWh: m³ ÷ MWh is the same number."""
    return _share(units.sum(water_m3), units.sum(it_mwh))


@indicator("dimensionless", "园区企业数", "Member enterprises")
def member_count(units, is_member):
    return units.sum(is_member.astype(float))


@indicator("dimensionless", "重复申报的证书和碳信用编号数",
           "Certificate and credit serials listed more than once")
def repeated_serials(submissions):
    return submissions.get("repeated_serials", np.zeros(len(submissions["reporting_year"])))


# -- steps the indicators use ------------------------------------------------------------------

@variable()
def clean_fuel_tce(units, carrier_amounts):
    """Natural gas and the other carriers reference data marks clean."""
    return carrier_sum(units, carrier_amounts, lambda c: c.tce_per_unit, keep=lambda c: c.clean)


@variable(per=SHARED)
def electricity_tce_per_mwh(reference, accounting):
    """The set's electricity coefficient: 当量值 or 等价值."""
    return reference.electricity_coefficients[accounting.electricity_conversion][0]


@variable()
def grid_purchase_mwh(units, grid_mwh):
    return units.sum(grid_mwh)


@variable(per=UNIT)
def onsite_certificates_sold_mwh(onsite_sold_mwh, onsite_used_mwh):
    """Self-used power whose certificates were sold (no more than the power self-used)."""
    return np.minimum(onsite_sold_mwh, onsite_used_mwh)


@variable(per=UNIT)
def onsite_green_mwh(onsite_used_mwh, onsite_certificates_sold_mwh):
    return onsite_used_mwh - onsite_certificates_sold_mwh


@variable(per=UNIT)
def certificates_counted_mwh(certificates_mwh, grid_mwh, green_trading_mwh):
    """Certificates count up to the grid power not already green."""
    return np.minimum(certificates_mwh, np.maximum(grid_mwh - green_trading_mwh, 0))


@variable()
def residual_grid_mwh(units, grid_mwh, green_trading_mwh, certificates_counted_mwh,
                      onsite_certificates_sold_mwh):
    """Grid power not claimed green; self-used power whose certificates were sold joins it."""
    return units.sum(grid_mwh - green_trading_mwh - certificates_counted_mwh
                     + onsite_certificates_sold_mwh)


@variable()
def reporting_year(submissions):
    return submissions["reporting_year"].astype(int)


@variable()
def location_lookup(reporting_year, reference, accounting):
    """(factor, data year) for each reporting year: the grid factor of that year, or of the
    latest year published before it."""
    return reference.grid_factors(accounting.grid_factor, reporting_year)


@variable()
def location_factor(location_lookup):
    return location_lookup[0]


@variable()
def location_factor_year(location_lookup):
    return location_lookup[1]


@variable()
def residual_lookup(reporting_year, reference, accounting):
    return reference.grid_factors(accounting.residual_factor, reporting_year)


@variable()
def residual_is_location(residual_lookup):
    """No residual factor at or before the year: the location factor stands in (GHG Protocol)."""
    return np.isnan(residual_lookup[0])


@variable()
def residual_factor(residual_lookup, residual_is_location, location_factor):
    return np.where(residual_is_location, location_factor, residual_lookup[0])


@variable()
def residual_factor_year(residual_lookup, residual_is_location, location_factor_year):
    return np.where(residual_is_location, location_factor_year, residual_lookup[1])


@variable(per=PRODUCT)
def product_levels(products, reference):
    return _product_levels(products, reference)


@variable()
def products_unevaluable(product_rows, product_levels):
    """A product with zero output or no level: the product indicators cannot be worked out."""
    return product_rows.sum(~product_levels["evaluable"]) > 0


BUILTIN: dict[str, IndicatorInfo] = builtin_indicators()
