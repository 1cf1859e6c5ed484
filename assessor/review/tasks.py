"""The review's job task: a round's review results exported to Excel."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session, func, select

from ..accounts.models import PROVINCE_OFFICER
from ..applications.models import Application
from ..jobs.registry import Output, Progress, share, task
from ..platform.engine_service import criteria_engine
from ..rounds.services import round_of_job
from .export import round_workbook

share("review_export", PROVINCE_OFFICER)


@task("review.export")
def export_review(session: Session, progress: Progress, *, round_id: int) -> Output:
    round_ = round_of_job(session, round_id)
    total = session.exec(select(func.count(Application.id))
                         .where(Application.round_id == round_.id)).one()
    progress(0, total)
    content = round_workbook(session, criteria_engine(), round_)
    progress(total, total)
    return Output(_("评审结果已导出（%(n)s 份申报）", n=total), content,
                  f"review-round-{round_.id}.xlsx")
