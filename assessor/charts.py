"""Charts drawn on the server as inline SVG: no JavaScript, no web fonts, no network.

Every chart function takes plain data and returns SVG markup (a ``str``) that can be placed in a
page as it is (``templates/macros/charts.html`` puts it in a <figure> with a caption and a data
table as its text alternative). The module imports neither Flask nor the engine, so it is tested
without an app.

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

from __future__ import annotations

import hashlib
import html
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from .regions import CITIES
from .workflow import STATE_TITLES, STATES

WIDTH = 640
FONT = "'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei','PingFang SC',sans-serif"
INK = "#1d2733"  # near black: totals, markers, text
MUTED = "#5b6776"
GRID = "#d6dde5"
BAR = "#0b6e4f"  # brand green, a mid-dark grey in print
LIGHT = "#a9d3c0"  # light green, a light grey in print
MID = "#b3bec9"

NO_DATA = "暂无数据 / No data"

CATEGORY_TITLES: dict[str, tuple[str, str]] = {
    "basic": ("基本要求", "Basic requirements"),
    "core": ("核心指标", "Core indicators"),
    "energy": ("能源结构", "Energy"),
    "product": ("产品能效与碳足迹", "Products"),
    "offset": ("碳抵消", "Offsets"),
    "management": ("能碳管理", "Management"),
    "reduction": ("节能降碳", "Reduction measures"),
    "disclosure": ("信息披露", "Disclosure"),
    "guiding": ("引导性指标", "Guiding indicators"),
    "plan": ("规划与建设", "Planning"),
}

LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "grade_1": ("1级", "Grade 1"),
    "grade_2": ("2级", "Grade 2"),
    "grade_3": ("3级（限额）", "Grade 3 (limit)"),
    "benchmark": ("标杆", "Benchmark"),
    "baseline": ("基准", "Baseline"),
}


# -- small helpers ------------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def esc(text) -> str:
    """Text made safe for SVG/HTML: escaped, and without the characters XML 1.0 forbids."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


LIMIT = 1e15  # larger magnitudes are no real tCO2, tce or count: treated as not a number


def number(value) -> float | None:
    """A finite float, or None for None, NaN, infinity, booleans, anything not a number and
    magnitudes beyond LIMIT."""
    if value is None or isinstance(value, bool):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) and abs(result) <= LIMIT else None


def fmt(value, unit: str | None = None) -> str:
    """A number as the result pages write it (engine/explain.py `fmt`, macros/result.html
    `number`): thousands separated with two decimals from 100 up, four significant digits below."""
    value = number(value)
    if value is None:
        return "—"
    magnitude = abs(value)
    text = f"{value:,.2f}" if magnitude >= 100 else f"{value:.4g}" if magnitude else "0"
    return f"{text} {unit}" if unit and unit != "dimensionless" else text


def _signed(value: float, unit: str | None = None) -> str:
    return ("−" + fmt(-value, unit)) if value < 0 else ("+" + fmt(value, unit))


def _pct(share: float) -> str:
    return f"{share * 100:.1f} %"


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _both(pair: tuple[str, str]) -> str:
    return f"{pair[0]} / {pair[1]}"


def _text_width(text: str, size: float = 13) -> float:
    """Estimated width of a text: CJK (and ambiguous: … · ±) a full em, others a little over
    half, as Noto Sans CJK draws them."""
    return sum(size if unicodedata.east_asian_width(c) in "WFA" else size * 0.6 for c in text)


def _clip(text: str, width: float, size: float = 13) -> str:
    if _text_width(text, size) <= width:
        return text
    while text and _text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _wrap(text: str, width: float, size: float = 13) -> list[str]:
    """Lines of at most `width`, broken after punctuation or a space where one is near."""
    lines: list[str] = []
    while _text_width(text, size) > width:
        cut = 1
        while cut < len(text) and _text_width(text[:cut + 1], size) <= width:
            cut += 1
        soft = max(text.rfind(c, 0, cut) for c in "；，、 ;,（(")
        if soft > 0:
            cut = soft + 1 if text[soft] not in "（(" else soft
        lines.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*lines, text] if text else lines


def _f(x: float) -> str:
    return f"{x:.2f}"


def _uid(kind: str, payload) -> str:
    return f"chart-{kind}-" + hashlib.sha1(repr(payload).encode()).hexdigest()[:8]


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: float | None = None,
          weight: str | None = None, fill: str | None = None, cls: str | None = None) -> str:
    attrs = f'x="{_f(x)}" y="{_f(y)}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if size:
        attrs += f' font-size="{size:g}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    if fill:
        attrs += f' fill="{fill}"'
    if cls:
        attrs += f' class="{cls}"'
    return f"<text {attrs}>{esc(text)}</text>"


def _svg(kind: str, uid: str, height: float, title: str, desc: str, body: str,
         defs: str = "", data: str = "") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" id="{uid}" '
            f'viewBox="0 0 {WIDTH} {math.ceil(height)}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" role="img" '
            f'aria-labelledby="{uid}-title {uid}-desc" font-family="{FONT}" font-size="13" '
            f'fill="{INK}"{data}>'
            f'<title id="{uid}-title">{esc(title)}</title>'
            f'<desc id="{uid}-desc">{esc(desc)}</desc>'
            + (f"<defs>{defs}</defs>" if defs else "") + body + "</svg>")


