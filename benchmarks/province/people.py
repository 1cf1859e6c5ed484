"""The people: staff, ~4,500 organisations across Guizhou's cities with one login each, and the
experts' profiles and declared relations."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from assessor.accounts.regions import CITIES
from assessor.accounts.uscc import make

from .shape import BRANDS, CITY_WEIGHTS, COUNTIES, DAY, DOMAIN, EXPERTS, GIVEN, SURNAMES, WORDS, at

if TYPE_CHECKING:
    from .records import Province


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


def people(province: Province) -> None:
    """Staff first, then each organisation with its applicant, then the experts' profiles."""
    start = at(province.first_day - 400 * DAY, province.rng)
    staff(province, start)
    for org in province.orgs:
        province.add("organisation", **org)
        org["user"] = province.user(f"org{org['id']}", org["contact_name"], "applicant",
                                    org["created_at"], organisation_id=org["id"])
        province.event(org["created_at"], org["user"], "register", "organisation", org["id"],
                       details={"uscc": org["uscc"], "name": org["name"]})
    experts(province, start)


def staff(province: Province, start) -> None:
    """An administrator, two province officers, one officer per 市州 and the experts' logins."""
    rng = province.rng
    province.admin = province.user("admin", "赵晓静", "admin", start)
    province.event(start, None, "create_staff", "user", province.admin,
                   details={"email": f"admin@{DOMAIN}", "role": "admin", "city": None})
    province.province = [province.user(f"province{k}", person(rng), "province_officer", start)
                         for k in (1, 2)]
    province.city_officer = {city: province.user(f"city.{city}", person(rng), "city_officer",
                                                 start, city=city) for city in CITIES}
    province.experts = [province.user(f"expert{k}", person(rng), "expert", start)
                        for k in range(1, EXPERTS + 1)]
    for user in (*province.province, *province.city_officer.values(), *province.experts):
        row = province.rows["user"][user - 1]
        province.event(start, province.admin, "create_staff", "user", user,
                       details={"email": row["email"], "role": row["role"], "city": row["city"]})


def experts(province: Province, start) -> None:
    """Each expert's profile; one in eight works for an organisation, one in four declared a
    relation. `province.ties` keeps both for the conflict check of assignments."""
    rng, orgs = province.rng, province.orgs
    industries = list(WORDS)
    province.ties = {}
    for k, expert in enumerate(province.experts):
        affiliated = orgs[int(rng.integers(len(orgs)))] if k % 8 == 0 else None
        chosen = rng.choice(len(industries), 3, replace=False)
        province.add("expertprofile", id=expert,
                     industries=sorted({industries[int(i)][:3] for i in chosen}),
                     topics=["energy", "carbon_accounting"] if k % 2 else ["energy", "finance"],
                     affiliation=affiliated["name"] if affiliated else "贵州省节能技术服务中心（示例）",
                     affiliation_uscc=affiliated["uscc"] if affiliated else None,
                     updated_at=start)
        related = set()
        if k % 4 == 1:
            org = orgs[int(rng.integers(len(orgs)))]
            province.add("expertrelation", expert_id=expert, uscc=org["uscc"],
                         organisation_name=org["name"], relation="曾为该单位提供节能诊断服务",
                         declared_at=start, withdrawn_at=None)
            related.add(org["uscc"])
        province.ties[expert] = (affiliated["uscc"] if affiliated else None, related)
    for row in province.rows["expertprofile"]:
        row["user_id"] = row.pop("id")
