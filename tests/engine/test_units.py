import pytest

from assessor.engine.units import UnitError, factor


@pytest.mark.parametrize(("source", "target", "expected"), [
    ("万Nm3", "m3", 10_000), ("万kWh", "MWh", 10), ("kWh", "MWh", 0.001), ("吨", "t", 1),
    ("%", "fraction", 0.01), ("tce", "kgce", 1000), ("kgCO2/kWh", "tCO2/MWh", 1),
    ("GJ/万Nm3", "GJ/m3", 1e-4), ("万元", "yuan", 10_000),
])
def test_conversions(source, target, expected):
    assert factor(source, target) == pytest.approx(expected)


@pytest.mark.parametrize(("source", "target"), [
    ("kWh", "kgce"),      # electricity never becomes standard coal by heat content
    ("tC", "tCO2"),       # carbon to CO2 only through the 44/12 coefficient
    ("t", "m3"), ("MWh", "t"), ("tCO2", "tce"),
])
def test_different_kinds_never_convert(source, target):
    with pytest.raises(UnitError):
        factor(source, target)


@pytest.mark.parametrize("text", ["", "tonnes of stuff", "1000", "3 t", "foo/bar"])
def test_unknown_units_are_errors(text):
    with pytest.raises(UnitError):
        factor(text, "t")
