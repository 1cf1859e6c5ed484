"""Reference data: standard-coal coefficients, emission factors and energy-efficiency levels.

Read from `criteria/reference/*.csv` (or the same files as stored in a version in the database:
`reference_from_files`); every value keeps its source, year and reliability tag so
that the trace can cite it. Conversions are worked out here once, with pint, so scoring only
multiplies arrays.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import DataFileError
from .units import UnitError, convert, parse_unit

if TYPE_CHECKING:
    from .process_tables import ProcessTables

TAGS = {"V", "S", "S-weak", "U"}
CO2_PER_C = "carbon_to_co2"


@dataclass(frozen=True)
class Source:
    """Where a number comes from: document, clause, year and reliability tag."""

    document: str
    year: str = ""
    tag: str = ""
    clause: str = ""

    def cite(self) -> str:
        parts = [self.document + (f" {self.clause}" if self.clause else "")]
        if self.year:
            parts.append(str(self.year))
        if self.tag:
            parts.append(f"[{self.tag}]")
        return "，".join(parts)


@dataclass(frozen=True)
class Carrier:
    """An energy carrier an applicant reports, with its conversions per canonical unit."""

    id: str
    name_zh: str
    name_en: str
    unit: str  # canonical unit: t, m3 or GJ
    tce_per_unit: float
    tco2_per_unit: float
    scope: int  # 1: burnt on site; 2: purchased heat or steam
    fossil: bool
    clean: bool
    coefficient: float
    coefficient_unit: str
    coal_source: Source
    emission_factor: float
    emission_factor_unit: str
    emission_source: Source


@dataclass(frozen=True)
class ElectricityFactor:
    factor: str
    name_zh: str
    name_en: str
    data_year: int
    value: float  # tCO2/MWh
    source: Source


@dataclass
class Reference:
    """All reference tables, loaded and checked."""

    folder: Path  # where the files came from, named in errors (a version's label when stored)
    carriers: dict[str, Carrier]
    electricity_coefficients: dict[str, tuple[float, Source]]  # tce/MWh by convention
    electricity_factors: list[ElectricityFactor]
    benchmarks: pd.DataFrame  # index: id
    other: dict[str, tuple[float, str, Source]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict, repr=False)  # name -> text, as read
    process: ProcessTables | None = None  # sector process defaults; None in older versions

    @cached_property
    def benchmark_matrix(self) -> np.ndarray:
        """Levels as a float matrix (rows in benchmark order): grades 1-3, benchmark, baseline."""
        return self.benchmarks[BENCHMARK_LEVELS].to_numpy(dtype=float)

    @cached_property
    def benchmark_index(self) -> dict[str, int]:
        return {bid: i for i, bid in enumerate(self.benchmarks.index)}

    def grid_factors(self, factor: str, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Factor values (tCO2/MWh) and the data year used, for each reporting year.

        A year not yet published takes the latest earlier year: the MEE/NBS factors appear
        about two years late. The trace says which year was used.
        """
        rows = sorted((f for f in self.electricity_factors if f.factor == factor),
                      key=lambda f: f.data_year)
        if not rows:
            raise KeyError(factor)
        published = np.array([f.data_year for f in rows])
        values = np.array([f.value for f in rows])
        position = np.searchsorted(published, years, side="right") - 1
        known = position >= 0
        position = np.clip(position, 0, None)
        return np.where(known, values[position], np.nan), np.where(known, published[position], -1)

    def electricity_factor(self, factor: str, data_year: int) -> ElectricityFactor | None:
        for f in self.electricity_factors:
            if f.factor == factor and f.data_year == data_year:
                return f
        return None

    def factor_names(self) -> set[str]:
        return {f.factor for f in self.electricity_factors}


