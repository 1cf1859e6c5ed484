"""A worked case's failures in words for the pages: what the person worked out against what the
engine computed, with the set's own names for indicators, gates, items and levels.

The engine reports a failure as one English line (engine/cases.py); each known form is read back
here. A line of another form is shown as it is.
"""

from __future__ import annotations

import re

from ..engine import CriteriaSet

STATUS_WORDS = {"passed": ("通过", "passed"), "failed": ("未通过", "failed"),
                "missing": ("数据缺失", "missing data"),
                "not_applicable": ("不适用", "not applicable"), "None": ("未评价", "not assessed")}


def _titles(criteria: CriteriaSet | None) -> dict[str, tuple[str, str]]:
    if criteria is None:
        return {}
    titles = {s.id: (s.title.zh, s.title.en) for s in criteria.symbols.values()}
    titles.update({i.id: (i.title.zh, i.title.en) for i in criteria.model.items})
    titles.update({lv.id: (lv.title.zh, lv.title.en) for lv in criteria.model.levels})
    return titles


def failure_words(line: str, criteria: CriteriaSet | None) -> tuple[str, str]:
    """(zh, en) for one failure line of a case."""
    titles = _titles(criteria)

    def named(key: str) -> tuple[str, str]:
        zh, en = titles.get(key, ("", ""))
        return (f"{key}（{zh}）" if zh else key), (f"{key} ({en})" if en else key)

    def status(word: str) -> tuple[str, str]:
        return STATUS_WORDS.get(word, (word, word))

    def level(word: str) -> tuple[str, str]:
        zh, en = titles.get(word, (word, word))
        return zh, en

    found = re.fullmatch(r"indicator (\S+): not computed", line)
    if found:
        zh, en = named(found[1])
        return f"指标 {zh}：本标准未计算该指标", f"indicator {en}: not computed by this set"
    found = re.fullmatch(r"indicator (\S+): expected (.+), got (.+)", line)
    if found:
        zh, en = named(found[1])
        return (f"指标 {zh}：人工计算为 {found[2]}，系统计算为 {found[3]}",
                f"indicator {en}: worked out by hand {found[2]}, computed {found[3]}")
    found = re.fullmatch(r"gate (\S+): expected (\S+), got (\S+)", line)
    if found:
        zh, en = named(found[1])
        want, got = status(found[2]), status(found[3])
        return (f"否决项 {zh}：人工判定为“{want[0]}”，系统判定为“{got[0]}”",
                f"gate {en}: by hand '{want[1]}', computed '{got[1]}'")
    found = re.fullmatch(r"item (\S+): expected (.+) points, got (.+)", line)
    if found:
        zh, en = named(found[1])
        return (f"评分项 {zh}：人工计算 {found[2]} 分，系统计算 {found[3]} 分",
                f"item {en}: {found[2]} points by hand, {found[3]} computed")
    found = re.fullmatch(r"total: expected (.+), got (.+)", line)
    if found:
        return (f"总分：人工计算 {found[1]}，系统计算 {found[2]}",
                f"total: {found[1]} by hand, {found[2]} computed")
    found = re.fullmatch(r"level: expected (\S+), got (\S+)", line)
    if found:
        want, got = level(found[1]), level(found[2])
        return (f"等级：人工判定为“{want[0]}”，系统判定为“{got[0]}”",
                f"level: by hand '{want[1]}', computed '{got[1]}'")
    found = re.fullmatch(r"double_claims: expected (.+), got (.+)", line)
    if found:
        return (f"重复声明：人工判定 {found[1]} 处，系统发现 {found[2]} 处",
                f"double claims: {found[1]} by hand, {found[2]} found")
    found = re.fullmatch(r"gap (\S+): not reported", line)
    if found:
        want = level(found[1])
        return f"差距（{want[0]}）：系统未给出", f"gap to '{want[1]}': not reported"
    found = re.fullmatch(r"gap (\S+?)\.(\S+): expected (.+), got (.+)", line)
    if found:
        want = level(found[1])
        return (f"差距（{want[0]}）{found[2]}：人工计算 {found[3]}，系统计算 {found[4]}",
                f"gap to '{want[1]}' {found[2]}: {found[3]} by hand, {found[4]} computed")
    found = re.fullmatch(r"process source '(.+)': not found \(found: (.*)\)", line)
    if found:
        return (f"过程排放源“{found[1]}”：系统未计算该排放源（系统计算的排放源：{found[2]}）",
                f"process source '{found[1]}': not computed (computed: {found[2]})")
    found = re.fullmatch(r"process source '(.+)': expected (.+) tCO2, got (.+)", line)
    if found:
        return (f"过程排放源“{found[1]}”：人工计算 {found[2]} tCO2，系统计算 {found[3]} tCO2",
                f"process source '{found[1]}': {found[2]} tCO2 by hand, {found[3]} computed")
    found = re.fullmatch(r"process source '(.+)': method should say '(.+)', it says '(.*)'", line)
    if found:
        return (f"过程排放源“{found[1]}”：计算方法应为“{found[2]}”，系统为“{found[3]}”",
                f"process source '{found[1]}': the method should say '{found[2]}', it says "
                f"'{found[3]}'")
    found = re.fullmatch(r"problem at (\S+) not reported \(reported: (.*)\)", line)
    if found:
        return (f"应报告 {found[1]} 处的数据问题，系统未报告（系统报告：{found[2]}）",
                f"a problem at {found[1]} is expected but not reported (reported: {found[2]})")
    if line == "expected problems, but the submission scored":
        return "应判定申报数据有误，但系统正常计算了结果", line
    if line.startswith("unexpected SubmissionError: "):
        rest = line.split(": ", 1)[1]
        return f"申报数据被系统拒绝：{rest}", f"the submission was refused: {rest}"
    if line.startswith(("cannot be read: ", "cannot be run: ")):
        rest = line.split(": ", 1)[1]
        return f"算例无法读取或运行：{rest}", line
    if line == "a case is a YAML mapping":
        return "算例文件应为 YAML 键值对", line
    if line.startswith("missing "):
        return f"算例缺少：{line[len('missing '):]}", line
    return line, line
