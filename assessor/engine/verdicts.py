"""Gates, scored items and the gap to each level in plain words, Chinese and English:
"单位能耗碳排放 1.971 tCO2/tce，要求不高于 1.8 tCO2/tce → 未通过", "已声明…… → 通过",
"再购买约 338 MWh 绿电". Written from a result's entries (also results frozen long ago) and,
where it is at hand, the criteria set (declarations' titles and options, the rules' wanted
values, the scored indicators' units); never a raw comparison or an internal unit key."""

from __future__ import annotations

import math

UNIT_WORDS = {None: "", "dimensionless": "", "fraction": "%", "%": "%"}
OP_WORDS = {"<=": ("不高于", "at most"), "<": ("低于", "below"), ">=": ("不低于", "at least"),
            ">": ("高于", "above"), "==": ("等于", "equal to"), "!=": ("不等于", "other than")}
STATUS_WORDS = {"passed": ("通过", "passed"), "failed": ("未通过", "failed"),
                "missing": ("数据缺失，无法判定", "missing data, cannot be judged"),
                "not_applicable": ("不适用", "not applicable")}


def unit_words(unit: str | None) -> str:
    """A unit as people write it: shares in per cent, no word for a plain count."""
    return UNIT_WORDS.get(unit, unit or "")


def say(value, unit: str | None = None) -> str:
    """A number as people read it: four significant digits (never fewer than the whole part),
    thousands separated, trailing zeros dropped, the unit after it (shares ×100 in %)."""
    if value is None or isinstance(value, bool):
        return "—"
    value = float(value)
    if not math.isfinite(value):
        return "—"
    if unit == "fraction":
        value *= 100
    magnitude = abs(value)
    decimals = 0 if magnitude == 0 else max(0, 3 - math.floor(math.log10(magnitude)))
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    text = text.replace("-", "−")
    shown = unit_words(unit)
    return f"{text} {shown}" if shown else text


def _pair(zh: str, en: str) -> dict:
    return {"zh": zh, "en": en}


def _symbol_title(indicator: str | None, criteria, indicators: dict | None) -> tuple | None:
    if criteria is not None and indicator in criteria.symbols:
        title = criteria.symbols[indicator].title
        return title.zh, title.en
    if indicators and indicator in indicators:
        return indicators[indicator]["zh"], indicators[indicator]["en"]
    return None


def _rule(entry: dict, criteria):
    """The criteria's condition behind an entry: a gate's rule, or a level's condition."""
    if criteria is None:
        return None
    for item in criteria.model.items:
        if item.id == entry.get("id") and item.rule is not None:
            return item.rule
    for level in criteria.model.levels:
        for condition in level.conditions:
            if condition.indicator == entry.get("indicator"):
                return condition
    return None


def _declaration_words(entry: dict, declaration, rule) -> tuple[str, str]:
    value = entry.get("value")
    if declaration.type == "boolean":
        wanted = True if rule is None else bool(rule.value)
        declared = value is not None and (value >= 0.5) == wanted
        if value is None:
            return f"未填写声明：{declaration.title.zh}", f"Not answered: {declaration.title.en}"
        return ((f"已声明{declaration.title.zh}", f"Declared: {declaration.title.en}") if declared
                else (f"未声明{declaration.title.zh}", f"Not declared: {declaration.title.en}"))
    titles = declaration.option_titles

    def named(option: str) -> tuple[str, str]:
        return (titles[option].zh, titles[option].en) if option in titles else (option, option)

    chosen = (("未填写", "not answered") if value is None or not 0 <= int(value) < len(
        declaration.options) else named(declaration.options[int(value)]))
    wanted = [] if rule is None else (rule.value if isinstance(rule.value, list) else [rule.value])
    names = [named(w) for w in wanted]
    negated = rule is not None and rule.op == "!="
    need_zh = ("要求不为" if negated else "要求为") + "或".join(n[0] for n in names)
    need_en = ("required: not " if negated else "required: ") + " or ".join(n[1] for n in names)
    return (f"{declaration.title.zh}：{chosen[0]}" + (f"，{need_zh}" if names else ""),
            f"{declaration.title.en}: {chosen[1]}" + (f", {need_en}" if names else ""))


