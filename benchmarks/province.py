"""A province-sized database: 10,000 applications with revisions, reviews, audit events, published
lists and certificates, written in bulk into the database at --url.

    .venv/bin/python benchmarks/province.py --url sqlite:///instance/bench/province.sqlite3 --replace
    .venv/bin/python benchmarks/province.py --url postgresql+psycopg://postgres@127.0.0.1:5432/bench

The database is emptied and migrated first (`flask db upgrade`); one that already holds tables is
only touched with --replace. Then, with the same seed, always the same province:

- staff (an administrator, two province officers, one officer per 市州, 40 experts with profiles
  and declared relations) and ~4,500 organisations across Guizhou's cities, one login each;
- eight rounds (factories and parks, data years 2021–2024): the three past years went through
  review, publicity and publication with certificates (a few removed and revoked); the current
  round is open, with applications in every state up to decisions;
- submissions varied from the demo's enterprises and parks, scored by the engine in one batch
  per round (the stored results are the engine's, as submitting would store them); reviews on
  the anchored scales, decisions on the experts' aggregate as review.services.summary makes it;
- the audit events each of those steps writes, in time order, hash-chained as audit.record
  chains them (checked at the end like `flask audit verify`), and the notifications they send.

Every login shares the password in PASSWORD; the logins the load run uses are in its output.
"""

from __future__ import annotations

import argparse
import copy
import json
import secrets
import sys
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, inspect, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from argon2 import PasswordHasher

from assessor import create_app, db
from assessor.accounts.uscc import make
from assessor.applications.lifecycle import submitted_summary
from assessor.audit import AuditEvent, digest
from assessor.auditcheck import verify_chain
from assessor.auditkeys import seal
from assessor.dbcli import upgrade_database
from assessor.demo_data import FACTORIES, FACTORY_YES, PARK_YES, PARKS, q
from assessor.engine import Engine, parse_submission
from assessor.engine.result import _level_requirements, level_for_total, submission_result
from assessor.models import (
    Application,
    Assignment,
    Certificate,
    ExpertProfile,
    ExpertRelation,
    Listing,
    Notification,
    Organisation,
    Publicity,
    Review,
    Revision,
    Round,
    User,
)
from assessor.publication.certificates import new_serial
from assessor.regions import CITIES
from assessor.review import aggregate as agg
from assessor.review.scales import reviewable_items, scale
from assessor.workflow import MOVES

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Guizhou-bench-2025"
DOMAIN = "bench.example.com"
YEARS = (2021, 2022, 2023, 2024)  # data years; the last round is open today
YEAR_SHARE = {2021: 0.16, 2022: 0.21, 2023: 0.28, 2024: 0.35}
PARK_SHARE = 0.05
CRITERIA = {"factory": "GZ-F-2024", "park": "GZ-P-2024"}
EXPERTS = 40
# where enterprises are: 市州 weights and a few counties each (division code, name)
CITY_WEIGHTS = {"guiyang": 18, "zunyi": 16, "liupanshui": 9, "anshun": 8, "bijie": 11,
                "tongren": 7, "qianxinan": 8, "qiandongnan": 8, "qiannan": 10, "guian": 5}
COUNTIES = {
    "guiyang": [("520111", "花溪区"), ("520113", "白云区"), ("520121", "开阳县"), ("520181", "清镇市")],
    "zunyi": [("520304", "播州区"), ("520382", "仁怀市"), ("520326", "务川县"), ("520381", "赤水市")],
    "liupanshui": [("520201", "钟山区"), ("520281", "盘州市"), ("520204", "水城区")],
    "anshun": [("520402", "西秀区"), ("520403", "平坝区"), ("520422", "普定县")],
    "bijie": [("520502", "七星关区"), ("520521", "大方县"), ("520527", "赫章县"), ("520581", "黔西市")],
    "tongren": [("520602", "碧江区"), ("520603", "万山区"), ("520627", "沿河县")],
    "qianxinan": [("522301", "兴义市"), ("522302", "兴仁市"), ("522327", "册亨县")],
    "qiandongnan": [("522601", "凯里市"), ("522622", "黄平县"), ("522636", "丹寨县")],
    "qiannan": [("522701", "都匀市"), ("522702", "福泉市"), ("522722", "荔波县"), ("522730", "龙里县")],
    "guian": [("520900", "贵安新区")],
}
WORDS = {"C2619": "磷化工", "C2622": "磷肥", "C3140": "铁合金", "C3216": "铝业", "C3011": "水泥",
         "C1512": "酒业", "I6550": "大数据", "C3976": "电子科技"}
