import csv

import pytest

from assessor.engine import DataFileError
from assessor.engine.reference import load_reference


def test_electricity_default_is_the_equivalent_value(engine):
    value, source = engine.reference.electricity_coefficients["equivalent"]
    assert value == pytest.approx(0.1229)  # tce/MWh = 0.1229 kgce/kWh
    assert "2589" in source.document


def test_fuel_factors_match_the_printed_derived_factors(engine):
    """NCV × carbon content × oxidation × 44/12 agrees with each row's printed factor."""
    path = engine.reference.folder / "fuel_emission_parameters.csv"
    for row in csv.DictReader(path.open(encoding="utf-8")):
        computed = (float(row["ncv"]) * float(row["carbon_content"]) / 1000
                    * float(row["oxidation_rate"]) * 44 / 12)
        assert computed == pytest.approx(float(row["derived_factor"]), rel=2e-3), row["id"]


def test_carriers_convert_to_tce_and_co2_per_canonical_unit(engine):
    gas = engine.reference.carriers["natural_gas"]
    assert gas.unit == "m3"
    assert gas.tce_per_unit == pytest.approx(1.2143e-3)
    assert gas.tco2_per_unit == pytest.approx(21.622e-4, rel=1e-3)
    coal = engine.reference.carriers["bituminous_coal"]
    assert (coal.unit, coal.tce_per_unit) == ("t", pytest.approx(0.7143))
    assert coal.tco2_per_unit == pytest.approx(2.072, rel=1e-3)
    steam = engine.reference.carriers["steam"]
    assert steam.tco2_per_unit == pytest.approx(3.763 * 0.11)
    assert engine.reference.carriers["heat"].scope == 2


def test_grid_factor_uses_latest_published_year(engine):
    values, years = engine.reference.grid_factors("guizhou", [2021, 2022, 2023, 2025, 2019])
    assert list(years) == [2021, 2022, 2023, 2023, -1]
    assert values[0] == pytest.approx(0.5182) and values[1] == pytest.approx(0.4989)


def test_every_reference_row_has_a_source_and_tag(engine):
    for name in ("standard_coal_coefficients", "fuel_emission_parameters",
                 "electricity_emission_factors", "other_emission_factors"):
        path = engine.reference.folder / f"{name}.csv"
        for row in csv.DictReader(path.open(encoding="utf-8")):
            assert row["source"] and row["tag"].split(" ")[0] in {"V", "S", "S-weak", "U"}


def test_benchmarks_cover_guizhou_products(engine):
    ids = set(engine.reference.benchmarks.index)
    for wanted in ("cement_clinker_energy", "electrolytic_aluminium_liquid_ac_power",
                   "yellow_phosphorus_energy", "calcium_carbide_energy",
                   "ferrosilicon_smelting_power", "coke_top_charged_energy"):
        assert wanted in ids


def _rewrite(path, row_id, column, value):
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    key = next(iter(rows[0]))
    for row in rows:
        if row[key] == row_id:
            row[column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(("file", "row", "column", "value", "message"), [
    ("standard_coal_coefficients.csv", "coke", "unit", "kgce/blorp", "unknown unit"),
    ("standard_coal_coefficients.csv", "coke", "coefficient", "about one", "not a number"),
    ("fuel_emission_parameters.csv", "diesel", "oxidation_rate", "98", "fraction"),
    ("electricity_emission_factors.csv", "guizhou", "tag", "maybe", "reliability tag"),
    ("carriers.csv", "coke", "emission", "unobtainium", "not in"),
    ("standard_coal_coefficients.csv", "electricity_equivalent", "unit", "kgce/t", "tce/MWh"),
    ("electricity_emission_factors.csv", "guizhou", "unit", "tCO2/t", "tCO2/MWh"),
])
def test_broken_reference_names_file_and_row(criteria_copy, file, row, column, value, message):
    _rewrite(criteria_copy / "reference" / file, row, column, value)
    with pytest.raises(DataFileError) as error:
        load_reference(criteria_copy / "reference")
    assert file in error.value.path or "carriers" in error.value.path
    assert message in str(error.value)
