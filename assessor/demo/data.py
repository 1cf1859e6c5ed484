"""The demo province as data: staff, enterprises and parks with their year of activity, the
reasons officers give, expert profiles and the reviews they write. Loaded by demo.py."""

from __future__ import annotations

from ..accounts.models import ADMIN, EXPERT, PROVINCE_OFFICER

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
    ("province1", PROVINCE_OFFICER, None, "王建华", "省工业和信息化厅（开设批次、形式审查、编写评价标准）"),
    ("province2", PROVINCE_OFFICER, None, "李敏", "省工业和信息化厅（评审决定、审核发布评价标准）"),
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
         products=(), **blocks) -> dict:
    """One accounting unit in the engine's format: fuels in t (natural gas in 万Nm3), power in MWh,
    process emissions (source, tCO2), products (benchmark id, output t, energy, energy unit), and
    any sector blocks (clinker_lines, aluminium, computing …) as the schema writes them."""
    power = {"grid_purchase": grid, "green_power_trading": trade, "direct_green_supply": direct,
             "onsite_renewable_self_used": pv}
    data: dict = {
        "energy": {c: q(v, GAS if c == "natural_gas" else "t") for c, v in (fuels or {}).items()},
        "electricity": {k: q(v, "MWh") for k, v in power.items() if v},
        "process_emissions": [{"source": s, "quantity": v, "unit": "tCO2",
                               "method": "按所属行业温室气体排放核算方法与报告指南另行计算，计算表见附件（演示数据）"}
                              for s, v in process],
        "production": [{"benchmark": b, "output": q(out, "t"), "energy": q(e, u)}
                       for b, out, e, u in products],
        **blocks,
    }
    if certs:
        data["electricity"]["green_certificates"] = [{"serial": s, "count": n} for s, n in certs]
    return {k: v for k, v in data.items() if v}


FACTORY_YES = {"compliance_3y": True, "no_obsolete_equipment": True, "zero_carbon_plan": True}
PARK_YES = {"clear_boundary": True, "no_major_pollution_3y": True, "roadmap_2025_base": True}
DATA_CENTRE = unit({"diesel": 120}, grid=360000, trade=320000, direct=230000, pv=8000,
                   certs=[("GZGEC2024000100001", 40000)],
                   computing={"it_energy": q(490000, "MWh"), "facility_energy": q(598000, "MWh"),
                              "water": q(900000, "m3")})
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
                   clinker_lines=[{"line": "1号线", "method": "ets_2024",
                                   "clinker_type": "clinker_portland",
                                   "output": q(1500000, "t")}],
                   clinker_substitutes=[{"material": "carbide_slag",
                                         "consumption": q(26041.667, "t")}],
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
                  ("forestry_ticket", "GZLYTP-2024-2101", 100)],
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
                   aluminium=[{"guideline": "cets_2024_aluminium", "output": q(160000, "t"),
                               "anode_effect_minutes": q(0.085, "min/d")}],
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
         offsets=[("forestry_ticket", "GZLYTP-2024-2201", 8000)],
         evidence=("construction_plan", "零碳园区建设方案.pdf"),
         steps="submit recommend accept approve"),
    dict(key="fuquanpark", name="福泉示例经济开发区管理委员会", city="qiannan", division="522702",
         industry="S9221", address="福泉市示例开发区管委会大楼", contact="蒙丽",
         data=unit({"natural_gas": 50}, grid=8000),
         members=["phosphorus",
                  ("贵州示例新能源材料有限公司", "522702",
                   unit({"natural_gas": 1500}, grid=120000, trade=20000)),
                  ("贵州示例磷石膏建材有限公司", "522702", unit({"natural_gas": 200}, grid=15000))],
         level="provincial", reported=(62, 38, 92),
         evidence=("zone_approval", "开发区设立批复.pdf"), steps="submit"),
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

# The cities' 推荐意见 (recommendation texts), by organisation key; others get a plain one
RECOMMENDATIONS = {
    "manganese": "企业锰硅合金产能符合产业政策，能源计量和碳排放核算基础较好，同意推荐参加零碳工厂评价。",
    "aluminium": "企业为我市重点电解铝企业，已开展绿电交易，数据经我局核对一致，同意推荐。",
    "baijiu": "企业酿造工艺能耗低，已建设屋顶光伏，填报数据与能源统计报表一致，同意推荐。",
    "datacentre": "数据中心PUE较低，绿电交易和碳抵消凭证齐全，经核对属实，同意推荐。",
    "electronics": "企业为贵安新区重点电子信息企业，已获国家级绿色工厂称号，同意推荐。",
    "guianpark": "园区管理机构健全，能碳管理平台覆盖全部成员企业，同意推荐参加零碳工业园区评价。",
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
