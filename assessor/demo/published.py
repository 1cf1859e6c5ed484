"""演示数据：已发布的往年批次 / demo data: a past factory round taken through to the end.

The 2023 round opened and closed a year ago; four enterprises submitted, were recommended,
accepted, reviewed by three experts each and approved on the experts' aggregate; publicity drew
one objection, dismissed with a reason; the list was published after the period and every
listing got a signed certificate; one enterprise was later removed (its certificate revoked);
the 2024 annual filing is open, one enterprise has filed. All through the services, each step
on its own past date (days relative to `today` in DAYS). One name carries rare characters
(㵲, 喆, 堃) to show they render on the certificate.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from sqlmodel import Session

from ..accounts.models import User
from ..accounts.regions import CITIES
from ..accounts.services import register_applicant
from ..applications import services as applications
from ..applications.lifecycle import transition
from ..applications.workflow import STATE_TITLES
from ..certificates import issue as certificates
from ..certificates.settings import issue_settings, write_specimen_seal
from ..engine import Engine
from ..publication import filing
from ..publication import services as publication
from ..review import services as review
from ..rounds.services import open_round
from . import build
from . import data as province

if TYPE_CHECKING:
    from ..models import Application, Listing, Round

TITLE = "2023年度贵州省零碳工厂评价申报（演示）"
YEAR, FILING_YEAR = 2023, 2024
DOCUMENT_NUMBER = "黔工信节能〔{year}〕7号"  # the demo list's 文号 (made up), of its year
FIRST_NUMBER = 21  # USCC organisation codes and phone numbers after the main demo's
# Each step's date, in days from `today`: the whole flow lies in the past, the filing deadline
# in the future.
DAYS = {"opens": -400, "closes": -340, "create": -395, "submit": -380, "recommend": -376,
        "accept": -372, "review": -365, "decide": -356, "publicity_opened": -353,
        "publicity_starts": -350, "objection": -347, "objection_handled": -343,
        "publish": -300, "remove": -120, "call": -30, "filed": -10, "deadline": 60}

# key (login), name, city, division, industry, address, contact, data, green factory title,
# (automatic metering %, footprint %), offsets, reviews (as demo.REVIEWS), decision reason
PUBLISHED = [
    dict(key="bigdata", name="贵州示例绿算大数据中心有限公司", city="guiyang", division="520115",
         industry="I6550", address="观山湖区示例数据产业园数谷路6号", contact="许静",
         data=province.unit({"diesel": 80}, grid=150000, trade=120000, direct=90000, pv=6000,
                        certs=[("GZGEC2023000700001", 30000)]),
         title="national", reported=(97, 100), offsets=[("ccer", "CCER-52-2023-000801", 300)],
         reviews=[
             ({"F-E1": 10, "F-E2": 8, "F-E3": 4, "F-E4": 7, "F-E5": 5}, {}, "approve",
              "绿电直供和绿电交易覆盖全部外购电力，备用柴油发电机排放已用CCER全额抵消，同意认定为零碳工厂。"),
             ({"F-E1": 10, "F-E2": 10, "F-E3": 4, "F-E4": 10, "F-E5": 5}, {}, "approve",
              "PUE和液冷改造成效显著，能碳管理平台达到行业领先水平。"),
             ({"F-E1": 7, "F-E2": 8, "F-E3": 2, "F-E4": 7, "F-E5": 3}, {}, "approve",
              "同意通过；建议补充数据中心服务碳足迹的核算方法说明。"),
         ],
         decision="经形式审查和专家评审，各项基本要求均满足，经碳抵消后净排放为零，同意通过，进入公示。"),
    dict(key="precision", name="贵州示例精密电子有限公司", city="zunyi", division="520303",
         industry="C3982", address="汇川区示例电子信息产业园精密路9号", contact="罗斌",
         data=province.unit({"natural_gas": 45}, grid=38000, trade=22000, direct=16000, pv=6500,
                        certs=[("GZGEC2023000900001", 16000)]),
         title="national", reported=(93, 80), offsets=[("ccer", "CCER-52-2023-001201", 1000)],
         reviews=[
             ({"F-E1": 7, "F-E2": 8, "F-E3": 4, "F-E4": 7, "F-E5": 3}, {}, "approve",
              "屋顶光伏和绿电直供比例较高，天然气锅炉排放已全额抵消，同意认定。"),
             ({"F-E1": 10, "F-E2": 8, "F-E3": 4, "F-E4": 7, "F-E5": 3}, {}, "approve",
              "能源数据自动采集率高，主要产品已开展碳足迹分析。"),
             ({"F-E1": 7, "F-E2": 5, "F-E3": 4, "F-E4": 4, "F-E5": 3}, {}, "approve",
              "同意通过；建议天然气锅炉逐步实施电能替代。"),
         ],
         decision="经形式审查和专家评审，各项基本要求均满足，经碳抵消后净排放为零，同意通过，进入公示。"),
    dict(key="newmaterial", name="贵州㵲阳河喆堃示例新材料有限公司", city="qiandongnan",
         division="522625", industry="C3985", address="镇远县示例新材料产业园㵲阳河大道18号",
         contact="潘志刚",
         data=province.unit({"natural_gas": 260}, grid=52000, trade=30000, direct=24000, pv=4000,
                        certs=[("GZGEC2023001100001", 14000)]),
         title="provincial", reported=(85, 60), offsets=[("ccer", "CCER-52-2023-002201", 5500)],
         reviews=[
             ({"F-E1": 7, "F-E2": 8, "F-E3": 4, "F-E4": 7, "F-E5": 3}, {}, "approve",
              "磷酸铁锂烧结窑炉天然气排放占比较高，抵消比例约一半，达到近零碳工厂要求。"),
             ({"F-E1": 7, "F-E2": 8, "F-E3": 2, "F-E4": 7, "F-E5": 3},
              {"F-S5": (0, "部分CCER注销凭证在申报截止后出具，本项暂不计分。")}, "approve",
              "同意认定为近零碳工厂；建议推进窑炉电气化改造。"),
             ({"F-E1": 7, "F-E2": 8, "F-E3": 4, "F-E4": 7, "F-E5": 3}, {}, "approve",
              "碳排放核算经第三方核查，节能降碳项目效果明显，同意通过。"),
         ],
         decision="经形式审查和专家评审，各项基本要求均满足，专家汇总得分达到近零碳工厂要求，同意通过，进入公示。"),
    dict(key="tea", name="贵州示例毛尖茶业有限公司", city="qiannan", division="522701",
         industry="C1530", address="都匀市示例茶产业园毛尖路3号", contact="韦丽",
         data=province.unit({"natural_gas": 5}, grid=2400, trade=1500, pv=1100,
                        certs=[("GZGEC2023001300001", 700)]),
         title="provincial", reported=(82, 50),
         offsets=[("forestry_ticket", "GZLYTP-2023-0501", 200)],
         reviews=[
             ({"F-E1": 7, "F-E2": 5, "F-E3": 2, "F-E4": 7, "F-E5": 3}, {}, "approve",
              "以电制茶，屋顶光伏自用比例较高，同意认定为近零碳工厂。"),
             ({"F-E1": 7, "F-E2": 8, "F-E3": 4, "F-E4": 7, "F-E5": 3}, {}, "approve",
              "林业碳票抵消量较小，建议逐年提高抵消比例。"),
             ({"F-E1": 4, "F-E2": 5, "F-E3": 2, "F-E4": 4, "F-E5": 3}, {}, "approve",
              "同意通过；建议完善能源计量分项采集。"),
         ],
         decision="经形式审查和专家评审，各项基本要求均满足，专家汇总得分达到近零碳工厂要求，同意通过，进入公示。"),
]
OBJECTION = dict(key="newmaterial", name="徐某（演示）", contact="0855-55509901",
                 reason="反映该企业申报的2023年绿证与其他企业重复申报，请予核查。",
                 dismissal="经核对贵州电力交易中心绿电交易结算凭证和绿证核发划转记录，该企业申报的"
                           "绿证序号与其他申报单位无重复，异议不成立，予以驳回。")
REMOVAL = dict(key="precision",
               reason="企业发生一般生产安全事故并受到应急管理部门行政处罚，不再满足合规经营基本要求，"
                      "按动态管理规定移出培育名单。")
# The enterprise that has filed its 2024 data, and that data (a year's growth, still green)
FILER = "bigdata"
FILING_DATA = province.unit({"diesel": 70}, grid=168000, trade=136000, direct=104000, pv=7500,
                        certs=[("GZGEC2024001700001", 32000)])
FILING_OFFSETS = [("ccer", "CCER-52-2024-006101", 260)]


def plans() -> list[dict]:
    """Registration, 2023 submission and 2024 filing of every enterprise (as demo.plans())."""
    out = []
    for number, entry in enumerate(PUBLISHED, FIRST_NUMBER):
        org = {"name": entry["name"], "uscc": build.uscc("factory", entry["division"], number),
               "kind": "factory", "city": entry["city"], "industry": entry["industry"],
               "address": f"贵州省{CITIES[entry['city']]}{entry['address']}",
               "contact_name": entry["contact"], "contact_phone": province.PHONE.format(number)}
        header = {"name": org["name"], "uscc": org["uscc"], "region": CITIES[org["city"]]}
        data = {**build.factory_data(header, entry), "reporting_year": YEAR,
                "offsets": build.offsets(entry)}
        plan = {"entry": {**entry, "steps": "submit recommend accept approve"}, "org": org,
                "data": data}
        if entry["key"] == FILER:
            plan["filing"] = {**data, **FILING_DATA, "reporting_year": FILING_YEAR,
                              "offsets": build.offsets({"offsets": FILING_OFFSETS})}
        out.append(plan)
    return out


def load_published(db: Session, engine: Engine, people: dict[str, User], planned: list[dict],
                   today: date, served_at: str) -> list[tuple[str, str, str]]:
    """Run the 2023 round to the end; returns the enterprises' logins. Needs an app context.
    `served_at`: the certificates' verify links' address when PUBLIC_BASE_URL is not set."""
    day = {name: today + timedelta(days=offset) for name, offset in DAYS.items()}
    round_ = _open_round(db, engine, people["province1"], day)
    users, apps = _apply_and_review(db, engine, people, round_, planned, day)
    listed, serials = _publish(db, engine, people["province1"], round_, apps, day,
                               served_at)
    _file_year(db, engine, people["province1"], round_, users, planned, day)
    return _logins(planned, users, apps, listed, serials)


def _open_round(db: Session, engine: Engine, officer: User, day: dict[str, date]) -> Round:
    round_ = open_round(db, engine, officer, title=TITLE, subject="factory", year=YEAR,
                        criteria_id=province.CRITERIA["factory"], opens_on=day["opens"],
                        closes_on=day["closes"], publicity_days=5)
    review.configure_round(db, officer, round_, **{
        "reviewers_per_application": 3, "aggregation": "mean", "disagreement_threshold": 0.3,
        "review_days": 14, "blind": False, "site_inspection": False,
        **province.REVIEW_SETTINGS["factory"]})
    return round_


def _apply_and_review(db: Session, engine: Engine, people: dict[str, User], round_: Round,
                      planned: list[dict], day: dict[str, date]
                      ) -> tuple[dict[str, User], dict[str, Application]]:
    """Each enterprise registers, applies and is recommended and accepted; the experts review
    and the second province officer approves. Returns the logins and applications by key."""
    users, apps = {}, {}
    for plan in planned:
        entry, org = plan["entry"], plan["org"]
        user = register_applicant(db, organisation=org, email=f"{entry['key']}@{province.DOMAIN}",
                                  name=entry["contact"], password=province.PASSWORD)
        application = applications.create(db, user, round_, day["create"])
        draft = applications.editable_draft(db, user, application, day["create"])
        applications.save_draft(db, engine, user, application, plan["data"],
                                draft.lock_version, day["create"])
        for action in ("submit", "recommend", "accept"):
            transition(db, engine, application, action, build.actor(action, user, org, people),
                       today=day[action], **build.move_facts(action, org, entry))
        users[entry["key"]], apps[entry["key"]] = user, application
    reviews = {entry["key"]: entry["reviews"] for entry in PUBLISHED}
    for key, application in apps.items():
        build.review_application(db, engine, people, round_, application, key, day["review"], reviews)
    for plan in planned:
        review.decide(db, engine, people["province2"], apps[plan["entry"]["key"]], "approve",
                      plan["entry"]["decision"], day["decide"])
    return users, apps


def _publish(db: Session, engine: Engine, officer: User, round_: Round,
             apps: dict[str, Application], day: dict[str, date], served_at: str
             ) -> tuple[dict[int, Listing], dict[int, str]]:
    """Publicity with one objection dismissed, the list, its certificates, and one removal.
    Returns the listings by application id and the certificate serials by listing id."""
    publication.open_publicity(db, engine, officer, round_, day["publicity_starts"],
                               day["publicity_opened"])
    objection = publication.file_objection(
        db, apps[OBJECTION["key"]], name=OBJECTION["name"], contact=OBJECTION["contact"],
        reason=OBJECTION["reason"],
        folder=Path(current_app.config["UPLOAD_FOLDER"]), today=day["objection"])
    publication.handle_objection(db, engine, officer, objection, upheld=False,
                                 reason=OBJECTION["dismissal"], today=day["objection_handled"])
    number = DOCUMENT_NUMBER.format(year=day["publish"].year)
    listed = {x.application_id: x for x in publication.publish_list(
        db, engine, officer, round_, day["publish"], document_number=number)}
    write_specimen_seal()  # the demo's certificates carry a seal that says 样章 (specimen)
    issued = certificates.issue_for_round(db, officer, round_, today=day["publish"],
                                          **issue_settings(served_at))
    serials = {c.listing_id: c.serial for c in issued}
    publication.remove_listing(db, engine, officer, listed[apps[REMOVAL["key"]].id],
                               REMOVAL["reason"], day["remove"])
    return listed, serials


def _file_year(db: Session, engine: Engine, officer: User, round_: Round,
               users: dict[str, User], planned: list[dict], day: dict[str, date]) -> None:
    """The call for the next year's data, and one listed enterprise's filing submitted."""
    call = filing.open_call(db, officer, round_, FILING_YEAR, day["deadline"], day["call"])
    filer = next(plan for plan in planned if plan["entry"]["key"] == FILER)
    item = filing.filing(db, users[FILER], call)
    # (filing scores carry the experts' points of the listing decision over by themselves)
    problems = filing.save(db, engine, users[FILER], item, filer["filing"], item.lock_version,
                           day["filed"])
    if problems:
        raise build.DemoError("2024年度报送数据有误：" + "；".join(p.zh for p in problems))
    filing.submit(db, engine, users[FILER], item, day["filed"])


def _logins(planned: list[dict], users: dict[str, User], apps: dict[str, Application],
            listed: dict[int, Listing], serials: dict[int, str]) -> list[tuple[str, str, str]]:
    """(email, password, what the login shows) of each enterprise."""
    logins = []
    for plan in planned:
        key, org = plan["entry"]["key"], plan["org"]
        application = apps[key]
        listing = listed[application.id]
        serial = serials[listing.id]
        if listing.removed_on:
            state = f"{STATE_TITLES[application.state][0]}，证书 {serial} 已撤销"
        else:
            state = f"已列入培育名单（{listing.level_zh}），证书 {serial}"
        if key == FILER:
            state += f"；{FILING_YEAR}年度数据已报送"
        logins.append((users[key].email, province.PASSWORD,
                       f"{org['name']}（{CITIES[org['city']]}，申报单位；{YEAR}年度批次：{state}）"))
    return logins
