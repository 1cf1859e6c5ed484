from assessor.engine import parse_submission
from tests.conftest import factory_submission


def test_overlapping_blocks_in_one_submission(engine):
    data = factory_submission()
    data["electricity"]["green_certificates"] = [
        {"serial": "GEC202300000001", "count": 100},
        {"serial": "GEC202300000091", "count": 20},    # 91–100 claimed twice
        {"serial": "GEC202300000500", "count": 5},
    ]
    pairs = engine.score(data, "GZ-F-2024")["double_claims"]
    assert len(pairs) == 1
    assert pairs[0]["serials"] == 10
    assert pairs[0]["first_serial"] == "GEC202300000091"
    assert pairs[0]["last_serial"] == "GEC202300000100"
    assert "重复申报" in pairs[0]["zh"]


def test_same_offsets_in_two_submissions_of_a_round(engine):
    a, b = factory_submission(), factory_submission()
    b["electricity"]["green_certificates"] = [{"serial": "GEC999900000001", "count": 10}]
    batch = engine.prepare([parse_submission(a), parse_submission(b)], "GZ-F-2024")
    pairs = engine.double_claims(batch)
    assert len(pairs) == 1 and pairs[0]["kind"] == "ccer"
    assert {c["submission"] for c in pairs[0]["claims"]} == {0, 1}


def test_different_instruments_or_widths_do_not_collide(engine):
    data = factory_submission()
    data["offsets"] = [
        {"instrument": "ccer", "serial": "X0001", "quantity": 1, "unit": "tCO2"},
        {"instrument": "forestry_ticket", "serial": "X0001", "quantity": 1, "unit": "tCO2"},
        {"instrument": "ccer", "serial": "X001", "quantity": 1, "unit": "tCO2"},
    ]
    assert engine.score(data, "GZ-F-2024")["double_claims"] == []
