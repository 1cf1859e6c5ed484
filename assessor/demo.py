"""演示数据 / demo data: a believable Guizhou province of staff, enterprises, parks, two open rounds
and applications in every state, made through the services only (never by writing tables).

Expert review is in use: the experts have profiles (one works for an applicant, one declared a
relation, so conflicts show), the decided applications were scored by three experts each and
decided on the aggregate, and the one in review has a submitted review, a draft and an
assignment still awaiting its conflict declaration. The park round is blind. A past 2023 round
(demo_published) has gone all the way: publicity, an objection, the published list, signed
certificates, a removal and the 2024 annual filing.

Every organisation is fictitious: names carry 示例, USCCs use the organisation code 00000000n.
`flask --app assessor demo [--if-empty]` loads it; every login shares one password.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session, select

from .accounts.models import ADMIN, APPLICANT, CITY_OFFICER, EXPERT, PROVINCE_OFFICER, User
from .accounts.services import create_staff, register_applicant
from .accounts.uscc import make
from .applications import services as applications
from .applications.lifecycle import transition
from .engine import Engine, SubmissionError
from .regions import CITIES
from .review import services as review
from .review.scales import reviewable_items
from .rounds.models import Round
from .rounds.services import open_round
from .workflow import MOVES, STATE_TITLES

PASSWORD = "Guizhou-demo-2024"
DOMAIN = "demo.example.com"
YEAR = 2024
PHONE = "0851-5550{:04d}"  # fictitious numbers
CRITERIA = {"factory": "GZ-F-2024", "park": "GZ-P-2024"}
GAS = "万Nm3"

# -- people --------------------------------------------------------------------------------------
# (email name, role, city, person, description)
STAFF = [
    ("admin", ADMIN, None, "赵晓静", "系统管理员（账号、批次与评价标准管理）"),
    ("province1", PROVINCE_OFFICER, None, "王建华", "省工业和信息化厅（开设批次、形式审查）"),
    ("province2", PROVINCE_OFFICER, None, "李敏", "省工业和信息化厅（评审决定）"),
    ("expert1", EXPERT, None, "陈立新", "评审专家（建材与冶金）"),
    ("expert2", EXPERT, None, "林芳", "评审专家（磷化工与化工）"),
    ("expert3", EXPERT, None, "何志远", "评审专家（电力与可再生能源）"),
    ("expert4", EXPERT, None, "马晓东", "评审专家（碳排放核算与核查）"),
]
CITY_OFFICERS = {"guiyang": "刘洋", "zunyi": "赵磊", "anshun": "孙丽", "bijie": "周杰",
                 "qiannan": "吴静", "liupanshui": "郑强", "qianxinan": "黄敏", "guian": "杨帆",
                 "qiandongnan": "潘红"}


# -- activity data -------------------------------------------------------------------------------
def q(quantity: float, unit: str) -> dict:
    return {"quantity": quantity, "unit": unit}


def unit(fuels: dict | None = None, *, grid=0, trade=0, certs=(), direct=0, pv=0, process=(),
         products=()) -> dict:
    """One accounting unit in the engine's format: fuels in t (natural gas in 万Nm3), power in MWh,
    process emissions (source, tCO2), products (benchmark id, output t, energy, energy unit)."""
    power = {"grid_purchase": grid, "green_power_trading": trade, "direct_green_supply": direct,
             "onsite_renewable_self_used": pv}
    data: dict = {
        "energy": {c: q(v, GAS if c == "natural_gas" else "t") for c, v in (fuels or {}).items()},
        "electricity": {k: q(v, "MWh") for k, v in power.items() if v},
        "process_emissions": [{"source": s, "quantity": v, "unit": "tCO2"} for s, v in process],
        "production": [{"benchmark": b, "output": q(out, "t"), "energy": q(e, u)}
                       for b, out, e, u in products],
    }
    if certs:
        data["electricity"]["green_certificates"] = [{"serial": s, "count": n} for s, n in certs]
    return {k: v for k, v in data.items() if v}


FACTORY_YES = {"compliance_3y": True, "no_obsolete_equipment": True, "zero_carbon_plan": True}
PARK_YES = {"clear_boundary": True, "no_major_pollution_3y": True, "roadmap_2025_base": True}
DATA_CENTRE = unit({"diesel": 120}, grid=360000, trade=320000, direct=230000, pv=8000,
                   certs=[("GZGEC2024000100001", 40000)])
ELECTRONICS = unit({"natural_gas": 60}, grid=45000, trade=24000, direct=20000, pv=5000,
                   certs=[("GZGEC2024000300001", 8000)])
PHOSPHORUS = unit({"coke": 29000, "diesel": 300}, grid=285000, trade=30000,
                  process=[("磷矿石中碳酸盐分解", 5400)],
                  products=[("yellow_phosphorus_energy", 20000, 53000, "tce")])

# key (login), name, city, division code, GB/T 4754 industry, address, contact, data, green
# factory title (None: declarations not yet answered), (automatic metering %, footprint %),
# offsets (instrument, first serial, tCO2e), evidence (item, file), steps (see REASONS)
FACTORIES = [
    dict(key="phosphorus", name="贵州示例磷化有限公司", city="qiannan", division="522702",
         industry="C2619", address="福泉市示例工业园区磷化大道8号", contact="张磊",
         data=PHOSPHORUS, title="provincial", reported=(80, 40), steps="submit"),
    dict(key="fertiliser", name="贵州示例磷肥有限公司", city="guiyang", division="520121",
         industry="C2622", address="开阳县示例磷化工园区磷都路16号", contact="罗红",
         data=unit({"bituminous_coal": 46000, "natural_gas": 500}, grid=160000, trade=20000,
                   process=[("湿法磷酸磷矿石碳酸盐分解", 18000)],
                   products=[("map_slurry_granular_energy", 250000, 40500, "tce"),
                             ("dap_slurry_granular_energy", 100000, 17800, "tce")]),
         title="provincial", reported=(75, 30), steps=""),
    dict(key="manganese", name="贵州示例锰业有限公司", city="zunyi", division="520304",
         industry="C3140", address="播州区示例铁合金产业园锰硅路3号", contact="田勇",
         data=unit({"coke": 50000}, grid=520000, trade=40000,
                   process=[("电极糊消耗", 9000), ("白云石熔剂分解", 6500)],
                   products=[("silicomanganese_smelting_power", 120000, 492000, "MWh")]),
         title="none", reported=(70, 0), steps="submit recommend"),
    dict(key="ferrosilicon", name="贵州示例硅铁有限公司", city="liupanshui", division="520281",
         industry="C3140", address="盘州市示例工业园区硅铁路5号", contact="龙飞",
         data=unit({"coke": 33000}, grid=515000, trade=25000, process=[("电极糊消耗", 4800)],
                   products=[("ferrosilicon_smelting_power", 60000, 501000, "MWh")]),
         title="none", reported=(65, 0), steps="submit withdraw"),
    dict(key="aluminium", name="贵州示例铝业有限公司", city="guiyang", division="520181",
         industry="C3216", address="清镇市示例铝产业园电解路1号", contact="杨光",
         data=unit({"natural_gas": 1200, "diesel": 800}, grid=3450000, trade=600000, pv=12000,
                   process=[("阳极消耗", 380000), ("阳极效应全氟化碳（CO2当量）", 24000)],
                   products=[("electrolytic_aluminium_liquid_ac_power", 250000, 3287500, "MWh")]),
         title="national", reported=(90, 60), steps="submit recommend accept reject"),
    dict(key="alumina", name="贵州示例氧化铝有限公司", city="zunyi", division="520326",
         industry="C3216", address="务川仡佬族苗族自治县示例铝工业园氧化铝路2号", contact="冉刚",
         data=unit({"bituminous_coal": 430000, "natural_gas": 2500}, grid=260000, trade=15000,
                   products=[("alumina_bayer_comprehensive_energy", 1000000, 365000, "tce")]),
         title="provincial", reported=(78, 20), steps="submit"),
    dict(key="cement", name="贵州示例水泥有限公司", city="anshun", division="520402",
         industry="C3011", address="西秀区示例建材产业园水泥路6号", contact="孙伟",
         data=unit({"bituminous_coal": 270000, "diesel": 600}, grid=185000, pv=8000,
                   process=[("熟料煅烧（碳酸盐分解）", 1040000)],
                   products=[("cement_clinker_energy", 2000000, 208000, "tce"),
                             ("cement_clinker_power", 2000000, 100000, "MWh")]),
         title="provincial", reported=(85, 50), evidence=("ghg_report", "温室气体排放核算报告.pdf"),
         steps="submit city_return"),
    dict(key="building", name="贵州示例建材有限公司", city="bijie", division="520502",
         industry="C3011", address="七星关区示例工业园区建材大道12号", contact="周明",
         data=unit({"bituminous_coal": 215000}, grid=140000,
                   process=[("熟料煅烧（碳酸盐分解）", 790000)],
                   products=[("cement_clinker_energy", 1500000, 168000, "tce")]),
         title=None, reported=(), steps=""),
    dict(key="baijiu", name="贵州示例酒业有限公司", city="zunyi", division="520382",
         industry="C1512", address="仁怀市茅台镇示例酿酒工业园酱香路9号", contact="王芳",
         data=unit({"natural_gas": 1800}, grid=30000, trade=8000, pv=2500),
         title="provincial", reported=(88, 100),
         offsets=[("forestry_ticket", "GZLYTP-2024-0101", 2000)],
         steps="submit recommend province_return"),
    dict(key="datacentre", name="贵州示例大数据中心有限公司", city="guian", division="520900",
         industry="I6550", address="示例数据中心集群云谷路1号", contact="陈晨",
         data=DATA_CENTRE, title="national", reported=(98, 100),
         offsets=[("ccer", "CCER-52-2024-000501", 300),
                  ("forestry_ticket", "GZLYTP-2024-0201", 100)],
         evidence=("zero_carbon_plan", "零碳工厂建设方案.pdf"),
         steps="submit recommend accept approve"),
    dict(key="electronics", name="贵州示例电子科技有限公司", city="guian", division="520900",
         industry="C3976", address="示例电子信息产业园光电路18号", contact="李娜",
         data=ELECTRONICS, title="national", reported=(92, 60),
         offsets=[("ccer", "CCER-52-2024-001001", 5000)],
         evidence=("green_factory_certificate", "国家级绿色工厂证书.pdf"),
         steps="submit recommend accept"),
    dict(key="xingren", name="贵州示例兴仁铝业有限公司", city="qianxinan", division="522302",
         industry="C3216", address="兴仁市示例工业园区铝业大道2号", contact="黄涛",
         data=unit({"natural_gas": 900}, grid=2150000, trade=900000,
                   process=[("阳极消耗", 236000), ("阳极效应全氟化碳（CO2当量）", 15000)],
                   products=[("electrolytic_aluminium_liquid_ac_power", 160000, 2088000, "MWh")]),
         title="provincial", reported=(86, 40), steps=""),
]

# Parks: the management body applies; its members are in its data (registered ones by key).
# reported: (solid waste utilisation %, waste heat utilisation %, water reuse %)
CLOUD = unit({"diesel": 50}, grid=150000, trade=140000, direct=20000,
             certs=[("GZGEC2024000500001", 10000)])
PARKS = [
    dict(key="guianpark", name="贵安新区示例电子信息产业园管理委员会", city="guian",
         division="520900", industry="S9221", address="示例大道100号", contact="吴昊",
         data=unit({"natural_gas": 30}, grid=12000, trade=10000, pv=3000),
         members=["datacentre", "electronics", ("贵州示例云计算有限公司", "520900", CLOUD)],
         level="national", reported=(85, 52, 90),
         offsets=[("forestry_ticket", "GZLYTP-2024-0301", 8000)],
         evidence=("construction_plan", "零碳园区建设方案.pdf"),
         steps="submit recommend accept approve"),
    dict(key="fuquanpark", name="福泉示例经济开发区管理委员会", city="qiannan", division="522702",
         industry="S9221", address="福泉市示例开发区管委会大楼", contact="蒙丽",
         data=unit({"natural_gas": 50}, grid=8000),
         members=["phosphorus",
                  ("贵州示例新能源材料有限公司", "522702",
                   unit({"natural_gas": 1500}, grid=120000, trade=20000)),
                  ("贵州示例磷石膏建材有限公司", "522702", unit({"natural_gas": 200}, grid=15000))],
         level="provincial", reported=(62, 38, 92), steps="submit"),
]

# Reasons for the moves that need one, by organisation key
REASONS = {
    "ferrosilicon": "企业计划2025年完成矿热炉余热发电和节能改造，拟在下一批次再行申报。",
    "aluminium": "经专家评审：铝液交流电耗13150 kWh/t，未达到能效标杆水平13000 kWh/t；"
                 "非化石能源消费占比和物理认定绿电占比均未达到基本要求，不予认定。",
    "cement": "熟料煅烧过程排放104万tCO2未附核算依据，请按水泥企业温室气体排放核算指南"
              "补充生料碳酸盐含量和熟料产量台账后重新提交。",
    "baijiu": "形式审查：未上传省级绿色工厂称号证明文件和近三年合规经营承诺书，请补充后经市（州）重新推荐。",
    "datacentre": "经形式审查和专家评审，各项基本要求均满足，经碳抵消后净排放为零，同意通过，进入公示。",
    "guianpark": "经专家评审，园区单位能耗碳排放低于0.2 tCO2/tce，引导性指标良好，同意认定，进入公示。",
}

# -- expert review -------------------------------------------------------------------------------
# login: (GB/T 4754 industries, topics, affiliation, key of the demo organisation it is)
EXPERT_PROFILES = {
    "expert1": (["C30", "C31", "C32"], ["energy"], "贵州省建材冶金节能技术服务中心（示例）", None),
    "expert2": (["C26", "C39"], ["carbon_accounting", "energy"], "贵州示例大学化学与化工学院", None),
    "expert3": (["D44", "I65"], ["energy", "finance"], "贵州示例电子科技有限公司动力能源部",
                "electronics"),
    "expert4": (["C26", "C31", "C32"], ["carbon_accounting", "finance"],
                "贵州示例碳排放核查技术服务有限公司", None),
}
EXPERT_RELATIONS = [("expert2", "aluminium", "配偶在该企业任技术负责人")]
# Round settings for review: factory round on the median of three experts; park round blind.
REVIEW_SETTINGS = {"factory": {"reviewers_per_application": 3, "aggregation": "median"},
                   "park": {"reviewers_per_application": 3, "blind": True}}
# Per application, one entry per assignment (in the order auto_assign makes them): expert item
# scores, scored items that differ from the engine (points, comment), recommendation, opinion.
# Recommendation None keeps a draft; an entry of None leaves the assignment awaiting declaration.
REVIEWS = {
    "aluminium": [
        ({"F-E1": 4, "F-E2": 5, "F-E3": 2, "F-E4": 4, "F-E5": 3}, {}, "reject",
         "铝液交流电耗高于能效标杆水平，非化石能源消费占比和物理认定绿电占比均未达到基本要求，建议不予认定。"),
        ({"F-E1": 7, "F-E2": 5, "F-E3": 2, "F-E4": 4, "F-E5": 3},
         {"F-S4": (0, "铝液交流电耗13150 kWh/t，未达到能效标杆水平13000 kWh/t，本项不应得分。")},
         "reject", "能碳管理信息化基础较好，但能效和绿电两项基本要求差距较大，建议不予认定。"),
        ({"F-E1": 4, "F-E2": 8, "F-E3": 2, "F-E4": 7, "F-E5": 3}, {}, "return",
         "碳排放核算体系健全；建议扩大绿电交易规模、完成阳极效应控制改造后重新申报。"),
    ],
    "datacentre": [
        ({"F-E1": 10, "F-E2": 8, "F-E3": 4, "F-E4": 10, "F-E5": 5}, {}, "approve",
         "绿电交易和直供绿电比例高，能碳管理平台完善，同意认定为零碳工厂。"),
        ({"F-E1": 10, "F-E2": 10, "F-E3": 5, "F-E4": 7, "F-E5": 3},
         {"F-S5": (6, "林业碳票为地方核证减排量，抵消比例按折算后计分，酌情扣分。")}, "approve",
         "基本要求均满足；建议后续以CCER为主完成剩余排放抵消。"),
        ({"F-E1": 7, "F-E2": 8, "F-E3": 4, "F-E4": 7, "F-E5": 5}, {}, "approve",
         "PUE和余热利用措施有效，碳排放信息披露充分，同意通过。"),
    ],
    "electronics": [
        ({"F-E1": 7, "F-E2": 8, "F-E3": 4, "F-E4": 7, "F-E5": 3}, {}, "return",
         "能碳管理基础较好；单位能耗碳排放和非化石能源占比尚未达到零碳工厂要求，建议补充绿电凭证后再议。"),
        ({"F-E1": 7, "F-E2": 5}, {}, None, "（草稿）绿电交易凭证核对中。"),
        None,
    ],
    "guianpark": [
        ({"P-E1": 10, "P-E2": 10}, {}, "approve", "建设方案和路线图清晰，能碳管理平台覆盖全部成员企业，同意认定。"),
        ({"P-E1": 7, "P-E2": 10}, {}, "approve", "单位能耗碳排放水平优良；路线图的年度目标可进一步细化。"),
        ({"P-E1": 7, "P-E2": 5},
         {"P-S5": (7.5, "余热利用率依据园区自报数据，未见第三方监测报告，酌情扣分。")}, "approve",
         "同意认定；建议补充余热利用第三方监测，完善平台的碳核算功能。"),
    ],
}


def _uscc(kind: str, division: str, number: int) -> str:
    """A valid, clearly fictitious code: 91 company / 11 government body, organisation 00000000n."""
    return make(("11" if kind == "park" else "91") + division + f"{number:09d}")


def _factory_data(org: dict, entry: dict) -> dict:
    data = {"subject": "factory", "reporting_year": YEAR, "organisation": org, **entry["data"]}
    if entry["title"] is not None:
        data["declarations"] = {**FACTORY_YES, "green_factory_title": entry["title"]}
    if entry["reported"]:
        meter, footprint = entry["reported"]
        data["reported"] = {"meter_auto_collection_rate": q(meter, "%"),
                            "footprint_product_share": q(footprint, "%")}
    return data


def _park_data(org: dict, entry: dict, registered: dict, number: int) -> dict:
    members = []
    for member in entry["members"]:
        if isinstance(member, str):
            factory = registered[member]
            members.append({"name": factory["name"], "uscc": factory["uscc"], **factory["data"]})
        else:
            name, division, data = member
            uscc = _uscc("factory", division, number * 10 + len(members))
            members.append({"name": name, "uscc": uscc, **data})
    solid, heat, water = entry["reported"]
    return {"subject": "park", "reporting_year": YEAR, "organisation": org, **entry["data"],
            "members": members,
            "declarations": {**PARK_YES, "development_zone_level": entry["level"]},
            "reported": {"solid_waste_utilisation": q(solid, "%"),
                         "waste_heat_utilisation": q(heat, "%"), "water_reuse": q(water, "%")}}


def _offsets(entry: dict) -> list[dict]:
    return [{"instrument": kind, "serial": serial, "count": int(tco2), "quantity": tco2,
             "unit": "tCO2e"} for kind, serial, tco2 in entry["offsets"]]


def _pdf(title: str) -> bytes:
    """A one-page PDF (Helvetica, ASCII text) marked as demo evidence."""
    text = f"BT /F1 16 Tf 72 770 Td (Demo evidence - {title}) Tj ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1,
                                                                               xref)
    return bytes(out)


# -- loading -------------------------------------------------------------------------------------
class DemoError(ValueError):
    def __init__(self, zh: str):
        self.zh = zh
        super().__init__(zh)


def plans() -> list[dict]:
    """Every organisation's registration and submission, built before anything is written."""
    registered: dict[str, dict] = {}
    out = []
    for number, entry in enumerate([*FACTORIES, *PARKS], 1):
        kind = "park" if "members" in entry else "factory"
        org = {"name": entry["name"], "uscc": _uscc(kind, entry["division"], number),
               "kind": kind, "city": entry["city"], "industry": entry["industry"],
               "address": f"贵州省{CITIES[entry['city']]}{entry['address']}",
               "contact_name": entry["contact"], "contact_phone": PHONE.format(number)}
        header = {"name": org["name"], "uscc": org["uscc"], "region": CITIES[org["city"]]}
        if kind == "factory":
            data = _factory_data(header, entry)
            registered[entry["key"]] = {"name": org["name"], "uscc": org["uscc"],
                                        "data": entry["data"]}
        else:
            data = _park_data(header, entry, registered, number)
        if entry.get("offsets"):
            data["offsets"] = _offsets(entry)
        out.append({"entry": entry, "org": org, "data": data})
    return out