def condition_words(entry: dict, criteria=None, indicators: dict | None = None) -> dict:
    """What was compared, in words, without the verdict: "单位能耗碳排放 1.971 tCO2/tce，要求不高
    于 1.8 tCO2/tce"; a declaration: "已声明……"."""
    indicator = entry.get("indicator")
    declaration = (criteria.declarations_by_id.get(indicator) if criteria is not None
                   else None)
    if declaration is not None:
        return _pair(*_declaration_words(entry, declaration, _rule(entry, criteria)))
    title = _symbol_title(indicator, criteria, indicators) or (entry["title"]["zh"],
                                                               entry["title"]["en"])
    if entry.get("threshold") is None:  # a declaration without its criteria at hand
        return _pair(title[0], title[1])
    unit = entry.get("unit")
    value = "数据缺失" if entry.get("value") is None else say(entry["value"], unit)
    value_en = "missing" if entry.get("value") is None else say(entry["value"], unit)
    op_zh, op_en = OP_WORDS.get(entry.get("op"), (entry.get("op"), entry.get("op")))
    return _pair(f"{title[0]} {value}，要求{op_zh} {say(entry['threshold'], unit)}",
                 f"{title[1]} {value_en}, required {op_en} {say(entry['threshold'], unit)}")


def gate_words(entry: dict, criteria=None, indicators: dict | None = None) -> dict:
    """A gate (or a level's condition) with its verdict: "…，要求不高于 1.8 tCO2/tce → 未通过"."""
    status_zh, status_en = STATUS_WORDS[entry["status"]]
    if entry["status"] == "not_applicable":
        return _pair("本项不适用", "not applicable")
    said = condition_words(entry, criteria, indicators)
    return _pair(f"{said['zh']} → {status_zh}", f"{said['en']} → {status_en}")


_ITEM_STATUS = {"expert_scored": ("专家评分", "scored by experts"),
                "suggested": ("系统建议分，待专家评定", "suggested, experts decide"),
                "pending": ("待专家评定", "awaiting experts"),
                "not_applicable": ("不适用", "not applicable"),
                "missing": ("数据缺失，记 0 分", "missing data, 0 points")}


def item_words(entry: dict, criteria=None) -> dict:
    """A scored or expert item: "非化石能源消费占比 35.67 % → 1.309 / 15 分"."""
    points = f"{say(entry['points'])} / {say(entry['max'])}"
    if entry.get("kind") == "expert" or entry["status"] != "passed" or entry.get("value") is None:
        zh, en = _ITEM_STATUS.get(entry["status"], ("", ""))
        tail_zh, tail_en = (f"（{zh}）", f" ({en})") if zh else ("", "")
        return _pair(f"{points} 分{tail_zh}", f"{points} points{tail_en}")
    unit, named = None, ("", "")
    if criteria is not None:
        item = next((x for x in criteria.model.items if x.id == entry["id"]), None)
        rule = item and (item.scoring or item.suggestion)
        if rule is not None and rule.indicator in criteria.symbols:
            symbol = criteria.symbols[rule.indicator]
            unit = symbol.unit
            if symbol.title.zh != entry["title"]["zh"]:  # say what was measured
                named = (symbol.title.zh + " ", symbol.title.en + " ")
    value = say(entry["value"], unit)
    return _pair(f"{named[0]}{value} → {points} 分", f"{named[1]}{value} → {points} points")


def remedies(blocking: dict, residual_grid_mwh: float | None = None) -> list[dict]:
    """One sentence for each way to close a failing figure: offsets, or green power bought in
    place of grid power (and whether the grid power left is enough for that)."""
    if blocking["status"] == "missing":
        return [_pair("补填这项数据后才能判定", "fill in this figure so that it can be judged")]
    out = []
    if blocking.get("green_power_needed_mwh"):
        mwh = say(blocking["green_power_needed_mwh"], "MWh")
        zh = f"再购买约 {mwh} 绿电（绿电交易、绿证或绿电直连），替代电网购电"
        en = f"buy about {mwh} more green power (trades, certificates or direct supply) " \
             f"in place of grid power"
        if not blocking.get("green_power_enough", True):
            left = say(residual_grid_mwh, "MWh")
            zh += f"；但未认定为绿电的电网购电只有 {left}，仅靠绿电不够"
            en += f"; but only {left} of grid power is left to replace: green power alone is " \
                  f"not enough"
        out.append(_pair(zh, en))
    if blocking.get("offsets_needed_tco2"):
        tco2 = say(blocking["offsets_needed_tco2"], "tCO2")
        out.append(_pair(("或" if out else "") + f"取得约 {tco2} 碳抵消（CCER、林业碳票等）",
                         ("or " if out else "") + f"retire about {tco2} of offsets (CCER, "
                         f"forestry tickets …)"))
    return out


def points_short_words(gap: dict) -> dict | None:
    """"总分还差 7.778 分" for a level, noting when expert items are not yet scored."""
    if not gap.get("points_short"):
        return None
    short = say(gap["points_short"])
    provisional = gap.get("provisional_points")
    return _pair(f"总分还差 {short} 分" + ("（含待专家评定项，得分暂定）" if provisional else ""),
                 f"{short} points short" + (" (expert items pending)" if provisional else ""))
