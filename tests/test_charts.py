"""The server-drawn SVG charts (assessor/charts/) and their macro (templates/macros/charts.html)."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader

from assessor import charts
from assessor.accounts.regions import CITIES
from assessor.applications.workflow import STATE_TITLES
from assessor.engine import parse_submission
from assessor.engine.explain import fmt as engine_fmt

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>"
NAN = float("nan")

CEMENT = {"benchmark": "cement_clinker_energy", "product_zh": "水泥熟料", "product_en": "Cement clinker",
          "indicator_zh": "熟料单位产品综合能耗", "unit": "kgce/t", "unit_energy": 99.0, "target": 100.0,
          "grade": 1.0, "levels": {"grade_1": 100.0, "grade_2": 107.0, "grade_3": 117.0,
                                   "benchmark": 100.0, "baseline": 117.0}, "member": None}
CONVERTER = {"benchmark": "steel_converter_energy", "product_zh": "钢铁：转炉工序", "unit": "kgce/t",
             "indicator_zh": "工序能耗", "unit_energy": -25.0, "target": -30.0, "grade": 2.0,
             "levels": {"grade_1": -30.0, "grade_2": -28.0, "grade_3": -12.0, "benchmark": -30.0,
                        "baseline": -10.0}}
ITEMS = [
    {"id": "A", "category": "core", "points": 12.0, "max": 20.0, "status": "passed"},
    {"id": "B", "category": "energy", "points": 5.0, "max": 15.0, "status": "passed"},
    {"id": "C", "category": "energy", "points": 5.0, "max": 5.0, "status": "passed"},
    {"id": "D", "category": "product", "points": 0.0, "max": 10.0, "status": "not_applicable"},
]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> str:
    return " ".join("".join(e.itertext()) for e in root.iter(f"{SVG}text"))


def by_attr(root: ET.Element, name: str, value: str) -> ET.Element:
    return next(e for e in root.iter() if e.get(name) == value)


def all_charts(label: str = "标签") -> dict[str, str]:
    """Every chart function with some data, `label` used wherever a label comes from outside."""
    product = dict(CEMENT, product_zh=label)
    return {
        "energy_mix": charts.energy_mix([(label, 100.0), ("电力", 50.0)]),
        "waterfall": charts.emissions_waterfall(scope1=100, scope2_location=60,
                                                scope2_market=40, offsets=30),
        "products": charts.product_levels([product, CONVERTER]),
        "points": charts.points_by_category(ITEMS, titles={"core": label}),
        "states": charts.applications_by_state({"submitted": 3, label: 1}),
        "cities": charts.applications_by_city({"guiyang": 2, label: 1}),
        "histogram": charts.score_histogram([55, 65, 85], marks=[(label, 80)]),
        "gates": charts.failed_gates([("F-G1", label, 2), ("F-G2", "无淘汰落后设备", 5)]),
    }


EMPTY = {
    "energy_mix": lambda v: charts.energy_mix(v),
    "waterfall": lambda v: charts.emissions_waterfall(scope1=None, scope2_location=None,
                                                      scope2_market=None, offsets=None),
    "products": lambda v: charts.product_levels(v),
    "points": lambda v: charts.points_by_category(v),
    "states": lambda v: charts.applications_by_state(v),
    "cities": lambda v: charts.applications_by_city(v),
    "histogram": lambda v: charts.score_histogram(v),
    "gates": lambda v: charts.failed_gates(v),
}


# -- every chart --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(all_charts()))
def test_well_formed_and_accessible(name):
    root = parse(all_charts()[name])
    assert root.get("width") == "100%"
    assert root.get("viewBox").startswith("0 0 640 ")
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and desc.tag == f"{SVG}desc"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert " / " in title.text and desc.text  # Chinese / English
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", sorted(all_charts()))
def test_hostile_labels_are_escaped(name):
    svg = all_charts(HOSTILE)[name]
    root = parse(svg)
    assert "<script" not in svg
    assert not [e for e in root.iter() if e.tag.split("}")[-1] == "script"]
    if name != "waterfall":  # the waterfall has no outside labels
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
        assert HOSTILE in "".join(root.itertext())  # shown as text (a long one in a tooltip)


@pytest.mark.parametrize("name", sorted(all_charts()))
def test_characters_xml_forbids_are_dropped(name):
    parse(all_charts("bad\x00\x1b\ufffe label")[name])


@pytest.mark.parametrize("name", sorted(EMPTY))
@pytest.mark.parametrize("value", [None, [], {}, ()])
def test_empty_input_says_no_data(name, value):
    root = parse(EMPTY[name](value))
    assert root.get("data-empty") == "true"
    assert "暂无数据 / No data" in texts(root)
    assert "暂无数据 / No data" in root[1].text


def test_different_charts_have_different_ids():
    ids = [parse(svg).get("id") for svg in all_charts().values()]
    assert len(ids) == len(set(ids))
    assert charts.energy_mix([("a", 1)]) == charts.energy_mix([("a", 1)])  # deterministic


def test_fmt_matches_the_engine_trace():
    for value in (0, 0.5, 12.3456, 99.99, 100, 1234.5, -25, -1234.5, 85716.0):
        assert charts.fmt(value, "tce") == engine_fmt(value, "tce")
    assert charts.fmt(None) == charts.fmt(NAN) == "—"


VALUES = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                   st.integers(-10**12, 10**12), st.just("12"), st.just("x"))
LABELS = st.text(max_size=40)


@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(st.tuples(LABELS, VALUES), max_size=8),
       four=st.tuples(VALUES, VALUES, VALUES, VALUES),
       levels=st.dictionaries(st.sampled_from(list(charts.LEVEL_NAMES)), VALUES),
       counts=st.dictionaries(LABELS, VALUES, max_size=6))
def test_any_input_gives_well_formed_svg(pairs, four, levels, counts):
    s1, s2l, s2m, off = four
    product = {"product_zh": "产品", "unit": "kgce/t", "unit_energy": s1, "target": s2l,
               "grade": s2m, "levels": levels}
    items = [{"category": label, "points": v, "max": w, "status": "passed"}
             for (label, v), w in zip(pairs, four, strict=False)]
    for svg in (charts.energy_mix(pairs),
                charts.emissions_waterfall(scope1=s1, scope2_location=s2l, scope2_market=s2m,
                                           offsets=off),
                charts.product_levels([product, product]),
                charts.points_by_category(items),
                charts.applications_by_state(counts), charts.applications_by_city(counts),
                charts.score_histogram([v for _, v in pairs], marks=[("m", s1)]),
                charts.failed_gates([(label, label, v) for label, v in pairs])):
        for element in parse(svg).iter():  # no NaN or infinity reaches the drawing
            for name in ("x", "y", "width", "height", "x1", "x2", "y1", "y2"):
                if element.get(name) is not None and element.tag != f"{SVG}svg":
                    assert math.isfinite(float(element.get(name)))


# -- 1. energy mix ------------------------------------------------------------------------------

def test_energy_mix_sorted_with_values_and_shares():
    pairs = [("柴油", 437.13), ("烟煤", 85716.0), ("电力", 10446.5), ("天然气", 607.15)]
    root = parse(charts.energy_mix(pairs))
    bars = [e for e in root.iter(f"{SVG}g") if e.get("class") == "bar"]
    assert [b.get("data-key") for b in bars] == ["烟煤", "电力", "天然气", "柴油"]
    words = texts(root)
    for name in ("烟煤", "电力", "天然气", "柴油"):
        assert name in words
    assert "85,716.00 tce" in words and "437.13 tce" in words
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
    assert "1级·标杆 100.00" in words  # equal levels share one mark
    assert "3级（限额）·基准 117.00" in words
    assert level_x(root, "grade_1 benchmark") < level_x(root, "grade_2") \
        < level_x(root, "grade_3 baseline")
    target = by_attr(root, "data-levels", "grade_1 benchmark").find(f"{SVG}line")
    assert target.get("stroke-width") == "3"  # the target is bold
    assert "能效要求 100.00" in root[1].text


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
    assert "核心指标" in words and "12 / 20（60.0 %）" in words and "10 / 20（50.0 %）" in words
    outline = next(r for r in bars["core"].iter(f"{SVG}rect") if r.get("class") == "maximum")
    filled = next(r for r in bars["core"].iter(f"{SVG}rect") if r.get("class") == "value")
    assert float(filled.get("width")) / float(outline.get("width")) == pytest.approx(0.6, 1e-3)
    assert charts.points_by_category_rows(ITEMS, lang="en")[0] == ("Core indicators",
                                                                  "12 / 20（60.0 %）")


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


def test_english_labels():
    words = texts(parse(charts.product_levels([CEMENT], lang="en")))
    assert "Cement clinker" in words and "Grade 1·Benchmark 100.00" in words
    root = parse(charts.applications_by_state({"draft": 1}, lang="en"))
    assert "Draft" in texts(root) and root[0].text.startswith("各状态申报数 / ")


# -- the macro ----------------------------------------------------------------------------------

def test_macro_places_chart_caption_and_table():
    env = Environment(loader=FileSystemLoader(ROOT / "templates"), autoescape=True,
                      extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=True)  # as in the app: gettext, here the msgids
    macro = env.get_template("macros/charts.html").module
    svg = charts.energy_mix([(HOSTILE, 3.0)])
    page = str(macro.chart(svg, "能源 <b>结构</b>", [(HOSTILE, "3 tce"), ("电力", math.pi)]))
    assert '<figure class="chart-figure" role="group"' in page
    assert svg in page  # the SVG as it is, not escaped again
    assert "<figcaption>能源 &lt;b&gt;结构&lt;/b&gt;</figcaption>" in page
    assert "<summary>数据</summary>" in page and '<th scope="col">项目</th>' in page
    assert '<th scope="row">&lt;script&gt;alert(1)&lt;/script&gt;</th>' in page
    assert "<script" not in page
    listed = str(macro.charts(charts.round_charts([])))
    assert listed.count("<figure") == 4 and "<details" not in listed  # no rows, no table
