"""演示通知公告: two published notices (marked 演示) so the front door is not empty: the call
for the open rounds, with the commitment letter attached, and a training session."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from sqlmodel import Session

from ..accounts.models import User
from ..certificates.render import render_document
from ..portal import services as notices
from ..rounds.models import Round


def _call(rounds: dict[str, Round]) -> str:
    factory, park = rounds["factory"], rounds["park"]
    return (
        "各市（州）工业和信息化局，贵安新区经济发展局，各有关单位：\n\n"
        "为贯彻落实国家关于推动工业领域碳达峰和零碳工厂建设的部署，培育一批零碳工厂和零碳工业园区，"
        "现组织开展零碳工厂和零碳工业园区培育名单申报工作。有关事项通知如下：\n\n"
        f"一、申报对象。零碳工厂：省内依法登记的工业企业和算力设施运营单位；零碳工业园区："
        f"省级及以上工业园区管理机构。数据年度为 {factory.year} 年。\n\n"
        f"二、申报时间。零碳工厂 {factory.opens_on.isoformat()} 至 {factory.closes_on.isoformat()}；"
        f"零碳工业园区 {park.opens_on.isoformat()} 至 {park.closes_on.isoformat()}。逾期不予受理。\n\n"
        "三、申报方式。申报单位在本系统注册后在线填报自评价数据、上传证明材料和盖章的承诺书（见附件），"
        "经所在市（州）工业和信息化主管部门推荐后，由省工业和信息化厅组织专家评审。\n\n"
        "四、评价标准。按下载中心提供的各批次评价标准执行；正式标准发布后以正式文本为准。\n\n"
        "附件：承诺书\n\n"
        "（本通知为演示数据，仅用于系统演示。）")


TRAINING = (
    "各有关单位：\n\n"
    "为帮助申报单位准确理解评价标准、正确填报数据，省工业和信息化厅将举办线上培训，内容包括："
    "综合能耗和碳排放核算口径、绿电和绿证的填报、碳抵消编号的核对、Excel 模板的填写和导入、"
    "证明材料的准备。\n\n"
    "请各市（州）工业和信息化局组织辖区内拟申报单位的能源管理人员参加。\n\n"
    "（本通知为演示数据，仅用于系统演示。）")


def load_notices(db: Session, officer: User, rounds: dict[str, Round], today: date) -> None:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    letter = render_document("portal/commitment_pdf.html", {})
    made = [
        notices.create_notice(
            db, officer, title="关于开展零碳工厂和零碳工业园区培育名单申报工作的通知（演示）",
            number=f"黔工信节能〔{today.year}〕8号", issued_on=rounds["factory"].opens_on,
            body=_call(rounds), attachments=[("承诺书.pdf", letter)], folder=folder),
        notices.create_notice(
            db, officer, title="关于举办零碳工厂评价标准和申报系统线上培训的通知（演示）",
            number="", issued_on=max(today - timedelta(days=20), rounds["factory"].opens_on),
            body=TRAINING, folder=folder),
    ]
    for notice in made:
        notices.publish_notice(db, officer, notice)
