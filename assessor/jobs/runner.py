"""Starting and running jobs: on RQ (Redis) when QUEUE_URL is set, inline when it is not.

Nothing about a job lives in a process: its row holds the task, its params, the starter's
language, the progress and the outcome, so any app process shows it and any worker runs it.
"""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from pathlib import Path

from flask import Flask, current_app, has_app_context
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job as QueuedJob
from rq.job import JobStatus
from sqlmodel import Session, update

from ..platform import db
from ..platform.db import utcnow
from .models import REMOVED, Job
from .registry import CALLS, Output, lookup, may_see

log = logging.getLogger(__name__)

TIMEOUT = 6 * 3600  # a province's certificates take minutes: RQ's default (3 min) would cut them
ENDED = (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)

_worker_app: Flask | None = None  # the app a worker process made once, for every job it runs


def start(kind: str, label: str, user_id: int | None, task_name: str, /, **params) -> Job:
    """Record the job and queue it, or run it now when no queue is configured. Its messages
    (and a refusal's `zh`) come out in the language of the request that started it."""
    lookup(task_name)  # an unknown task fails here, before anything is stored
    json.dumps(params)  # and so do params a worker could not read back
    session = db.session()
    queued = bool(current_app.config.get("QUEUE_URL"))
    job = Job(kind=kind, label=label[:200], created_by=user_id, task=task_name, params=params,
              locale=str(get_locale() or "zh"), queue_id=uuid.uuid4().hex if queued else None)
    session.add(job)
    session.commit()
    if not queued:
        run(job.id)
        session.refresh(job)
        return job
    try:
        queue().enqueue_call("assessor.jobs.run", args=(job.id,), job_id=job.queue_id,
                             timeout=TIMEOUT, description=job.label,
                             on_failure=Callback(on_failure))
    except RedisError:
        log.exception("job %s: the queue did not take it", job.id)
        _fail(job, _("任务队列暂时不可用，请稍后再试。"))
        session.commit()
    return job


def later(name: str, *args, timeout: int, description: str) -> None:
    """Queue a registered call (work with no job row, such as mail after a commit)."""
    CALLS[name]  # an unknown name fails here, before anything is queued
    queue().enqueue_call("assessor.jobs.runner.perform_call", args=(name, *args),
                         timeout=timeout, description=description)


def perform_call(name: str, *args) -> None:
    """What the worker runs for `later` (one app per worker process)."""
    app = _app()
    with app.app_context():
        if _worker_app is not None:  # a forked work horse: its own connections
            db.engine().dispose(close=False)
        CALLS[name](*args)


def run(job_id: int) -> None:
    """Run a queued job: RQ calls this in a worker, inline mode in the request."""
    app = _app()
    with app.app_context():
        if _worker_app is not None:  # a forked work horse must not share its parent's connections
            db.engine().dispose(close=False)
        with Session(db.engine(), expire_on_commit=False) as tracker:
            job = tracker.get(Job, job_id)
            if job is None or job.state != "queued":
                return  # gone, or already run
            job.state = "running"
            tracker.commit()
            with force_locale(job.locale), Session(db.engine(), expire_on_commit=False) as own:
                _perform(app, job, tracker, own)


def _perform(app: Flask, job: Job, tracker: Session, own: Session) -> None:
    def progress(done: int, total: int) -> None:
        # every step of a big round would be a commit each: record whole percents
        if done in (0, total) or total != job.total or (done - job.done) * 100 >= total:
            job.done, job.total = done, total
            tracker.commit()

    try:
        outcome = lookup(job.task)(own, progress, **job.params)
        if isinstance(outcome, Output):
            job.stored_name = _store(app, outcome.content, outcome.download_name)
            job.download_name = outcome.download_name[:200]
            outcome = outcome.message
        job.message = outcome[:2000]
        job.state = "finished"
        job.finished_at = utcnow()
    except Exception as error:  # the job reports it; the page shows it
        own.rollback()
        log.exception("job %s (%s) failed", job.id, job.task)
        refusal = getattr(error, "zh", None)
        _fail(job, str(refusal) if refusal else _(
            "处理出错，任务未完成。请联系系统管理员（任务编号 %(id)s）。", id=job.id))
    tracker.commit()


