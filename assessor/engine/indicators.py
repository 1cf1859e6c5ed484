"""Indicators: energy, emissions and shares, computed over whole columns at once.

Every function here takes arrays (one value per accounting unit, product or submission) and
returns arrays; a single submission is the one-row case. Conventions are documented in
docs/engine.md; the ones that matter most:
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
from .compare import difference, holds
from .reference import Reference


@dataclass(frozen=True)
class IndicatorInfo:
    id: str
    unit: str
    zh: str
    en: str


BUILTIN: dict[str, IndicatorInfo] = {i.id: i for i in [
    IndicatorInfo("comprehensive_energy_tce", "tce", "综合能耗", "Comprehensive energy consumption"),
    IndicatorInfo("fuel_energy_tce", "tce", "燃料及外购热力、蒸汽能耗", "Fuels, heat and steam"),
    IndicatorInfo("electricity_consumption_mwh", "MWh", "用电量", "Electricity used"),
    IndicatorInfo("electricity_energy_tce", "tce", "电力折标准煤", "Electricity in standard coal"),
    IndicatorInfo("renewable_electricity_mwh", "MWh", "可再生能源电力消费量",
                  "Renewable electricity claimed"),
    IndicatorInfo("physical_green_electricity_mwh", "MWh", "非化石能源电力物理认定量",
                  "Physically traceable green electricity"),
    IndicatorInfo("excess_certificates_mwh", "MWh", "超出购入电量而未计入的绿证",
                  "Certificates beyond the grid power, not counted"),
    IndicatorInfo("non_fossil_energy_tce", "tce", "非化石能源消费量", "Non-fossil energy"),
    IndicatorInfo("clean_energy_tce", "tce", "清洁能源消费量", "Clean energy"),
    IndicatorInfo("scope1_combustion_tco2", "tCO2", "化石燃料燃烧排放", "Fuel combustion emissions"),
    IndicatorInfo("process_emissions_tco2", "tCO2", "工业生产过程排放", "Process emissions"),
    IndicatorInfo("scope1_tco2", "tCO2", "直接排放（范围一）", "Scope 1 emissions"),
    IndicatorInfo("scope2_heat_tco2", "tCO2", "外购热力和蒸汽排放", "Purchased heat and steam"),
    IndicatorInfo("scope2_location_tco2", "tCO2", "间接排放（范围二，基于位置）",
                  "Scope 2, location-based"),
    IndicatorInfo("scope2_market_tco2", "tCO2", "间接排放（范围二，基于市场）",
                  "Scope 2, market-based"),
    IndicatorInfo("total_emissions_location_tco2", "tCO2", "排放总量（基于位置）",
                  "Total emissions, location-based"),
    IndicatorInfo("total_emissions_market_tco2", "tCO2", "排放总量（基于市场）",
                  "Total emissions, market-based"),
    IndicatorInfo("offsets_tco2", "tCO2", "碳抵消量", "Offsets retired"),
    IndicatorInfo("net_emissions_tco2", "tCO2", "抵消后净排放", "Net emissions after offsets"),
    IndicatorInfo("offset_coverage", "fraction", "碳抵消比例", "Share of emissions offset"),
    IndicatorInfo("carbon_per_energy", "tCO2/tce", "单位能耗碳排放", "CO2 per unit of energy"),
    IndicatorInfo("renewable_electricity_share", "fraction", "可再生能源电力消费占比",
                  "Renewable electricity share"),
    IndicatorInfo("physical_green_electricity_share", "fraction",
                  "非化石能源电力消费物理认定量占比", "Physically traceable green power share"),
    IndicatorInfo("non_fossil_energy_share", "fraction", "非化石能源消费占比",
                  "Non-fossil energy share"),
    IndicatorInfo("clean_energy_share", "fraction", "清洁能源消费占比", "Clean energy share"),
    IndicatorInfo("product_count", "dimensionless", "对标产品数", "Products with a level"),
    IndicatorInfo("products_above_target", "dimensionless", "未达到能效要求的产品数",
                  "Products above their efficiency target"),
    IndicatorInfo("worst_grade", "dimensionless", "产品能效最差等级",
                  "Worst limit-standard grade reached (4 = worse than grade 3)"),
    IndicatorInfo("worst_benchmark_ratio", "dimensionless", "单位产品能耗与标杆值之比（最大）",
                  "Highest ratio of unit energy to benchmark"),
    IndicatorInfo("worst_baseline_ratio", "dimensionless", "单位产品能耗与基准值之比（最大）",
                  "Highest ratio of unit energy to baseline"),
    IndicatorInfo("product_grade2_share", "fraction", "达到能耗限额2级的产品占比",
                  "Share of products at grade 2 or better"),
    IndicatorInfo("member_count", "dimensionless", "园区企业数", "Member enterprises"),
    IndicatorInfo("repeated_serials", "dimensionless", "重复申报的证书和碳信用编号数",
                  "Certificate and credit serials listed more than once"),
]}


@dataclass(frozen=True)
class Accounting:
    """The set's accounting choices (criteria YAML `accounting:`)."""

    electricity_conversion: str  # equivalent | equal_value
    grid_factor: str  # location-based factor, e.g. guizhou
    residual_factor: str  # market-based factor for grid power not claimed green


