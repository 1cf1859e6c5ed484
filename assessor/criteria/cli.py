"""`flask --app assessor criteria import|export|versions`: versions in the database and the
files in criteria/."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from sqlmodel import select

from ..engine import DataFileError
from ..platform import db
from .models import CriteriaVersion
from .seed import export_version, import_folder


@click.command("import", help="Import criteria/ into the database: new sets and reference "
               "data become drafts to review; stored ones are left as they are.")
@click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A criteria/ folder (default: CRITERIA_ROOT).")
def import_command(root: Path | None):
    session = db.session()
    first = session.exec(select(CriteriaVersion.id).limit(1)).first() is None
    try:
        report = import_folder(session, root or Path(current_app.config["CRITERIA_ROOT"]),
                               actor=None, publish=first)
    except DataFileError as error:
        session.rollback()
        click.echo(f"错误 error: {error}", err=True)
        sys.exit(1)
    state = "已发布 published" if first else "草稿 draft"
    for key in report.created:
        click.echo(f"新建 created  {key}  ({state})")
    for key in report.unchanged:
        click.echo(f"未变 unchanged  {key}")
    for line in report.refused:
        click.echo(f"拒绝 refused  {line}", err=True)
    if report.refused:
        sys.exit(1)


@click.command("export", help="Write one version's files (a set with its worked cases, or "
               "the reference tables) in the layout of criteria/.")
@click.argument("key")
@click.option("--to", "target", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="The folder to write criteria/ files in.")
def export_command(key: str, target: Path):
    session = db.session()
    version = session.exec(select(CriteriaVersion).where(CriteriaVersion.key == key)
                           .order_by(CriteriaVersion.kind)).first()
    if version is None and key.isdigit():
        version = session.get(CriteriaVersion, int(key))
    if version is None:
        click.echo(f"错误 error: 没有编号为“{key}”的版本 / no version '{key}'", err=True)
        sys.exit(1)
    for path in export_version(version, target):
        click.echo(str(path))


@click.command("versions", help="List the stored versions and their states.")
def versions_command():
    for v in db.session().exec(select(CriteriaVersion).order_by(CriteriaVersion.id)).all():
        click.echo(f"{v.id:>4}  {v.kind:<9}  {v.key:<16}  {v.label:<10}  {v.state:<10}  "
                   f"{v.digest[:12]}")


COMMANDS = (import_command, export_command, versions_command)
