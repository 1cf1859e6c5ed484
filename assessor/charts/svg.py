"""The drawing kit every chart uses: colours, number formatting, escaping, text measuring, the
<svg> frame, the empty chart, axis ticks and horizontal bars."""

from __future__ import annotations

import hashlib
import html
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence

WIDTH = 640
FONT = "'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei','PingFang SC',sans-serif"
INK = "#1d2733"  # near black: totals, markers, text
MUTED = "#5b6776"
GRID = "#d6dde5"
BAR = "#0b6e4f"  # brand green, a mid-dark grey in print
LIGHT = "#a9d3c0"  # light green, a light grey in print
MID = "#b3bec9"

NO_DATA = "暂无数据 / No data"

# -- small helpers -----------------------------------------------------------------------------

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
    `number`): thousands separated with two decimals at most (trailing zeros dropped) from 100 up,
    four significant digits below."""
    value = number(value)
    if value is None:
        return "—"
    magnitude = abs(value)
    text = f"{value:,.2f}" if magnitude >= 100 else f"{value:.4g}" if magnitude else "0"
    if magnitude >= 100 and "." in text:  # 598,000.00 → 598,000, as the trace writes it
        text = text.rstrip("0").rstrip(".")
    return f"{text} {unit}" if unit and unit != "dimensionless" else text


def _signed(value: float, unit: str | None = None) -> str:
    return ("−" + fmt(-value, unit)) if value < 0 else ("+" + fmt(value, unit))


def _pct(share: float) -> str:
    """A share as people write it: one decimal, none when it is whole (100 %, 26.7 %)."""
    text = f"{share * 100:.1f}"
    return f"{text.removesuffix('.0')} %"


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


# -- elements ----------------------------------------------------------------------------------

def _attrs(attrs: Mapping) -> str:
    """Attributes as the charts write them: `cls` is class, other underscores are hyphens
    (stroke_width → stroke-width), numbers get two decimals but data-* attributes the exact
    value, None is left out, all is escaped."""
    return "".join(f' {"class" if k == "cls" else k.replace("_", "-")}="{_value(k, v)}"'
                   for k, v in attrs.items() if v is not None)


def _value(name: str, value) -> str:
    if isinstance(value, str) or name.startswith("data"):
        return esc(repr(value) if isinstance(value, float) else value)  # data-*: exact numbers
    return _f(value)


def _el(tag: str, **attrs) -> str:
    """An empty element: _el("rect", x=1.0, fill=BAR) → <rect x="1.00" fill="#0b6e4f"/>."""
    return f"<{tag}{_attrs(attrs)}/>"


def _line(x1: float, y1: float, x2: float, y2: float, **attrs) -> str:
    return _el("line", x1=x1, y1=y1, x2=x2, y2=y2, **attrs)


def _group(parts: Sequence[str], tip: str | None = None, **attrs) -> str:
    """A <g> of `parts`, with `tip` as its <title> (the tooltip) first."""
    title = f"<title>{esc(tip)}</title>" if tip is not None else ""
    return f"<g{_attrs(attrs)}>{title}{''.join(parts)}</g>"


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: float | None = None,
          weight: str | None = None, fill: str | None = None, cls: str | None = None) -> str:
    attrs = _attrs({"x": float(x), "y": float(y),
                    "text-anchor": anchor if anchor != "start" else None,
                    "font-size": f"{size:g}" if size else None, "font-weight": weight,
                    "fill": fill, "cls": cls})
    return f"<text{attrs}>{esc(text)}</text>"


def _centred(x: float, text: str, size: float) -> float:
    """Where to centre `text` near `x` so that it stays inside the chart."""
    w = _text_width(text, size)
    return min(max(x, 6 + w / 2), WIDTH - 6 - w / 2)


def _svg(kind: str, uid: str, height: float, title: tuple[str, str], desc: str, body: str,
         defs: str = "", data: str = "", width: float = WIDTH) -> str:
    """The chart: its <title> is `title` in both languages, its <desc> the same followed by
    `desc` (e.g. "：范围一 120 tCO2；…。"); `width` of the viewBox (a narrower one draws
    larger text on a phone)."""
    title, desc = _both(title), _both(title) + desc
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" id="{uid}" '
            f'viewBox="0 0 {width:g} {math.ceil(height)}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" role="img" '
            f'aria-labelledby="{uid}-title {uid}-desc" font-family="{FONT}" font-size="13" '
            f'fill="{INK}"{data}>'
            f'<title id="{uid}-title">{esc(title)}</title>'
            f'<desc id="{uid}-desc">{esc(desc)}</desc>'
            + (f"<defs>{defs}</defs>" if defs else "") + body + "</svg>")


def no_data(title: tuple[str, str] = ("图表", "Chart"), kind: str = "empty") -> str:
    """A small chart that says there is nothing to draw."""
    body = (_el("rect", x="0.5", y="0.5", width=WIDTH - 1, height=55, fill="none", stroke=GRID,
                stroke_dasharray="4 3")
            + _text(WIDTH / 2, 33, NO_DATA, anchor="middle", fill=MUTED))
    return _svg(kind, _uid(kind + "-empty", title), 56, title, f"：{NO_DATA}", body,
                data=' data-empty="true"')


def _patterns(uid: str) -> str:
    """Hatching and dots, so decreases and zones differ by more than colour."""
    return (f'<pattern id="{uid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="2"/></pattern>'
            f'<pattern id="{uid}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
            f'<rect width="5" height="5" fill="#fff"/>'
            f'<circle cx="2.5" cy="2.5" r="1.1" fill="{INK}"/></pattern>')


def _paint(uid: str, fill: str) -> str:
    """A fill: a colour, or "hatch" or "dots" for the chart's pattern (see _patterns)."""
    return f"url(#{uid}-{fill})" if fill in ("hatch", "dots") else fill


