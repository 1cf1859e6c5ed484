"""Every server-drawn SVG chart (assessor/charts/): well-formed, accessible, escaped, never
broken by its input; both languages; the macro that places a chart (templates/macros/charts.html)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader

from assessor import charts
from assessor.engine.explain import fmt as engine_fmt
from tests.charts.helpers import CEMENT, EMPTY, HOSTILE, NAN, ROOT, SVG, all_charts, parse, texts

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


def test_english_labels():
    words = texts(parse(charts.product_levels([CEMENT], lang="en")))
    assert "Cement clinker" in words and "Grade 1·Benchmark 100" in words
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
