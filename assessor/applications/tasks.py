"""The applications' job task: a large list exported to Excel. The file is its starter's alone
(it holds what its starter may see), so the kind is shared with nobody."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session, func, select

from ..accounts.models import User
from ..jobs.registry import Output, Progress, task
from . import services as applications


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
