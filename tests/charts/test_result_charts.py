"""The charts of one result: energy mix, emissions waterfall, product levels, points by
category, and the bundle built from the engine's result."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from assessor import charts
from assessor.engine import parse_submission
from tests.charts.helpers import CEMENT, CONVERTER, ITEMS, NAN, ROOT, SVG, by_attr, parse, texts

# -- 1. energy mix ------------------------------------------------------------------------------

def test_energy_mix_sorted_with_values_and_shares():
    pairs = [("柴油", 437.13), ("烟煤", 85716.0), ("电力", 10446.5), ("天然气", 607.15)]
    root = parse(charts.energy_mix(pairs))
    bars = [e for e in root.iter(f"{SVG}g") if e.get("class") == "bar"]
    assert [b.get("data-key") for b in bars] == ["烟煤", "电力", "天然气", "柴油"]
    words = texts(root)
    for name in ("烟煤", "电力", "天然气", "柴油"):
        assert name in words
    assert "85,716 tce" in words and "437.13 tce" in words
    assert "88.2 %" in words  # 85716 / 97206.78
    widths = [float(b.find(f"{SVG}rect").get("width")) for b in bars]
    assert widths == sorted(widths, reverse=True)
    assert widths[1] / widths[0] == pytest.approx(10446.5 / 85716.0, rel=1e-3)
    assert "合计 97,206.78 tce" in root[1].text
    assert charts.energy_mix_rows(pairs)[-1] == ("合计", "97,206.78 tce")


def test_energy_mix_skips_nan_none_and_non_positive():
    svg = charts.energy_mix([("a", NAN), ("b", None), ("c", 5.0), ("d", 0), ("e", -1),
                             ("c", 5.0), ("f", float("inf")), None, ("g",)])
    root = parse(svg)
    bars = [e for e in root.iter(f"{SVG}g") if e.get("class") == "bar"]
    assert [(b.get("data-key"), float(b.get("data-value"))) for b in bars] == [("c", 10.0)]
    assert "nan" not in svg.lower() and "inf" not in svg.lower()


# -- 2. waterfall -------------------------------------------------------------------------------

def rect_of(root: ET.Element, step: str) -> tuple[float, float]:
    group = by_attr(root, "data-step", step)
    rect = next(r for r in group.iter(f"{SVG}rect") if r.get("class") == "bar")
    return float(rect.get("y")), float(rect.get("height"))


def test_waterfall_steps_add_up():
    steps = charts.waterfall_steps(scope1=750605.76, scope2_location=45464.0,
                                   scope2_market=30480.0, offsets=1000.0)
    by_id = {s["id"]: s for s in steps}
    assert [s["id"] for s in steps] == ["scope1", "scope2", "gross", "offsets", "net"]
    gross = 750605.76 + 30480.0
    assert by_id["gross"]["end"] == pytest.approx(gross)
    assert by_id["scope2"]["start"] == by_id["scope1"]["end"]
    assert by_id["offsets"]["start"] == by_id["gross"]["end"]
    assert by_id["net"]["end"] == pytest.approx(gross - 1000.0) == by_id["offsets"]["end"]
    assert by_id["scope2"]["green_effect"] == pytest.approx(30480.0 - 45464.0)


def test_waterfall_geometry_matches_the_numbers():
    s1, s2l, s2m, off = 120.0, 90.0, 60.0, 50.0
    root = parse(charts.emissions_waterfall(scope1=s1, scope2_location=s2l, scope2_market=s2m,
                                            offsets=off))
    gross_y, gross_h = rect_of(root, "gross")
    net_y, net_h = rect_of(root, "net")
    off_y, off_h = rect_of(root, "offsets")
    base = gross_y + gross_h  # the zero line
    k = gross_h / (s1 + s2m)  # pixels per tCO2
    assert net_h == pytest.approx((s1 + s2m - off) * k, abs=0.02)
    assert net_y == pytest.approx(base - (s1 + s2m - off) * k, abs=0.02)
    assert net_y == pytest.approx(off_y + off_h, abs=0.02)  # the offsets step ends at net
    assert off_h == pytest.approx(off * k, abs=0.02)
    s1_y, s1_h = rect_of(root, "scope1")
    s2_y, s2_h = rect_of(root, "scope2")
    assert s1_h == pytest.approx(s1 * k, abs=0.02) and s2_h == pytest.approx(s2m * k, abs=0.02)
    assert s2_y + s2_h == pytest.approx(s1_y, abs=0.02)  # scope 2 stacks on scope 1
    net = by_attr(root, "data-step", "net")
    assert float(net.get("data-value")) == pytest.approx(s1 + s2m - off)
    # location-based scope 2: a dotted box from the market-based top up to the location level
    box = next(e for e in root.iter(f"{SVG}rect") if e.get("class") == "location")
    assert float(box.get("data-value")) == s2l
    assert float(box.get("height")) == pytest.approx((s2l - s2m) * k, abs=0.02)
    words = texts(root)
    assert "绿电交易、绿证等的影响" in words and "基于市场少 30" in words
    assert "−50" in words and "= 130" in words


def test_waterfall_offsets_above_the_total_floor_at_zero():
    steps = charts.waterfall_steps(scope1=100, scope2_location=None, scope2_market=70,
                                   offsets=500)
    assert steps[-1]["end"] == 0.0 and steps[3]["value"] == -500.0
    root = parse(charts.emissions_waterfall(scope1=100, scope2_location=None, scope2_market=70,
                                            offsets=500))
    assert "净排放按零计" in texts(root)
    assert not [e for e in root.iter(f"{SVG}rect") if e.get("class") == "location"]
    assert rect_of(root, "net")[1] == 0


def test_waterfall_market_above_location_is_not_called_a_saving():
    words = texts(parse(charts.emissions_waterfall(scope1=10, scope2_location=50,
                                                   scope2_market=70, offsets=0)))
    assert "基于市场高出 20" in words and "减少" not in words


def test_waterfall_none_and_nan_are_skipped():
    svg = charts.emissions_waterfall(scope1=NAN, scope2_location=None, scope2_market=40,
                                     offsets=NAN)
    root = parse(svg)
    assert float(by_attr(root, "data-step", "net").get("data-value")) == 40.0
    assert "nan" not in svg.lower()
    rows = dict(charts.emissions_waterfall_rows(scope1=1, scope2_location=3, scope2_market=2,
                                                offsets=0))
    assert rows["基于市场 − 基于位置（绿电、绿证的影响）"] == "−1 tCO2"


# -- 3. product levels --------------------------------------------------------------------------

def level_x(root: ET.Element, levels: str) -> float:
    return float(by_attr(root, "data-levels", levels).find(f"{SVG}line").get("x1"))


def test_product_levels_marks_and_marker():
    root = parse(charts.product_levels([CEMENT]))
    words = texts(root)
    assert "水泥熟料" in words and "本单位 99 kgce/t（1级）" in words
    assert "1级·标杆 100" in words  # equal levels share one mark
    assert "3级（限额）·基准 117" in words
    assert level_x(root, "grade_1 benchmark") < level_x(root, "grade_2") \
        < level_x(root, "grade_3 baseline")
    target = by_attr(root, "data-levels", "grade_1 benchmark").find(f"{SVG}line")
    assert target.get("stroke-width") == "3"  # the target is bold
    assert "能效要求 100" in root[1].text


def test_product_levels_negative_values():
    root = parse(charts.product_levels([CONVERTER]))
    x1 = level_x(root, "grade_1 benchmark")  # −30: best
    x3 = level_x(root, "grade_3")  # −12
    xb = level_x(root, "baseline")  # −10
    assert x1 < level_x(root, "grade_2") < x3 < xb
    marker = next(e for e in root.iter(f"{SVG}path") if e.get("class") == "marker")
    mx = float(marker.get("d")[1:].split()[0])
    assert level_x(root, "grade_2") < mx < x3  # −25
    assert "-25 kgce/t" in texts(root)


def test_product_levels_skip_missing_levels_and_values():
    product = dict(CEMENT, unit_energy=NAN, grade=None,
                   levels={"grade_1": 48.0, "grade_2": None, "grade_3": 61.0,
                           "benchmark": NAN})
    svg = charts.product_levels([product, {"product_zh": "空", "levels": {}}, "junk"])
    root = parse(svg)
    levels = [e.get("data-levels") for e in root.iter() if e.get("data-levels")]
    assert levels == ["grade_1", "grade_3"]
    assert "无法计算" in texts(root)
    assert "空" not in texts(root)  # nothing to draw for it
    assert "nan" not in svg.lower()


# -- 4. points by category ----------------------------------------------------------------------

def test_points_by_category():
    root = parse(charts.points_by_category([*ITEMS, {"category": "core", "points": NAN,
                                                     "max": 5}]))
    bars = {b.get("data-key"): b for b in root.iter(f"{SVG}g") if b.get("class") == "bar"}
    assert list(bars) == ["core", "energy"]  # not-applicable products left out
    assert float(bars["energy"].get("data-value")) == 10.0
    assert float(bars["energy"].get("data-maximum")) == 20.0
    words = texts(root)
    assert "核心指标" in words and "12 / 20（60 %）" in words and "10 / 20（50 %）" in words
    outline = next(r for r in bars["core"].iter(f"{SVG}rect") if r.get("class") == "maximum")
    filled = next(r for r in bars["core"].iter(f"{SVG}rect") if r.get("class") == "value")
    assert float(filled.get("width")) / float(outline.get("width")) == pytest.approx(0.6, 1e-3)
    assert charts.points_by_category_rows(ITEMS, lang="en")[0] == ("Core indicators",
                                                                  "12 / 20（60 %）")


# -- bundles and the engine ---------------------------------------------------------------------

def test_result_charts_from_the_engine(engine):
    data = json.loads((ROOT / "docs/examples/factory-cement.json").read_text())
    result = engine.score(data, "GZ-F-2024")
    batch = engine.prepare([parse_submission(data)], "GZ-F-2024")
    ind = result["indicators"]
    pairs = charts.carrier_energy(batch, engine.reference, ind["electricity_energy_tce"]["value"])
    assert sum(v for _, v in pairs) == pytest.approx(ind["comprehensive_energy_tce"]["value"])
    assert pairs[-1][0] == "电力"
    built = charts.result_charts(result, pairs)
    assert [c["id"] for c in built] == ["energy", "emissions", "products", "points"]
    for c in built:
        parse(c["svg"])
        assert c["caption"] and c["rows"]
    net = by_attr(parse(built[1]["svg"]), "data-step", "net")
    assert float(net.get("data-value")) == pytest.approx(ind["net_emissions_tco2"]["value"])
    english = charts.result_charts(json.loads(json.dumps(result)), lang="en")  # as stored
    assert english[0]["id"] == "emissions" and "Offsets" in texts(parse(english[0]["svg"]))
