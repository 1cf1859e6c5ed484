"""Product energy levels: each product's unit energy on a scale with its efficiency grades."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..engine.compare import holds
from .svg import (
    GRID,
    INK,
    MID,
    MUTED,
    WIDTH,
    _centred,
    _clip,
    _el,
    _group,
    _line,
    _paint,
    _patterns,
    _pick,
    _svg,
    _text,
    _text_width,
    _uid,
    fmt,
    no_data,
    number,
)

LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "grade_1": ("1级", "Grade 1"),
    "grade_2": ("2级", "Grade 2"),
    "grade_3": ("3级（限额）", "Grade 3 (limit)"),
    "benchmark": ("标杆", "Benchmark"),
    "baseline": ("基准", "Baseline"),
}

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
    """Two levels that share one mark: equal under the engine's comparison rule."""
    return holds("==", a, b)


def _zones(marks: dict[str, float], lo: float, hi: float) -> list[tuple[tuple, float, float]]:
    """The grade zones along the scale. With a grade missing only the zone beyond the limit
    (grade 3) is drawn; none when the grades are not in rising order."""
    g1, g2, g3 = (marks.get(k) for k in ("grade_1", "grade_2", "grade_3"))
    if g1 is None or g2 is None or g3 is None:
        return [(ZONES[3], g3, hi)] if g3 is not None and hi > g3 else []
    if not g1 <= g2 <= g3:
        return []
    bounds = [lo, g1, g2, g3, hi]
    return [(zone, a, b) for zone, a, b in zip(ZONES, bounds, bounds[1:], strict=False)
            if b > a]


LEFT, RIGHT, HEAD, ROW = 30.0, WIDTH - 30.0, 46.0, 132.0  # scale ends, legend and row heights


def product_levels(products: Iterable[Mapping] | None, *, lang: str = "zh") -> str:
    """For each product (engine result `products`): a scale with grade 1, grade 2, grade 3 (the
    limit), benchmark and baseline marked, and the unit energy as a triangle below it. Lower is
    better; each product has its own scale, negative values (steel converters) included. Equal
    levels share one mark; missing levels are skipped; the target is drawn bold."""
    data = _product_data(products, lang)
    if not data:
        return no_data(PRODUCTS_TITLE, "products")
    uid = _uid("products", [(d["key"], d["value"], d["marks"]) for d in data])
    body = _legend(uid, lang)
    for n, d in enumerate(data):
        body.append(_product(d, HEAD + n * ROW, uid, lang))
        if n + 1 < len(data):  # a rule between two products
            rule = HEAD + (n + 1) * ROW - 4
            body.append(_line(8, rule, WIDTH - 8, rule, stroke=GRID))
    desc = "；".join(_product_sentence(d, "zh") for d in data)
    return _svg("products", uid, HEAD + len(data) * ROW, PRODUCTS_TITLE,
                f"（数值越低越好）：{desc}。", "".join(body), _patterns(uid))


def _legend(uid: str, lang: str) -> list[str]:
    """The zones, the target and the direction."""
    out, x = [], 8.0
    for zone_id, names, fill in ZONES:
        label = _pick(names, lang)
        out.append(_el("rect", cls=f"legend-{zone_id}", x=x, y=8, width=16, height=10,
                       fill=_paint(uid, fill), stroke=INK, stroke_width="0.8")
                   + _text(x + 20, 17.5, label, size=11.5))
        x += 20 + _text_width(label, 11.5) + 14
    out.append(_text(8, 36, _pick(("▲ 本单位的单位产品能耗；粗线为能效要求（目标）；← 数值越低越好",
                                   "▲ unit energy; bold line: the target; ← lower is better"),
                                  lang), size=11.5, fill=MUTED))
    return out


