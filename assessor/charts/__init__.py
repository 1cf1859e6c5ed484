"""Charts drawn on the server as inline SVG: no JavaScript, no web fonts, no network.

Every chart function takes plain data and returns SVG markup (a ``str``) that can be placed in a
page as it is (``templates/macros/charts.html`` puts it in a <figure> with a caption and a data
table as its text alternative). The package imports no Flask (only the engine's comparison
rule, the cities and the workflow's states), so it is tested without an app. svg.py holds the
drawing kit (the frame, elements, the value axis, the bar chart five charts share);
application.py, waterfall.py and products.py the charts of one application's result; rounds.py
the department's charts for a round. docs/charts.md says how a chart is written.

Why hand-written SVG and not a chart library (measured for issue 14, figures in docs/charts.md):
Altair with vl-convert renders the same charts offline, keeps CJK as <text> and needs no inline
style, but takes 0.5–1.2 s for the first chart in a process and 60–85 ms for each after (ours:
under 0.5 ms), adds 110 MiB per process and an 84 MB install, and its SVG has no role, <title>
or <desc>, no pattern fills and none of the data-* hooks the tests read; getting those back
would mean rewriting its output. The hand code is short enough to keep.

Conventions shared by all charts:

- a fixed ``viewBox`` 640 wide (the height follows the number of rows) and ``width="100%"``;
- ``role="img"`` with a <title> and a <desc>: the title in Chinese then English, the desc a
  sentence with every number the chart shows;
- every text from outside (carrier, product, gate, city names) is escaped with ``html.escape``
  and stripped of characters XML does not allow;
- None, NaN and infinite values are skipped, never raised on; nothing to draw gives a small
  chart saying 暂无数据 / No data;
- colours are chosen to stay apart in greyscale, and meaning is never carried by colour alone:
  values are written on the bars, decreases are hatched and labelled with "−", zones carry
  patterns and a legend;
- ``lang`` ("zh" by default, or "en") picks the language of labels inside the chart; titles
  and descriptions always carry both, Chinese first;
- each chart has a ``*_rows`` companion giving the same numbers as (label, value) pairs for the
  data table; ``result_charts`` and ``round_charts`` give chart, caption and rows together.
"""

from .application import (
    carrier_energy,
    energy_mix,
    energy_mix_rows,
    points_by_category,
    points_by_category_rows,
    result_charts,
)
from .products import LEVEL_NAMES, product_levels, product_levels_rows
from .rounds import (
    applications_by_city,
    applications_by_city_rows,
    applications_by_state,
    applications_by_state_rows,
    failed_gates,
    failed_gates_rows,
    histogram_bins,
    round_charts,
    round_summary,
    score_histogram,
    score_histogram_rows,
)
from .svg import fmt, number
from .waterfall import emissions_waterfall, emissions_waterfall_rows, waterfall_steps

__all__ = [
    "LEVEL_NAMES", "applications_by_city", "applications_by_city_rows", "applications_by_state",
    "applications_by_state_rows", "carrier_energy", "emissions_waterfall",
    "emissions_waterfall_rows", "energy_mix", "energy_mix_rows", "failed_gates",
    "failed_gates_rows", "fmt", "histogram_bins", "number", "points_by_category",
    "points_by_category_rows", "product_levels", "product_levels_rows", "result_charts",
    "round_charts", "round_summary", "score_histogram", "score_histogram_rows", "waterfall_steps",
]
