"""The charts of a round: applications by state and by city, the score histogram, the gates
failed most often, and the bundle built from a round's records."""

from __future__ import annotations

from assessor import charts
from assessor.accounts.regions import CITIES
from assessor.applications.workflow import STATE_TITLES
from tests.charts.helpers import NAN, SVG, by_attr, parse, texts

# -- 5. the round -------------------------------------------------------------------------------

def test_applications_by_state_in_workflow_order():
    root = parse(charts.applications_by_state({"approved": 2, "draft": 1, "in_review": NAN,
                                               "rejected": 0, "submitted": 4}))
    keys = [b.get("data-key") for b in root.iter(f"{SVG}g") if b.get("class") == "bar"]
    assert keys == ["draft", "submitted", "approved"]
    assert STATE_TITLES["submitted"][0] in texts(root)


def test_applications_by_city_shows_every_city():
    root = parse(charts.applications_by_city({"zunyi": 3, "guian": None, "elsewhere": 1}))
    keys = [b.get("data-key") for b in root.iter(f"{SVG}g") if b.get("class") == "bar"]
    assert keys == [*CITIES, "elsewhere"]
    assert "遵义市" in texts(root) and "黔西南布依族苗族自治州" in root[1].text
    small = parse(charts.applications_by_city({"zunyi": 3, "guiyang": 0}, include_zero=False))
    assert [b.get("data-key") for b in small.iter(f"{SVG}g") if b.get("class") == "bar"] \
        == ["zunyi"]
    assert parse(charts.applications_by_city({"zunyi": 0})).get("data-empty") == "true"


def test_histogram_bins():
    assert charts.histogram_bins([0, 9.99, 10, 55, 99.9, 100, 105, -3, None, NAN]) == \
        [3, 1, 0, 0, 0, 1, 0, 0, 0, 3]
    root = parse(charts.score_histogram([55, 65, 66, 85, NAN], marks=[("零碳工厂", 80),
                                                                        ("bad", None)]))
    counts = {b.get("data-bin"): int(b.get("data-value")) for b in root.iter(f"{SVG}g")
              if b.get("class") == "bin"}
    assert counts["60"] == 2 and counts["50"] == 1 and counts["80"] == 1 and counts["0"] == 0
    assert "零碳工厂 ≥ 80" in texts(root)
    assert charts.score_histogram_rows([100])[-1] == ("90 ≤ 总分 ≤ 100", "1")


def test_failed_gates_most_often_first():
    svg = charts.failed_gates([("F-G1", "合规经营", 2), ("F-G3", "产品能效", 7), ("F-G2", "绿色工厂", 0),
                               ("F-G4", "无淘汰落后设备", None), ("F-G1", "合规经营", 1)])
    root = parse(svg)
    keys = [b.get("data-key") for b in root.iter(f"{SVG}g") if b.get("class") == "bar"]
    assert keys == ["F-G3", "F-G1"]
    assert "F-G3 产品能效" in texts(root) and "F-G1 合规经营" in texts(root)
    assert float(by_attr(root, "data-key", "F-G1").get("data-value")) == 3


def test_round_charts():
    gate = {"id": "F-G1", "title": {"zh": "合规经营", "en": "Lawful operation"}}
    records = [
        ("submitted", "zunyi", {"total": {"points": 72.5}, "gates": [dict(gate, status="failed")]}),
        ("in_review", "zunyi", {"total": {"points": 88}, "gates": [dict(gate, status="passed")]}),
        ("submitted", "guiyang", None),
        ("rejected", "guiyang", {"total": {"points": None}, "gates": [dict(gate, status="failed")]}),
    ]
    built = {c["id"]: c for c in charts.round_charts(records, marks=[("零碳工厂", 80)])}
    assert dict(built["states"]["rows"]) == {STATE_TITLES["submitted"][0]: "2",
                                             STATE_TITLES["in_review"][0]: "1",
                                             STATE_TITLES["rejected"][0]: "1"}
    assert dict(built["cities"]["rows"])["遵义市"] == "2"
    assert dict(built["histogram"]["rows"])["70 ≤ 总分 < 80"] == "1"
    assert built["gates"]["rows"] == [("F-G1 合规经营", "2")]
    for c in built.values():
        parse(c["svg"])
    city_view = {c["id"]: c for c in charts.round_charts(records, all_cities=False)}
    assert city_view["cities"]["rows"] == [("贵阳市", "2"), ("遵义市", "2")]
    empty = charts.round_charts([])
    assert all(parse(c["svg"]).get("data-empty") == "true" for c in empty)
