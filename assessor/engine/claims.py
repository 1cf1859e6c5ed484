"""Double claims: the same certificate or offset serial claimed twice, in one submission or
across a batch (a round, a park's members)."""

from __future__ import annotations

import numpy as np
import pandas as pd

KIND_ZH = {"gec": "绿证", "ccer": "CCER", "forestry_ticket": "林业碳票", "other": "其他碳信用"}


def find_double_claims(claims: dict[str, np.ndarray]) -> list[dict]:
    """Every pair of claims whose serial ranges overlap, with the serials they share.

    Ranges are compared per instrument and serial prefix; detection is one sort and a running
    maximum, so a whole round is checked at once.
    """
    if len(claims["submission"]) < 2:
        return []
    frame = pd.DataFrame({k: claims[k] for k in ("submission", "unit", "kind", "serial",
                                                 "prefix", "start", "count", "path")})
    frame["end"] = frame["start"] + frame["count"]
    frame = frame.sort_values(["kind", "prefix", "start"], kind="stable").reset_index(drop=True)
    group = frame["kind"] + "\x00" + frame["prefix"]
    reach = frame.groupby(group, sort=False)["end"].cummax()
    previous_reach = reach.groupby(group, sort=False).shift(1)
    overlapping = np.flatnonzero((frame["start"] < previous_reach).to_numpy())
    pairs = []
    for row in overlapping:  # only the rare conflicting rows are visited
        here = frame.iloc[row]
        earlier = frame.iloc[:row]
        partners = earlier[(group.iloc[:row] == group.iloc[row]) & (earlier["end"] > here["start"])]
        for _, other in partners.iterrows():
            first, last = max(other["start"], here["start"]), min(other["end"], here["end"]) - 1
            pairs.append({
                "kind": here["kind"],
                "serials": int(last - first + 1),
                "first_serial": _serial(here["serial"], here["start"], first),
                "last_serial": _serial(here["serial"], here["start"], last),
                "claims": [_who(other), _who(here)],
            })
    return pairs


def _serial(example: str, start: int, number: int) -> str:
    digits = len(example) - len(example.rstrip("0123456789"))
    if digits == 0:
        return example
    return example[:-digits] + str(number).zfill(digits)


def _who(row) -> dict:
    return {"submission": int(row["submission"]), "unit": int(row["unit"]), "path": row["path"]}


def describe(pair: dict) -> dict:
    kind = KIND_ZH.get(pair["kind"], pair["kind"])
    a, b = pair["claims"]
    span = (pair["first_serial"] if pair["serials"] == 1
            else f"{pair['first_serial']}–{pair['last_serial']}")
    return {
        "zh": f"{kind}编号 {span}（{pair['serials']} 个）被重复申报：{a['path']} 与 {b['path']}",
        "en": f"{pair['kind']} serials {span} ({pair['serials']}) are claimed twice: "
              f"{a['path']} and {b['path']}",
    }
