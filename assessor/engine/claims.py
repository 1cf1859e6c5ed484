"""Claims: certificate and offset serials, so that each one counts once.

A claim is a block of `count` consecutive serials from `serial`. Serials are compared after
normalising (full-width to ASCII, spaces removed, upper case) and as numbers (their trailing
digits, so zero-padding does not matter and …9999 + 1 is …10000). Green certificates listed
on their own and those bundled with a green-power trade come from one registry, so they are
compared with each other.

Detection is one sort and a sweep over intervals: sorted by start, a range repeats serials when
it starts before the furthest end reached by the ranges before it. Everything is numpy/pandas
over whole columns: a province's claims are checked at once in n log n.
"""

from __future__ import annotations

import heapq
import re
import unicodedata

import numpy as np
import pandas as pd

KIND_ZH = {"gec": "绿证", "green_trade": "绿电交易绿证", "ccer": "CCER",
           "forestry_ticket": "林业碳票", "other": "其他碳信用"}
KIND_EN = {"gec": "green certificate", "green_trade": "green-power trade certificate",
           "ccer": "CCER", "forestry_ticket": "forestry carbon ticket", "other": "carbon credit"}
# instruments from one registry share a number space
POOL = {"gec": "gec", "green_trade": "gec", "ccer": "ccer", "forestry_ticket": "forestry_ticket",
        "other": "other"}
# Trailing digits are compared as int64: numbers of more than 18 digits keep the digits above
# 10^18 in the prefix, and a block that crosses a multiple of 10^18 is split in two.
LOW = 10 ** 18
_TRAILING_DIGITS = re.compile(r"^(.*?)([0-9]+)$")


def normalise_serial(text: str) -> str:
    """The serial as compared: NFKC (full-width letters, digits and spaces to ASCII), without
    whitespace, upper case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def serial_parts(serial: str) -> tuple[str, int, int] | None:
    """(prefix, high, number) of a serial ending in digits (number < 10^18), else None.
    "GEC0009" and "gec9" have the same parts."""
    match = _TRAILING_DIGITS.match(normalise_serial(serial))
    if not match:
        return None
    high, number = divmod(int(match.group(2)), LOW)
    return match.group(1), high, number


def blocks(serial: str, count: int) -> list[tuple[str, int, int, str]]:
    """The claim as (prefix key, first number, count, first serial) blocks in one number space
    each: one block, or two when it crosses a multiple of 10^18. A serial without trailing
    digits stands for itself (count 1)."""
    parts = serial_parts(serial)
    if parts is None:
        return [(normalise_serial(serial), 0, 1, normalise_serial(serial))]
    prefix, high, number = parts
    digits = len(normalise_serial(serial)) - len(prefix)
    out = []
    while count > 0:
        take = min(count, LOW - number)
        key = prefix if high == 0 else f"{prefix}{high}|"
        out.append((key, number, take, _serial_text(prefix, high, number, digits)))
        count -= take
        high, number = high + 1, 0
    return out


def _serial_text(prefix: str, high: int, number: int, digits: int) -> str:
    value = high * LOW + number
    return prefix + str(value).zfill(digits)


def serial_of(example: str, number: int) -> str:
    """The serial with `number` in place of `example`'s trailing digits, padded like it."""
    parts = serial_parts(example)
    if parts is None:
        return normalise_serial(example)
    prefix, high, _ = parts
    digits = len(normalise_serial(example)) - len(prefix)
    return _serial_text(prefix, high, int(number), digits)