BRANDS = "黔鑫华源磷宏盛泰丰瑞恒昌达隆兴安诚信德新天成金银山川宇航佳利永康"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗龙田潘蒙吴石"
GIVEN = "建华敏磊芳伟静勇强军洋杰丽红涛明霞刚平飞"
# templates from the demo province: heavy industry mostly fails the gates, the green ones pass
HEAVY = [f for f in FACTORIES if f["key"] not in ("datacentre", "electronics")]
GREEN = [f for f in FACTORIES if f["key"] in ("datacentre", "electronics", "baijiu")]
# the mix of final states: the open round, and the past rounds that were published
CURRENT = {"draft": .16, "submitted": .16, "recommended": .10, "returned": .07, "withdrawn": .04,
           "in_review": .30, "decided": .17}
PAST = {"draft": .08, "returned": .05, "withdrawn": .07, "decided": .80}
LISTED_SHARE = 0.22  # of the past rounds' decided applications, planned with green data
REASONS = {"city_return": "请补充近三年能源审计报告和计量器具配备清单后重新提交。",
           "province_return": "形式审查：绿电交易凭证与填报电量不一致，请核对后经市（州）重新推荐。",
           "withdraw": "企业计划完成节能改造后在下一批次再行申报。",
           "approve": "经专家评审，各项基本要求均满足，同意通过，进入公示。",
           "reject": "经专家评审，基本要求未全部满足，不予认定。",
           "remove": "年度数据报送显示单位能耗碳排放上升，不再满足培育要求。"}
DAY = timedelta(days=1)


def at(day: date, rng: np.random.Generator) -> datetime:
    """A time of office hours on `day`, in UTC (08:30–17:30 Beijing time)."""
    seconds = int(rng.integers(30, 570)) * 60 + int(rng.integers(0, 60_000_000)) / 1e6
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)


class Ids:
    """Primary keys handed out here, so rows can name each other before anything is written."""

    def __init__(self):
        self.last: dict[str, int] = defaultdict(int)

    def __call__(self, table: str, count: int = 1) -> int:
        """The next key; a block of `count` serials takes that many numbers."""
        first = self.last[table] + 1
        self.last[table] += count
        return first


# -- submissions ---------------------------------------------------------------------------------

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


# -- people and organisations --------------------------------------------------------------------

def person(rng) -> str:
    return SURNAMES[int(rng.integers(len(SURNAMES)))] + "".join(
        GIVEN[int(k)] for k in rng.integers(0, len(GIVEN), int(rng.integers(1, 3))))


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
        while True:
            brand = "".join(BRANDS[int(k)] for k in rng.integers(0, len(BRANDS), 2))
            name = (f"{county}{brand}经济开发区管理委员会" if kind == "park"
                    else f"贵州{brand}{WORDS[industry]}有限公司")
            if name in names:
                name = f"{county}{name.removeprefix('贵州')}" if kind == "factory" else name
            if name not in names:
                break
        names.add(name)
        out.append({"id": n, "name": name, "kind": kind, "city": city, "industry": industry,
                    "uscc": make(("11" if kind == "park" else "91") + division + f"B{n:08d}"),
                    "address": f"贵州省{CITIES[city]}{county}示例路{n % 300 + 1}号",
                    "contact_name": person(rng), "contact_phone": f"0851-5551{n % 10000:04d}",
                    "created_at": at(start - int(rng.integers(0, 400)) * DAY, rng)})
    return out


# -- the province --------------------------------------------------------------------------------

