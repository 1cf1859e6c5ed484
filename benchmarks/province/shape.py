"""The province's shape: how many of what, where the enterprises are, the texts officers write;
the office-hours clock and the keys handed out before anything is written."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import numpy as np

from assessor.demo.data import FACTORIES

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
