"""The emissions waterfall: from scope 1 and scope 2 to gross emissions, offsets and net."""

from __future__ import annotations

from .svg import (
    INK,
    LIGHT,
    MUTED,
    WIDTH,
    _el,
    _group,
    _line,
    _nice_ticks,
    _paint,
    _patterns,
    _pick,
    _signed,
    _svg,
    _text,
    _uid,
    _value_axis,
    _wrap,
    fmt,
    no_data,
    number,
)

WATERFALL_TITLE = ("从排放总量到净排放", "From gross to net emissions (tCO2)")
STEP_NAMES = {
    "scope1": ("范围一 直接排放", "Scope 1 (direct)"),
    "scope2": ("范围二 基于市场", "Scope 2 market-based"),
    "gross": ("排放总量", "Total emissions"),
    "offsets": ("碳抵消", "Offsets"),
    "net": ("净排放", "Net emissions"),
}

LEFT, RIGHT, TOP, BOTTOM = 78.0, WIDTH - 12.0, 40.0, 262.0  # the plot area
COLUMN, BAR_W = (RIGHT - LEFT) / 5, 64.0  # five steps
FILLS = {"increase": LIGHT, "total": INK, "decrease": "hatch"}
SIGNS = {"increase": "+", "decrease": "−", "total": "="}


def waterfall_steps(*, scope1, scope2_location, scope2_market, offsets) -> list[dict]:
    """The steps of `emissions_waterfall`, in tCO2, the way the engine counts them
    (docs/engine.md): total = scope 1 + scope 2 market-based; net = total − offsets, not below
    zero. Each step has id, kind (increase, total, decrease), start, end and value; the scope 2
    step also has `location` (location-based scope 2, or None) and `green_effect` (market −
    location: negative when green power and certificates lower it). [] when nothing is known."""
    s1, s2l, s2m, off = (number(v) for v in (scope1, scope2_location, scope2_market, offsets))
    if s1 is None and s2m is None and s2l is None:
        return []
    s1 = s1 or 0.0
    s2m = s2m or 0.0
    off = max(off or 0.0, 0.0)
    gross = s1 + s2m
    net = max(gross - off, 0.0)
    return [
        {"id": "scope1", "kind": "increase", "start": 0.0, "end": s1, "value": s1},
        {"id": "scope2", "kind": "increase", "start": s1, "end": gross, "value": s2m,
         "location": s2l, "green_effect": None if s2l is None else s2m - s2l},
        {"id": "gross", "kind": "total", "start": 0.0, "end": gross, "value": gross},
        {"id": "offsets", "kind": "decrease", "start": gross, "end": net, "value": -off,
         "counted": net - gross},
        {"id": "net", "kind": "total", "start": 0.0, "end": net, "value": net},
    ]


def _effect_sentence(step: dict, lang: str) -> str | None:
    effect = step["green_effect"]
    if effect is None or abs(effect) < 1e-9:
        return None
    where = fmt(step["location"], "tCO2")
    if effect < 0:
        return _pick((f"范围二基于位置为 {where}；基于市场少 {fmt(-effect, 'tCO2')}，"
                      "为绿电交易、绿证等的影响",
                      f"Scope 2 location-based {where}; green power and "
                      f"certificates lower it by {fmt(-effect, 'tCO2')}"), lang)
    return _pick((f"范围二基于位置为 {where}；基于市场高出 {fmt(effect, 'tCO2')}"
                  "（剩余电力因子高于电网平均因子）",
                  f"Scope 2 location-based {where}; market-based is "
                  f"{fmt(effect, 'tCO2')} higher (residual factor above the grid average)"), lang)