class Province:
    """Everything to write, built in memory: rows per table, audit events, notifications."""

    def __init__(self, engine: Engine, applications: int, seed: int, today: date):
        self.engine, self.today = engine, today
        self.rng = np.random.default_rng(seed)
        self.ids, self.serials = Ids(), Ids()
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.events: list[dict] = []
        self.notes: list[dict] = []
        self.now = datetime.now(UTC)
        self.first_day = today - (len(YEARS) - 1) * 365 * DAY - 60 * DAY
        self.password_hash = PasswordHasher().hash(PASSWORD)
        biggest = max(YEAR_SHARE.values()) * applications
        factories = int(biggest * (1 - PARK_SHARE) * 1.25) + 1
        parks = int(biggest * PARK_SHARE * 1.3) + 1
        self.orgs = organisations(self.rng, factories, parks, self.first_day)
        self.total = applications

    # rows and events
    def add(self, table: str, **row) -> dict:
        row.setdefault("id", self.ids(table))
        self.rows[table].append(row)
        return row

    def event(self, when: datetime, actor: int | None, action: str, object_type: str,
              object_id: int | None, *, from_state=None, to_state=None, reason=None,
              details=None) -> None:
        self.events.append({"at": when, "actor_id": actor, "action": action,
                            "object_type": object_type, "object_id": object_id,
                            "from_state": from_state, "to_state": to_state, "reason": reason,
                            "details": details or {}})

    def notify(self, when: datetime, users: list[int], zh: str, en: str,
               application_id: int | None) -> None:
        read = when + DAY if self.now - when > 14 * DAY else None
        for user in users:
            self.notes.append({"user_id": user, "application_id": application_id,
                               "message_zh": zh[:500], "message_en": en[:500],
                               "created_at": when, "read_at": read})

    def user(self, email: str, name: str, role: str, when: datetime, *, city=None,
             organisation_id=None) -> int:
        row = self.add("user", email=f"{email}@{DOMAIN}", name=name,
                       password_hash=self.password_hash, role=role,
                       organisation_id=organisation_id, city=city, active=True, locale="zh",
                       session_version=0, created_at=when)
        return row["id"]

    def people(self) -> None:
        rng, start = self.rng, at(self.first_day - 400 * DAY, self.rng)
        self.admin = self.user("admin", "赵晓静", "admin", start)
        self.event(start, None, "create_staff", "user", self.admin,
                   details={"email": f"admin@{DOMAIN}", "role": "admin", "city": None})
        self.province = [self.user(f"province{k}", person(rng), "province_officer", start)
                         for k in (1, 2)]
        self.city_officer = {city: self.user(f"city.{city}", person(rng), "city_officer",
                                             start, city=city) for city in CITIES}
        self.experts = [self.user(f"expert{k}", person(rng), "expert", start)
                        for k in range(1, EXPERTS + 1)]
        for user in (*self.province, *self.city_officer.values(), *self.experts):
            row = self.rows["user"][user - 1]
            self.event(start, self.admin, "create_staff", "user", user,
                       details={"email": row["email"], "role": row["role"], "city": row["city"]})
        for org in self.orgs:
            self.add("organisation", **org)
            org["user"] = self.user(f"org{org['id']}", org["contact_name"], "applicant",
                                    org["created_at"], organisation_id=org["id"])
            self.event(org["created_at"], org["user"], "register", "organisation", org["id"],
                       details={"uscc": org["uscc"], "name": org["name"]})
        industries = list(WORDS)
        self.ties: dict[int, tuple[str | None, set[str]]] = {}
        for k, expert in enumerate(self.experts):
            affiliated = self.orgs[int(rng.integers(len(self.orgs)))] if k % 8 == 0 else None
            chosen = rng.choice(len(industries), 3, replace=False)
            self.add("expertprofile", id=expert,
                     industries=sorted({industries[int(i)][:3] for i in chosen}),
                     topics=["energy", "carbon_accounting"] if k % 2 else ["energy", "finance"],
                     affiliation=affiliated["name"] if affiliated else "贵州省节能技术服务中心（示例）",
                     affiliation_uscc=affiliated["uscc"] if affiliated else None,
                     updated_at=start)
            related = set()
            if k % 4 == 1:
                org = self.orgs[int(rng.integers(len(self.orgs)))]
                self.add("expertrelation", expert_id=expert, uscc=org["uscc"],
                         organisation_name=org["name"], relation="曾为该单位提供节能诊断服务",
                         declared_at=start, withdrawn_at=None)
                related.add(org["uscc"])
            self.ties[expert] = (affiliated["uscc"] if affiliated else None, related)
        for row in self.rows["expertprofile"]:
            row["user_id"] = row.pop("id")

    # rounds
    def rounds(self) -> list[dict]:
        out = []
        latest = YEARS[-1]
        for year in YEARS:
            age = latest - year
            opens = self.today - 45 * DAY - age * 365 * DAY
            for subject in ("factory", "park"):
                title = f"{year}年度贵州省{'零碳工厂' if subject == 'factory' else '零碳工业园区'}评价申报"
                row = self.add("round", title=title, subject=subject, year=year,
                               criteria_id=CRITERIA[subject], opens_on=opens,
                               closes_on=opens + 90 * DAY, publicity_days=5,
                               reviewers_per_application=3, blind=subject == "park",
                               aggregation="median" if subject == "factory" else "mean",
                               disagreement_threshold=0.3, review_days=14,
                               site_inspection=False, created_by=self.province[0],
                               created_at=at(opens - 5 * DAY, self.rng))
                self.event(row["created_at"], self.province[0], "open_round", "round", row["id"],
                           details={"criteria": row["criteria_id"], "year": year})
                share = YEAR_SHARE[year] * (PARK_SHARE if subject == "park" else 1 - PARK_SHARE)
                out.append({"row": row, "past": age > 0, "size": round(self.total * share)})
        # the rounding may leave a few over or under: the largest round takes the difference
        out[-2]["size"] += self.total - sum(r["size"] for r in out)
        return out

    # applications
    def plan_round(self, spec: dict) -> list[dict]:
        """Who applies and where each application ends, with the data of every revision."""
        round_, rng = spec["row"], self.rng
        pool = [o for o in self.orgs if o["kind"] == round_["subject"]]
        chosen = rng.choice(len(pool), spec["size"], replace=False)
        mix = PAST if spec["past"] else CURRENT
        states = rng.choice(list(mix), spec["size"], p=np.array(list(mix.values())) /
                            sum(mix.values()))
        plans = []
        for k, state in zip(chosen, states, strict=True):
            org = pool[int(k)]
            green = state == "decided" and rng.random() < (LISTED_SHARE if spec["past"]
                                                           else 0.35)
            if round_["subject"] == "factory":
                data = factory_data(org, round_["year"], rng, self.serials, green)
            else:
                members = [self.orgs[int(m)] for m in rng.integers(0, len(self.orgs) // 2, 3)]
                data = park_data(org, round_["year"], rng, self.serials, green, members)
            cycle = state not in ("draft", "returned") and rng.random() < 0.15
            plans.append({"org": org, "state": str(state), "cycle": cycle, "data": [data],
                          "green": green})
            if cycle or state == "returned":
                plans[-1]["data"].append(improved(data, rng))
        return plans

    def score(self, criteria_id: str, datas: list[dict]) -> list[dict]:
        """The engine's results for many submissions, scored as one batch."""
        engine = self.engine
        batch = engine.prepare([parse_submission(d) for d in datas], criteria_id)
        assert not engine.double_claims(batch), "generated serials must not repeat"
        scores = engine.scores(batch, criteria_id)
        return [submission_result(scores, batch, engine.reference, i, [])
                for i in range(len(datas))]

    def expert_levels(self, criteria_id: str, datas: list[dict]) -> list[list[dict]]:
        """Each level's gates and conditions with the experts' points in the data, as
        review.services.summary scores them before choosing the level."""
        engine = self.engine
        batch = engine.prepare([parse_submission(d) for d in datas], criteria_id)
        scores = engine.scores(batch, criteria_id)
        levels = engine.criteria(criteria_id).model.levels
        return [[_level_requirements(scores, lv, i) for lv in levels] for i in range(len(datas))]

    def build_round(self, spec: dict) -> None:
        round_ = spec["row"]
        criteria = self.engine.criteria(round_["criteria_id"])
        plans = self.plan_round(spec)
        submitted = [(p, k) for p in plans for k in range(len(p["data"]))
                     if p["state"] != "draft" and not (p["state"] == "returned" and k == 1)]
        for number in (0, 1):  # a resubmission claims its first revision's serials again
            batch = [(p, k) for p, k in submitted if k == number]
            results = self.score(round_["criteria_id"], [p["data"][k] for p, k in batch])
            for (p, k), result in zip(batch, results, strict=True):
                p.setdefault("results", {})[k] = result
        for p in plans:
            if p["state"] in ("in_review", "decided"):
                p["reviews"] = self.reviews(criteria, p["results"][len(p["data"]) - 1],
                                            p["green"])
        decided = [p for p in plans if p["state"] == "decided"]
        levels = self.expert_levels(round_["criteria_id"], [
            {**p["data"][-1], "expert_scores": p["reviews"]["expert"]} for p in decided])
        for p, lv in zip(decided, levels, strict=True):
            p["basis"] = self.basis(round_, criteria, p, lv)
        timeline = self.timeline(spec)
        for p in plans:
            self.application(round_, p, timeline)
        if spec["past"]:
            self.publication(round_, plans, timeline)

    def reviews(self, criteria, result: dict, green: bool) -> dict:
        """Three experts' scores: the engine's points on scored items, the anchored scale on
        expert items (higher for the green enterprises)."""
        engine_points = {i["id"]: i["points"] for i in result["items"]}
        items = reviewable_items(criteria, result)
        out = []
        for _ in range(3):
            scores = {}
            for item in items:
                if item.kind == "scored":
                    scores[item.id] = float(engine_points[item.id])
                else:
                    anchors = scale(item)
                    low = len(anchors) // 2 if green else 0
                    scores[item.id] = float(anchors[int(self.rng.integers(low,
                                                                           len(anchors)))].points)
            out.append(scores)
        expert = {i.id: float(np.median([s[i.id] for s in out])) for i in items
                  if i.kind == "expert"}
        return {"scores": out, "items": items, "expert": expert, "engine": engine_points}

    def basis(self, round_: dict, criteria, plan: dict, levels: list[dict]) -> dict:
        """What review.services.summary returns for three submitted reviews."""
        reviews, items = plan["reviews"]["scores"], plan["reviews"]["items"]
        method, threshold = round_["aggregation"], round_["disagreement_threshold"]
        per_item = {}
        for item in items:
            per_item[item.id] = agg.summarise([r[item.id] for r in reviews], method,
                                              item.points, threshold).as_dict()
            per_item[item.id]["engine"] = plan["reviews"]["engine"].get(item.id)
        applicable = sum(item.points for item in items)
        totals = [sum(r.get(i.id, 0.0) for i in items) / applicable
                  * criteria.model.total_points for r in reviews]
        total = agg.summarise(totals, method, criteria.model.total_points, threshold).as_dict()
        chosen = level_for_total({"levels": levels}, total["value"])
        recommendation = "approve" if not chosen["fallback"] else "reject"
        return {"method": method, "method_title": agg.METHOD_TITLES[method], "reviews": 3,
                "items": per_item, "total": total,
                "flagged": [k for k, v in per_item.items() if v["disagreement"]]
                + (["total"] if total["disagreement"] else []),
                "level_with_expert_points": {"id": chosen["id"], "title": chosen["title"],
                                             "total": total["value"]},
                "recommendations": {recommendation: 3}}

    def timeline(self, spec: dict) -> dict:
        round_ = spec["row"]
        opens, closes = round_["opens_on"], round_["closes_on"]
        last = min(self.today - DAY, closes)
        out = {"opens": opens, "last": last}
        if spec["past"]:
            starts = closes + 40 * DAY
            while starts.weekday() >= 5:
                starts += DAY
            ends, counted = starts, 1
            while counted < round_["publicity_days"]:
                ends += DAY
                counted += ends.weekday() < 5
            out.update(publicity=starts, ends=ends, published=ends + 3 * DAY,
                       issued=ends + 10 * DAY)
        return out

    def application(self, round_: dict, plan: dict, timeline: dict) -> None:
        """The application's rows and the events of its way to its final state."""
        rng, org = self.rng, plan["org"]
        app_id = self.ids("application")
        plan["id"] = app_id
        applicant, city = org["user"], self.city_officer[org["city"]]
        span = (timeline["last"] - timeline["opens"]).days
        day = timeline["opens"] + int(rng.integers(0, max(1, span // 2))) * DAY
        clock = [at(day, rng)]

        def later(days_low=1, days_high=12) -> datetime:
            step = int(rng.integers(days_low, days_high + 1))
            limit = datetime.combine(timeline["last"], datetime.min.time(), UTC) + DAY
            wanted = min(clock[0] + step * DAY + timedelta(minutes=int(rng.integers(1, 300))),
                         limit - timedelta(minutes=int(rng.integers(1, 600))))
            clock[0] = max(wanted, clock[0] + timedelta(minutes=int(rng.integers(1, 30))))
            return clock[0]

        state = "draft"
        revisions: list[dict] = []
        summary = {"submitted_total": None, "submitted_failed_gates": None}

        def move(action: str, actor: int, *, details=None, reason=None, basis=None):
            nonlocal state
            target = MOVES[action].target
            when = later()
            if action == "submit":
                revision = revisions[-1]
                result = plan["results"][revision["number"] - 1]
                revision.update(result=result, engine_version=result["engine_version"],
                                evidence=[], submitted_at=when, submitted_by=applicant,
                                updated_at=when)
                summary.update(submitted_summary(result))
                details = {"revision": revision["number"], "level": result["level"]["id"],
                           "total": result["total"]["points"]}
            elif target == "returned":
                number = revisions[-1]["number"] + 1
                revisions.append(self.revision(app_id, number, plan["data"][number - 1],
                                               round_, when, reason))
                details = {"new_revision": number}
            if basis is not None:
                details = {"basis": basis}
            self.event(when, actor, action, "application", app_id, from_state=state,
                       to_state=target, reason=reason, details=details)
            self.notify_move(when, action, app_id, org, state, reason)
            state = target
            return when

        created = clock[0]
        revisions.append(self.revision(app_id, 1, plan["data"][0], round_, created, None))
        self.event(created, applicant, "create", "application", app_id, to_state="draft",
                   details={"round": round_["id"]})
        final = plan["state"]
        decision = basis = None
        assignments: list[dict] = []
        if final != "draft":
            if final == "returned" or plan["cycle"]:
                move("submit", applicant)
                if rng.random() < 0.6:
                    move("city_return", city, reason=REASONS["city_return"])
                else:
                    move("recommend", city)
                    move("province_return", self.province[0], reason=REASONS["province_return"])
                if final != "returned":
                    move("submit", applicant)
            elif final != "withdrawn" or rng.random() < 0.7:
                move("submit", applicant)
            if final in ("recommended", "in_review", "decided"):
                move("recommend", city)
            if final in ("in_review", "decided"):
                move("accept", self.province[0])
                assignments = self.review_rows(app_id, org, plan, clock, later,
                                               complete=final == "decided")
            if final == "withdrawn":
                move("withdraw", applicant, reason=REASONS["withdraw"])
            if final == "decided":
                basis = plan["basis"]
                level = basis["level_with_expert_points"]["id"]
                decision = "reject" if level == "not_qualified" else "approve"
                move(decision, self.province[1], reason=REASONS[decision], basis=basis)
        plan["state"] = state
        plan["decided_at"] = clock[0]
        plan["assignments"] = assignments
        plan["revisions"] = revisions
        self.add("application", id=app_id, round_id=round_["id"], organisation_id=org["id"],
                 state=state, created_by=applicant, created_at=created, updated_at=clock[0],
                 decision={"approve": "approved", "reject": "rejected"}.get(decision),
                 decision_basis=basis, **summary)
        plan["row"] = self.rows["application"][-1]
        self.rows["revision"].extend(revisions)

    def revision(self, app_id: int, number: int, data: dict, round_: dict, when: datetime,
                 reason: str | None) -> dict:
        return {"id": self.ids("revision"), "application_id": app_id, "number": number,
                "data": data, "criteria_id": round_["criteria_id"], "result": None,
                "engine_version": None, "evidence": None, "submitted_at": None,
                "submitted_by": None, "return_reason": reason, "lock_version": 3,
                "created_at": when, "updated_at": when}

    def review_rows(self, app_id: int, org: dict, plan: dict, clock, later,
                    complete: bool) -> list[dict]:
        """Three experts without a conflict, assigned, declared and scoring; an application
        still in review has some assignments waiting or reviews in draft."""
        rng = self.rng
        members = {m["uscc"] for m in plan["data"][-1].get("members", [])}
        free = [e for e in self.experts if self.ties[e][0] not in ({org["uscc"]} | members)
                and not (self.ties[e][1] & ({org["uscc"]} | members))]
        chosen = [free[int(k)] for k in rng.choice(len(free), 3, replace=False)]
        assigned = later(1, 5)
        rows = []
        for n, expert in enumerate(chosen):
            assignment = self.add("assignment", application_id=app_id, expert_id=expert,
                                  state="pending", assigned_by=self.province[0],
                                  assigned_at=assigned, due_on=assigned.date() + 14 * DAY,
                                  declared_at=None, decline_reason=None)
            rows.append(assignment)
            self.event(assigned, self.province[0], "assign_expert", "application", app_id,
                       details={"expert": expert, "assignment": assignment["id"]})
            self.notify(assigned, [expert], f"您有新的评审任务（申报编号 {app_id}），请先声明有无利益冲突。",
                        f"New review assignment (application {app_id}): declare conflicts "
                        "first.", None)
            stage = 3 if complete else int(rng.integers(0, 4))
            if stage == 0:
                continue
            declared = later(0, 2)
            assignment.update(state="active", declared_at=declared)
            self.event(declared, expert, "declare_no_conflict", "application", app_id,
                       details={"assignment": assignment["id"]})
            if stage == 1:
                continue
            scores = plan["reviews"]["scores"][n]
            if complete:
                recommendation = ("reject" if plan["basis"]["level_with_expert_points"]["id"]
                                  == "not_qualified" else "approve")
            else:
                recommendation = ("approve", "reject", "return")[int(rng.integers(3))]
            written = later(0, 6)
            submit = stage == 3
            review = self.add("review", assignment_id=assignment["id"], scores=scores,
                              comments={}, opinion="基本要求核查完毕，评分依据见各项说明。",
                              recommendation=recommendation if submit else None,
                              inspection=None, submitted_at=written if submit else None,
                              updated_at=written)
            if submit:
                assignment["state"] = "submitted"
            self.event(written, expert, "submit_review" if submit else "save_review",
                       "application", app_id,
                       details={"assignment": assignment["id"], "review": review["id"]})
        return rows

    def notify_move(self, when: datetime, action: str, app_id: int, org: dict, previous: str,
                    reason: str | None) -> None:
        """The recipients lifecycle._notify chooses for each move."""
        applicant, city, province = [org["user"]], [self.city_officer[org["city"]]], \
            self.province
        recipients = {"submit": city, "recommend": applicant + province,
                      "city_return": applicant, "accept": applicant + city,
                      "province_return": applicant + city, "approve": applicant + city,
                      "reject": applicant + city,
                      "withdraw": city if previous != "draft" else [],
                      "publicize": applicant + city, "list": applicant + city,
                      "remove": applicant + city}[action]
        zh_state = {"submitted": "已提交，待市（州）推荐", "recommended": "市（州）已推荐，待形式审查",
                    "in_review": "专家评审中", "approved": "已通过", "rejected": "未通过",
                    "returned": "已退回修改", "withdrawn": "已撤回", "in_publicity": "公示中",
                    "listed": "已列入培育名单", "removed": "已移出名单"}[MOVES[action].target]
        zh = f"{org['name']} 的申报（编号 {app_id}）：{zh_state}"
        en = f"Application {app_id} of {org['name']}: {MOVES[action].target.replace('_', ' ')}"
        if reason:
            zh, en = f"{zh}。理由：{reason}", f"{en}. Reason: {reason}"
        self.notify(when, recipients, zh, en, app_id)

    def publication(self, round_: dict, plans: list[dict], timeline: dict) -> None:
        """Publicity, the published list, certificates, and a few removals with revocation."""
        rng, officer = self.rng, self.province[0]
        approved = [p for p in plans if p["state"] == "approved"]
        if not approved:
            return
        opened = at(timeline["publicity"] - DAY, rng)
        publicity = self.add("publicity", round_id=round_["id"], starts_on=timeline["publicity"],
                             ends_on=timeline["ends"], working_days=round_["publicity_days"],
                             opened_by=officer, opened_at=opened,
                             published_on=timeline["published"])
        for p in approved:
            self.event(opened, officer, "publicize", "application", p["id"],
                       from_state="approved", to_state="in_publicity")
            self.notify_move(opened, "publicize", p["id"], p["org"], "approved", None)
        self.event(opened, officer, "open_publicity", "round", round_["id"],
                   details={"from": publicity["starts_on"].isoformat(),
                            "to": publicity["ends_on"].isoformat(),
                            "applications": [p["id"] for p in approved]})
        published = at(timeline["published"], rng)
        for p in approved:
            self.event(published, officer, "list", "application", p["id"],
                       from_state="in_publicity", to_state="listed")
            self.notify_move(published, "list", p["id"], p["org"], "in_publicity", None)
            level = p["basis"]["level_with_expert_points"]
            p["listing"] = self.add("listing", round_id=round_["id"], application_id=p["id"],
                                    organisation_name=p["org"]["name"], city=p["org"]["city"],
                                    subject=round_["subject"], level_id=level["id"],
                                    level_zh=level["title"]["zh"], level_en=level["title"]["en"],
                                    listed_on=timeline["published"], removed_on=None,
                                    removal_reason=None)
            p["row"].update(state="listed", updated_at=published)
        self.event(published, officer, "publish_list", "round", round_["id"],
                   details={"listed": [p["id"] for p in approved]})
        issued = at(timeline["issued"], rng)
        for p in approved:
            result = p["results"][len(p["data"]) - 1]
            certificate = self.add(
                "certificate", serial=new_serial(), listing_id=p["listing"]["id"],
                organisation_name=p["org"]["name"], level_zh=p["listing"]["level_zh"],
                level_en=p["listing"]["level_en"], round_title=round_["title"],
                criteria_id=result["criteria"]["id"],
                criteria_version=result["criteria"]["version"], issued_on=timeline["issued"],
                valid_until=timeline["issued"] + (3 * 365 + 1) * DAY,
                stored_name=secrets.token_hex(16), pdf_sha256=secrets.token_hex(32),
                signer="CN=贵州省工业和信息化厅（基准测试）", status="valid", issued_by=officer,
                revoked_at=None, revocation_reason=None)
            self.event(issued, officer, "issue_certificate", "certificate", certificate["id"],
                       details={"serial": certificate["serial"],
                                "sha256": certificate["pdf_sha256"], "application": p["id"]})
            if rng.random() < 0.06:
                removed = min(issued + int(rng.integers(30, 300)) * DAY,
                              self.now - DAY)
                self.event(removed, officer, "remove", "application", p["id"],
                           from_state="listed", to_state="removed", reason=REASONS["remove"])
                self.notify_move(removed, "remove", p["id"], p["org"], "listed",
                                 REASONS["remove"])
                p["listing"].update(removed_on=removed.date(), removal_reason=REASONS["remove"])
                certificate.update(status="revoked", revoked_at=removed,
                                   revocation_reason=REASONS["remove"])
                self.event(removed, officer, "revoke_certificate", "certificate",
                           certificate["id"], reason=certificate["revocation_reason"],
                           details={"serial": certificate["serial"]})
                p["row"].update(state="removed", updated_at=removed)

    def build(self) -> None:
        self.people()
        for spec in self.rounds():
            self.build_round(spec)
            print(f"round {spec['row']['id']} ({spec['row']['title']}): {spec['size']} "
                  "applications", file=sys.stderr, flush=True)

    def chained_events(self) -> list[dict]:
        """Events in time order with ids and the hash chain audit.record would write."""
        self.events.sort(key=lambda e: e["at"])
        previous = ""
        for number, row in enumerate(self.events, start=1):
            event = AuditEvent(**row, previous_hash=previous)
            row.update(id=number, previous_hash=previous, hash=digest(event))
            row["seal"] = seal(row["hash"])  # as audit.record seals it (the app's key)
            previous = row["hash"]
        return self.events


# -- writing -------------------------------------------------------------------------------------

TABLES = [("organisation", Organisation), ("user", User), ("expertprofile", ExpertProfile),
          ("expertrelation", ExpertRelation), ("round", Round), ("application", Application),
          ("revision", Revision), ("assignment", Assignment), ("review", Review),
          ("publicity", Publicity), ("listing", Listing), ("certificate", Certificate)]


def reset(url: str, replace: bool) -> None:
    """An empty database at `url`; refuses to empty one that has tables unless `replace`."""
    if url.startswith("sqlite"):
        # its folder first: SQLite cannot even look into a file in a folder that does not exist
        Path(url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    try:
        if inspect(engine).get_table_names() and not replace:
            sys.exit(f"{url} already has tables: pass --replace to empty it")
        if url.startswith("sqlite"):
            path = Path(url.split("///", 1)[1])
            engine.dispose()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    finally:
        engine.dispose()


def write(connection, table, rows: list[dict], chunk: int = 2000) -> None:
    for start in range(0, len(rows), chunk):
        connection.execute(table.insert(), rows[start:start + chunk])


def write_all(province: Province) -> dict[str, int]:
    engine = db.engine()
    counts = {}
    with engine.begin() as connection:
        for name, model in TABLES:
            write(connection, model.__table__, province.rows[name])
            counts[name] = len(province.rows[name])
        notes = [dict(row, id=n) for n, row in enumerate(province.notes, start=1)]
        write(connection, Notification.__table__, notes)
        counts["notification"] = len(notes)
        events = province.chained_events()
        write(connection, AuditEvent.__table__, events)
        counts["auditevent"] = len(events)
        if engine.dialect.name == "postgresql":  # ids were given: move the sequences past them
            for table in [*(t for t, _ in TABLES if t != "expertprofile"), "notification",
                          "auditevent"]:
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"))
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    return counts


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=f"sqlite:///{ROOT / 'instance/bench/province.sqlite3'}")
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--replace", action="store_true",
                        help="empty the database at --url even if it has tables")
    args = parser.parse_args()

    reset(args.url, args.replace)
    app = create_app({"DATABASE_URL": args.url})
    started = time.perf_counter()
    with app.app_context():
        upgrade_database()
        migrated = time.perf_counter()
        province = Province(Engine.load(), args.applications, args.seed, date.today())
        province.build()
        built = time.perf_counter()
        counts = write_all(province)
        written = time.perf_counter()
        checked, broken = verify_chain(db.session())
        assert broken is None, f"audit chain broken: {broken}"
        db.close_session()
        db.engine().dispose()
    states: dict[str, int] = defaultdict(int)
    for row in province.rows["application"]:
        states[row["state"]] += 1
    report = {
        "url": args.url.split("@")[-1],
        "applications": counts["application"], "states": dict(sorted(states.items())),
        "rows": counts, "audit_chain_checked": checked,
        "password": PASSWORD,
        "seconds": {"migrate": round(migrated - started, 1),
                    "build_and_score": round(built - migrated, 1),
                    "write": round(written - built, 1)},
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