def _store(app: Flask, content: bytes, download_name: str) -> str:
    folder = Path(app.config["JOB_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16) + Path(download_name).suffix.lower()[:10]
    (folder / stored).write_bytes(content)
    return stored


def file_path(job: Job) -> Path | None:
    if job.state != "finished" or not job.stored_name or job.stored_name == REMOVED:
        return None
    path = Path(current_app.config["JOB_FOLDER"]) / job.stored_name
    return path if path.is_file() else None


def _fail(job: Job, message: str) -> None:
    job.state, job.message, job.finished_at = "failed", message[:2000], utcnow()


def _interrupted() -> str:
    return _("任务中断：处理进程意外停止或超时。请重新发起。")


def _fail_if_active(job_id: int, message: str) -> bool:
    """Mark the job failed unless it has ended meanwhile (one statement: no race with a worker
    that is just finishing it)."""
    with Session(db.engine()) as session:
        changed = session.exec(update(Job).where(Job.id == job_id,
                                                 Job.state.in_(("queued", "running")))
                               .values(state="failed", message=message[:2000],
                                       finished_at=utcnow())).rowcount
        session.commit()
    return bool(changed)


def on_failure(queued_job, connection, exc_type=None, exc_value=None, traceback=None) -> None:
    """RQ's failure callback: the work horse died, timed out or was abandoned, so `run` could
    not record the end. The row must not stay `running` for ever."""
    app = _app()
    with app.app_context(), Session(db.engine()) as session:
        job = session.get(Job, queued_job.args[0])
        if job is not None and job.active:
            with force_locale(job.locale):
                message = _interrupted()
            _fail_if_active(job.id, message)


def check(session: Session, job: Job) -> Job:
    """A queued or running job whose RQ job has ended (or vanished) without the row saying so
    is shown as failed, not as running for ever. When the queue cannot be reached the page
    shows what the database knows."""
    if not job.active or not job.queue_id or not current_app.config.get("QUEUE_URL"):
        return job
    try:
        status = QueuedJob.fetch(job.queue_id, connection=connection()).get_status()
    except NoSuchJobError:
        status = None
    except RedisError:
        log.warning("job %s: the queue cannot be reached", job.id)
        return job
    if (status is None or status in ENDED) and _fail_if_active(job.id, _interrupted()):
        session.refresh(job)
    return job


def visible(session: Session, user, job_id: int | None) -> Job | None:
    """The job, when `user` may see it (its starter, or who its kind is shared with)."""
    job = session.get(Job, job_id) if job_id else None
    if job is None or not may_see(user, job):
        return None
    return check(session, job)


def connection() -> Redis:
    url = current_app.config["QUEUE_URL"]
    cached = current_app.extensions.get("job_queue_redis")
    if cached is None or cached[0] != url:
        cached = (url, Redis.from_url(url, socket_connect_timeout=5, socket_timeout=10))
        current_app.extensions["job_queue_redis"] = cached
    return cached[1]


def queue() -> Queue:
    return Queue(current_app.config["QUEUE_NAME"], connection=connection())


def serve(app: Flask, burst: bool = False) -> bool:
    """The worker: one app for the process, each job in a forked work horse."""
    global _worker_app
    _worker_app = app
    redis = Redis.from_url(app.config["QUEUE_URL"])  # no read timeout: it blocks on the queue
    worker = Worker([Queue(app.config["QUEUE_NAME"], connection=redis)], connection=redis)
    return worker.work(burst=burst, logging_level="INFO")


def _app() -> Flask:
    global _worker_app
    if _worker_app is not None:
        return _worker_app
    if has_app_context():
        return current_app._get_current_object()
    from .. import create_app

    _worker_app = create_app()  # run by a plain `rq worker`: one app per process all the same
    return _worker_app