def _check(db: Session, engine: Engine, planned: list[dict]) -> None:
    """Refuse before writing: a demo login already taken, or a submission the engine rejects."""
    emails = [f"{name}@{DOMAIN}" for name, *_ in STAFF]
    emails += [f"city.{city}@{DOMAIN}" for city in CITY_OFFICERS]
    emails += [f"{plan['entry']['key']}@{DOMAIN}" for plan in planned]
    taken = db.exec(select(User.email).where(User.email.in_(emails))).all()
    if taken:
        raise DemoError(f"演示账号已存在（{len(taken)} 个，如 {taken[0]}），未做改动")
    for plan in planned:
        checked = [plan["data"]] if "submit" in plan["entry"]["steps"] else []
        for data in [*checked, *([plan["filing"]] if "filing" in plan else [])]:
            try:
                engine.score(data, CRITERIA[plan["org"]["kind"]])
            except SubmissionError as error:
                raise DemoError(f"{plan['org']['name']} 的填报数据有误：" + "；".join(
                    f"{p.path} {p.zh}" for p in error.problems)) from None


def load_demo(db: Session, engine: Engine, today: date) -> list[tuple[str, str, str]]:
    """Create the demo province through the services; returns (email, password, description)
    of every login. Needs an app context (evidence goes to UPLOAD_FOLDER, certificates to
    CERTIFICATE_FOLDER). The past, published round is in demo_published."""
    from . import demo_published

    planned, published = plans(), demo_published.plans()
    _check(db, engine, [*planned, *published])
    logins: list[tuple[str, str, str]] = []

    def staff(name: str, role: str, city: str | None, person: str, description: str) -> User:
        user = create_staff(db, email=f"{name}@{DOMAIN}", name=person, role=role,
                            password=PASSWORD, city=city)
        logins.append((user.email, PASSWORD, f"{description}：{person}"))
        return user

    people = {row[0]: staff(*row) for row in STAFF}
    for city, person in CITY_OFFICERS.items():
        people[city] = staff(f"city.{city}", CITY_OFFICER, city, person,
                             f"{CITIES[city]}工业和信息化主管部门（推荐、退回）")
    rounds = {subject: open_round(
        db, engine, people["province1"], title=f"{YEAR}年度贵州省{title}评价申报（演示）",
        subject=subject, year=YEAR, criteria_id=CRITERIA[subject],
        opens_on=today - timedelta(days=30), closes_on=today + timedelta(days=60),
        publicity_days=5) for subject, title in (("factory", "零碳工厂"), ("park", "零碳工业园区"))}
    _review_settings(db, people["province1"], rounds)
    _expert_pool(db, people, {plan["entry"]["key"]: plan["org"] for plan in planned})
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    for plan in planned:
        entry, org = plan["entry"], plan["org"]
        user = register_applicant(db, organisation=org, email=f"{entry['key']}@{DOMAIN}",
                                  name=entry["contact"], password=PASSWORD)
        application = applications.create(db, user, rounds[org["kind"]], today)
        draft = applications.editable_draft(db, user, application, today)
        applications.save_draft(db, engine, user, application, plan["data"],
                                draft.lock_version, today)
        if "evidence" in entry:
            item, filename = entry["evidence"]
            applications.add_evidence(db, user, application, item=item, filename=filename,
                                      content=_pdf(item.replace("_", " ")), folder=folder,
                                      today=today)
        for action in entry["steps"].split():
            reason = REASONS[entry["key"]] if MOVES[action].needs_reason else None
            actor = _actor(action, user, org, people)
            if action in ("approve", "reject"):  # experts first, then a decision on their scores
                _review(db, engine, people, rounds[org["kind"]], application, entry["key"], today)
                review.decide(db, engine, actor, application, action, reason, today)
            else:
                transition(db, engine, application, action, actor, reason=reason, today=today)
        if application.state == "in_review" and entry["key"] in REVIEWS:
            _review(db, engine, people, rounds[org["kind"]], application, entry["key"], today)
        state = STATE_TITLES[application.state][0]
        logins.append((user.email, PASSWORD,
                       f"{org['name']}（{CITIES[org['city']]}，申报单位；申报：{state}）"))
    return logins + demo_published.load_published(db, engine, people, published, today)


