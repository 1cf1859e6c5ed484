"""Long work (a round's certificates) runs as a job whose progress any page can show.

A job runs in a background thread of the serving process, or inline when JOBS_INLINE is set (the
tests, the command line). Progress lives in the database, so the page that shows it is a plain
read; a queue (RQ) can take over the running without changing callers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app
from flask_babel import force_locale, get_locale
from sqlmodel import Field, Session, SQLModel

from . import db
from .db import utcnow

log = logging.getLogger(__name__)


class Job(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    label: str = Field(max_length=200)
    state: str = Field(default="queued", max_length=10)  # queued running finished failed
    done: int = 0
    total: int = 0
    message: str = Field(default="", max_length=2000)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


Work = Callable[[Session, Callable[[int, int], None]], str]


def start(kind: str, label: str, user_id: int | None, work: Work) -> Job:
    """Create the job and run `work(session, progress)`; it returns the closing message. The work
    runs in the language of the request that started it, so that its messages (and a refusal's
    `zh`) are in the starter's language."""
    session = db.session()
    job = Job(kind=kind, label=label, created_by=user_id)
    session.add(job)
    session.commit()
    app = current_app._get_current_object()
    locale = str(get_locale() or "zh")
    if app.config.get("JOBS_INLINE"):
        _run(app, job.id, work, locale)
        session.refresh(job)
    else:
        threading.Thread(target=_run, args=(app, job.id, work, locale), daemon=True).start()
    return job


def _run(app: Flask, job_id: int, work: Work, locale: str = "zh") -> None:
    with app.app_context(), force_locale(locale), \
            Session(db.engine(), expire_on_commit=False) as own, Session(db.engine()) as tracker:
        job = tracker.get(Job, job_id)
        job.state = "running"
        tracker.commit()

        def progress(done: int, total: int) -> None:
            job.done, job.total = done, total
            tracker.commit()

        try:
            job.message = work(own, progress)[:2000]
            job.state = "finished"
        except Exception as error:  # the job reports it; the page shows it
            own.rollback()
            log.exception("job %s failed", job_id)
            job.state = "failed"
            job.message = str(getattr(error, "zh", None) or error)[:2000]
        job.finished_at = utcnow()
        tracker.commit()
