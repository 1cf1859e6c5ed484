"""Fictitious organisations and people: names, places and codes drawn from the seed."""

from __future__ import annotations

from datetime import date

import numpy as np

from assessor.accounts.regions import CITIES
from assessor.accounts.uscc import make

from .shape import BRANDS, CITY_WEIGHTS, COUNTIES, DAY, GIVEN, SURNAMES, WORDS, at


def person(rng) -> str:
    return SURNAMES[int(rng.integers(len(SURNAMES)))] + "".join(
        GIVEN[int(k)] for k in rng.integers(0, len(GIVEN), int(rng.integers(1, 3))))


def organisation_name(rng, kind: str, county: str, industry: str, names: set[str]) -> str:
    """A fictitious name not yet taken: a brand of two characters, the county if needed."""
    while True:
        brand = "".join(BRANDS[int(k)] for k in rng.integers(0, len(BRANDS), 2))
        name = (f"{county}{brand}经济开发区管理委员会" if kind == "park"
                else f"贵州{brand}{WORDS[industry]}有限公司")
        if name in names:
            name = f"{county}{name.removeprefix('贵州')}" if kind == "factory" else name
        if name not in names:
            return name


def organisations(rng, factories: int, parks: int, start: date) -> list[dict]:
    cities = list(CITY_WEIGHTS)
    weights = np.array(list(CITY_WEIGHTS.values()), dtype=float)
    names: set[str] = set()
    out = []
    for n in range(1, factories + parks + 1):
        kind = "factory" if n <= factories else "park"
        city = cities[int(rng.choice(len(cities), p=weights / weights.sum()))]
        division, county = COUNTIES[city][int(rng.integers(len(COUNTIES[city])))]
        industry = "S9221" if kind == "park" else list(WORDS)[int(rng.integers(len(WORDS)))]
        name = organisation_name(rng, kind, county, industry, names)
        names.add(name)
        out.append({"id": n, "name": name, "kind": kind, "city": city, "industry": industry,
                    "uscc": make(("11" if kind == "park" else "91") + division + f"B{n:08d}"),
                    "address": f"贵州省{CITIES[city]}{county}示例路{n % 300 + 1}号",
                    "contact_name": person(rng), "contact_phone": f"0851-5551{n % 10000:04d}",
                    "created_at": at(start - int(rng.integers(0, 400)) * DAY, rng)})
    return out