def _review_settings(db: Session, officer: User, rounds: dict[str, Round]) -> None:
    for subject, settings in REVIEW_SETTINGS.items():
        current = {"reviewers_per_application": 3, "aggregation": "mean",
                   "disagreement_threshold": 0.3, "review_days": 14, "blind": False,
                   "site_inspection": False}
        review.configure_round(db, officer, rounds[subject], **{**current, **settings})


def _expert_pool(db: Session, people: dict[str, User], orgs: dict[str, dict]) -> None:
    for login, (industries, topics, affiliation, key) in EXPERT_PROFILES.items():
        review.update_profile(db, people["province1"], people[login], industries=industries,
                              topics=topics, affiliation=affiliation,
                              affiliation_uscc=orgs[key]["uscc"] if key else None)
    for login, key, relation in EXPERT_RELATIONS:
        review.declare_relation(db, people[login], uscc=orgs[key]["uscc"],
                                organisation_name=orgs[key]["name"], relation=relation)


def _review(db: Session, engine: Engine, people: dict[str, User], round_: Round,
            application, key: str, today: date, reviews: dict | None = None) -> None:
    """Experts assigned to `application` as the officer would (auto_assign), then each declares
    and scores as `reviews` (REVIEWS) says: on the anchored scale, the engine's points unless
    noted."""
    review.auto_assign(db, people["province1"], round_, today)
    result = review.frozen_result(db, application)
    engine_points = {i["id"]: i["points"] for i in result["items"]}
    scored = [item.id for item in reviewable_items(engine.criteria(result["criteria"]["id"]),
                                                   result) if item.kind == "scored"]
    for assignment, planned in zip(review.assignments_of(db, application),
                                   (reviews or REVIEWS)[key], strict=True):
        if planned is None:
            continue
        expert_scores, changes, recommendation, opinion = planned
        expert = db.get(User, assignment.expert_id)
        review.declare_no_conflict(db, expert, assignment)
        submit = recommendation is not None
        scores = {**({i: engine_points[i] for i in scored} if submit else {}), **expert_scores,
                  **{i: points for i, (points, _) in changes.items()}}
        review.save_review(db, engine, expert, assignment, scores=scores,
                           comments={i: comment for i, (_, comment) in changes.items()},
                           opinion=opinion, recommendation=recommendation, inspection=None,
                           submit=submit)


