"""Submissions varied from the demo's enterprises and parks: other scales, unique serials."""

from __future__ import annotations

import copy

import numpy as np

from assessor.accounts.regions import CITIES
from assessor.demo.data import FACTORY_YES, PARK_YES, PARKS, q

from .shape import GREEN, HEAVY, Ids


def varied(data: dict, rng: np.random.Generator, serials: Ids, year: int, green: bool) -> dict:
    """A copy of a demo unit at another scale, each quantity moved a little, serials unique; the
    green ones buy most of their power green."""
    scale_all = float(rng.lognormal(0, 0.6))
    out = copy.deepcopy(data)

    def move(amount: dict, low=0.85, high=1.15) -> dict:
        amount["quantity"] = round(amount["quantity"] * scale_all * rng.uniform(low, high), 3)
        return amount

    for amount in out.get("energy", {}).values():
        move(amount)
    power = out.get("electricity", {})
    for key in ("grid_purchase", "direct_green_supply", "onsite_renewable_self_used"):
        if key in power:
            move(power[key])
    if "grid_purchase" in power:
        grid = power["grid_purchase"]["quantity"]
        share = rng.uniform(0.75, 0.98) if green else rng.uniform(0, 0.35)
        if share > 0.05 or "green_power_trading" in power:
            power["green_power_trading"] = q(round(grid * share, 3), "MWh")
    certificates = power.pop("green_certificates", [])
    if certificates or green:
        count = max(1, int(power.get("grid_purchase", {"quantity": 1000})["quantity"]
                           * rng.uniform(0.05, 0.2)))
        power["green_certificates"] = [{"serial": f"GZGEC{year}{serials('gec', count):09d}",
                                        "count": count}]
    for emission in out.get("process_emissions", []):
        move(emission)
    for product in out.get("production", []):
        factor = scale_all * rng.uniform(0.85, 1.15)
        product["output"]["quantity"] = round(product["output"]["quantity"] * factor, 3)
        product["energy"]["quantity"] = round(product["energy"]["quantity"] * factor
                                              * rng.uniform(0.9, 1.08), 3)
    return out


def offsets(rng: np.random.Generator, serials: Ids, tco2: float) -> list[dict]:
    kind = "ccer" if rng.random() < 0.7 else "forestry_ticket"
    count = max(1, int(tco2))
    prefix = "CCER-52-BENCH-" if kind == "ccer" else "GZLYTP-BENCH-"
    return [{"instrument": kind, "serial": f"{prefix}{serials('offset', count):09d}",
             "count": count,
             "quantity": float(count), "unit": "tCO2e"}]


def factory_data(org: dict, year: int, rng, serials: Ids, green: bool) -> dict:
    template = (GREEN if green else HEAVY)[int(rng.integers(len(GREEN if green else HEAVY)))]
    data = {"subject": "factory", "reporting_year": year,
            "organisation": {"name": org["name"], "uscc": org["uscc"],
                             "region": CITIES[org["city"]]},
            **varied(template["data"], rng, serials, year, green)}
    titles = ["national", "provincial", "none"]
    data["declarations"] = {**FACTORY_YES, "compliance_3y": bool(green or rng.random() < 0.93),
                            "green_factory_title": titles[int(rng.integers(0, 2 if green else 3))]}
    data["reported"] = {"meter_auto_collection_rate": q(round(rng.uniform(60, 100), 1), "%"),
                        "footprint_product_share": q(round(rng.uniform(0, 100), 1), "%")}
    if green or rng.random() < 0.3:
        data["offsets"] = offsets(rng, serials, rng.uniform(50, 20_000 if green else 2_000))
    return data


def park_data(org: dict, year: int, rng, serials: Ids, green: bool,
              members: list[dict]) -> dict:
    template = PARKS[0 if green else 1]
    data = {"subject": "park", "reporting_year": year,
            "organisation": {"name": org["name"], "uscc": org["uscc"],
                             "region": CITIES[org["city"]]},
            **varied(template["data"], rng, serials, year, green)}
    data["members"] = [{"name": m["name"], "uscc": m["uscc"],
                        **varied((GREEN if green else HEAVY)[k % 3]["data"], rng, serials, year,
                                 green)} for k, m in enumerate(members)]
    data["declarations"] = {**PARK_YES, "development_zone_level": ["national", "provincial",
                                                                   "other"][int(rng.integers(3))]}
    data["reported"] = {key: q(round(rng.uniform(low, 100), 1), "%") for key, low in
                        (("solid_waste_utilisation", 40), ("waste_heat_utilisation", 20),
                         ("water_reuse", 60))}
    if green:
        data["offsets"] = offsets(rng, serials, rng.uniform(5_000, 60_000))
    return data


def improved(data: dict, rng) -> dict:
    """The data of a resubmission: more green power bought after the return."""
    out = copy.deepcopy(data)
    power = out.get("electricity", {})
    if "grid_purchase" in power:
        grid = power["grid_purchase"]["quantity"]
        bought = power.get("green_power_trading", {"quantity": 0})["quantity"]
        power["green_power_trading"] = q(round(min(grid, bought + grid * rng.uniform(.05, .2)),
                                               3), "MWh")
    return out
