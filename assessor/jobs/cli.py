"""`flask --app assessor jobs worker [--burst]`: run queued jobs."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from . import runner

jobs_group = AppGroup("jobs", help="Batch jobs. 批量任务。")


@jobs_group.command("worker", help="Run the jobs queued on QUEUE_URL (RQ).")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker(burst: bool):
    if not current_app.config.get("QUEUE_URL"):
        click.echo("错误 error: 未配置任务队列，任务将在请求中直接运行 / QUEUE_URL "
                   "(ASSESSOR_QUEUE_URL) is not set: jobs run inline", err=True)
        sys.exit(1)
    runner.serve(current_app._get_current_object(), burst=burst)