def _actor(action: str, applicant: User, org: dict, people: dict[str, User]) -> User:
    """Who makes the move: the applicant, the city officer of the organisation's city, or a
    province officer (the second one decides)."""
    role = MOVES[action].role
    if role == APPLICANT:
        return applicant
    if role == CITY_OFFICER:
        return people[org["city"]]
    return people["province2" if action in ("approve", "reject") else "province1"]


# -- command -------------------------------------------------------------------------------------
@click.command("demo", help="Load demo data: staff, enterprises, parks, rounds and applications "
                            "in every state. 载入演示数据。")
@click.option("--if-empty", is_flag=True, help="Do nothing when any user exists. 已有用户时跳过。")
@with_appcontext
def demo_command(if_empty: bool):
    from . import db as database
    from .engine_service import criteria_engine

    session = database.session()
    if if_empty and session.exec(select(User).limit(1)).first() is not None:
        click.echo("数据库中已有用户，未载入演示数据 / users exist: demo data not loaded.")
        if session.exec(select(User).where(User.email == "admin@demo.example.com")).first():
            click.echo(f"演示账号仍可用 / demo logins still work: admin@demo.example.com, "
                       f"province1@demo.example.com, city.guiyang@demo.example.com, "
                       f"datacentre@demo.example.com … (密码 password: {PASSWORD})")
        return
    today = current_app.config.get("TODAY") or date.today()
    try:
        logins = load_demo(session, criteria_engine(), today)
    except Exception as error:
        session.rollback()
        click.echo(f"错误 error: 演示数据未能载入 / demo data not loaded: "
                   f"{getattr(error, 'zh', None) or error}", err=True)
        sys.exit(1)
    click.echo(f"演示账号 / demo logins (密码 password: {PASSWORD}):")
    width = max(len(email) for email, _, _ in logins)
    for email, _, description in logins:
        click.echo(f"  {email:<{width}}  {description}")