# -- the value axis of the column charts (waterfall, histogram) --------------------------------

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


def _value_axis(unit: str, ticks: Sequence[float], y: Callable[[float], float], left: float,
                right: float) -> list[str]:
    """The unit top left, then a grid line across and a label on the left for every tick."""
    return [_text(8, 18, unit, size=12, fill=MUTED)] + [
        _line(left, y(t), right, y(t), stroke=GRID)
        + _text(left - 6, y(t) + 4, _tick_label(t, ticks), anchor="end", size=11, fill=MUTED)
        for t in ticks]


# -- horizontal bars (energy mix, states, cities, gates, categories) ---------------------------

def _bar_chart(kind: str, title: tuple[str, str], data: list[dict], note: str = "",
               tail: str = "") -> str:
    """Horizontal bars of `data`, rows of {key, label, value, text, maximum?}; the maximum, if
    any, is drawn as an outline. The description gives every row as "label text", with `note`
    after the title (e.g. the unit) and `tail` after the rows (e.g. the total). No rows: the
    no-data chart."""
    if not data:
        return no_data(title, kind)
    label_w = min(max(_text_width(r["label"]) for r in data) + 4, 260.0)
    text_w = max(_text_width(r["text"], 12) for r in data) + 8
    if WIDTH - label_w - text_w - 32 < 180:  # keep the bars readable: shorten the labels
        label_w = max(80.0, WIDTH - text_w - 32 - 180)
    x0 = 8 + label_w + 8
    span = WIDTH - x0 - text_w - 12
    top = max(max(r["value"], r.get("maximum") or 0.0) for r in data)

    def width(value: float | None) -> float:  # the share first: a tiny top must not overflow
        return max(value or 0.0, 0.0) / top * span if top > 0 else 0.0

    row_h, bar_h, pad = 30, 18, 8
    body = []
    for i, r in enumerate(data):
        y, maximum = pad + i * row_h, r.get("maximum")
        parts = [_text(x0 - 8, y + row_h / 2 + 4.5, _clip(r["label"], label_w), anchor="end")]
        if maximum is not None:
            parts.append(_el("rect", cls="maximum", x=x0, y=y + 6, width=width(maximum),
                             height=bar_h, fill="#fff", stroke=INK, stroke_width="1.2"))
        parts.append(_el("rect", cls="value", x=x0, y=y + 6, width=width(r["value"]),
                         height=bar_h, fill=BAR))
        end = max(width(r["value"]), width(maximum))
        parts.append(_text(x0 + end + 6, y + row_h / 2 + 4.5, r["text"], size=12))
        body.append(_group(parts, f"{r['label']}：{r['text']}", cls="bar", data_key=r["key"],
                           data_value=r["value"], data_maximum=maximum))
    height = pad + len(data) * row_h + pad
    body.append(_line(x0, pad, x0, height - pad, stroke=INK, stroke_width=1))
    uid = _uid(kind, [(d["key"], d["value"], d["maximum"]) if "maximum" in d
                      else (d["key"], d["value"]) for d in data])
    desc = "；".join(f"{d['label']} {d['text']}" for d in data)
    return _svg(kind, uid, height, title, f"{note}：{desc}{tail}。",
                "".join(body))


def _rows(data: list[dict]) -> list[tuple[str, str]]:
    """The data table of a bar chart: (label, text) per bar."""
    return [(d["label"], d["text"]) for d in data]


def _figure(figure_id: str, caption: str, draw: Callable, rows: Callable, *args, **kwargs
            ) -> dict:
    """One entry of result_charts / round_charts: the chart and its data table drawn from the
    same arguments."""
    return {"id": figure_id, "svg": draw(*args, **kwargs), "caption": caption,
            "rows": rows(*args, **kwargs)}
