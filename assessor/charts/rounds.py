"""The department's charts for a round: applications by state and by city, the distribution
of totals and the failed basic requirements, and the counts they are drawn from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from ..accounts.regions import CITIES
from ..applications.workflow import STATE_TITLES, STATES
from .svg import (
    BAR,
    INK,
    MUTED,
    WIDTH,
    _bar_chart,
    _el,
    _figure,
    _group,
    _line,
    _nice_ticks,
    _pick,
    _rows,
    _svg,
    _text,
    _text_width,
    _uid,
    _value_axis,
    no_data,
    number,
)

STATES_TITLE = ("各状态申报数", "Applications by state")
CITIES_TITLE = ("各市（州）申报数", "Applications by city")
HISTOGRAM_TITLE = ("总分分布", "Distribution of totals")
GATES_TITLE = ("未通过的基本要求", "Failed basic requirements")
HISTOGRAM_CAPTION = ("总分分布（系统计算总分，每组 10 分）",
                     "Distribution of totals (engine totals, bins of 10 points)")
GATES_NOTE = ("（申报数，未通过次数多者在前）", " (applications, most often first)")


def _count(value) -> int | None:
    value = number(value)
    return None if value is None or value < 0 else round(value)


def _state_data(counts: Mapping | None, lang: str) -> list[dict]:
    known = {k: c for k, v in (counts or {}).items() if (c := _count(v))}
    order = [s for s in STATES if s in known] + sorted((k for k in known if k not in STATES),
                                                       key=str)
    return [{"key": str(s), "label": _pick(STATE_TITLES.get(s, (str(s), str(s))), lang),
             "value": float(known[s]), "text": str(known[s])} for s in order]


def applications_by_state(counts: Mapping[str, int] | None, *, lang: str = "zh") -> str:
    """Applications per state (Application.state), in the workflow's order; zero counts are
    left out."""
    return _bar_chart("states", STATES_TITLE, _state_data(counts, lang))


def applications_by_state_rows(counts: Mapping[str, int] | None,
                               *, lang: str = "zh") -> list[tuple[str, str]]:
    return _rows(_state_data(counts, lang))


def _city_name(code, lang: str) -> str:
    if code is None or code == "":
        return _pick(("未注明", "Not given"), lang)
    if lang == "en":
        return str(code).replace("_", " ").title()
    return CITIES.get(str(code), str(code))


def _city_data(counts: Mapping | None, include_zero: bool, lang: str) -> list[dict]:
    known = {k: c for k, v in (counts or {}).items() if (c := _count(v)) is not None}
    if not any(known.values()):
        return []
    if not include_zero:
        known = {k: c for k, c in known.items() if c}
    order = [c for c in CITIES if c in known or include_zero]
    order += sorted((k for k in known if k not in CITIES), key=lambda k: str(k or ""))
    return [{"key": str(c or ""), "label": _city_name(c, lang), "value": float(known.get(c, 0)),
             "text": str(known.get(c, 0))} for c in order]


def applications_by_city(counts: Mapping[str, int] | None, *, include_zero: bool = True,
                         lang: str = "zh") -> str:
    """Applications per 市(州) (regions.CITIES order, so that rounds compare); cities without
    applications are shown with 0 unless include_zero is False; unknown codes come last."""
    return _bar_chart("cities", CITIES_TITLE, _city_data(counts, include_zero, lang))


def applications_by_city_rows(counts: Mapping[str, int] | None, *, include_zero: bool = True,
                              lang: str = "zh") -> list[tuple[str, str]]:
    return _rows(_city_data(counts, include_zero, lang))


def histogram_bins(totals: Iterable | None) -> list[int]:
    """Ten bins of 10 points: [0, 10), [10, 20) … [90, 100]; 100 falls in the last. Values below
    0 or above 100 count in the end bins; None and NaN are skipped."""
    bins = [0] * 10
    for value in totals or ():
        value = number(value)
        if value is not None:
            bins[min(max(int(value // 10), 0), 9)] += 1
    return bins


def _bin_label(i: int, lang: str) -> str:
    if lang == "en":
        return f"{i * 10} ≤ total {'≤' if i == 9 else '<'} {i * 10 + 10}"
    return f"{i * 10} ≤ 总分 {'≤' if i == 9 else '<'} {i * 10 + 10}"


def score_histogram(totals: Iterable | None, *, marks: Iterable[tuple[str, float]] = (),
                    lang: str = "zh", bins: list[int] | None = None) -> str:
    """How many totals fall in each 10-point bin from 0 to 100 (see histogram_bins; or the
    counted `bins` themselves). `marks` are (label, points) drawn as dashed lines, e.g. the
    levels' minimum totals."""
    bins = histogram_bins(totals) if bins is None else list(bins)
    if not sum(bins):
        return no_data(HISTOGRAM_TITLE, "histogram")
    marks = [(str(label), v) for label, value in marks if (v := number(value)) is not None
             and 0 <= v <= 100]
    left, right, top, bottom = 48.0, WIDTH - 12.0, 40.0, 250.0
    ticks = _nice_ticks(0, max(bins), count=min(5, max(bins)), integer=True)

    def y(v: float) -> float:
        return bottom - v / ticks[-1] * (bottom - top)

    def x(points: float) -> float:
        return left + points / 100 * (right - left)

    body = _value_axis(_pick(("申报数", "applications"), lang), ticks, y, left, right)
    bar_w = x(10) - x(0) - 8
    for i, count in enumerate(bins):
        bx = x(i * 10) + 4
        bar = [_el("rect", x=bx, y=y(count), width=bar_w, height=y(0) - y(count), fill=BAR,
                   stroke=INK, stroke_width="0.8"),
               _text(bx + bar_w / 2, y(count) - 5, str(count), anchor="middle", size=12,
                     weight="700")] if count else []
        body.append(_group(bar, f"{_bin_label(i, lang)}：{count}", cls="bin", data_bin=i * 10,
                           data_value=count))
    body += [_text(x(p), bottom + 16, str(p), anchor="middle", size=11, fill=MUTED)
             for p in range(0, 101, 10)]
    body.append(_line(left, bottom, right, bottom, stroke=INK))
    body.append(_text((left + right) / 2, bottom + 34, _pick(
        ("总分（每组 10 分）", "total points (bins of 10)"), lang), anchor="middle", size=12))
    for n, (label, v) in enumerate(marks):
        text = f"{label} ≥ {v:g}"
        body.append(_group([_line(x(v), top - 10, x(v), bottom, stroke=INK, stroke_width="1.5",
                                  stroke_dasharray="6 3"),
                            _text(min(x(v) + 4, WIDTH - 6 - _text_width(text, 11.5)),
                                  top - 14 - (n % 2) * 14, text, size=11.5)],
                           cls="mark", data_value=v))
    desc = (f"共 {sum(bins)} 份；" + "；".join(f"{_bin_label(i, 'zh')}：{c}"
                                             for i, c in enumerate(bins) if c))
    if marks:
        desc += "；虚线：" + "，".join(f"{label} {v:g} 分" for label, v in marks)
    return _svg("histogram", _uid("histogram", (bins, marks)), bottom + 46, HISTOGRAM_TITLE,
                f"：{desc}。", "".join(body))


