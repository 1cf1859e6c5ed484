"""The certificates' job task: a round's certificates issued in the background."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session

from ..accounts.models import PROVINCE_OFFICER, User
from ..jobs.registry import Progress, share, task
from ..rounds.services import round_of_job
from . import issue as certificates
from .settings import issue_settings

share("certificates", PROVINCE_OFFICER)  # the province sees them, whoever started the job


@task("certificates.issue_round")
def issue_certificates(session: Session, progress: Progress, *, round_id: int, officer_id: int,
                       today: str, served_at: str = "") -> str:
    """`served_at`: the address the officer's request reached (request.host_url), for the verify
    links when PUBLIC_BASE_URL is not set; the worker has no request of its own."""
    issued = certificates.issue_for_round(
        session, session.get(User, officer_id), round_of_job(session, round_id),
        today=date.fromisoformat(today), progress=progress, **issue_settings(served_at))
    return _("已签发 %(n)s 张证书", n=len(issued))
