"""A job's page (progress while it runs) and the file it made, for those who may see it."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from ..platform import db
from .models import REMOVED, Job
from .runner import file_path, visible

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _visible(job_id: int) -> Job:
    job = visible(db.session(), current_user, job_id)
    if job is None:
        abort(404)
    return job


@bp.get("/<int:job_id>")
@login_required
def show(job_id: int):
    job = _visible(job_id)
    return render_template("jobs/show.html", job=job, has_file=file_path(job) is not None,
                           file_removed=job.stored_name == REMOVED)


@bp.get("/<int:job_id>/file")
@login_required
def download(job_id: int):
    job = _visible(job_id)
    path = file_path(job)
    if path is None:
        abort(404)
    response = send_file(path, as_attachment=True, download_name=job.download_name)
    response.headers["Cache-Control"] = "no-store"
    return response


def offer(title: str, rows: int, start: Callable[[], Job]):
    """A long export: the link (a GET) shows what will be made and a button; only the POST, with
    its CSRF token, starts the job. Work started by a GET could be started by any link."""
    if request.method == "POST":
        return redirect(url_for("jobs.show", job_id=start().id))
    return render_template("jobs/offer.html", title=title, rows=rows)