def _product(d: dict, y0: float, uid: str, lang: str) -> str:
    """One product's row: its name and indicator, the zones on its own scale, the level marks
    and the unit energy below."""
    axis = y0 + 82
    values = [v for _, v in d["marks"]] + ([d["value"]] if d["value"] is not None else [])
    lo, hi = min(values), max(values)
    span = hi - lo if hi > lo else max(abs(hi) * 0.2, 1.0)
    lo, hi = lo - span * 0.12, hi + span * 0.12

    def sx(v: float) -> float:
        return LEFT + (v - lo) / (hi - lo) * (RIGHT - LEFT)

    indicator = _clip(f"{d['indicator']} {d['unit']}".strip(), 280, 12)
    room = WIDTH - 28 - _text_width(indicator, 12)
    parts = [_text(8, y0 + 18, _clip(d["name"], room, 14), size=14, weight="700"),
             _text(WIDTH - 8, y0 + 18, indicator, anchor="end", size=12, fill=MUTED)]
    for (zone_id, _, fill), a, b in _zones(dict(d["marks"]), lo, hi):
        parts.append(_el("rect", cls=f"zone {zone_id}", x=sx(a), y=axis - 6, width=sx(b) - sx(a),
                         height=12, fill=_paint(uid, fill), stroke=INK, stroke_width="0.6"))
    parts.append(_line(LEFT, axis, RIGHT, axis, stroke=INK, stroke_width=1))
    if lo < 0 < hi:
        parts.append(_line(sx(0), axis + 6, sx(0), axis + 12, stroke=MUTED)
                     + _text(sx(0), axis + 22, "0", anchor="middle", size=10, fill=MUTED))
    parts += _level_marks(d, sx, axis, lang)
    if d["value"] is not None:
        vx = sx(d["value"])
        label = _pick(("本单位 ", "this unit "), lang) + _value_text(d, lang)
        parts.append(_el("path", cls="marker", d=f"M{vx:.2f} {axis + 2:.2f} l7 13 h-14 z",
                         fill=INK)
                     + _text(_centred(vx, label, 12.5), axis + 32, label, anchor="middle",
                             size=12.5, weight="700"))
    else:
        parts.append(_text(WIDTH / 2, axis + 32, _pick(
            ("单位产品能耗无法计算（产量为零或缺数据）",
             "unit energy cannot be computed (no output or missing data)"), lang),
            anchor="middle", size=12, fill=MUTED))
    return _group(parts, cls="product", data_key=d["key"], data_value=d["value"])


def _level_marks(d: dict, sx, axis: float, lang: str) -> list[str]:
    """A mark per level; equal levels share one, labels stand in up to three tiers so that they
    do not overlap, and the target is bold."""
    groups: list[list] = []
    for key, v in sorted(d["marks"], key=lambda kv: kv[1]):
        if groups and _close(groups[-1][0], v):
            groups[-1][1].append(key)
        else:
            groups.append([v, [key]])
    out, tiers = [], [-1e9, -1e9, -1e9]
    for v, keys in groups:
        is_target = d["target"] is not None and _close(v, d["target"])
        label = "·".join(_pick(LEVEL_NAMES[k], lang) for k in keys) + " " + fmt(v)
        w = _text_width(label, 11.5)
        cx = _centred(sx(v), label, 11.5)
        tier = next((t for t in range(3) if tiers[t] + 6 < cx - w / 2), 2)
        tiers[tier] = cx + w / 2
        ty = axis - 14 - tier * 16
        out.append(_group([_line(sx(v), ty + 4, sx(v), axis + 6, stroke=INK,
                                 stroke_width="3" if is_target else "1",
                                 stroke_dasharray=None if is_target else "3 2"),
                           _text(cx, ty, label, anchor="middle", size=11.5,
                                 weight="700" if is_target else None)],
                          cls="level", data_levels=" ".join(keys), data_value=v))
    return out


def _value_text(d: dict, lang: str) -> str:
    """The unit energy with its grade, or that it cannot be computed."""
    if d["value"] is None:
        return _pick(("无法计算", "cannot be computed"), lang)
    return fmt(d["value"], d["unit"]) + (f"（{d['grade']}）" if d["grade"] else "")


def _marks_text(d: dict, lang: str) -> str:
    return "，".join(f"{_pick(LEVEL_NAMES[k], lang)} {fmt(v)}" for k, v in d["marks"])


def _product_sentence(d: dict, lang: str) -> str:
    marks = _marks_text(d, lang)
    target = (_pick(("；能效要求 ", "; target "), lang) + fmt(d["target"])
              if d["target"] is not None else "")
    return (f"{d['name']} {_value_text(d, lang)}"
            + (f"（{marks}{target}）" if marks or target else ""))


def product_levels_rows(products: Iterable[Mapping] | None,
                        *, lang: str = "zh") -> list[tuple[str, str]]:
    rows = []
    for d in _product_data(products, lang):
        target = (_pick(("能效要求 ", "target "), lang) + fmt(d["target"])
                  if d["target"] is not None else "")
        texts = (_value_text(d, lang), _marks_text(d, lang), target)
        rows.append((d["name"], "；".join(t for t in texts if t)))
    return rows

