"""Every certificate and credit serial counts once (engine side: one submission, one batch)."""

import numpy as np
import pytest

from assessor.engine import SubmissionError, parse_submission
from assessor.engine.claims import blocks, normalise_serial, owner_conflicts, serial_parts
from tests.conftest import factory_submission


def test_overlapping_blocks_in_one_submission_are_named(engine):
    data = factory_submission()
    data["electricity"]["green_certificates"] = [
        {"serial": "GEC202300000001", "count": 100},
        {"serial": "GEC202300000091", "count": 20},    # 91–100 claimed twice
        {"serial": "GEC202300000500", "count": 5},
    ]
    result = engine.score(data, "GZ-F-2024")
    pairs = result["double_claims"]
    assert len(pairs) == 1
    assert pairs[0]["serials"] == 10
    assert pairs[0]["first_serial"] == "GEC202300000091"
    assert pairs[0]["last_serial"] == "GEC202300000100"
    assert "GEC202300000091–GEC202300000100" in pairs[0]["zh"] and "重复申报" in pairs[0]["zh"]
    assert result["indicators"]["repeated_serials"]["value"] == 10
    assert result["level"]["id"] == "not_qualified"


def test_a_repeated_block_no_longer_lifts_the_level(engine):
    data = factory_submission()
    data["electricity"]["green_certificates"] = [{"serial": "GEC202300000001", "count": 4000}]
    once = engine.score(data, "GZ-F-2024")
    data["electricity"]["green_certificates"] *= 2
    twice = engine.score(data, "GZ-F-2024")
    for name in ("renewable_electricity_mwh", "scope2_market_tco2", "net_emissions_tco2"):
        assert twice["indicators"][name]["value"] == once["indicators"][name]["value"]
    gate = next(g for g in twice["gates"] if g["id"] == "F-G9")
    assert gate["status"] == "failed" and gate["value"] == 4000
    assert twice["level"]["id"] == "not_qualified"


def test_offsets_count_the_union_of_their_serials(engine):
    data = factory_submission()
    data["offsets"] = [
        {"instrument": "ccer", "serial": "CCER-GZ-000001", "count": 300, "quantity": 300,
         "unit": "tCO2e"},
        {"instrument": "ccer", "serial": "CCER-GZ-000201", "count": 300, "quantity": 300,
         "unit": "tCO2e"},
    ]
    result = engine.score(data, "GZ-F-2024")
    assert result["indicators"]["offsets_tco2"]["value"] == 500  # 000001–000500
    assert result["indicators"]["repeated_serials"]["value"] == 100


def test_park_members_claiming_the_same_certificates(engine):
    data = {"subject": "park", "reporting_year": 2023,
            "electricity": {"grid_purchase": {"quantity": 100, "unit": "MWh"}},
            "members": [
                {"name": "甲", "electricity": {"grid_purchase": {"quantity": 100, "unit": "MWh"},
                                              "green_certificates": [{"serial": "GEC1",
                                                                      "count": 50}]}},
                {"name": "乙", "electricity": {"grid_purchase": {"quantity": 100, "unit": "MWh"},
                                              "green_certificates": [{"serial": "GEC41",
                                                                      "count": 20}]}}]}
    result = engine.score(data, "GZ-P-2024")
    assert result["indicators"]["repeated_serials"]["value"] == 10
    assert {c["path"] for c in result["double_claims"][0]["claims"]} == {
        "members[0].electricity.green_certificates[0]",
        "members[1].electricity.green_certificates[0]"}
    assert next(g for g in result["gates"] if g["id"] == "P-G5")["status"] == "failed"


def test_green_power_trade_certificates_share_the_certificate_registry(engine):
    data = factory_submission()
    data["electricity"]["green_power_trade_certificates"] = [
        {"serial": "GEC202300007001", "count": 2000}]        # 7001–9000; unbundled 1–8000
    result = engine.score(data, "GZ-F-2024")
    assert result["indicators"]["repeated_serials"]["value"] == 1000
    assert result["double_claims"][0]["serials"] == 1000
    # listed alone they add no MWh: the trade's MWh are green_power_trading's
    data["electricity"]["green_certificates"] = []
    alone = engine.score(data, "GZ-F-2024")
    assert alone["indicators"]["repeated_serials"]["value"] == 0
    assert alone["indicators"]["renewable_electricity_mwh"]["value"] == 24000


FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) for c in "GEC202300000050")


@pytest.mark.parametrize("variant", ["gec202300000050", FULL_WIDTH, "GEC 2023 0000 0050",
                                     "GEC\u3000202300000050", "GEC00202300000050"])
def test_variants_of_one_serial_collide(engine, variant):
    data = factory_submission()
    data["electricity"]["green_certificates"].append({"serial": variant, "count": 1})
    pairs = engine.score(data, "GZ-F-2024")["double_claims"]
    assert len(pairs) == 1 and pairs[0]["serials"] == 1


