"""`flask --app assessor jobs worker [--burst]`: run queued jobs; `jobs prune`: remove old
job files."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..platform import db
from ..platform.db import utcnow
from . import runner
from .prune import prune

jobs_group = AppGroup("jobs", help="Batch jobs. 批量任务。")


@jobs_group.command("worker", help="Run the jobs queued on QUEUE_URL (RQ).")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker(burst: bool):
    if not current_app.config.get("QUEUE_URL"):
        click.echo("错误 error: 未配置任务队列，任务将在请求中直接运行 / QUEUE_URL "
                   "(ASSESSOR_QUEUE_URL) is not set: jobs run inline", err=True)
        sys.exit(1)
    runner.serve(current_app._get_current_object(), burst=burst)


@jobs_group.command("prune", help="Remove job files older than --days (exports are copies).")
@click.option("--days", type=click.IntRange(min=1), default=30, show_default=True,
              help="Keep files of jobs that ended less than this many days ago.")
def prune_files(days: int):
    pruned = prune(db.session(), Path(current_app.config["JOB_FOLDER"]), timedelta(days=days),
                   utcnow())
    click.echo(f"已删除 {pruned.files} 个任务文件、{pruned.strays} 个无主文件 / removed "
               f"{pruned.files} job files and {pruned.strays} stray files older than {days} days")
