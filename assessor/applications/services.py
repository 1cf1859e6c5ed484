"""Applications: who sees which, creating one, saving the draft, evidence, and comparing
revisions. State changes go through lifecycle.transition() only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

import pandas as pd
from flask_babel import gettext as _
from sqlalchemy import func, or_
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from .. import audit
from ..accounts.models import APPLICANT, CITY_OFFICER, PROVINCE_OFFICER, Organisation, User
from ..accounts.regions import CITIES
from ..engine import Engine, Problem, SubmissionError
from ..platform import versioned
from ..platform.db import utcnow
from ..platform.refusal import Refused
from ..platform.viewkit import beijing_time
from ..platform.xlsx import keep_text
from ..rounds.models import Round
from . import evidence as files
from .lifecycle import current_revision
from .models import Application, Evidence, Revision
from .workflow import EDITABLE, STATE_TITLES, STATES


class ApplicationError(Refused):
    """A refused change: `kind` is forbidden (not the user's to change), stale (someone saved
    first), invalid (input the engine refused, in `problems`) or refused (not now)."""


# Submitted at least once: not a draft, and not a draft that was withdrawn (a submission always
# sets submitted_failed_gates, "" when no gate failed).
_SUBMITTED = (Application.state != "draft",
              or_(Application.state != "withdrawn", Application.submitted_failed_gates.is_not(None)))


def visible(user: User, *columns):
    """A query of the applications `user` may see (or of `columns` of them, for counting):
    their organisation's; their city's once submitted; all submitted ones for the province.
    Everyone else: none."""
    query = select(*columns) if columns else select(Application)
    if user.role == APPLICANT:
        return query.where(Application.organisation_id == user.organisation_id)
    if user.role == CITY_OFFICER:
        return (query.join(Organisation, Organisation.id == Application.organisation_id)
                .where(Organisation.city == user.city, *_SUBMITTED))
    if user.role == PROVINCE_OFFICER:
        return query.where(*_SUBMITTED)
    return query.where(Application.id.is_(None))


def get_visible(db: Session, user: User, application_id: int) -> Application | None:
    return db.exec(visible(user).where(Application.id == application_id)).first()


def filtered(user: User, *, state: str = "", round_id: int | None = None, city: str = ""):
    """The applications `user` may see, narrowed by the list's filters (unknown values are
    ignored)."""
    query = visible(user)
    if state in STATES:
        query = query.where(Application.state == state)
    if round_id:
        query = query.where(Application.round_id == round_id)
    if city in CITIES:
        query = query.where(Application.organisation_id.in_(
            select(Organisation.id).where(Organisation.city == city)))
    return query


def existing(db: Session, round_: Round, organisation_id: int) -> Application | None:
    """The organisation's application in the round, if it has one (one per round)."""
    return db.exec(select(Application).where(Application.round_id == round_.id,
                                             Application.organisation_id == organisation_id)
                   ).first()


def create(db: Session, user: User, round_: Round, today: date) -> Application:
    if user.role != APPLICANT:
        raise ApplicationError(_("只有申报单位可以创建申报"), kind="forbidden")
    organisation = db.get(Organisation, user.organisation_id)
    if organisation.kind != round_.subject:
        raise ApplicationError(_("申报类型与本单位类型不符"))
    if not round_.is_open(today):
        raise ApplicationError(_("该申报批次不在开放期内"))
    found = existing(db, round_, organisation.id)
    if found:
        return found
    application = Application(round_id=round_.id, organisation_id=organisation.id,
                              created_by=user.id)
    db.add(application)
    db.flush()
    db.add(Revision(application_id=application.id, number=1, criteria_id=round_.criteria_id,
                    data={"subject": round_.subject, "reporting_year": round_.year}))
    audit.record(db, actor_id=user.id, action="create", object_type="application",
                 object_id=application.id, to_state="draft", details={"round": round_.id})
    db.commit()
    return application


def editable_draft(db: Session, user: User, application: Application, today: date) -> Revision:
    """The draft revision, when `user` may change it now; else ApplicationError."""
    if user.role != APPLICANT or user.organisation_id != application.organisation_id:
        raise ApplicationError(_("您无权修改该申报"), kind="forbidden")
    if application.state not in EDITABLE:
        raise ApplicationError(_("申报已提交，不能修改"))
    if not db.get(Round, application.round_id).is_open(today):
        raise ApplicationError(_("申报批次已截止，只能查看"))
    return current_revision(db, application)


