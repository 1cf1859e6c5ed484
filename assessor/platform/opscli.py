"""Operations: `flask --app assessor audit verify` and `audit checkpoint`, `mail send` and
`mail status`, `backup` and `restore`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from ..audit import checkpoint
from ..audit.check import verify_log
from ..certificates.signing import SigningSetupError
from ..notifications import deliver, failing_mail, outbox_counts
from . import db
from .backup import BackupError, backup, file_parts, restore

audit_group = AppGroup("audit", help="The audit log. 审计日志。")


@audit_group.command("verify", help="Check the hash chain, every event's seal and the signed "
                     "checkpoints; name the first problem.")
@click.option("--head", "anchors", multiple=True, metavar="ID:HASH",
              help="An event id and hash known from outside (a published list's PDF).")
def verify(anchors: tuple[str, ...]):
    try:
        known = [(int(a.split(":", 1)[0]), a.split(":", 1)[1].strip().lower()) for a in anchors]
    except (ValueError, IndexError):
        click.echo("错误 error: --head 的格式为 事件编号:哈希 / --head takes ID:HASH", err=True)
        sys.exit(2)
    try:
        report = verify_log(db.session(), known)
    except (OSError, ValueError, SigningSetupError) as error:  # the keys cannot be read
        click.echo(f"错误 error: 无法读取审计日志的密钥 cannot read the audit log's keys: {error}",
                   err=True)
        sys.exit(1)
    if not report.intact:
        for problem in report.problems:
            click.echo(f"审计日志异常 {problem}", err=True)
        sys.exit(1)
    made = report.checkpoint
    click.echo(f"审计链完整 chain intact: {report.checked} events; latest checkpoint "
               f"{made.id} signs event {made.head_id} ({made.day}); "
               f"{report.after_checkpoint} events since (sealed)"
               + (f"; {report.other_signers} checkpoints signed with another certificate "
                  "not checked" if report.other_signers else ""))


@audit_group.command("checkpoint", help="Sign the chain's head (run nightly; also made at the "
                     "first event of a day and at every list publication).")
def checkpoint_command():
    session = db.session()
    try:
        made = checkpoint(session, "nightly")
        session.commit()
    except (OSError, ValueError, SigningSetupError) as error:
        session.rollback()
        click.echo(f"错误 error: 无法签名检查点 checkpoint not signed: {error}", err=True)
        sys.exit(1)
    if made is None:
        click.echo("审计日志为空 the log is empty: nothing to sign")
        return
    click.echo(f"检查点 checkpoint {made.id}: event {made.head_id} {made.head_hash} "
               f"signature {made.signature}")


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


mail_group = AppGroup("mail", help="The mail outbox. 邮件发件箱。")


@mail_group.command("send", help="Send the outbox's pending mail that is due (run by a timer "
                    "every few minutes: failed mail is tried again with growing waits).")
@click.option("--now", "everything", is_flag=True, help="Also mail still waiting to retry.")
def mail_send(everything: bool):
    done = deliver(due_only=not everything)
    click.echo(f"已发送 sent {done.sent}; 待重试 to retry {done.failed}; 放弃 given up {done.gave_up}")
    if done.failed or done.gave_up:
        sys.exit(1)


@mail_group.command("status", help="How many mails are pending, sent and failed; the last "
                    "errors.")
def mail_status():
    session = db.session()
    counts = outbox_counts(session)
    click.echo(" ".join(f"{state} {counts.get(state, 0)}" for state in ("pending", "sent",
                                                                          "failed")))
    for waiting in failing_mail(session):
        click.echo(f"  #{waiting.id} {waiting.state} {waiting.recipient} "
                   f"attempts {waiting.attempts}: {waiting.last_error}")
