"""The gap to a level, one small bar per blocking figure: where the applicant is, where the
threshold is, and the side of it that fails (hatched). A declaration or a missing figure has
no bar: the sentence beside it says what is needed."""

from __future__ import annotations

from ..engine.verdicts import OP_WORDS, say
from .svg import BAR, GRID, INK, _el, _line, _patterns, _pick, _svg, _text, _uid
from .svg import number as _number

WIDTH = 400.0  # narrower than the other charts: its few words stay legible on a phone
_LEFT, _RIGHT, _HEIGHT = 8.0, WIDTH - 8.0, 78.0
_BAR_Y, _BAR_H = 34.0, 18.0


def _scale(value: float, threshold: float) -> tuple[float, float]:
    """The span drawn: from zero (or below it) to a little past the larger of the two."""
    lo = min(0.0, value, threshold)
    hi = max(value, threshold, 0.0)
    hi = lo + 1.0 if hi <= lo else hi + (hi - lo) * 0.15
    return lo, hi


def gap_bar(blocking: dict, *, title: tuple[str, str], lang: str = "zh") -> str | None:
    """The bar for one blocking gate or condition (an entry of result.gap[].blocking); None
    when there is nothing to draw (a declaration, a missing value)."""
    value, threshold = _number(blocking.get("value")), _number(blocking.get("threshold"))
    op = blocking.get("op")
    if value is None or threshold is None or op not in OP_WORDS:
        return None
    unit = blocking.get("unit")
    lo, hi = _scale(value, threshold)

    def x(v: float) -> float:
        return _LEFT + (v - lo) / (hi - lo) * (_RIGHT - _LEFT)

    uid = _uid("gap", (blocking.get("id"), value, threshold, lang))
    fails_above = op in ("<=", "<", "==")
    zone = (x(threshold), _RIGHT) if fails_above else (_LEFT, x(threshold))
    op_zh, op_en = OP_WORDS[op]
    need = _pick((f"要求{op_zh} {say(threshold, unit)}", f"required {op_en} "
                  f"{say(threshold, unit)}"), lang)
    here = _pick((f"本单位 {say(value, unit)}", f"here {say(value, unit)}"), lang)
    body = [
        _el("rect", x=zone[0], y=_BAR_Y - 4, width=max(zone[1] - zone[0], 0.0),
            height=_BAR_H + 8, fill=f"url(#{uid}-hatch)", opacity="0.35"),
        _el("rect", x=_LEFT, y=_BAR_Y, width=_RIGHT - _LEFT, height=_BAR_H, fill="none",
            stroke=GRID),
        _el("rect", x=x(min(0.0, value)), y=_BAR_Y, width=abs(x(value) - x(0.0)),
            height=_BAR_H, fill=BAR, data_key="value", data_value=value),
        _line(x(threshold), _BAR_Y - 10, x(threshold), _BAR_Y + _BAR_H + 6, stroke=INK,
              stroke_width=2.5, data_key="threshold", data_value=threshold),
        _text(_anchor_x(x(threshold)), _BAR_Y - 14, need, anchor=_anchor(x(threshold)),
              size=13, weight="bold"),
        _text(_anchor_x(x(value)), _BAR_Y + _BAR_H + 20, here, anchor=_anchor(x(value)),
              size=13, fill=INK),
    ]
    chart_title = (f"{title[0]}：差距", f"{title[1]}: the gap")
    desc = (f"：本单位 {say(value, unit)}，要求{op_zh} {say(threshold, unit)}。"
            f" Here {say(value, unit)}, required {op_en} {say(threshold, unit)}.")
    return _svg("gap", uid, _HEIGHT, chart_title, desc, "".join(body), defs=_patterns(uid),
                width=WIDTH)


def _anchor(x: float) -> str:
    """Labels near an end are anchored there, so they stay inside the chart."""
    return "start" if x < WIDTH * 0.25 else "end" if x > WIDTH * 0.75 else "middle"


def _anchor_x(x: float) -> float:
    return max(x, _LEFT) if _anchor(x) != "end" else min(x, _RIGHT)