def save_draft(db: Session, engine: Engine, user: User, application: Application, data: dict,
               lock_version: int, today: date) -> list[Problem]:
    """Store the draft's data. Returns the engine's problems (an incomplete draft is kept:
    nothing typed is lost; submitting needs none). A stale lock_version, and input the engine
    refuses (a unit or number that cannot mean what it says), are refused: nothing saved."""
    draft = editable_draft(db, user, application, today)
    if draft.lock_version != lock_version:
        raise ApplicationError(_("该草稿已被他人修改，您的修改未保存。请重新打开后再编辑。"),
                               kind="stale")
    round_ = db.get(Round, application.round_id)
    problems = check_input(engine, data, round_.criteria_id, today, year=round_.year)
    draft.data = data
    draft.lock_version += 1
    draft.updated_at = utcnow()
    application.updated_at = draft.updated_at
    db.add(draft)
    db.add(application)
    versioned.draft_saved(db)  # not audited, yet the lists show it: the data version moves
    db.commit()
    return problems


def check_input(engine: Engine, data: dict, criteria_id: str, today: date,
                year: int | None = None) -> list[Problem]:
    """The engine's problems with `data`; ApplicationError listing them when the engine
    refuses the input itself (then nothing may be stored). `year`: the round's data year, the
    only one its drafts may report (another year would pick other emission factors)."""
    try:
        engine.score(data, criteria_id, this_year=today.year)
        problems = []
    except SubmissionError as error:
        refused = [p for p in error.problems if p.refused]
        if refused:
            raise ApplicationError(_("填写的数据有误，未保存：请按提示修改"), kind="invalid",
                                   problems=refused) from None
        problems = error.problems
    if year is not None and isinstance(data, dict) and \
            data.get("reporting_year", year) != year:
        raise ApplicationError(_("填写的数据有误，未保存：请按提示修改"), kind="invalid", problems=[Problem(
            "reporting_year", f"本批次的数据年度为 {year} 年，不能填报其他年度",
            f"This round's data year is {year}: no other year can be reported", refused=True)])
    return problems


def draft_result(engine: Engine, revision: Revision) -> tuple[dict | None, list[Problem]]:
    """The live result of a draft, or the problems that stop it being scored."""
    try:
        return engine.score(revision.data, revision.criteria_id), []
    except SubmissionError as error:
        return None, error.problems


def shown_revisions(db: Session, user: User, application: Application) -> list[Revision]:
    """The revisions the application page shows `user`: officers see what was submitted, not
    a draft in progress."""
    found = revisions(db, application)
    return found if user.role == APPLICANT else [r for r in found if r.submitted_at]


def shown_result(engine: Engine, revision: Revision) -> tuple[dict | None, list[Problem]]:
    """A submitted revision's frozen result, or a draft's live one and its problems."""
    if revision.submitted_at:
        return revision.result, []
    return draft_result(engine, revision)


def add_evidence(db: Session, user: User, application: Application, *, item: str,
                 filename: str, content: bytes, folder: Path, today: date) -> Evidence:
    editable_draft(db, user, application, today)
    if not content:
        raise files.EvidenceError(_("文件为空"))
    content_type = files.identify(filename, content[:16])
    stored, sha256 = files.store(folder, content)
    record = Evidence(application_id=application.id, item=item[:60],
                      original_name=files.safe_name(filename), stored_name=stored, sha256=sha256,
                      size=len(content), content_type=content_type, uploaded_by=user.id)
    db.add(record)
    db.flush()
    audit.record(db, actor_id=user.id, action="add_evidence", object_type="application",
                 object_id=application.id, details={"evidence": record.id, "sha256": sha256})
    db.commit()
    return record


def change_evidence_kind(db: Session, user: User, application: Application, evidence_id: int,
                         item: str, today: date) -> Evidence:
    """The kind an uploaded file is evidence of, changed without uploading it again (audited)."""
    editable_draft(db, user, application, today)
    record = db.get(Evidence, evidence_id)
    if record is None or record.application_id != application.id or record.removed_at:
        raise ApplicationError(_("文件不存在"))
    previous = record.item
    if previous != item:
        record.item = item
        db.add(record)
        audit.record(db, actor_id=user.id, action="change_evidence_kind",
                     object_type="application", object_id=application.id,
                     details={"evidence": record.id, "from": previous, "to": item})
        db.commit()
    return record


