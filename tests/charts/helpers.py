"""What the chart tests share: sample data, every chart drawn once, and readers of the SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from assessor import charts

ROOT = Path(__file__).resolve().parents[2]
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
