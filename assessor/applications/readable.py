"""A result as the pages show it: each gate, item and blocking figure with its sentence
(engine/verdicts.py), each gap with its bar and the ways to close it, and the sources taken
out of the sentences (applicants see them behind a click, officers and experts beside them).
Works on results frozen long ago too: everything is worked out from the stored entries."""

from __future__ import annotations

import re

from ..charts.gap import gap_bar
from ..engine.verdicts import gate_words, item_words, points_short_words, remedies

PROVISIONAL_MARK = "（暂行默认值 provisional）"
_TAG = re.compile(r"\s*\[(V|S|S-weak|U)\]$")


def basis(cite: str | None) -> dict | None:
    """A source as cited by the engine ("document clause [S-weak]（暂行默认值 provisional）"),
    split into the document and clause, the reliability tag and whether it is provisional."""
    if not cite:
        return None
    provisional = cite.endswith(PROVISIONAL_MARK)
    text = cite[:-len(PROVISIONAL_MARK)] if provisional else cite
    found = _TAG.search(text)
    return {"text": text[:found.start()] if found else text,
            "tag": found.group(1) if found else None, "provisional": provisional}


def _trace_line(line: dict, gates: dict) -> dict:
    """A trace sentence without the sources written into it (they are listed apart); a gate's
    in the words of the gate list (results frozen before those words wrote "1 = 0 → 未通过")."""
    zh, en = line.get("zh", ""), line.get("en", "")
    for source in line.get("sources") or []:
        zh = zh.replace(f"（{source}）", "").replace(f"；{source}）", "）")
        en = en.replace(f" ({source})", "")
    zh = zh.replace("（）", "")
    gate = gates.get(line.get("id"))
    if gate is not None:  # keep what a not-applicable gate's line adds: where it applies
        rest_zh = zh[zh.index("；本项仅在"):] if "；本项仅在" in zh else "。"
        rest_en = en[en.index("; it applies only"):] if "; it applies only" in en else "."
        zh = f"{gate['id']} {gate['title']['zh']}：{gate['words']['zh']}{rest_zh}"
        en = f"{gate['id']} {gate['title']['en']}: {gate['words']['en']}{rest_en}"
    sources = [b for b in (basis(s) for s in dict.fromkeys(line.get("sources") or [])) if b]
    return {"zh": zh, "en": en, "sources": sources}


def _indicator_title(entry: dict, criteria, indicators: dict) -> tuple[str, str]:
    name = entry.get("indicator")
    if criteria is not None and name in criteria.symbols:
        title = criteria.symbols[name].title
        return title.zh, title.en
    if name in indicators:
        return indicators[name]["zh"], indicators[name]["en"]
    return entry["title"]["zh"], entry["title"]["en"]


def _gap(level: dict, criteria, indicators: dict, lang: str, drawn: set) -> dict:
    """A level's blocking figures in words with the ways to close them; each figure's bar
    once on the page (the next level down usually shares it)."""
    blocking = []
    for b in level.get("blocking") or []:
        title = _indicator_title(b, criteria, indicators)
        key = (b.get("id"), b.get("indicator"), b.get("threshold"))
        blocking.append(dict(b, words=gate_words(b, criteria, indicators),
                             remedies=remedies(b, level.get("residual_grid_mwh")),
                             chart=None if key in drawn else gap_bar(b, title=title, lang=lang)))
        drawn.add(key)
    return dict(level, blocking=blocking, short=points_short_words(level))


def readable(result: dict, criteria=None, lang: str = "zh") -> dict:
    """The parts of `result` the result macro shows, in words; `criteria` is the result's set
    when it is still loaded (None: the words fall back to what the result itself holds)."""
    indicators = result.get("indicators") or {}
    drawn: set = set()
    gates = [dict(g, words=gate_words(g, criteria, indicators), basis=basis(g.get("source")))
             for g in result.get("gates") or []]
    items = [dict(i, words=item_words(i, criteria), basis=basis(i.get("source")))
             for i in result.get("items") or []]
    return {
        "gates": gates, "items": items,
        "gap": [_gap(level, criteria, indicators, lang, drawn) for level in result.get("gap") or []],
        "trace": [_trace_line(line, {g["id"]: g for g in gates})
                  for line in result.get("trace") or []],
        "provisional": (result.get("criteria") or {}).get("status") == "provisional",
    }
