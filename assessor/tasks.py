"""Every task a job may run, by name: thin glue from plain params to the domain's services.
Imported by create_app, so the jobs package needs no domain and a worker finds every task."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, func, select

from .accounts.models import PROVINCE_OFFICER, User
from .applications import services as applications
from .applications.models import Application
from .certificates import issue as certificates
from .certificates.settings import issue_settings
from .jobs.registry import Output, Progress, share, task
from .platform.engine_service import criteria_engine
from .review.export import round_workbook
from .rounds.models import Round
from .whatif import rescore

# the province sees a round's jobs whoever started them; an applications export is the
# starter's alone (it holds what its starter may see)
for kind in ("certificates", "rescore", "review_export"):
    share(kind, PROVINCE_OFFICER)


def _round(session: Session, round_id: int) -> Round:
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise LookupError(f"round {round_id} is gone")
    return round_


@task("certificates.issue_round")
def issue_certificates(session: Session, progress: Progress, *, round_id: int, officer_id: int,
                       today: str) -> str:
    issued = certificates.issue_for_round(
        session, session.get(User, officer_id), _round(session, round_id),
        today=date.fromisoformat(today), progress=progress, **issue_settings())
    return _("已签发 %(n)s 张证书", n=len(issued))


@task("rounds.rescore")
def rescore_round(session: Session, progress: Progress, *, round_id: int) -> Output:
    round_ = _round(session, round_id)
    rows = rescore.rescore(session, criteria_engine(), round_, progress)
    message = _("%(n)s 份申报，%(m)s 份等级变化", n=len(rows),
                m=sum(r.level_changed for r in rows))
    unscored = sum(r.level_after is None for r in rows)
    if unscored:
        message += _("；%(k)s 份无法按现行标准计算（见工作簿“说明”列）", k=unscored)
    return Output(message, rescore.workbook(round_, rows), f"rescore-round-{round_.id}.xlsx")


@task("applications.export")
def export_applications(session: Session, progress: Progress, *, user_id: int, state: str = "",
                        round_id: int | None = None, city: str = "") -> Output:
    query = applications.filtered(session.get(User, user_id), state=state, round_id=round_id,
                                  city=city)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    progress(0, total)
    content = applications.export_workbook(session, query)
    progress(total, total)
    return Output(_("已导出 %(n)s 份申报", n=total), content, "applications.xlsx")


@task("review.export")
def export_review(session: Session, progress: Progress, *, round_id: int) -> Output:
    round_ = _round(session, round_id)
    total = session.exec(select(func.count(Application.id))
                         .where(Application.round_id == round_.id)).one()
    progress(0, total)
    content = round_workbook(session, criteria_engine(), round_)
    progress(total, total)
    return Output(_("评审结果已导出（%(n)s 份申报）", n=total), content,
                  f"review-round-{round_.id}.xlsx")