def sweep(key: np.ndarray, start: np.ndarray, end: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each range [start, end) in its `key` (integer codes), sorted by key then start:
    (order, reach, holder): the order of the rows; how far the rows before it reach (-1 for
    the first of a key); and which of them reaches that far (-1 for none), as positions in
    the sorted order."""
    n = len(start)
    order = np.lexsort((np.arange(n), start, key))
    k, e = key[order], end[order]
    first = np.ones(n, dtype=bool)
    first[1:] = k[1:] != k[:-1]
    group = np.cumsum(first)
    running = pd.Series(e).groupby(group).cummax().to_numpy()
    record = np.where(e == running, np.arange(n), -1)  # this row reaches furthest so far
    leader = np.maximum.accumulate(record)  # a key's first row is always a record
    reach = np.empty(n, dtype=np.int64)
    holder = np.empty(n, dtype=np.int64)
    reach[0:1], holder[0:1] = -1, -1
    reach[1:], holder[1:] = running[:-1], leader[:-1]
    reach[first], holder[first] = -1, -1
    return order, reach, holder


def _codes(*columns) -> np.ndarray:
    """One integer code per distinct combination of the columns."""
    if len(columns[0]) == 0:
        return np.zeros(0, dtype=np.int64)
    frame = pd.DataFrame({i: c for i, c in enumerate(columns)})
    return frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy()


def _pools(kinds) -> np.ndarray:
    return np.array([POOL.get(k, k) for k in kinds], dtype=object)


def repeated_serials(claims: dict[str, np.ndarray]) -> np.ndarray:
    """Per claim row: how many of its serials an earlier row of the same submission already
    claims. Summed over rows, this is what listing the blocks adds beyond their union."""
    n = len(claims["submission"])
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    key = _codes(claims["submission"], _pools(claims["kind"]), claims["prefix"])
    start = np.asarray(claims["start"], dtype=np.int64)
    end = start + np.asarray(claims["count"], dtype=np.int64)
    order, reach, _ = sweep(key, start, end)
    s, e = start[order], end[order]
    repeated = np.clip(np.minimum(e, reach) - s, 0, None)
    out = np.zeros(n, dtype=np.int64)
    out[order] = repeated
    return out


def find_double_claims(claims: dict[str, np.ndarray]) -> list[dict]:
    """Serials claimed more than once in a batch (one submission, or a round's). One finding
    per claim that repeats serials listed before it, naming the repeated serials and an
    earlier claim that holds all of them; together the findings name every serial claimed
    twice."""
    n = len(claims["submission"])
    if n < 2:
        return []
    pools = _pools(claims["kind"])
    key = _codes(pools, claims["prefix"])
    start = np.asarray(claims["start"], dtype=np.int64)
    end = start + np.asarray(claims["count"], dtype=np.int64)
    order, reach, holder = sweep(key, start, end)
    s, e = start[order], end[order]
    repeated = np.minimum(e, reach) - s
    pairs = []
    for position in np.flatnonzero(repeated > 0):  # only the conflicting rows are visited
        row, other = int(order[position]), int(order[holder[position]])
        first, last = int(s[position]), int(s[position] + repeated[position] - 1)
        serial = claims["serial"][row]
        pairs.append({
            "kind": str(claims["kind"][row]),
            "serials": int(repeated[position]),
            "first_serial": serial_of(serial, first),
            "last_serial": serial_of(serial, last),
            "claims": [_who(claims, other), _who(claims, row)],
        })
    return pairs


def _who(claims, row: int) -> dict:
    return {"submission": int(claims["submission"][row]), "unit": int(claims["unit"][row]),
            "path": str(claims["path"][row]), "kind": str(claims["kind"][row])}


def owner_conflicts(key: np.ndarray, start: np.ndarray, count: np.ndarray,
                    owner: np.ndarray, of: int | None = None) -> pd.DataFrame:
    """Every pair of ranges of different owners that share serials (only those involving
    owner `of`, when given): columns a, b (row numbers, b's range starting no earlier than
    a's), first and last (the shared serial numbers).

    The sweep finds, in n log n, the clusters of ranges that touch one another; only clusters
    with two owners or more are walked pair by pair, so the cost beyond the sort is the
    conflicts themselves.
    """
    empty = pd.DataFrame({"a": np.zeros(0, dtype=np.int64), "b": np.zeros(0, dtype=np.int64),
                          "first": np.zeros(0, dtype=np.int64),
                          "last": np.zeros(0, dtype=np.int64)})
    n = len(start)
    if n < 2:
        return empty
    start = np.asarray(start, dtype=np.int64)
    end = start + np.asarray(count, dtype=np.int64)
    order, reach, _ = sweep(np.asarray(key), start, end)
    s, e, o = start[order], end[order], np.asarray(owner)[order]
    cluster = np.cumsum(s >= reach)  # a new cluster where nothing before reaches this start
    boundaries = np.flatnonzero(np.r_[True, cluster[1:] != cluster[:-1]])
    sizes = np.diff(np.r_[boundaries, n])
    low = np.minimum.reduceat(o, boundaries)
    high = np.maximum.reduceat(o, boundaries)
    mixed = np.flatnonzero((sizes > 1) & (low != high))
    a, b, first, last = [], [], [], []
    for c in mixed:
        begin, stop = boundaries[c], boundaries[c] + sizes[c]
        # the ranges still open, per owner, soonest end first: one owner's many overlapping
        # ranges are never walked for another range of the same owner
        active: dict[int, list[tuple[int, int]]] = {}
        for position in range(begin, stop):
            here = s[position]
            for owner_id in list(active):
                heap = active[owner_id]
                while heap and heap[0][0] <= here:
                    heapq.heappop(heap)
                if not heap:
                    del active[owner_id]
                elif owner_id != o[position] and (of is None or of in (owner_id, o[position])):
                    for end_j, j in heap:
                        a.append(order[j])
                        b.append(order[position])
                        first.append(here)
                        last.append(min(end_j, e[position]) - 1)
            heapq.heappush(active.setdefault(int(o[position]), []), (int(e[position]), position))
    if not a:
        return empty
    return pd.DataFrame({"a": np.asarray(a, dtype=np.int64), "b": np.asarray(b, dtype=np.int64),
                         "first": np.asarray(first, dtype=np.int64),
                         "last": np.asarray(last, dtype=np.int64)})


def describe(pair: dict) -> dict:
    """A finding in Chinese and English, naming the serials and where they are listed."""
    kind_zh = KIND_ZH.get(pair["kind"], pair["kind"])
    kind_en = KIND_EN.get(pair["kind"], pair["kind"])
    a, b = pair["claims"]
    span = (pair["first_serial"] if pair["serials"] == 1
            else f"{pair['first_serial']}–{pair['last_serial']}")
    return {
        "zh": f"{kind_zh}编号 {span}（{pair['serials']:,} 个）被重复申报：{a['path']} 与 {b['path']}",
        "en": f"{kind_en} serials {span} ({pair['serials']:,}) are claimed twice: "
              f"{a['path']} and {b['path']}",
    }
