"""Command line: `flask --app assessor criteria validate|test` and `flask --app assessor score`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from .engine import DataFileError, Engine, SubmissionError
from .engine.cases import run_all
from .engine.explain import fmt
from .engine.jsontext import load_json
from .engine.schema import submission_schema_text


def _engine() -> Engine:
    """The engine, or exit 1 naming the file and item that cannot be loaded."""
    try:
        return Engine.load(current_app.config["CRITERIA_ROOT"])
    except DataFileError as error:
        click.echo(f"错误 error: {error}", err=True)
        sys.exit(1)


@click.group("criteria", cls=AppGroup, help="Criteria sets and reference data. 评价标准与参考数据。")
def criteria_group():
    pass


@criteria_group.command("validate", help="Check every criteria set and reference file.")
def validate():
    engine = _engine()
    reference = engine.reference
    click.echo(f"参考数据 reference: {len(reference.carriers)} carriers, "
               f"{len(reference.electricity_factors)} electricity factors, "
               f"{len(reference.benchmarks)} efficiency levels — OK")
    for criteria in engine.sets.values():
        m = criteria.model
        click.echo(f"{m.id} ({m.subject}, {m.status}): {len(m.items)} items, "
                   f"{len(m.levels)} levels — OK")


@criteria_group.command("schema", help="Print the submission JSON Schema (docs/submission-schema.json).")
def schema():
    click.echo(submission_schema_text(), nl=False)


@criteria_group.command("test", help="Run the worked cases in criteria/cases/.")
def test_cases():
    outcomes = run_all(_engine())
    failed = [o for o in outcomes if not o.passed]
    for outcome in outcomes:
        click.echo(f"{'PASS' if outcome.passed else 'FAIL'}  {outcome.path.name}  {outcome.name}")
        for failure in outcome.failures:
            click.echo(f"      {failure}")
    click.echo(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    if failed or not outcomes:
        sys.exit(1)


@click.command("score", help="Score a submission file (JSON) and explain the result.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--criteria", "criteria_id", required=True, help="Criteria set id, e.g. GZ-F-2024.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@with_appcontext
def score_command(file: Path, criteria_id: str, as_json: bool, lang: str):
    zh = lang == "zh"
    try:
        data = load_json(file.read_bytes())  # a key given twice is refused, not overwritten
    except OSError as error:
        click.echo(f"{file}: {'无法读取文件' if zh else 'cannot be read'}: {error.strerror}",
                   err=True)
        sys.exit(2)
    except SubmissionError as error:
        click.echo(f"{file}: {'不是有效的 JSON 文件' if zh else 'not valid JSON'}:", err=True)
        _print_problems(error, zh)
    engine = _engine()
    try:
        result = engine.score(data, criteria_id)
    except SubmissionError as error:
        click.echo("提交数据有误，未评分：" if zh else "The submission has problems; not scored:",
                   err=True)
        _print_problems(error, zh)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print_explained(result, lang)


def _print_problems(error: SubmissionError, zh: bool) -> NoReturn:
    """Each problem at its path, in the chosen language; exit 2."""
    for problem in error.problems:
        click.echo(f"  {problem.path}: {problem.zh if zh else problem.en}", err=True)
    sys.exit(2)


def _print_explained(result: dict, lang: str):
    zh = lang == "zh"
    criteria = result["criteria"]
    click.echo(f"{'评价标准' if zh else 'Criteria'}: {criteria['id']} {criteria['version']} "
               f"({criteria['status']})")
    click.echo(f"  {criteria['notice'][lang]}")
    click.echo("")
    for line in result["trace"]:
        click.echo(line[lang])
    total = result["total"]
    click.echo("")
    click.echo(f"{'总分' if zh else 'Total'}: {fmt(total['points'])} / {total['max']:g}"
               + (("（暂定）" if zh else " (provisional)") if total["provisional"] else ""))
    click.echo(f"{'等级' if zh else 'Level'}: {result['level']['title'][lang]}")
    for gap in result["gap"]:
        click.echo(f"{'距离' if zh else 'Gap to'} {gap['title'][lang]}:")
        for b in gap["blocking"]:
            diff = "" if b["difference"] is None else f" ({fmt(b['difference'], b['unit'])})"
            click.echo(f"  - {b['id']} {b['title'][lang]}: {b['status']}{diff}")
        if gap["points_short"]:
            click.echo(f"  - {'还差' if zh else 'points short'} {fmt(gap['points_short'])}")
        if gap["offsets_needed_tco2"]:
            click.echo(f"  - {'需碳抵消' if zh else 'offsets needed'} "
                       f"{fmt(gap['offsets_needed_tco2'], 'tCO2')}")
        if gap["green_power_needed_mwh"]:
            click.echo(f"  - {'或需绿电' if zh else 'or green power'} "
                       f"{fmt(gap['green_power_needed_mwh'], 'MWh')}")
            if not gap["green_power_enough"]:
                note = ("仅靠绿电不足：可替代的电网购电只有" if zh
                        else "green power alone is not enough: grid power left to replace is")
                click.echo(f"    {note} {fmt(gap['residual_grid_mwh'], 'MWh')}")
    for pair in result["double_claims"]:
        click.echo(f"! {pair[lang]}")


users_group = AppGroup("users", help="Accounts. 账号管理。")


@users_group.command("create", help="Create an officer, expert or administrator account.")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True,
              type=click.Choice(["city_officer", "province_officer", "expert", "admin"]))
@click.option("--city", default=None, help="City code, for a city officer (e.g. guiyang).")
@click.password_option(help="At least 10 characters.")
def create_user(email: str, name: str, role: str, city: str | None, password: str):
    from .accounts.services import AccountError, create_staff
    from .platform import db

    try:
        user = create_staff(db.session(), email=email, name=name, role=role, city=city,
                            password=password)
    except AccountError as error:
        db.session().rollback()
        click.echo(f"错误 error: {error.zh}", err=True)
        sys.exit(1)
    click.echo(f"已创建 created: {user.email} ({user.role})")


def register_cli(app: Flask) -> None:
    from .certificates.cli import certificates_group
    from .criteria.cli import COMMANDS as version_commands
    from .demo.load import demo_command
    from .jobs.cli import jobs_group
    from .platform.dbcli import db_group
    from .platform.opscli import audit_group, backup_command, mail_group, restore_command

    for command in version_commands:  # the versions in the database
        criteria_group.add_command(command)
    app.cli.add_command(criteria_group)
    app.cli.add_command(score_command)
    app.cli.add_command(db_group)
    app.cli.add_command(users_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(certificates_group)
    app.cli.add_command(jobs_group)
    for command in (audit_group, backup_command, restore_command, mail_group):
        app.cli.add_command(command)
