"""A round's expert review as one Excel workbook: every score, the aggregates, the decisions.

In a blind round the applicants and experts appear only as stable pseudonyms (申报单位 A01, 专家
E01), and free text (comments, opinions, decision reasons) has every name, USCC, contact and
evidence file name of the applicant replaced.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone

import pandas as pd
from sqlmodel import Session, func, select

from ..accounts.models import Organisation, User
from ..applications.models import Application, Evidence, Revision
from ..applications.workflow import STATE_TITLES
from ..audit import AuditEvent
from ..engine import Engine
from ..platform.xlsx import keep_text
from ..rounds.models import Round
from . import services
from .aggregate import METHOD_TITLES
from .blind import REDACTED
from .models import Assignment
from .scales import reviewable_items

BEIJING = timezone(timedelta(hours=8))
RECOMMENDATION_TITLES = {"approve": "建议通过", "reject": "建议不通过", "return": "建议退回修改"}
REVIEWED_STATES = ("in_review", "approved", "rejected")
STAT_HEADERS = {"n": "评审人数", "value": "汇总分", "mean": "平均值", "median": "中位数",
                "std": "标准差", "low": "最低分", "high": "最高分", "range": "极差",
                "engine": "系统计算分", "disagreement": "分歧"}


def _applicant_names(db: Session, application: Application, organisation: Organisation) -> set:
    """Every string that names this applicant, to strip from free text in a blind round."""
    names = {organisation.name, organisation.uscc, organisation.contact_name,
             organisation.contact_phone, organisation.address}
    names |= {u.name for u in db.exec(select(User).where(
        User.organisation_id == organisation.id)).all()}
    names |= {e.original_name for e in db.exec(select(Evidence).where(
        Evidence.application_id == application.id)).all()}
    for revision in db.exec(select(Revision).where(Revision.application_id == application.id,
                                                   Revision.submitted_at.is_not(None))).all():
        header = revision.data.get("organisation") or {}
        names |= {header.get("name") or "", header.get("uscc") or ""}
        for member in revision.data.get("members") or []:
            names |= {member.get("name") or "", member.get("uscc") or ""}
        names |= {e.get("name") or "" for e in revision.evidence or []}
    return {n for n in names if len(n) >= 2}


def _scrub(text: str | None, secrets: dict[str, str]) -> str:
    text = text or ""
    for secret in sorted(secrets, key=len, reverse=True):  # longest first: names within names
        text = text.replace(secret, secrets[secret])
    return text


def _labels(db: Session, round_: Round, applications: list[Application]):
    """What the workbook calls each application and expert, and, in a blind round, every
    identifying string with what replaces it in free text."""
    assignments = db.exec(select(Assignment).join(Application).where(
        Application.round_id == round_.id).order_by(Assignment.id)).all()
    experts = {i: db.get(User, i) for i in dict.fromkeys(a.expert_id for a in assignments)}
    expert_label = {i: f"专家 E{n:02d}" if round_.blind else user.name
                    for n, (i, user) in enumerate(experts.items(), 1)}
    secrets = {user.name: expert_label[i] for i, user in experts.items()} if round_.blind else {}
    org_label = {}
    for n, application in enumerate(applications, 1):
        organisation = db.get(Organisation, application.organisation_id)
        org_label[application.id] = f"申报单位 A{n:02d}" if round_.blind else organisation.name
        if round_.blind:
            secrets |= dict.fromkeys(_applicant_names(db, application, organisation), REDACTED)
    return org_label, expert_label, secrets, {a.application_id for a in assignments}


def application_count(db: Session, round_: Round) -> int:
    """The round's applications: the workbook's rows, which decide whether a job makes it."""
    return db.exec(select(func.count(Application.id)).where(Application.round_id == round_.id)
                   ).one()


def round_workbook(db: Session, engine: Engine, round_: Round) -> bytes:
    applications = list(db.exec(select(Application).where(Application.round_id == round_.id)
                                .order_by(Application.id)).all())
    org_label, expert_label, secrets, assigned = _labels(db, round_, applications)
    sheets = {name: [] for name in COLUMNS}
    for application in applications:
        if application.state in REVIEWED_STATES or application.id in assigned:
            who = {"申报编号": application.id, "申报单位": org_label[application.id]}
            for name, rows in _application_rows(db, engine, application, who, expert_label,
                                                secrets).items():
                sheets[name] += rows
    return _workbook(sheets, _notes(round_))


COLUMNS = {
    "评审明细": ["申报编号", "申报单位", "专家", "指标编号", "指标名称", "专家评分", "系统计算分",
             "满分", "说明", "评审建议"],
    "汇总": ["申报编号", "申报单位", "指标编号", "指标名称", *STAT_HEADERS.values(), "满分",
           "按专家评分的等级", "按专家评分的总分"],
    "决定": ["申报编号", "申报单位", "状态", "决定", "决定理由", "决定日期", "决定依据的汇总方法",
           "已提交评审数"],
}


def _application_rows(db: Session, engine: Engine, application: Application, who: dict,
                      expert_label: dict, secrets: dict) -> dict[str, list[dict]]:
    """One application's rows of each sheet: every expert's scores, the aggregates, the
    decision."""
    result = services.frozen_result(db, application)
    items = reviewable_items(engine.criteria(result["criteria"]["id"]), result)
    engine_points = {i["id"]: i["points"] for i in result["items"]}
    details, totals = [], []
    for assignment, review in services.submitted_reviews(db, application):
        expert = {**who, "专家": expert_label[assignment.expert_id]}
        details += [{**expert, "指标编号": item.id, "指标名称": item.title.zh,
                     "专家评分": review.scores.get(item.id),
                     "系统计算分": engine_points.get(item.id), "满分": item.points,
                     "说明": _scrub(review.comments.get(item.id), secrets)}
                    for item in items if item.id in review.scores]
        details.append({**expert, "指标编号": "总体意见", "指标名称": "总体意见与评审建议",
                        "说明": _scrub(review.opinion, secrets),
                        "评审建议": RECOMMENDATION_TITLES.get(review.recommendation or "")})
    summary = services.summary(db, engine, application)
    for item in items:
        totals.append({**who, "指标编号": item.id, "指标名称": item.title.zh,
                       **_stats(summary["items"][item.id]), "满分": item.points})
    level = summary["level_with_expert_points"]
    totals.append({**who, "指标编号": "合计", "指标名称": "总分（按适用项折算）",
                   **_stats({**summary["total"], "engine": result["total"]["points"]}),
                   "满分": result["total"]["max"],
                   "按专家评分的等级": level["title"]["zh"] if level else None,
                   "按专家评分的总分": level["total"] if level else None})
    return {"评审明细": details, "汇总": totals,
            "决定": [_decision(db, application, who, summary, secrets)]}


def _decision(db: Session, application: Application, who: dict, summary: dict,
              secrets: dict) -> dict:
    event = db.exec(select(AuditEvent).where(
        AuditEvent.object_type == "application", AuditEvent.object_id == application.id,
        AuditEvent.action.in_(("approve", "reject"))).order_by(AuditEvent.id.desc())).first()
    basis = application.decision_basis or {}
    return {**who, "状态": STATE_TITLES[application.state][0],
            "决定": STATE_TITLES[application.decision][0] if application.decision else None,
            "决定理由": _scrub(event.reason, secrets) if event else None,
            "决定日期": event.at.astimezone(BEIJING).date().isoformat() if event else None,
            "决定依据的汇总方法": METHOD_TITLES.get(basis.get("method")) if basis else None,
            "已提交评审数": summary["reviews"]}


def _notes(round_: Round) -> list[tuple[str, object]]:
    notes = [("批次", round_.title), ("批次编号", round_.id), ("评价标准", round_.criteria_id),
             ("每份申报的专家人数", round_.reviewers_per_application),
             ("汇总方法", METHOD_TITLES[round_.aggregation]),
             ("分歧阈值", f"极差超过该项满分的 {round_.disagreement_threshold:.0%} 即标记分歧"),
             ("盲评", "是" if round_.blind else "否"),
             ("生成时间", datetime.now(UTC).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M 北京时间"))]
    if round_.blind:
        notes.append(("说明", "盲评批次：申报单位和专家以代号表示；评语中的单位名称、统一社会信用代码、"
                              f"联系人和证明材料文件名已替换为“{REDACTED}”。"))
    return notes


def _workbook(sheets: dict[str, list[dict]], notes: list) -> bytes:
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows, columns=COLUMNS[name]).to_excel(writer, sheet_name=name,
                                                               index=False)
        pd.DataFrame(notes, columns=["项目", "内容"]).to_excel(writer, sheet_name="说明",
                                                             index=False)
        for sheet in writer.sheets.values():
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column) * 2 + 2
                sheet.column_dimensions[column[0].column_letter].width = min(width, 60)
        writer.book.properties.creator = "assessor"
        keep_text(writer.book)
    return out.getvalue()


def _stats(summary: dict) -> dict:
    row = {STAT_HEADERS[k]: summary.get(k) for k in STAT_HEADERS}
    row["分歧"] = "是" if summary["disagreement"] else "否"
    return row