def _per_submission(values: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(owner, weights=values, minlength=n)[:n]


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    out = np.full(whole.shape, np.nan)
    np.divide(part, whole, out=out, where=whole > 0)
    return out


def compute(batch: Batch, accounting: Accounting, reference: Reference) -> dict[str, np.ndarray]:
    """All built-in indicators, one array each (length = number of submissions), plus the grid
    factors used (keys starting with `factor.`)."""
    n = batch.size
    units = batch.units
    owner = units["submission"]
    zeros = np.zeros(len(owner))

    def column(name: str) -> np.ndarray:
        return units.get(name, zeros)

    fuel_tce = zeros.copy()
    clean_fuel_tce = zeros.copy()
    combustion = zeros.copy()
    heat = zeros.copy()
    for carrier in reference.carriers.values():
        quantity = units.get(f"energy.{carrier.id}")
        if quantity is None:
            continue
        fuel_tce += quantity * carrier.tce_per_unit
        if carrier.clean:
            clean_fuel_tce += quantity * carrier.tce_per_unit
        if carrier.scope == 2:
            heat += quantity * carrier.tco2_per_unit
        else:
            combustion += quantity * carrier.tco2_per_unit

    grid, trading = column("grid_mwh"), column("green_trading_mwh")
    direct, onsite = column("direct_green_mwh"), column("onsite_used_mwh")
    sold = np.minimum(column("onsite_sold_mwh"), onsite)
    onsite_green = onsite - sold
    certificates = np.minimum(column("certificates_mwh"), np.maximum(grid - trading, 0))
    excess = column("certificates_mwh") - certificates
    renewable = trading + certificates + direct + onsite_green
    residual_grid = grid - trading - certificates + sold

    years = batch.submissions["reporting_year"].astype(int)
    location, location_year = reference.grid_factors(accounting.grid_factor, years)
    residual, residual_year = reference.grid_factors(accounting.residual_factor, years)
    residual_fallback = np.isnan(residual)
    residual = np.where(residual_fallback, location, residual)
    residual_year = np.where(residual_fallback, location_year, residual_year)

    coefficient = reference.electricity_coefficients[accounting.electricity_conversion][0]
    sum_up = _per_submission
    out: dict[str, np.ndarray] = {}
    out["fuel_energy_tce"] = sum_up(fuel_tce, owner, n)
    out["electricity_consumption_mwh"] = sum_up(grid + direct + onsite, owner, n)
    out["electricity_energy_tce"] = out["electricity_consumption_mwh"] * coefficient
    out["comprehensive_energy_tce"] = out["fuel_energy_tce"] + out["electricity_energy_tce"]
    out["renewable_electricity_mwh"] = sum_up(renewable, owner, n)
    out["physical_green_electricity_mwh"] = sum_up(direct + onsite_green, owner, n)
    out["excess_certificates_mwh"] = sum_up(excess, owner, n)
    out["non_fossil_energy_tce"] = out["renewable_electricity_mwh"] * coefficient
    out["clean_energy_tce"] = out["non_fossil_energy_tce"] + sum_up(clean_fuel_tce, owner, n)
    out["scope1_combustion_tco2"] = sum_up(combustion, owner, n)
    out["process_emissions_tco2"] = sum_up(column("process_tco2"), owner, n)
    out["scope1_tco2"] = out["scope1_combustion_tco2"] + out["process_emissions_tco2"]
    out["scope2_heat_tco2"] = sum_up(heat, owner, n)
    out["grid_purchase_mwh"] = sum_up(grid, owner, n)
    out["residual_grid_mwh"] = sum_up(residual_grid, owner, n)
    out["scope2_location_tco2"] = out["grid_purchase_mwh"] * location + out["scope2_heat_tco2"]
    out["scope2_market_tco2"] = out["residual_grid_mwh"] * residual + out["scope2_heat_tco2"]
    out["total_emissions_location_tco2"] = out["scope1_tco2"] + out["scope2_location_tco2"]
    out["total_emissions_market_tco2"] = out["scope1_tco2"] + out["scope2_market_tco2"]
    out["offsets_tco2"] = batch.submissions["offsets_tco2"]
    gross = out["total_emissions_market_tco2"]
    # offsets equal to the emissions, in whatever unit they were entered, leave exactly zero
    out["net_emissions_tco2"] = np.maximum(difference(gross, out["offsets_tco2"]), 0.0)
    coverage = _share(out["offsets_tco2"], gross)
    out["offset_coverage"] = np.where(gross == 0, 1.0, coverage)
    out["carbon_per_energy"] = _share(gross, out["comprehensive_energy_tce"])
    consumption = out["electricity_consumption_mwh"]
    out["renewable_electricity_share"] = _share(out["renewable_electricity_mwh"], consumption)
    out["physical_green_electricity_share"] = _share(out["physical_green_electricity_mwh"],
                                                     consumption)
    energy = out["comprehensive_energy_tce"]
    out["non_fossil_energy_share"] = _share(out["non_fossil_energy_tce"], energy)
    out["clean_energy_share"] = _share(out["clean_energy_tce"], energy)
    out["member_count"] = sum_up(units["is_member"].astype(float), owner, n)
    out["repeated_serials"] = batch.submissions.get("repeated_serials", np.zeros(n))
    out.update(_products(batch, reference))
    out["factor.location"] = location
    out["factor.location_year"] = location_year
    out["factor.residual"] = residual
    out["factor.residual_year"] = residual_year
    out["factor.residual_is_location"] = residual_fallback.astype(float)
    out["factor.electricity_tce_per_mwh"] = np.full(n, coefficient)
    return out


def product_levels(batch: Batch, reference: Reference) -> dict[str, np.ndarray]:
    """Per product row: unit energy, target, grade and ratios."""
    products = batch.products
    levels = reference.benchmark_matrix[products["benchmark"]]
    g1, g2, g3, benchmark, baseline = (levels[:, i] for i in range(5))
    output, energy = products["output"], products["energy"]
    unit_energy = np.full(output.shape, np.nan)
    np.divide(energy, output, out=unit_energy, where=output > 0)
    target = np.where(np.isnan(benchmark), g1, benchmark)
    # a unit energy exactly at a grade (after kgce → tce, 万t → t) reaches it
    grade = np.select([holds("<=", unit_energy, g1), holds("<=", unit_energy, g2),
                       holds("<=", unit_energy, g3)], [1.0, 2.0, 3.0], 4.0)
    grade = np.where(np.isnan(unit_energy) | np.isnan(g3), np.nan, grade)
    positive = benchmark > 0
    ratio_benchmark = np.full(output.shape, np.nan)
    np.divide(unit_energy, benchmark, out=ratio_benchmark, where=positive)
    ratio_baseline = np.full(output.shape, np.nan)
    np.divide(unit_energy, baseline, out=ratio_baseline, where=baseline > 0)
    return {"unit_energy": unit_energy, "target": target, "grade": grade,
            "meets_target": holds("<=", unit_energy, target),
            "evaluable": ~np.isnan(unit_energy) & ~np.isnan(target),
            "ratio_benchmark": ratio_benchmark, "ratio_baseline": ratio_baseline}


def _products(batch: Batch, reference: Reference) -> dict[str, np.ndarray]:
    n = batch.size
    owner = batch.products["submission"]
    rows = product_levels(batch, reference)
    count = np.bincount(owner, minlength=n)[:n].astype(float)
    unevaluable = np.bincount(owner, weights=~rows["evaluable"], minlength=n)[:n]
    above = np.bincount(owner, weights=rows["evaluable"] & ~rows["meets_target"],
                        minlength=n)[:n]
    grade2 = np.bincount(owner, weights=rows["grade"] <= 2, minlength=n)[:n]

    def worst(values: np.ndarray) -> np.ndarray:
        result = np.full(n, -np.inf)
        np.fmax.at(result, owner, np.where(np.isnan(values), -np.inf, values))
        return np.where(np.isinf(result), np.nan, result)

    missing = unevaluable > 0
    return {
        "product_count": count,
        "products_above_target": np.where(missing, np.nan, above),
        "worst_grade": np.where(missing, np.nan, worst(rows["grade"])),
        "worst_benchmark_ratio": worst(rows["ratio_benchmark"]),
        "worst_baseline_ratio": worst(rows["ratio_baseline"]),
        "product_grade2_share": np.where(missing, np.nan, _share(grade2, count)),
    }
