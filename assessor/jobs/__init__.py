"""Batch work (a round's certificates, re-scoring a round, large exports) as jobs.

A job is a named task with plain params, recorded in the database with its progress and
outcome. With QUEUE_URL set it runs on RQ (Redis) in `flask --app assessor jobs worker`;
without, it runs inline in the request that starts it. Files it makes go to JOB_FOLDER.
"""

from .models import Job
from .registry import Output, may_see
from .runner import check, file_path, run, start, visible

__all__ = ["Job", "Output", "check", "file_path", "may_see", "run", "start", "visible"]