def remove_evidence(db: Session, user: User, application: Application, evidence_id: int,
                    today: date) -> None:
    editable_draft(db, user, application, today)
    record = db.get(Evidence, evidence_id)
    if record is None or record.application_id != application.id or record.removed_at:
        raise ApplicationError(_("文件不存在"))
    record.removed_at = utcnow()
    db.add(record)
    audit.record(db, actor_id=user.id, action="remove_evidence", object_type="application",
                 object_id=application.id, details={"evidence": record.id})
    db.commit()


def current_evidence(db: Session, application: Application) -> list[Evidence]:
    return list(db.exec(select(Evidence).where(Evidence.application_id == application.id,
                                               Evidence.removed_at.is_(None))
                        .order_by(Evidence.id)).all())


def revisions(db: Session, application: Application) -> list[Revision]:
    return list(db.exec(select(Revision).where(Revision.application_id == application.id)
                        .order_by(Revision.number)).all())


def count_of(db: Session, query) -> int:
    return db.exec(query.with_only_columns(func.count())).one()


def page_of(db: Session, query, page: int, size: int, total: int | None = None
            ) -> tuple[list[Application], int, int, int]:
    """One page of `query`'s applications, latest change first: (applications, total, page,
    pages), the page kept within the pages there are. The page's ids come from the indexes
    and only its rows are read, so a long list costs what a short one does. `total`, when the
    caller kept it (count_of), saves counting again."""
    if total is None:
        total = count_of(db, query)
    pages = max(1, -(-total // size))
    page = max(1, min(page, pages))
    ids = db.exec(query.with_only_columns(Application.id)
                  .order_by(Application.updated_at.desc(), Application.id.desc())
                  .offset((page - 1) * size).limit(size)).all()
    found = {a.id: a for a in db.exec(select(Application).where(Application.id.in_(ids))
                                      .options(defer(Application.decision_basis))).all()}
    return [found[i] for i in ids], total, page, pages


def state_counts(db: Session, user: User) -> dict[str, int]:
    return dict(db.exec(visible(user, Application.state, func.count())
                        .group_by(Application.state)).all())


@dataclass
class Change:
    path: str
    before: object
    after: object


def _flatten(value, prefix: str = "") -> dict[str, object]:
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list):
        out = {}
        for index, item in enumerate(value):
            out.update(_flatten(item, f"{prefix}[{index}]"))
        return out
    return {prefix: value}


def diff(before: dict, after: dict) -> list[Change]:
    """Changed values between two revisions' data (or results), as readable paths."""
    old, new = _flatten(before), _flatten(after)
    return [Change(path, old.get(path), new.get(path)) for path in sorted(old.keys() | new.keys())
            if old.get(path) != new.get(path)]


def indicator_changes(before: dict | None, after: dict | None) -> list[Change]:
    if not before or not after:
        return []
    old = {k: v["value"] for k, v in before["indicators"].items()}
    new = {k: v["value"] for k, v in after["indicators"].items()}
    changes = [Change(k, old.get(k), new.get(k)) for k in sorted(new) if old.get(k) != new.get(k)]
    if before["level"]["id"] != after["level"]["id"]:
        changes.insert(0, Change("level", before["level"]["title"]["zh"],
                                 after["level"]["title"]["zh"]))
    if before["total"]["points"] != after["total"]["points"]:
        changes.insert(0, Change("total", before["total"]["points"], after["total"]["points"]))
    return changes


def export_workbook(db: Session, query) -> bytes:
    """One row per application: organisation, round, state, and the latest submitted result."""
    rows = []
    for application in db.exec(query.order_by(Application.id)).all():
        organisation = db.get(Organisation, application.organisation_id)
        round_ = db.get(Round, application.round_id)
        revision = db.exec(select(Revision).where(Revision.application_id == application.id,
                                                  Revision.submitted_at.is_not(None))
                           .order_by(Revision.number.desc()).limit(1)).first()
        result = revision.result if revision else None
        rows.append({
            "编号": application.id, "单位名称": organisation.name, "统一社会信用代码": organisation.uscc,
            "市（州）": CITIES.get(organisation.city, ""), "批次": round_.title,
            "状态": STATE_TITLES[application.state][0],
            "提交时间": beijing_time(revision.submitted_at) if revision else "",
            "总分": result["total"]["points"] if result else None,
            "等级": result["level"]["title"]["zh"] if result else "",
            "单位能耗碳排放 tCO2/tce": result["indicators"]["carbon_per_energy"]["value"]
            if result else None,
            "综合能耗 tce": result["indicators"]["comprehensive_energy_tce"]["value"]
            if result else None,
        })
    buffer = BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame(rows).to_excel(writer, sheet_name="申报", index=False)
        keep_text(writer.book)
    return buffer.getvalue()