def _rows(files: dict[str, str], path: Path) -> list[dict[str, str]]:
    text = files.get(path.name)
    if text is None:
        raise DataFileError(path, "", "file is missing", "文件不存在")
    return [{k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(io.StringIO(text, newline=""))]


def read_folder(folder: Path) -> dict[str, str]:
    """The reference files of a folder, name -> text exactly as stored (a version's content)."""
    return {path.name: path.read_bytes().decode("utf-8") for path in sorted(Path(folder).iterdir())
            if path.is_file() and path.suffix in (".csv", ".md")}


def _number(path: Path, row_id: str, row: dict[str, str], column: str,
            required: bool = True) -> float:
    text = row.get(column, "")
    if text == "":
        if required:
            raise DataFileError(path, row_id, f"column '{column}' is empty", f"“{column}”列为空")
        return float("nan")
    try:
        return float(text)
    except ValueError:
        raise DataFileError(path, row_id, f"column '{column}' is not a number: {text!r}",
                            f"“{column}”列不是数字：{text!r}") from None


def _tag(path: Path, row_id: str, text: str) -> str:
    tag = text.split(" ")[0] if text else ""
    if tag not in TAGS:
        raise DataFileError(path, row_id, f"reliability tag {text!r} is not one of {sorted(TAGS)}",
                            f"可靠性标记 {text!r} 无效")
    return text


def _source(path: Path, row_id: str, row: dict[str, str], tag_column: str = "tag",
            source_column: str = "source") -> Source:
    if not row.get(source_column):
        raise DataFileError(path, row_id, "no source document", "未注明来源文件")
    return Source(row[source_column], row.get("year", ""), _tag(path, row_id, row[tag_column]),
                  row.get("clause", ""))


def _unit(path: Path, row_id: str, text: str) -> str:
    try:
        parse_unit(text)
    except UnitError as exc:
        raise DataFileError(path, row_id, str(exc), f"无法识别的单位“{text}”") from None
    return text


def _canonical_unit(coefficient_unit: str) -> str:
    """t, m3 or GJ: whichever measures what the coefficient is per."""
    for unit in ("t", "m3", "GJ"):
        try:
            convert(1.0, coefficient_unit, f"kgce/{unit}")
            return unit
        except UnitError:
            continue
    raise UnitError(f"'{coefficient_unit}' is not kgce per mass, volume or energy")


def load_reference(folder: Path) -> Reference:
    return reference_from_files(read_folder(folder), folder)


def reference_from_files(files: dict[str, str], folder: Path | str) -> Reference:
    """The tables from their files' text (name -> text); `folder` names them in errors."""
    folder = Path(str(folder))
    coal_path = folder / "standard_coal_coefficients.csv"
    coal = {row["id"]: row for row in _rows(files, coal_path)}
    fuel_path = folder / "fuel_emission_parameters.csv"
    fuels = {row["id"]: row for row in _rows(files, fuel_path)}
    other_path = folder / "other_emission_factors.csv"
    other = _other_factors(files, other_path)
    co2_per_c = convert(other[CO2_PER_C][0], other[CO2_PER_C][1], "tCO2/tC")
    carriers_path = folder / "carriers.csv"
    carriers: dict[str, Carrier] = {}
    for row in _rows(files, carriers_path):
        if row["carrier"] in carriers:
            raise DataFileError(carriers_path, row["carrier"], "duplicate carrier", "能源品种重复")
        carriers[row["carrier"]] = _carrier(row, carriers_path, coal, coal_path, fuels, fuel_path,
                                            other, co2_per_c)
    from .process_tables import load_process_tables  # it reads rows with this module's helpers

    return Reference(folder, carriers, _electricity_coefficients(coal, coal_path),
                     _electricity_factors(files, folder / "electricity_emission_factors.csv"),
                     _load_benchmarks(files, folder / "energy_efficiency_levels.csv"), other,
                     dict(files), load_process_tables(files, folder))


def _other_factors(files: dict[str, str], path: Path) -> dict[str, tuple[float, str, Source]]:
    """Purchased heat, steam enthalpy and the carbon-to-CO2 coefficient (each required)."""
    other = {}
    for row in _rows(files, path):
        other[row["id"]] = (_number(path, row["id"], row, "value"),
                            _unit(path, row["id"], row["unit"]), _source(path, row["id"], row))
    for needed in ("purchased_heat", "steam_enthalpy", CO2_PER_C):
        if needed not in other:
            raise DataFileError(path, needed, "row is missing", "缺少该行")
    return other


def _carrier(row, carriers_path, coal, coal_path, fuels, fuel_path, other, co2_per_c) -> Carrier:
    """One carrier with its standard-coal coefficient and emission factor per canonical unit."""
    cid = row["carrier"]
    coal_row = coal.get(row["standard_coal"])
    if coal_row is None:
        raise DataFileError(carriers_path, cid,
                            f"standard_coal '{row['standard_coal']}' is not in {coal_path.name}",
                            "折标系数行不存在")
    coefficient = _number(coal_path, coal_row["id"], coal_row, "coefficient")
    coefficient_unit = _unit(coal_path, coal_row["id"], coal_row["unit"])
    try:
        unit = _canonical_unit(coefficient_unit)
    except UnitError as exc:
        raise DataFileError(coal_path, coal_row["id"], str(exc), "折标系数单位错误") from None
    tce_per_unit = convert(coefficient, coefficient_unit, f"tce/{unit}")
    ef, ef_unit, ef_source = _emission_factor(row["emission"], fuels, fuel_path, other,
                                              co2_per_c, carriers_path, cid)
    try:
        tco2_per_unit = convert(ef, ef_unit, f"tCO2/{unit}")
    except UnitError:
        raise DataFileError(carriers_path, cid,
                            f"emission factor unit {ef_unit} does not fit unit {unit}",
                            "排放因子单位与能源计量单位不符") from None
    return Carrier(
        id=cid, name_zh=row["name_zh"], name_en=row["name_en"], unit=unit,
        tce_per_unit=tce_per_unit, tco2_per_unit=tco2_per_unit, scope=int(row["scope"]),
        fossil=row["fossil"] == "true", clean=row["clean"] == "true",
        coefficient=coefficient, coefficient_unit=coefficient_unit,
        coal_source=_source(coal_path, coal_row["id"], coal_row),
        emission_factor=ef, emission_factor_unit=ef_unit, emission_source=ef_source,
    )


def _converted(path: Path, row_id: str, value: float, unit: str, to: str) -> float:
    """`value` in `unit` as `to`; a unit of another kind names the file and the row."""
    try:
        return convert(value, unit, to)
    except UnitError as exc:
        raise DataFileError(path, row_id, f"{exc} (needed: {to})",
                            f"单位“{unit}”不能换算为 {to}") from None


def _electricity_coefficients(coal, coal_path: Path) -> dict[str, tuple[float, Source]]:
    """tce per MWh under each convention (equivalent, equal value), from the coal table."""
    coefficients = {}
    for convention, row_id in (("equivalent", "electricity_equivalent"),
                               ("equal_value", "electricity_equal_value")):
        row = coal.get(row_id)
        if row is None:
            raise DataFileError(coal_path, row_id, "row is missing", "缺少该行")
        value = _converted(coal_path, row_id, _number(coal_path, row_id, row, "coefficient"),
                           _unit(coal_path, row_id, row["unit"]), "tce/MWh")
        coefficients[convention] = (value, _source(coal_path, row_id, row))
    return coefficients


def _electricity_factors(files: dict[str, str], path: Path) -> list[ElectricityFactor]:
    """Grid emission factors, one per factor and data year."""
    factors = []
    seen = set()
    for row in _rows(files, path):
        key = (row["factor"], row["data_year"])
        row_id = f"{row['factor']} {row['data_year']}"
        if key in seen:
            raise DataFileError(path, row_id, "duplicate factor and year", "因子与年份重复")
        seen.add(key)
        value = _converted(path, row_id, _number(path, row_id, row, "value"),
                           _unit(path, row_id, row["unit"]), "tCO2/MWh")
        source = Source(row["source"], row.get("announcement", "") or row["data_year"],
                        _tag(path, row_id, row["tag"]))
        factors.append(ElectricityFactor(row["factor"], row["name_zh"], row["name_en"],
                                         int(_number(path, row_id, row, "data_year")),
                                         value, source))
    return factors


def _emission_factor(key, fuels, fuel_path, other, co2_per_c, carriers_path, cid):
    """tCO2 per unit of the carrier's emission row, with its unit and source."""
    if key == "purchased_heat":
        value, unit, source = other["purchased_heat"]
        return value, unit, source
    if key == "steam":
        heat, heat_unit, heat_source = other["purchased_heat"]
        enthalpy, enthalpy_unit, enthalpy_source = other["steam_enthalpy"]
        per_t = convert(enthalpy, enthalpy_unit, "GJ/t") * convert(heat, heat_unit, "tCO2/GJ")
        return per_t, "tCO2/t", Source(f"{heat_source.cite()}；{enthalpy_source.cite()}",
                                       heat_source.year, enthalpy_source.tag)
    row = fuels.get(key)
    if row is None:
        raise DataFileError(carriers_path, cid, f"emission '{key}' is not in {fuel_path.name}",
                            "排放参数行不存在")
    ncv = _number(fuel_path, key, row, "ncv")
    cc = _number(fuel_path, key, row, "carbon_content")
    oxidation = _number(fuel_path, key, row, "oxidation_rate")
    if not 0 < oxidation <= 1:
        raise DataFileError(fuel_path, key, "oxidation_rate must be a fraction in (0, 1]",
                            "碳氧化率应为 0–1 之间的小数")
    ncv_unit = _unit(fuel_path, key, row["ncv_unit"])
    cc_unit = _unit(fuel_path, key, row["carbon_content_unit"])
    amount_unit = ncv_unit.split("/", 1)[1]
    tc_per_amount = ncv * cc * convert(1.0, f"({ncv_unit})*({cc_unit})", f"tC/({amount_unit})")
    return tc_per_amount * oxidation * co2_per_c, f"tCO2/{amount_unit}", _source(fuel_path, key,
                                                                                  row)


BENCHMARK_LEVELS = ["grade_1", "grade_2", "grade_3", "benchmark", "baseline"]


def _load_benchmarks(files: dict[str, str], path: Path) -> pd.DataFrame:
    records = []
    for row in _rows(files, path):
        row_id = row["id"]
        unit = _unit(path, row_id, row["unit"])
        if "/" not in unit:
            raise DataFileError(path, row_id, "unit must be per unit of product (x/t)",
                                "单位应为“每单位产品”")
        record = {"id": row_id, "unit": unit, "energy_unit": unit.split("/", 1)[0],
                  "output_unit": unit.split("/", 1)[1]}
        for column in BENCHMARK_LEVELS:
            record[column] = _number(path, row_id, row, column, required=False)
        if all(np.isnan(record[c]) for c in BENCHMARK_LEVELS):
            raise DataFileError(path, row_id, "no level is given", "未给出任何能效水平")
        for column in ("product_zh", "product_en", "indicator_zh", "indicator_en", "standard",
                       "grades_tag", "levels_source", "levels_tag", "note"):
            record[column] = row.get(column, "")
        record["guizhou_relevant"] = row.get("guizhou_relevant", "") == "true"
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    if frame["id"].duplicated().any():
        raise DataFileError(path, str(frame.loc[frame["id"].duplicated(), "id"].iloc[0]),
                            "duplicate id", "编号重复")
    return frame.set_index("id")
