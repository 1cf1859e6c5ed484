"""The what-if job task: a round re-scored against the criteria in force."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session

from ..accounts.models import PROVINCE_OFFICER
from ..jobs.registry import Output, Progress, share, task
from ..platform.engine_service import criteria_engine
from ..rounds.services import round_of_job
from . import rescore

share("rescore", PROVINCE_OFFICER)


@task("rounds.rescore")
def rescore_round(session: Session, progress: Progress, *, round_id: int) -> Output:
    round_ = round_of_job(session, round_id)
    rows = rescore.rescore(session, criteria_engine(), round_, progress)
    message = _("%(n)s 份申报，%(m)s 份等级变化", n=len(rows),
                m=sum(r.level_changed for r in rows))
    unscored = sum(r.level_after is None for r in rows)
    if unscored:
        message += _("；%(k)s 份无法按现行标准计算（见工作簿“说明”列）", k=unscored)
    return Output(message, rescore.workbook(round_, rows), f"rescore-round-{round_.id}.xlsx")
