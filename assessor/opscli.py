"""Operations: `flask --app assessor audit verify`, `backup` and `restore`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from . import db
from .auditcheck import verify_chain
from .backup import BackupError, backup, file_parts, restore

audit_group = AppGroup("audit", help="The audit log. 审计日志。")


@audit_group.command("verify", help="Check the hash chain; name the first broken event.")
def verify():
    checked, broken = verify_chain(db.session())
    if broken:
        click.echo(f"审计链断裂 chain broken at event {broken.event_id}: {broken.reason} "
                   f"({checked} events before it are intact)", err=True)
        sys.exit(1)
    click.echo(f"审计链完整 chain intact: {checked} events")


@click.command("backup", help="Back up the database and the files (uploads, certificates, "
               "job files, keys), wherever they are configured.")
@click.option("--to", "target", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the backup (default: instance/backups).")
@with_appcontext
def backup_command(target: Path | None):
    instance = Path(current_app.instance_path)
    try:
        folder = backup(current_app.config["DATABASE_URL"],
                        file_parts(instance, current_app.config), target or instance / "backups")
    except BackupError as error:
        click.echo(f"错误 error: {error}", err=True)
        sys.exit(1)
    click.echo(f"备份完成 backup written: {folder}")


@click.command("restore", help="Restore a backup folder (stop the app first).")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(folder: Path, yes: bool):
    if not yes:
        click.confirm("恢复将覆盖当前数据库和文件 / restoring replaces the current data. Continue?",
                      abort=True)
    db.close_session()
    db.engine().dispose()
    try:
        restore(folder, current_app.config["DATABASE_URL"],
                file_parts(Path(current_app.instance_path), current_app.config))
    except BackupError as error:
        click.echo(f"错误 error: {error}", err=True)
        sys.exit(1)
    click.echo(f"已恢复 restored from {folder}")