def test_different_instruments_do_not_collide(engine):
    data = factory_submission()
    data["offsets"] = [
        {"instrument": "ccer", "serial": "X0001", "count": 1, "quantity": 1, "unit": "tCO2"},
        {"instrument": "forestry_ticket", "serial": "X0001", "quantity": 1, "unit": "tCO2"},
        {"instrument": "other", "serial": "X0001", "quantity": 1, "unit": "tCO2"},
    ]
    assert engine.score(data, "GZ-F-2024")["double_claims"] == []


def test_a_range_across_9999_is_one_range(engine):
    data = factory_submission()
    data["electricity"]["green_certificates"] = [{"serial": "G9998", "count": 4},
                                                 {"serial": "G10001", "count": 1}]
    pairs = engine.score(data, "GZ-F-2024")["double_claims"]
    assert [(p["first_serial"], p["last_serial"]) for p in pairs] == [("G10001", "G10001")]
    data["electricity"]["green_certificates"] = [{"serial": "G9998", "count": 2},
                                                 {"serial": "G10000", "count": 2}]
    assert engine.score(data, "GZ-F-2024")["double_claims"] == []  # adjacent, not shared


def test_ccer_quantity_must_equal_its_serial_count(engine):
    data = factory_submission()
    data["offsets"][0]["quantity"] = 301  # 300 serials
    with pytest.raises(SubmissionError) as caught:
        engine.score(data, "GZ-F-2024")
    problem = next(p for p in caught.value.problems if p.path == "offsets[0].quantity")
    assert "300 个编号应为 300 tCO2e" in problem.zh and "301" in problem.zh
    data["offsets"][0].update(quantity=0.3, unit="ktCO2")  # the same 300 t in another unit
    assert engine.score(data, "GZ-F-2024")["indicators"]["offsets_tco2"]["value"] == 300


def test_forestry_tickets_are_not_held_to_one_tonne_per_serial(engine):
    data = factory_submission()
    data["offsets"].append({"instrument": "forestry_ticket", "serial": "LY-1", "count": 1,
                            "quantity": 50, "unit": "tCO2"})
    assert engine.score(data, "GZ-F-2024")["indicators"]["offsets_tco2"]["value"] == 350


def test_same_offsets_in_two_submissions_of_a_batch(engine):
    a, b = factory_submission(), factory_submission()
    b["electricity"]["green_certificates"] = [{"serial": "GEC999900000001", "count": 10}]
    batch = engine.prepare([parse_submission(a), parse_submission(b)], "GZ-F-2024")
    pairs = engine.double_claims(batch)
    assert len(pairs) == 1 and pairs[0]["kind"] == "ccer"
    assert {c["submission"] for c in pairs[0]["claims"]} == {0, 1}
    # across submissions nothing is repeated within either: each keeps its own figures
    assert list(engine.score_batch(batch, "GZ-F-2024")["gate.F-G9"]) == [1, 1]


def test_normalising():
    assert normalise_serial("ｇｅｃ　００１ ２") == "GEC0012"
    assert serial_parts("GEC0012") == serial_parts("gec12") == ("GEC", 0, 12)
    assert serial_parts("ABC") is None
    long = "X" + "7" * 25   # more than 18 digits: the digits above 10^18 join the prefix
    assert serial_parts(long) == ("X", int("7" * 7), int("7" * 18))
    # a block across a multiple of 10^18 is two blocks, in two number spaces, nothing lost
    parts = blocks("X" + "9" * 18, 3)
    assert [(key, first, n) for key, first, n, _ in parts] == [
        ("X", 10 ** 18 - 1, 1), ("X1|", 0, 2)]
    assert parts[1][3] == "X1" + "0" * 18


def test_owner_conflicts_names_every_pair_of_owners():
    # owners 1, 2, 3: 2 and 3 both sit inside 1's range and overlap each other; 4 is alone
    key = np.array([0, 0, 0, 0, 1])
    start = np.array([0, 10, 15, 200, 0])
    count = np.array([100, 10, 3, 5, 50])
    owner = np.array([1, 2, 3, 4, 1])
    found = owner_conflicts(key, start, count, owner)
    pairs = {tuple(sorted((int(owner[a]), int(owner[b])))): (first, last)
             for a, b, first, last in found.itertuples(index=False)}
    assert pairs == {(1, 2): (10, 19), (1, 3): (15, 17), (2, 3): (15, 17)}


def test_one_owners_ranges_do_not_conflict_with_each_other():
    found = owner_conflicts(np.zeros(3, dtype=int), np.array([0, 5, 8]), np.array([10, 10, 1]),
                            np.array([7, 7, 7]))
    assert found.empty


def test_owner_conflicts_of_one_owner_only():
    key = np.zeros(4, dtype=int)
    found = owner_conflicts(key, np.array([0, 5, 6, 7]), np.array([10, 10, 10, 10]),
                            np.array([1, 2, 3, 1]), of=2)
    owner = [1, 2, 3, 1]
    assert sorted(tuple(sorted((owner[a], owner[b]))) for a, b, _, _ in
                  found.itertuples(index=False)) == [(1, 2), (1, 2), (2, 3)]