def emissions_waterfall(*, scope1, scope2_location, scope2_market, offsets,
                        lang: str = "zh") -> str:
    """A waterfall from gross to net emissions (tCO2): scope 1, + scope 2 market-based, = total,
    − offsets, = net. Location-based scope 2 is drawn as a dotted, dashed-outlined box on the
    scope 2 step; the difference is labelled as the effect of green power and certificates.
    Arguments are keyword-only so that location and market cannot be swapped; pass the
    indicators scope1_tco2, scope2_location_tco2, scope2_market_tco2 and offsets_tco2.
    Every bar carries data-start, data-end and data-value (tCO2) for tests and tools."""
    steps = waterfall_steps(scope1=scope1, scope2_location=scope2_location,
                            scope2_market=scope2_market, offsets=offsets)
    if not steps:
        return no_data(WATERFALL_TITLE, "waterfall")
    uid = _uid("waterfall", [(s["id"], s["start"], s["end"]) for s in steps]
               + [steps[1]["location"]])
    s2 = steps[1]
    levels = [v for s in steps for v in (s["start"], s["end"])]
    if s2["location"] is not None:
        levels.append(s2["start"] + s2["location"])
    ticks = _nice_ticks(min(0.0, *levels), max(0.0, *levels))
    lo, hi = ticks[0], ticks[-1]

    def y(v: float) -> float:
        return BOTTOM - (v - lo) / (hi - lo) * (BOTTOM - TOP)

    effect = _effect_sentence(s2, lang)
    body = _value_axis("tCO2", ticks, y, LEFT, RIGHT)
    for i, s in enumerate(steps):
        x = LEFT + COLUMN * i + (COLUMN - BAR_W) / 2
        body.append(_step(s, x, y, uid, effect, lang))
        if i + 1 < len(steps):
            body.append(_line(x + BAR_W, y(s["end"]), x + COLUMN, y(s["end"]), cls="connector",
                              stroke=MUTED, stroke_dasharray="3 2"))
    body.append(_line(LEFT, y(0), RIGHT, y(0), stroke=INK))
    notes = [_pick(("虚线框：", "Dashed box: "), lang) + effect] if effect else []
    floored = -steps[3]["counted"] < -steps[3]["value"] - 1e-9
    if floored:
        notes.append(_pick(("碳抵消量超过排放总量，净排放按零计",
                            "Offsets exceed the total: net emissions count as zero"), lang))
    height = _notes(body, notes, uid if effect else None)
    desc = "；".join(f"{_pick(STEP_NAMES[s['id']], 'zh')} {fmt(s['value'], 'tCO2')}"
                    for s in steps)
    if effect:
        desc += "；" + _effect_sentence(s2, "zh")
    if floored:
        desc += "；碳抵消量超过排放总量，净排放按零计"
    return _svg("waterfall", uid, height, WATERFALL_TITLE, f"：{desc}。", "".join(body),
                _patterns(uid))


def _step(s: dict, x: float, y, uid: str, effect: str | None, lang: str) -> str:
    """One step: its bar (with the location-based box on scope 2 when it differs), its value
    above and its name below."""
    y_top, y_bottom = y(max(s["start"], s["end"])), y(min(s["start"], s["end"]))
    parts = [_el("rect", cls="bar", x=x, y=y_top, width=BAR_W, height=y_bottom - y_top,
                 fill=_paint(uid, FILLS[s["kind"]]), stroke=INK, stroke_width=1)]
    label_y = y_top
    if s["id"] == "scope2" and effect:
        g_top = y(max(s["end"], s["start"] + s["location"]))
        g_bottom = y(min(s["end"], s["start"] + s["location"]))
        parts.append(_el("rect", cls="location", data_value=s["location"], x=x - 4, y=g_top,
                         width=BAR_W + 8, height=g_bottom - g_top, fill=_paint(uid, "dots"),
                         fill_opacity="0.6", stroke=INK, stroke_dasharray="4 3"))
        label_y = min(label_y, g_top)
    name = _pick(STEP_NAMES[s["id"]], lang)
    sign = SIGNS[s["kind"]]
    value_text = _signed(s["value"]) if sign != "=" else "= " + fmt(s["value"])
    cx = x + BAR_W / 2
    parts.append(_text(cx, label_y - 6, value_text, anchor="middle", size=11.5,
                       weight="700" if sign == "=" else None))
    for k, line in enumerate(_wrap(f"{sign} {name}" if sign != "=" else name, COLUMN - 6, 12)):
        parts.append(_text(cx, BOTTOM + 18 + k * 15, line, anchor="middle", size=12))
    return _group(parts, f"{name} {value_text} tCO2", cls=f"step step-{s['kind']}",
                  data_step=s["id"], data_start=s["start"], data_end=s["end"],
                  data_value=s["value"])


def _notes(body: list[str], notes: list[str], dots: str | None) -> float:
    """The notes below the chart, wrapped; the first with the dotted box's key when `dots`
    (the chart's id) is given. Appends to `body`; returns the chart's height."""
    height = BOTTOM + 40
    for n, note in enumerate(notes):
        height += 20
        if dots and n == 0:
            body.append(_el("rect", x=8, y=height - 11, width=18, height=12,
                            fill=_paint(dots, "dots"), stroke=INK, stroke_dasharray="4 3"))
        for k, line in enumerate(_wrap(note, WIDTH - 40, 12)):
            height += 17 if k else 0
            body.append(_text(32, height, line, size=12))
    return height + 10


def emissions_waterfall_rows(*, scope1, scope2_location, scope2_market, offsets,
                             lang: str = "zh") -> list[tuple[str, str]]:
    steps = waterfall_steps(scope1=scope1, scope2_location=scope2_location,
                            scope2_market=scope2_market, offsets=offsets)
    rows = []
    for s in steps:
        name = _pick(STEP_NAMES[s["id"]], lang)
        rows.append((name, fmt(s["value"], "tCO2")))
        if s["id"] == "scope2" and s["location"] is not None:
            rows.append((_pick(("范围二（基于位置）", "Scope 2 (location)"), lang),
                         fmt(s["location"], "tCO2")))
            rows.append((_pick(("基于市场 − 基于位置（绿电、绿证的影响）",
                                "Market − location (green power and certificates)"), lang),
                         _signed(s["green_effect"], "tCO2")))
    return rows