def score_histogram_rows(totals: Iterable | None, *, lang: str = "zh",
                         bins: list[int] | None = None) -> list[tuple[str, str]]:
    bins = histogram_bins(totals) if bins is None else list(bins)
    return [(_bin_label(i, lang), str(c)) for i, c in enumerate(bins)] if sum(bins) else []


def _gate_data(counts: Iterable | None) -> list[dict]:
    merged: dict[str, list] = {}
    for entry in counts or ():
        try:
            gate_id, title, count = entry
        except (TypeError, ValueError):
            continue
        count = _count(count)
        if not count or gate_id is None:
            continue
        row = merged.setdefault(str(gate_id), [str(title or ""), 0])
        row[1] += count
    ordered = sorted(merged.items(), key=lambda kv: (-kv[1][1], kv[0]))
    return [{"key": g, "label": f"{g} {t}".strip(), "value": float(c), "text": str(c)}
            for g, (t, c) in ordered]


def failed_gates(counts: Iterable[tuple[str, str, int]] | None, *, lang: str = "zh") -> str:
    """How many applications failed each basic requirement (gate), most often failed first;
    gates nobody failed are left out. Entries are (gate id, title, count)."""
    return _bar_chart("gates", GATES_TITLE, _gate_data(counts), "（申报数）")


def failed_gates_rows(counts: Iterable[tuple[str, str, int]] | None,
                      *, lang: str = "zh") -> list[tuple[str, str]]:
    return _rows(_gate_data(counts))


def round_summary(records: Iterable) -> dict:
    """Counts for a round from (state, city, result or None) records, one per application;
    result is the engine result of its latest submitted revision. Totals and failed gates come
    from the results that have them."""
    states: dict[str, int] = {}
    cities: dict[str, int] = {}
    totals: list[float] = []
    gates: dict[str, list] = {}
    for state, city, result in records:
        states[state] = states.get(state, 0) + 1
        cities[city] = cities.get(city, 0) + 1
        if not isinstance(result, Mapping):
            continue
        total = number((result.get("total") or {}).get("points"))
        if total is not None:
            totals.append(total)
        for gate in result.get("gates") or ():
            if gate.get("status") == "failed":
                title = gate.get("title") or {}
                entry = gates.setdefault(gate.get("id"), [title, 0])
                entry[1] += 1
    return {"states": states, "cities": cities, "totals": totals, "gates": gates}


def round_charts(records: Iterable | None, *, marks: Iterable[tuple[str, float]] = (),
                 all_cities: bool = True, lang: str = "zh", summary: dict | None = None
                 ) -> list[dict]:
    """The department's charts for one round: applications by state and by city (every city,
    or with all_cities=False only those with applications, as a city officer needs), the
    totals' distribution (with `marks`, e.g. the levels' minimum totals) and the failed gates;
    each {id, svg, caption, rows}. Records as in round_summary, or instead the `summary` counted
    elsewhere (with "bins", the totals' counts per bin, in place of "totals")."""
    s = summary if summary is not None else round_summary(records)
    gates = [(g, (t.get("en") if lang == "en" else t.get("zh")) if isinstance(t, Mapping)
              else str(t), c) for g, (t, c) in s["gates"].items()]
    marks = list(marks)
    return [
        _figure("states", _pick(STATES_TITLE, lang), applications_by_state,
                applications_by_state_rows, s["states"], lang=lang),
        _figure("cities", _pick(CITIES_TITLE, lang), applications_by_city,
                applications_by_city_rows, s["cities"], include_zero=all_cities, lang=lang),
        _figure("histogram", _pick(HISTOGRAM_CAPTION, lang), partial(score_histogram, marks=marks),
                score_histogram_rows, s.get("totals"), lang=lang, bins=s.get("bins")),
        _figure("gates", _pick(GATES_TITLE, lang) + _pick(GATES_NOTE, lang), failed_gates,
                failed_gates_rows, gates, lang=lang),
    ]