def no_data(title: tuple[str, str] = ("图表", "Chart"), kind: str = "empty") -> str:
    """A small chart that says there is nothing to draw."""
    uid = _uid(kind + "-empty", title)
    body = (f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="55" fill="none" stroke="{GRID}" '
            f'stroke-dasharray="4 3"/>' + _text(WIDTH / 2, 33, NO_DATA, anchor="middle",
                                                 fill=MUTED))
    return _svg(kind, uid, 56, _both(title), f"{_both(title)}：{NO_DATA}", body,
                data=' data-empty="true"')


def _patterns(uid: str) -> str:
    """Hatching and dots, so decreases and zones differ by more than colour."""
    return (f'<pattern id="{uid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="2"/></pattern>'
            f'<pattern id="{uid}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
            f'<rect width="5" height="5" fill="#fff"/>'
            f'<circle cx="2.5" cy="2.5" r="1.1" fill="{INK}"/></pattern>')


def _nice_ticks(lo: float, hi: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round tick values covering [lo, hi]."""
    if not hi - lo > 1e-9 * max(1.0, abs(lo), abs(hi)):
        hi = lo + 1
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    if integer:
        step = max(1.0, float(math.ceil(step)))
    first = math.floor(lo / step + 1e-9) * step
    ticks = [first]
    while ticks[-1] < hi - 1e-9 * max(1.0, abs(hi)):
        ticks.append(first + len(ticks) * step)
    return ticks


def _tick_label(value: float, ticks: Sequence[float]) -> str:
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = 0  # as many as the step needs: 2.5 → 1, 0.25 → 2
    while decimals < 12 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
        decimals += 1
    text = f"{value:,.{decimals}f}"
    return "0" if text.strip("-0.,") == "" else text


# -- horizontal bars (energy mix, states, cities, gates, categories) ----------------------------

def _hbars(kind: str, uid: str, rows: list[dict], title: str, desc: str) -> str:
    """Rows of {key, label, value, text, maximum?}; the maximum, if any, is drawn as an outline."""
    label_w = min(max(_text_width(r["label"]) for r in rows) + 4, 260.0)
    text_w = max(_text_width(r["text"], 12) for r in rows) + 8
    if WIDTH - label_w - text_w - 32 < 180:  # keep the bars readable: shorten the labels
        label_w = max(80.0, WIDTH - text_w - 32 - 180)
    x0 = 8 + label_w + 8
    span = WIDTH - x0 - text_w - 12
    top = max(max(r["value"], r.get("maximum") or 0.0) for r in rows)
    scale = span / top if top > 0 else 0.0
    row_h, bar_h, pad = 30, 18, 8
    body = []
    for i, r in enumerate(rows):
        y = pad + i * row_h
        w = max(r["value"], 0.0) * scale
        full = f"{r['label']}：{r['text']}"
        parts = [f'<g class="bar" data-key="{esc(r["key"])}" data-value="{r["value"]!r}"'
                 + (f' data-maximum="{r["maximum"]!r}"' if r.get("maximum") is not None else "")
                 + f"><title>{esc(full)}</title>",
                 _text(x0 - 8, y + row_h / 2 + 4.5, _clip(r["label"], label_w), anchor="end")]
        end = w
        if r.get("maximum") is not None:
            wm = max(r["maximum"], 0.0) * scale
            parts.append(f'<rect class="maximum" x="{_f(x0)}" y="{_f(y + 6)}" width="{_f(wm)}" '
                         f'height="{bar_h}" fill="#fff" stroke="{INK}" stroke-width="1.2"/>')
            end = max(end, wm)
        parts.append(f'<rect class="value" x="{_f(x0)}" y="{_f(y + 6)}" width="{_f(w)}" '
                     f'height="{bar_h}" fill="{BAR}"/>')
        parts.append(_text(x0 + end + 6, y + row_h / 2 + 4.5, r["text"], size=12))
        body.append("".join(parts) + "</g>")
    height = pad + len(rows) * row_h + pad
    body.append(f'<line x1="{_f(x0)}" y1="{pad}" x2="{_f(x0)}" y2="{height - pad}" '
                f'stroke="{INK}" stroke-width="1"/>')
    return _svg(kind, uid, height, title, desc, "".join(body))


# -- 1. energy by carrier -----------------------------------------------------------------------

ENERGY_TITLE = ("能源消费结构（折标准煤）", "Energy use by carrier (tce)")


def _energy_data(pairs: Iterable[tuple[str, float]] | None) -> list[tuple[str, float, float]]:
    totals: dict[str, float] = {}
    for pair in pairs or ():
        try:
            name, value = pair
        except (TypeError, ValueError):
            continue
        value = number(value)
        if value is None or value <= 0 or name is None:
            continue
        totals[str(name)] = totals.get(str(name), 0.0) + value
    grand = sum(totals.values())
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(name, value, value / grand) for name, value in ordered]


def energy_mix(pairs: Iterable[tuple[str, float]] | None, *, lang: str = "zh") -> str:
    """Horizontal bars of tce by carrier, largest first, each with its value and share.
    Pairs with the same name are added; None, NaN and values not above zero are skipped."""
    data = _energy_data(pairs)
    if not data:
        return no_data(ENERGY_TITLE, "energy-mix")
    total = sum(v for _, v, _ in data)
    rows = [{"key": name, "label": name, "value": v, "text": f"{fmt(v)} tce（{_pct(s)}）"}
            for name, v, s in data]
    desc = ("；".join(f"{n} {fmt(v, 'tce')}（{_pct(s)}）" for n, v, s in data)
            + f"；合计 {fmt(total, 'tce')}。")
    return _hbars("energy-mix", _uid("energy-mix", data), rows, _both(ENERGY_TITLE),
                  f"{_both(ENERGY_TITLE)}：{desc}")


def energy_mix_rows(pairs: Iterable[tuple[str, float]] | None,
                    *, lang: str = "zh") -> list[tuple[str, str]]:
    data = _energy_data(pairs)
    rows = [(name, f"{fmt(v, 'tce')}（{_pct(s)}）") for name, v, s in data]
    if data:
        rows.append((_pick(("合计", "Total"), lang), fmt(sum(v for _, v, _ in data), "tce")))
    return rows


# -- 2. emissions waterfall ---------------------------------------------------------------------

WATERFALL_TITLE = ("从排放总量到净排放", "From gross to net emissions (tCO2)")
STEP_NAMES = {
    "scope1": ("范围一 直接排放", "Scope 1 (direct)"),
    "scope2": ("范围二 基于市场", "Scope 2 market-based"),
    "gross": ("排放总量", "Total emissions"),
    "offsets": ("碳抵消", "Offsets"),
    "net": ("净排放", "Net emissions"),
}


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
    left, right, top, bottom = 78.0, WIDTH - 12.0, 40.0, 262.0

    def y(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    col = (right - left) / len(steps)
    bar_w = 64.0
    fills = {"increase": LIGHT, "total": INK, "decrease": f"url(#{uid}-hatch)"}
    body = [_text(8, 18, "tCO2", size=12, fill=MUTED)]
    for t in ticks:
        body.append(f'<line x1="{_f(left)}" y1="{_f(y(t))}" x2="{_f(right)}" y2="{_f(y(t))}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(left - 6, y(t) + 4, _tick_label(t, ticks), anchor="end", size=11,
                          fill=MUTED))
    effect = _effect_sentence(s2, lang)
    for i, s in enumerate(steps):
        cx = left + col * (i + 0.5)
        x = cx - bar_w / 2
        y_top, y_bottom = y(max(s["start"], s["end"])), y(min(s["start"], s["end"]))
        fill = fills[s["kind"]]
        label_y = y_top
        parts = [f'<g class="step step-{s["kind"]}" data-step="{s["id"]}" '
                 f'data-start="{s["start"]!r}" data-end="{s["end"]!r}" '
                 f'data-value="{s["value"]!r}">']
        name = _pick(STEP_NAMES[s["id"]], lang)
        sign = {"increase": "+", "decrease": "−", "total": "="}[s["kind"]]
        value_text = (_signed(s["value"]) if s["kind"] != "total" else "= " + fmt(s["value"]))
        parts.append(f"<title>{esc(name)} {esc(value_text)} tCO2</title>")
        parts.append(f'<rect class="bar" x="{_f(x)}" y="{_f(y_top)}" width="{_f(bar_w)}" '
                     f'height="{_f(y_bottom - y_top)}" fill="{fill}" stroke="{INK}" '
                     f'stroke-width="1"/>')
        if s["id"] == "scope2" and effect:
            g_top = y(max(s["end"], s["start"] + s["location"]))
            g_bottom = y(min(s["end"], s["start"] + s["location"]))
            parts.append(f'<rect class="location" data-value="{s["location"]!r}" '
                         f'x="{_f(x - 4)}" y="{_f(g_top)}" width="{_f(bar_w + 8)}" '
                         f'height="{_f(g_bottom - g_top)}" fill="url(#{uid}-dots)" '
                         f'fill-opacity="0.6" stroke="{INK}" stroke-dasharray="4 3"/>')
            label_y = min(label_y, g_top)
        parts.append(_text(cx, label_y - 6, value_text, anchor="middle", size=11.5,
                           weight="700" if s["kind"] == "total" else None))
        for k, line in enumerate(_wrap(f"{sign} {name}" if sign != "=" else name, col - 6, 12)):
            parts.append(_text(cx, bottom + 18 + k * 15, line, anchor="middle", size=12))
        body.append("".join(parts) + "</g>")
        if i + 1 < len(steps):
            yy = _f(y(s["end"]))
            body.append(f'<line class="connector" x1="{_f(x + bar_w)}" y1="{yy}" '
                        f'x2="{_f(x + col)}" y2="{yy}" stroke="{MUTED}" stroke-dasharray="3 2"/>')
    body.append(f'<line x1="{_f(left)}" y1="{_f(y(0))}" x2="{_f(right)}" y2="{_f(y(0))}" '
                f'stroke="{INK}"/>')
    height = bottom + 40
    notes = []
    if effect:
        notes.append(_pick(("虚线框：", "Dashed box: "), lang) + effect)
    if -steps[3]["counted"] < -steps[3]["value"] - 1e-9:
        notes.append(_pick(("碳抵消量超过排放总量，净排放按零计",
                            "Offsets exceed the total: net emissions count as zero"), lang))
    for note in notes:
        height += 20
        if effect and note is notes[0]:
            body.append(f'<rect x="8" y="{_f(height - 11)}" width="18" height="12" '
                        f'fill="url(#{uid}-dots)" stroke="{INK}" stroke-dasharray="4 3"/>')
        for k, line in enumerate(_wrap(note, WIDTH - 40, 12)):
            height += 17 if k else 0
            body.append(_text(32, height, line, size=12))
    height += 10
    desc = "；".join(f"{_pick(STEP_NAMES[s['id']], 'zh')} {fmt(s['value'], 'tCO2')}"
                    for s in steps)
    if effect:
        desc += "；" + _effect_sentence(s2, "zh")
    if len(notes) > bool(effect):
        desc += "；碳抵消量超过排放总量，净排放按零计"
    return _svg("waterfall", uid, height, _both(WATERFALL_TITLE),
                f"{_both(WATERFALL_TITLE)}：{desc}。", "".join(body), _patterns(uid))


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


# -- 3. product energy levels -------------------------------------------------------------------

PRODUCTS_TITLE = ("单位产品能耗与能效等级", "Unit energy against the efficiency levels")
ZONES = (("z1", ("优于1级", "≤ grade 1"), "#fff"),  # id, legend, fill or pattern
         ("z2", ("1–2级", "grade 1–2"), "dots"),
         ("z3", ("2–3级", "grade 2–3"), MID),
         ("z4", ("超过3级（限额）", "> grade 3 (limit)"), "hatch"))


def _grade_text(grade, lang: str) -> str | None:
    grade = number(grade)
    if grade is None:
        return None
    if grade >= 4:
        return _pick(("低于3级", "worse than grade 3"), lang)
    return _pick((f"{int(grade)}级", f"grade {int(grade)}"), lang)


def _product_data(products: Iterable[Mapping] | None, lang: str) -> list[dict]:
    out = []
    for p in products or ():
        if not isinstance(p, Mapping):
            continue
        levels = p.get("levels") or {}
        marks = [(k, v) for k in LEVEL_NAMES if (v := number(levels.get(k))) is not None]
        value = number(p.get("unit_energy"))
        if not marks and value is None:
            continue
        name = str(p.get("product_en" if lang == "en" else "product_zh")
                   or p.get("product_zh") or p.get("benchmark") or "—")
        if p.get("member"):
            name += f"（{p['member']}）"
        out.append({"key": str(p.get("benchmark") or name), "name": name,
                    "indicator": str(p.get("indicator_zh") or ""), "unit": str(p.get("unit") or ""),
                    "value": value, "marks": marks, "target": number(p.get("target")),
                    "grade": _grade_text(p.get("grade"), lang)})
    return out


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _zones(marks: dict[str, float], lo: float, hi: float) -> list[tuple[str, float, float]]:
    """The grade zones along the scale. With a grade missing only the zone beyond the limit
    (grade 3) is drawn; none when the grades are not in rising order."""
    g1, g2, g3 = (marks.get(k) for k in ("grade_1", "grade_2", "grade_3"))
    if g1 is None or g2 is None or g3 is None:
        return [("z4", g3, hi)] if g3 is not None and hi > g3 else []
    if not g1 <= g2 <= g3:
        return []
    bounds = [lo, g1, g2, g3, hi]
    return [(zone[0], a, b) for zone, a, b in zip(ZONES, bounds, bounds[1:], strict=False)
            if b > a]


def product_levels(products: Iterable[Mapping] | None, *, lang: str = "zh") -> str:
    """For each product (engine result `products`): a scale with grade 1, grade 2, grade 3 (the
    limit), benchmark and baseline marked, and the unit energy as a triangle below it. Lower is
    better; each product has its own scale, negative values (steel converters) included. Equal
    levels share one mark; missing levels are skipped; the target is drawn bold."""
    data = _product_data(products, lang)
    if not data:
        return no_data(PRODUCTS_TITLE, "products")
    uid = _uid("products", [(d["key"], d["value"], d["marks"]) for d in data])
    left, right = 30.0, WIDTH - 30.0
    head, row_h = 46.0, 132.0
    body = []
    # legend: zones, the target, the direction
    x = 8.0
    for zone_id, names, fill in ZONES:
        paint = f"url(#{uid}-{fill})" if fill in ("hatch", "dots") else fill
        body.append(f'<rect class="legend-{zone_id}" x="{_f(x)}" y="8" width="16" height="10" '
                    f'fill="{paint}" stroke="{INK}" stroke-width="0.8"/>')
        label = _pick(names, lang)
        body.append(_text(x + 20, 17.5, label, size=11.5))
        x += 20 + _text_width(label, 11.5) + 14
    body.append(_text(8, 36, _pick(("▲ 本单位的单位产品能耗；粗线为能效要求（目标）；← 数值越低越好",
                                    "▲ unit energy; bold line: the target; ← lower is better"),
                                   lang), size=11.5, fill=MUTED))
    for n, d in enumerate(data):
        y0 = head + n * row_h
        axis = y0 + 82
        values = [v for _, v in d["marks"]] + ([d["value"]] if d["value"] is not None else [])
        lo, hi = min(values), max(values)
        span = hi - lo if hi > lo else max(abs(hi) * 0.2, 1.0)
        lo, hi = lo - span * 0.12, hi + span * 0.12

        def sx(v: float, lo=lo, hi=hi) -> float:
            return left + (v - lo) / (hi - lo) * (right - left)

        parts = [f'<g class="product" data-key="{esc(d["key"])}"'
                 + (f' data-value="{d["value"]!r}"' if d["value"] is not None else "") + ">"]
        indicator = _clip(f"{d['indicator']} {d['unit']}".strip(), 280, 12)
        room = WIDTH - 28 - _text_width(indicator, 12)
        parts.append(_text(8, y0 + 18, _clip(d["name"], room, 14), size=14, weight="700"))
        parts.append(_text(WIDTH - 8, y0 + 18, indicator, anchor="end", size=12, fill=MUTED))
        for zone_id, a, b in _zones(dict(d["marks"]), lo, hi):
            fill = next(z[2] for z in ZONES if z[0] == zone_id)
            paint = f"url(#{uid}-{fill})" if fill in ("hatch", "dots") else fill
            parts.append(f'<rect class="zone {zone_id}" x="{_f(sx(a))}" y="{_f(axis - 6)}" '
                         f'width="{_f(sx(b) - sx(a))}" height="12" fill="{paint}" '
                         f'stroke="{INK}" stroke-width="0.6"/>')
        parts.append(f'<line x1="{_f(left)}" y1="{_f(axis)}" x2="{_f(right)}" y2="{_f(axis)}" '
                     f'stroke="{INK}" stroke-width="1"/>')
        if lo < 0 < hi:
            parts.append(f'<line x1="{_f(sx(0))}" y1="{_f(axis + 6)}" x2="{_f(sx(0))}" '
                         f'y2="{_f(axis + 12)}" stroke="{MUTED}"/>'
                         + _text(sx(0), axis + 22, "0", anchor="middle", size=10, fill=MUTED))
        # marks: equal values share one; labels in up to three tiers so they do not overlap
        groups: list[list] = []
        for key, v in sorted(d["marks"], key=lambda kv: kv[1]):
            if groups and _close(groups[-1][0], v):
                groups[-1][1].append(key)
            else:
                groups.append([v, [key]])
        tiers: list[float] = [-1e9, -1e9, -1e9]
        for v, keys in groups:
            is_target = d["target"] is not None and _close(v, d["target"])
            label = "·".join(_pick(LEVEL_NAMES[k], lang) for k in keys) + " " + fmt(v)
            w = _text_width(label, 11.5)
            cx = min(max(sx(v), 6 + w / 2), WIDTH - 6 - w / 2)
            tier = next((t for t in range(3) if tiers[t] + 6 < cx - w / 2), 2)
            tiers[tier] = cx + w / 2
            ty = axis - 14 - tier * 16
            parts.append(f'<g class="level" data-levels="{" ".join(keys)}" data-value="{v!r}">'
                         f'<line x1="{_f(sx(v))}" y1="{_f(ty + 4)}" x2="{_f(sx(v))}" '
                         f'y2="{_f(axis + 6)}" stroke="{INK}" '
                         f'stroke-width="{3 if is_target else 1}"'
                         + ("" if is_target else ' stroke-dasharray="3 2"') + "/>"
                         + _text(cx, ty, label, anchor="middle", size=11.5,
                                 weight="700" if is_target else None) + "</g>")
        if d["value"] is not None:
            vx = sx(d["value"])
            parts.append(f'<path class="marker" d="M{_f(vx)} {_f(axis + 2)} l7 13 h-14 z" '
                         f'fill="{INK}"/>')
            label = (_pick(("本单位 ", "this unit "), lang) + fmt(d["value"], d["unit"])
                     + (f"（{d['grade']}）" if d["grade"] else ""))
            w = _text_width(label, 12.5)
            cx = min(max(vx, 6 + w / 2), WIDTH - 6 - w / 2)
            parts.append(_text(cx, axis + 32, label, anchor="middle", size=12.5, weight="700"))
        else:
            parts.append(_text(WIDTH / 2, axis + 32, _pick(
                ("单位产品能耗无法计算（产量为零或缺数据）",
                 "unit energy cannot be computed (no output or missing data)"), lang),
                anchor="middle", size=12, fill=MUTED))
        body.append("".join(parts) + "</g>")
        if n + 1 < len(data):
            body.append(f'<line x1="8" y1="{_f(y0 + row_h - 4)}" x2="{WIDTH - 8}" '
                        f'y2="{_f(y0 + row_h - 4)}" stroke="{GRID}"/>')
    height = head + len(data) * row_h
    desc = "；".join(_product_sentence(d, "zh") for d in data)
    return _svg("products", uid, height, _both(PRODUCTS_TITLE),
                f"{_both(PRODUCTS_TITLE)}（数值越低越好）：{desc}。", "".join(body), _patterns(uid))


def _product_sentence(d: dict, lang: str) -> str:
    value = (fmt(d["value"], d["unit"]) + (f"（{d['grade']}）" if d["grade"] else "")
             if d["value"] is not None else _pick(("无法计算", "cannot be computed"), lang))
    marks = "，".join(f"{_pick(LEVEL_NAMES[k], lang)} {fmt(v)}" for k, v in d["marks"])
    target = (_pick(("；能效要求 ", "; target "), lang) + fmt(d["target"])
              if d["target"] is not None else "")
    return f"{d['name']} {value}" + (f"（{marks}{target}）" if marks or target else "")


def product_levels_rows(products: Iterable[Mapping] | None,
                        *, lang: str = "zh") -> list[tuple[str, str]]:
    rows = []
    for d in _product_data(products, lang):
        value = (fmt(d["value"], d["unit"]) + (f"（{d['grade']}）" if d["grade"] else "")
                 if d["value"] is not None else _pick(("无法计算", "cannot be computed"), lang))
        marks = "，".join(f"{_pick(LEVEL_NAMES[k], lang)} {fmt(v)}" for k, v in d["marks"])
        target = (_pick(("能效要求 ", "target "), lang) + fmt(d["target"])
                  if d["target"] is not None else "")
        rows.append((d["name"], "；".join(t for t in (value, marks, target) if t)))
    return rows


# -- 4. points by item category -----------------------------------------------------------------

POINTS_TITLE = ("各类评分项得分与满分", "Points against the maximum by category")


def _category_data(items: Iterable[Mapping] | None, titles: Mapping[str, str] | None,
                   lang: str) -> list[dict]:
    groups: dict[str, list[float]] = {}
    for item in items or ():
        if not isinstance(item, Mapping) or item.get("status") == "not_applicable":
            continue
        points, maximum = number(item.get("points")), number(item.get("max"))
        if points is None or maximum is None:
            continue
        group = groups.setdefault(str(item.get("category") or ""), [0.0, 0.0])
        group[0] += points
        group[1] += maximum
    out = []
    for key, (points, maximum) in groups.items():
        label = (titles or {}).get(key) or (_pick(CATEGORY_TITLES[key], lang)
                                            if key in CATEGORY_TITLES else key or "—")
        share = f"（{_pct(points / maximum)}）" if maximum > 0 else ""
        out.append({"key": key, "label": label, "value": points, "maximum": maximum,
                    "text": f"{fmt(points)} / {fmt(maximum)}{share}"})
    return out


def points_by_category(items: Iterable[Mapping] | None, *, titles: Mapping[str, str] | None = None,
                       lang: str = "zh") -> str:
    """Points earned (filled bar) against the maximum (outline) per item category, in the
    criteria's order. Not-applicable items are left out of both, as in the engine's total.
    `titles` maps category ids to labels (defaults: CATEGORY_TITLES)."""
    data = _category_data(items, titles, lang)
    if not data:
        return no_data(POINTS_TITLE, "points")
    desc = "；".join(f"{d['label']} {d['text']}" for d in data)
    return _hbars("points", _uid("points", [(d["key"], d["value"], d["maximum"]) for d in data]),
                  data, _both(POINTS_TITLE), f"{_both(POINTS_TITLE)}（单位：分）：{desc}。")


def points_by_category_rows(items: Iterable[Mapping] | None, *,
                            titles: Mapping[str, str] | None = None,
                            lang: str = "zh") -> list[tuple[str, str]]:
    return [(d["label"], d["text"]) for d in _category_data(items, titles, lang)]


# -- 5. the department's view of a round --------------------------------------------------------

STATES_TITLE = ("各状态申报数", "Applications by state")
CITIES_TITLE = ("各市（州）申报数", "Applications by city")
HISTOGRAM_TITLE = ("总分分布", "Distribution of totals")
GATES_TITLE = ("未通过的基本要求", "Failed basic requirements")


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
    data = _state_data(counts, lang)
    if not data:
        return no_data(STATES_TITLE, "states")
    desc = "；".join(f"{d['label']} {d['text']}" for d in data)
    return _hbars("states", _uid("states", [(d["key"], d["value"]) for d in data]), data,
                  _both(STATES_TITLE), f"{_both(STATES_TITLE)}：{desc}。")


def applications_by_state_rows(counts: Mapping[str, int] | None,
                               *, lang: str = "zh") -> list[tuple[str, str]]:
    return [(d["label"], d["text"]) for d in _state_data(counts, lang)]


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
    data = _city_data(counts, include_zero, lang)
    if not data:
        return no_data(CITIES_TITLE, "cities")
    desc = "；".join(f"{d['label']} {d['text']}" for d in data)
    return _hbars("cities", _uid("cities", [(d["key"], d["value"]) for d in data]), data,
                  _both(CITIES_TITLE), f"{_both(CITIES_TITLE)}：{desc}。")


def applications_by_city_rows(counts: Mapping[str, int] | None, *, include_zero: bool = True,
                              lang: str = "zh") -> list[tuple[str, str]]:
    return [(d["label"], d["text"]) for d in _city_data(counts, include_zero, lang)]


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
                    lang: str = "zh") -> str:
    """How many totals fall in each 10-point bin from 0 to 100 (see histogram_bins). `marks`
    are (label, points) drawn as dashed lines, e.g. the levels' minimum totals."""
    bins = histogram_bins(totals)
    if not sum(bins):
        return no_data(HISTOGRAM_TITLE, "histogram")
    marks = [(str(label), v) for label, value in marks if (v := number(value)) is not None
             and 0 <= v <= 100]
    uid = _uid("histogram", (bins, marks))
    left, right, top, bottom = 48.0, WIDTH - 12.0, 40.0, 250.0
    ticks = _nice_ticks(0, max(bins), count=min(5, max(bins)), integer=True)

    def y(v: float) -> float:
        return bottom - v / ticks[-1] * (bottom - top)

    def x(points: float) -> float:
        return left + points / 100 * (right - left)

    body = [_text(8, 18, _pick(("申报数", "applications"), lang), size=12, fill=MUTED)]
    for t in ticks:
        body.append(f'<line x1="{_f(left)}" y1="{_f(y(t))}" x2="{_f(right)}" y2="{_f(y(t))}" '
                    f'stroke="{GRID}"/>' + _text(left - 6, y(t) + 4, _tick_label(t, ticks),
                                                  anchor="end", size=11, fill=MUTED))
    for i, count in enumerate(bins):
        bx = x(i * 10) + 4
        bw = x(10) - x(0) - 8
        parts = [f'<g class="bin" data-bin="{i * 10}" data-value="{count}">'
                 f"<title>{esc(_bin_label(i, lang))}：{count}</title>"]
        if count:
            parts.append(f'<rect x="{_f(bx)}" y="{_f(y(count))}" width="{_f(bw)}" '
                         f'height="{_f(y(0) - y(count))}" fill="{BAR}" stroke="{INK}" '
                         f'stroke-width="0.8"/>'
                         + _text(bx + bw / 2, y(count) - 5, str(count), anchor="middle",
                                 size=12, weight="700"))
        body.append("".join(parts) + "</g>")
    for p in range(0, 101, 10):
        body.append(_text(x(p), bottom + 16, str(p), anchor="middle", size=11, fill=MUTED))
    body.append(f'<line x1="{_f(left)}" y1="{_f(bottom)}" x2="{_f(right)}" y2="{_f(bottom)}" '
                f'stroke="{INK}"/>')
    body.append(_text((left + right) / 2, bottom + 34, _pick(("总分（每组 10 分）",
                                                             "total points (bins of 10)"),
                                                            lang), anchor="middle", size=12))
    for n, (label, v) in enumerate(marks):
        mx = x(v)
        text = f"{label} ≥ {v:g}"
        w = _text_width(text, 11.5)
        body.append(f'<g class="mark" data-value="{v!r}"><line x1="{_f(mx)}" y1="{_f(top - 10)}" '
                    f'x2="{_f(mx)}" y2="{_f(bottom)}" stroke="{INK}" stroke-width="1.5" '
                    f'stroke-dasharray="6 3"/>'
                    + _text(min(mx + 4, WIDTH - 6 - w), top - 14 - (n % 2) * 14, text,
                            size=11.5) + "</g>")
    n = sum(bins)
    desc = (f"共 {n} 份；" + "；".join(f"{_bin_label(i, 'zh')}：{c}" for i, c in enumerate(bins)
                                      if c))
    if marks:
        desc += "；虚线：" + "，".join(f"{label} {v:g} 分" for label, v in marks)
    return _svg("histogram", uid, bottom + 46, _both(HISTOGRAM_TITLE),
                f"{_both(HISTOGRAM_TITLE)}：{desc}。", "".join(body))


def score_histogram_rows(totals: Iterable | None, *, lang: str = "zh") -> list[tuple[str, str]]:
    bins = histogram_bins(totals)
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
    data = _gate_data(counts)
    if not data:
        return no_data(GATES_TITLE, "gates")
    desc = "；".join(f"{d['label']} {d['text']}" for d in data)
    return _hbars("gates", _uid("gates", [(d["key"], d["value"]) for d in data]), data,
                  _both(GATES_TITLE), f"{_both(GATES_TITLE)}（申报数）：{desc}。")


def failed_gates_rows(counts: Iterable[tuple[str, str, int]] | None,
                      *, lang: str = "zh") -> list[tuple[str, str]]:
    return [(d["label"], d["text"]) for d in _gate_data(counts)]


# -- bundles: what a page shows -----------------------------------------------------------------

def carrier_energy(batch, reference, electricity_tce=None, *, submission: int = 0,
                   lang: str = "zh") -> list[tuple[str, float]]:
    """(carrier name, tce) for one submission of an engine batch, as engine/explain.py computes
    them: quantity in the canonical unit × the carrier's tce_per_unit, summed over the
    submission's accounting units (a park's members included); electricity last, from the
    indicator electricity_energy_tce. Duck-typed: takes assessor.engine Batch and Reference."""
    units = [k for k, s in enumerate(batch.units["submission"]) if int(s) == submission]
    pairs = []
    for carrier in reference.carriers.values():
        column = batch.units.get(f"energy.{carrier.id}")
        if column is None:
            continue
        quantity = sum(float(column[k]) for k in units)
        if quantity:
            pairs.append((carrier.name_en if lang == "en" else carrier.name_zh,
                          quantity * carrier.tce_per_unit))
    if number(electricity_tce):
        pairs.append((_pick(("电力", "Electricity"), lang), float(electricity_tce)))
    return pairs


def _value(indicators: Mapping, name: str):
    entry = indicators.get(name)
    return entry.get("value") if isinstance(entry, Mapping) else entry


def result_charts(result: Mapping, energy: Iterable[tuple[str, float]] | None = None,
                  *, lang: str = "zh") -> list[dict]:
    """The charts of one engine result (engine.score / Revision.result): energy mix (when
    `energy` pairs are given), the emissions waterfall, product levels (when there are
    products) and points by category; each {id, svg, caption, rows}."""
    ind = result.get("indicators") or {}
    out = []
    if energy is not None:
        energy = list(energy)
        out.append({"id": "energy", "svg": energy_mix(energy, lang=lang),
                    "caption": _pick(ENERGY_TITLE, lang), "rows": energy_mix_rows(energy,
                                                                                 lang=lang)})
    args = {"scope1": _value(ind, "scope1_tco2"),
            "scope2_location": _value(ind, "scope2_location_tco2"),
            "scope2_market": _value(ind, "scope2_market_tco2"),
            "offsets": _value(ind, "offsets_tco2")}
    out.append({"id": "emissions", "svg": emissions_waterfall(**args, lang=lang),
                "caption": _pick(("排放总量、碳抵消与净排放（tCO2，基于市场）",
                                  "Emissions, offsets and net emissions (tCO2, market-based)"),
                                 lang),
                "rows": emissions_waterfall_rows(**args, lang=lang)})
    if result.get("products"):
        out.append({"id": "products", "svg": product_levels(result["products"], lang=lang),
                     "caption": _pick(("单位产品能耗与能效等级（数值越低越好）",
                                       "Unit energy against the efficiency levels (lower is "
                                       "better)"), lang),
                     "rows": product_levels_rows(result["products"], lang=lang)})
    items = result.get("items") or []
    out.append({"id": "points", "svg": points_by_category(items, lang=lang),
                "caption": _pick(POINTS_TITLE, lang),
                "rows": points_by_category_rows(items, lang=lang)})
    return out


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


def round_charts(records: Iterable, *, marks: Iterable[tuple[str, float]] = (),
                 all_cities: bool = True, lang: str = "zh") -> list[dict]:
    """The department's charts for one round: applications by state and by city (every city,
    or with all_cities=False only those with applications, as a city officer needs), the
    totals' distribution (with `marks`, e.g. the levels' minimum totals) and the failed gates;
    each {id, svg, caption, rows}. Records as in round_summary."""
    s = round_summary(records)
    gates = [(g, (t.get("en") if lang == "en" else t.get("zh")) if isinstance(t, Mapping)
              else str(t), c) for g, (t, c) in s["gates"].items()]
    marks = list(marks)
    return [
        {"id": "states", "svg": applications_by_state(s["states"], lang=lang),
         "caption": _pick(STATES_TITLE, lang),
         "rows": applications_by_state_rows(s["states"], lang=lang)},
        {"id": "cities", "svg": applications_by_city(s["cities"], include_zero=all_cities,
                                                     lang=lang),
         "caption": _pick(CITIES_TITLE, lang),
         "rows": applications_by_city_rows(s["cities"], include_zero=all_cities, lang=lang)},
        {"id": "histogram", "svg": score_histogram(s["totals"], marks=marks, lang=lang),
         "caption": _pick(("总分分布（系统计算总分，每组 10 分）",
                           "Distribution of totals (engine totals, bins of 10 points)"), lang),
         "rows": score_histogram_rows(s["totals"], lang=lang)},
        {"id": "gates", "svg": failed_gates(gates, lang=lang),
         "caption": _pick(GATES_TITLE, lang) + _pick(("（申报数，未通过次数多者在前）",
                                                      " (applications, most often first)"),
                                                     lang),
         "rows": failed_gates_rows(gates, lang=lang)},
    ]
