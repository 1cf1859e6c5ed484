"""The people: staff, ~4,500 organisations across Guizhou's cities with one login each, and the
experts' profiles and declared relations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assessor.accounts.regions import CITIES

from .organisations import person
from .shape import DAY, DOMAIN, EXPERTS, WORDS, at

if TYPE_CHECKING:
    from .records import Province


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
