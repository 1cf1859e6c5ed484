"""Chart speed: the charts of a result page and of a round, drawn by assessor/charts/.

    .venv/bin/python benchmarks/charts_speed.py [--repeat 50] [--vega-lite]

Target: a page's charts in under 5 ms. With --vega-lite (needs `pip install altair
vl-convert-python`, which the project does not depend on) the emissions waterfall and the
applications-by-state bars are also drawn from Vega-Lite specs by vl-convert, as the choice
between hand-written SVG and a chart library was measured (docs/charts.md): first call in the
process, median of warm calls, SVG bytes and the process's peak memory before and after.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import timed

from assessor import charts
from assessor.engine import Engine, parse_submission

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 0.005
STATES = {"draft": 1, "submitted": 4, "approved": 2}
RECORDS = [("submitted", city, {"total": {"points": 40 + n % 60}, "gates": []})
           for n, city in enumerate(["zunyi", "guiyang", "anshun"] * 40)]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def figures(draw, repeat: int) -> dict:
    start = time.perf_counter()
    out = draw()
    first = time.perf_counter() - start
    svgs = [out] if isinstance(out, str) else [c["svg"] for c in out]
    return {"first_ms": round(first * 1000, 3),
            "warm_median_ms": round(statistics.median(timed(draw, repeat)) * 1000, 3),
            "svg_bytes": sum(len(s.encode()) for s in svgs)}


def hand_drawn(repeat: int) -> dict:
    data = json.loads((ROOT / "docs/examples/factory-cement.json").read_text())
    engine = Engine.load()  # the result page's charts come from a scored submission
    scored = engine.score(data, "GZ-F-2024")
    batch = engine.prepare([parse_submission(data)], "GZ-F-2024")
    energy = charts.carrier_energy(batch, engine.reference,
                                   scored["indicators"]["electricity_energy_tce"]["value"])
    return {
        "waterfall": figures(lambda: charts.emissions_waterfall(
            scope1=120.0, scope2_location=90.0, scope2_market=60.0, offsets=50.0), repeat),
        "states": figures(lambda: charts.applications_by_state(STATES), repeat),
        "result_page": figures(lambda: charts.result_charts(scored, energy), repeat),
        "round_page": figures(lambda: charts.round_charts(RECORDS), repeat),
    }


def vega_lite(repeat: int) -> dict:
    import altair as alt
    import vl_convert

    font = "Noto Sans CJK SC"
    steps = [("范围一 直接排放", 0, 120, "increase"), ("范围二 基于市场", 120, 180, "increase"),
             ("排放总量", 0, 180, "total"), ("碳抵消", 180, 130, "decrease"),
             ("净排放", 0, 130, "total")]
    rows = [{"step": s, "start": a, "end": b, "top": max(a, b), "kind": k,
             "label": f"{b - a:+,.2f}" if k != "total" else f"= {b:,.2f}"}
            for s, a, b, k in steps]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("step:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(stroke="#1d2733", width=64).encode(
        y=alt.Y("start:Q", title="tCO2"), y2="end:Q",
        color=alt.Color("kind:N", legend=None, scale=alt.Scale(
            domain=["increase", "total", "decrease"], range=["#a9d3c0", "#1d2733", "#fff"])))
    waterfall = (bars + base.mark_text(dy=-6).encode(y="top:Q", text="label:N")).properties(
        width=560, height=222, title="从排放总量到净排放 / From gross to net emissions (tCO2)"
    ).configure(font=font)
    state_rows = [{"label": k, "value": v} for k, v in {"草稿": 1, "已提交": 4, "已批准": 2}.items()]
    state_bars = alt.Chart(alt.Data(values=state_rows)).mark_bar(color="#0b6e4f").encode(
        y=alt.Y("label:N", sort=None, title=None), x=alt.X("value:Q", title=None))
    states = (state_bars + state_bars.mark_text(align="left", dx=6).encode(text="value:Q")
              ).properties(width=480, title="各状态申报数 / Applications by state"
                           ).configure(font=font)
    specs = {"waterfall": waterfall.to_dict(), "states": states.to_dict()}
    before = peak_mib()
    out = {name: figures(lambda spec=spec: vl_convert.vegalite_to_svg(spec), repeat)
           for name, spec in specs.items()}
    out["spec_to_dict_median_ms"] = round(statistics.median(timed(waterfall.to_dict, 5)) * 1000,
                                          1)  # Altair's building and checking of a spec
    out["peak_mib_before_after"] = [round(before), round(peak_mib())]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--vega-lite", action="store_true")
    args = parser.parse_args()
    ours = hand_drawn(args.repeat)
    worst = max(ours["result_page"]["warm_median_ms"], ours["round_page"]["warm_median_ms"])
    report = {"python": platform.python_version(), "hand_drawn": ours,
              "target_ms": TARGET_SECONDS * 1000, "meets_targets": worst < TARGET_SECONDS * 1000}
    if args.vega_lite:
        report["vega_lite"] = vega_lite(max(args.repeat // 5, 5))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
