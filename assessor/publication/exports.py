"""Published lists as Excel and PDF: what the public page shows, removals included."""

from __future__ import annotations

from io import BytesIO

import pandas as pd
from sqlmodel import Session

from ..accounts.regions import CITIES
from ..audit import latest_checkpoint
from ..certificates import issue as certificates
from ..certificates.render import render_document
from ..platform.viewkit import beijing_time
from ..platform.xlsx import keep_text
from ..rounds.models import Round
from . import services
from .official import DEPARTMENT_ZH, programme_title


def _rows(db: Session, round_: Round) -> list[dict]:
    serials = {c.listing_id: c for c in certificates.of_round(db, round_)}
    rows = []
    for number, entry in enumerate(services.listings(db, round_), start=1):
        certificate = serials.get(entry.id)
        rows.append({
            "序号": number, "单位名称": entry.organisation_name, "市（州）": CITIES.get(entry.city, ""),
            "类型": "零碳工厂" if entry.subject == "factory" else "零碳工业园区",
            "等级": entry.level_zh, "列入日期": entry.listed_on.isoformat(),
            "证书编号": certificate.serial if certificate else "",
            "状态": "已移出" if entry.removed_on else "在册",
            "移出日期": entry.removed_on.isoformat() if entry.removed_on else "",
            "移出理由": entry.removal_reason or "",
        })
    return rows


def list_workbook(db: Session, round_: Round) -> bytes:
    buffer = BytesIO()
    columns = ["序号", "单位名称", "市（州）", "类型", "等级", "列入日期", "证书编号", "状态",
               "移出日期", "移出理由"]
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame(_rows(db, round_), columns=columns).to_excel(writer, sheet_name="培育名单",
                                                                 index=False)
        period = services.publicity_of(db, round_)
        pd.DataFrame([{"批次": round_.title, "年度": round_.year,
                       "公示期": f"{period.starts_on} 至 {period.ends_on}",
                       "发布日期": str(period.published_on)}]).to_excel(
            writer, sheet_name="说明", index=False)
        keep_text(writer.book)
    return buffer.getvalue()


def list_pdf(db: Session, round_: Round, official: dict | None = None) -> bytes:
    """The list as published, under the programme's title and its 文号, issued by the
    department (`official`: its name and seal, certificates.settings.official())."""
    period = services.publicity_of(db, round_)
    official = official or {}
    published = period.published_on
    return render_document("publication/list_pdf.html", {
        "title": round_.title, "programme": programme_title(round_.subject)["zh"],
        "document_number": period.document_number or "",
        "published_on": f"{published.year}年{published.month}月{published.day}日",
        "issuer": official.get("issuer_zh") or DEPARTMENT_ZH, "seal": official.get("seal") or "",
        "rows": _rows(db, round_), "checkpoint": _checkpoint(db, round_)})


def _checkpoint(db: Session, round_: Round) -> dict | None:
    """The audit log's head as signed at the list's publication (audit.py), for the PDF."""
    made = latest_checkpoint(db, round_id=round_.id)
    if made is None:
        return None
    return {"id": made.id, "made_at": beijing_time(made.made_at), "head_id": made.head_id,
            "head_hash": made.head_hash, "signer": made.signer, "signature": made.signature}
