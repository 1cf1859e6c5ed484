"""The batch path gives what the single path gives, and the gap really closes the gap."""

import copy

import numpy as np
import pytest

from assessor.engine import parse_submission
from tests.conftest import factory_submission


def variants():
    base = factory_submission()
    out = [base]
    low = copy.deepcopy(base)
    low["offsets"] = []
    out.append(low)
    coal = copy.deepcopy(base)
    coal["energy"]["bituminous_coal"] = {"quantity": 3000, "unit": "t"}
    coal["declarations"]["green_factory_title"] = "none"
    out.append(coal)
    cement = copy.deepcopy(base)
    cement["production"] = [{"benchmark": "cement_clinker_energy",
                             "output": {"quantity": 1000, "unit": "t"},
                             "energy": {"quantity": 104, "unit": "tce"}}]
    cement["expert_scores"] = {}
    out.append(cement)
    return out


def test_batch_equals_single_path(engine):
    data = variants()
    singles = [engine.score(d, "GZ-F-2024") for d in data]
    batch = engine.prepare([parse_submission(d) for d in data], "GZ-F-2024")
    frame = engine.score_batch(batch, "GZ-F-2024")
    for i, single in enumerate(singles):
        assert frame["level"][i] == single["level"]["id"]
        assert frame["total"][i] == pytest.approx(single["total"]["points"])
        for name, entry in single["indicators"].items():
            if name in frame and entry["value"] is not None:
                assert frame[name][i] == pytest.approx(entry["value"]), name
        for gate in single["gates"]:
            assert frame[f"gate.{gate['id']}"][i] == {"passed": 1, "failed": 0, "missing": -1,
                                                      "not_applicable": 2}[gate["status"]]


def test_gap_offsets_close_the_net_emission_gap(engine):
    data = variants()[1]
    result = engine.score(data, "GZ-F-2024")
    assert result["level"]["id"] == "near_zero_carbon"
    gap = next(g for g in result["gap"] if g["level"] == "zero_carbon")
    needed = gap["offsets_needed_tco2"]
    assert needed > 0 and [b["id"] for b in gap["blocking"]] == ["net_emissions_tco2"]
    data["offsets"] = [{"instrument": "forestry_ticket", "serial": "LYTP-001",
                        "quantity": needed, "unit": "tCO2"}]
    assert engine.score(data, "GZ-F-2024")["level"]["id"] == "zero_carbon"
    data["offsets"][0]["quantity"] = needed * 0.99
    assert engine.score(data, "GZ-F-2024")["level"]["id"] == "near_zero_carbon"


def test_gap_green_power_closes_a_share_gate(engine):
    data = variants()[0]
    data["electricity"]["onsite_renewable_self_used"]["quantity"] = 1000
    data["electricity"]["direct_green_supply"]["quantity"] = 1000
    result = engine.score(data, "GZ-F-2024")
    gate = next(g for g in result["gates"] if g["id"] == "F-G8")
    assert gate["status"] == "failed"
    # buy the physically traceable power the gap names, in place of grid power
    needed = gate["green_power_needed_mwh"]
    data["electricity"]["direct_green_supply"]["quantity"] += needed
    data["electricity"]["grid_purchase"]["quantity"] -= needed
    data["electricity"]["green_power_trading"]["quantity"] -= needed
    after = engine.score(data, "GZ-F-2024")
    assert next(g for g in after["gates"] if g["id"] == "F-G8")["status"] == "passed"


def test_certificates_beyond_grid_power_do_not_count(engine):
    data = factory_submission()
    data["electricity"]["green_certificates"] = [{"serial": "GEC000001", "count": 50000}]
    result = engine.score(data, "GZ-F-2024")
    # grid 20,000 of which 12,000 traded green: only 8,000 certificates can count
    assert result["indicators"]["excess_certificates_mwh"]["value"] == 42000
    assert result["indicators"]["renewable_electricity_mwh"]["value"] == 32000


def test_selling_onsite_certificates_loses_the_green_claim(engine):
    data = factory_submission()
    before = engine.score(data, "GZ-F-2024")["indicators"]
    data["electricity"]["onsite_certificates_sold"] = {"quantity": 6000, "unit": "MWh"}
    after = engine.score(data, "GZ-F-2024")["indicators"]
    assert after["physical_green_electricity_mwh"]["value"] == 6000
    assert (after["scope2_market_tco2"]["value"] - before["scope2_market_tco2"]["value"]
            == pytest.approx(6000 * 0.6096))


def test_zero_production_cannot_pass_the_efficiency_gate(engine):
    data = factory_submission(production=[{"benchmark": "cement_clinker_energy",
                                           "output": {"quantity": 0, "unit": "t"},
                                           "energy": {"quantity": 10, "unit": "tce"}}])
    result = engine.score(data, "GZ-F-2024")
    assert next(g for g in result["gates"] if g["id"] == "F-G3")["status"] == "missing"
    assert result["level"]["id"] == "not_qualified"
    assert np.isnan(np.nan)  # the product row says why
    assert "无法计算" in next(t["zh"] for t in result["trace"]
                          if t["id"] == "product.cement_clinker_energy")


def test_trace_cites_coefficients_and_factors(engine):
    result = engine.score(factory_submission(), "GZ-F-2024")
    lines = {t["id"]: t for t in result["trace"]}
    energy = lines["comprehensive_energy_tce"]
    assert "1.2143 kgce/m3" in energy["zh"] and any("2589" in s for s in energy["sources"])
    assert "0.5683" in lines["scope2_location_tco2"]["zh"]  # Guizhou 2023
    assert lines["scope2_location_tco2"]["en"].startswith("Scope 2 location-based")
    assert all(t["zh"] and t["en"] for t in result["trace"])
