"""演示数据 / demo data: a believable Guizhou province of staff, enterprises, parks, two open rounds
and applications in every state, made through the services only (never by writing tables).

Expert review is in use: the experts have profiles (one works for an applicant, one declared a
relation, so conflicts show), the decided applications were scored by three experts each and
decided on the aggregate, and the one in review has a submitted review, a draft and an
assignment still awaiting its conflict declaration. The park round is blind. A past 2023 round
(published.py) has gone all the way: publicity, an objection, the published list, signed
certificates, a removal and the 2024 annual filing.

Every organisation is fictitious: names carry 示例, USCCs use the organisation code 00000000n.
`flask --app assessor demo [--if-empty]` loads it; every login shares one password.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session, select

from ..accounts.models import CITY_OFFICER, PROVINCE_OFFICER, User
from ..accounts.regions import CITIES
from ..accounts.services import create_staff, register_applicant
from ..applications import services as applications
from ..applications.lifecycle import transition
from ..applications.workflow import MOVES, STATE_TITLES
from ..engine import Engine, SubmissionError
from ..platform.viewkit import today as app_today
from ..review import services as review
from ..rounds.models import Round
from ..rounds.services import open_round
from . import build
from .data import (
    CITY_OFFICERS,
    CRITERIA,
    DOMAIN,
    EXPERT_PROFILES,
    EXPERT_RELATIONS,
    FACTORIES,
    PARKS,
    PASSWORD,
    PHONE,
    REASONS,
    REVIEW_SETTINGS,
    REVIEWS,
    STAFF,
    YEAR,
)
from .notices import load_notices

# `flask run`'s own address: the demo certificates' verify links when neither PUBLIC_BASE_URL
# nor --base-url says otherwise (`make run PORT=…` passes its port)
LOCAL_ADDRESS = "http://127.0.0.1:5000"

# -- loading -------------------------------------------------------------------------------------


def plans() -> list[dict]:
    """Every organisation's registration and submission, built before anything is written."""
    registered: dict[str, dict] = {}
    out = []
    for number, entry in enumerate([*FACTORIES, *PARKS], 1):
        kind = "park" if "members" in entry else "factory"
        org = {"name": entry["name"], "uscc": build.uscc(kind, entry["division"], number),
               "kind": kind, "city": entry["city"], "industry": entry["industry"],
               "address": f"贵州省{CITIES[entry['city']]}{entry['address']}",
               "contact_name": entry["contact"], "contact_phone": PHONE.format(number)}
        header = {"name": org["name"], "uscc": org["uscc"], "region": CITIES[org["city"]]}
        if kind == "factory":
            data = build.factory_data(header, entry)
            registered[entry["key"]] = {"name": org["name"], "uscc": org["uscc"],
                                        "data": entry["data"]}
        else:
            data = build.park_data(header, entry, registered, number)
        if entry.get("offsets"):
            data["offsets"] = build.offsets(entry)
        out.append({"entry": entry, "org": org, "data": data})
    return out


def _check(db: Session, engine: Engine, planned: list[dict]) -> None:
    """Refuse before writing: a demo login already taken, or a submission the engine rejects."""
    emails = [f"{name}@{DOMAIN}" for name, *_ in STAFF]
    emails += [f"city.{city}@{DOMAIN}" for city in CITY_OFFICERS]
    emails += [f"{plan['entry']['key']}@{DOMAIN}" for plan in planned]
    taken = db.exec(select(User.email).where(User.email.in_(emails))).all()
    if taken:
        raise build.DemoError(f"演示账号已存在（{len(taken)} 个，如 {taken[0]}），未做改动")
    for plan in planned:
        checked = [plan["data"]] if "submit" in plan["entry"]["steps"] else []
        for data in [*checked, *([plan["filing"]] if "filing" in plan else [])]:
            try:
                engine.score(data, CRITERIA[plan["org"]["kind"]])
            except SubmissionError as error:
                raise build.DemoError(f"{plan['org']['name']} 的填报数据有误：" + "；".join(
                    f"{p.path} {p.zh}" for p in error.problems)) from None


def _criteria_draft_in_review(db: Session, author: User) -> None:
    """A next year's factory set written by province1 and sent for review: province2 (the
    second editor) compares it, runs its impact and approves or returns it."""
    from ..criteria import services as versions

    base = versions.by_key(db, "GZ-F-2024")
    if base is None or versions.by_key(db, "GZ-F-2025") is not None:
        return
    draft = versions.new_draft(db, author, base, key="GZ-F-2025", label="2025.1",
                               note="征求意见稿：结构与 2024 年版相同，"
                               "待《贵州省零碳工厂评价要求》正式文本替换阈值与分值")
    files = draft.files
    name = "factory/GZ-F-2025.yaml"
    for before, after in (("zh: 贵州省零碳工厂评价（2024，暂行）", "zh: 贵州省零碳工厂评价（2025，征求意见稿）"),
                          ("en: Guizhou zero-carbon factory evaluation (2024, provisional)",
                           "en: Guizhou zero-carbon factory evaluation (2025, consultation draft)")):
        files[name] = files[name].replace(before, after, 1)
    versions.save_files(db, author, draft, files, lock_version=draft.lock_version, what="名称")
    versions.change_state(db, author, draft, "submit")


def load_demo(db: Session, engine: Engine, today: date, served_at: str = LOCAL_ADDRESS
              ) -> list[tuple[str, str, str]]:
    """Create the demo province through the services; returns (email, password, description)
    of every login. Needs an app context (evidence goes to UPLOAD_FOLDER, certificates to
    CERTIFICATE_FOLDER, their verify links to PUBLIC_BASE_URL, else to `served_at`). The past,
    published round is in published.py."""
    from . import published as demo_published

    planned, published = plans(), demo_published.plans()
    _check(db, engine, [*planned, *published])
    logins: list[tuple[str, str, str]] = []

    def staff(name: str, role: str, city: str | None, person: str, description: str) -> User:
        user = create_staff(db, email=f"{name}@{DOMAIN}", name=person, role=role,
                            password=PASSWORD, city=city)
        logins.append((user.email, PASSWORD, f"{description}：{person}"))
        return user

    people = {row[0]: staff(*row) for row in STAFF}
    for user in people.values():  # two editors: one writes a draft, the other approves it
        if user.role == PROVINCE_OFFICER:
            user.criteria_editor = True
            db.add(user)
    for city, person in CITY_OFFICERS.items():
        people[city] = staff(f"city.{city}", CITY_OFFICER, city, person,
                             f"{CITIES[city]}工业和信息化主管部门（推荐、退回）")
    rounds = {subject: open_round(
        db, engine, people["province1"], title=f"{YEAR}年度贵州省{title}评价申报（演示）",
        subject=subject, year=YEAR, criteria_id=CRITERIA[subject],
        opens_on=today - timedelta(days=30), closes_on=today + timedelta(days=60),
        publicity_days=5) for subject, title in (("factory", "零碳工厂"), ("park", "零碳工业园区"))}
    _review_settings(db, people["province1"], rounds)
    _expert_pool(db, people, {plan["entry"]["key"]: plan["org"] for plan in planned})
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    for plan in planned:
        entry, org = plan["entry"], plan["org"]
        user = register_applicant(db, organisation=org, email=f"{entry['key']}@{DOMAIN}",
                                  name=entry["contact"], password=PASSWORD)
        application = applications.create(db, user, rounds[org["kind"]], today)
        draft = applications.editable_draft(db, user, application, today)
        applications.save_draft(db, engine, user, application, plan["data"],
                                draft.lock_version, today)
        if "evidence" in entry:
            item, filename = entry["evidence"]
            applications.add_evidence(db, user, application, item=item, filename=filename,
                                      content=build.pdf(item.replace("_", " ")), folder=folder,
                                      today=today)
        for action in entry["steps"].split():
            facts = build.move_facts(action, org, entry)  # the commitment, the 推荐意见
            if MOVES[action].needs_reason and "reason" not in facts:
                facts["reason"] = REASONS[entry["key"]]
            actor = build.actor(action, user, org, people)
            if action in ("approve", "reject"):  # experts first, then a decision on their scores
                build.review_application(db, engine, people, rounds[org["kind"]], application,
                                         entry["key"], today)
                review.decide(db, engine, actor, application, action, facts["reason"], today)
            else:
                transition(db, engine, application, action, actor, today=today, **facts)
        if application.state == "in_review" and entry["key"] in REVIEWS:
            build.review_application(db, engine, people, rounds[org["kind"]], application,
                                     entry["key"], today)
        state = STATE_TITLES[application.state][0]
        logins.append((user.email, PASSWORD,
                       f"{org['name']}（{CITIES[org['city']]}，申报单位；申报：{state}）"))
    load_notices(db, people["province1"], rounds, today)  # the front door's 通知公告
    _criteria_draft_in_review(db, people["province1"])
    return logins + demo_published.load_published(db, engine, people, published, today,
                                                    served_at)


def _review_settings(db: Session, officer: User, rounds: dict[str, Round]) -> None:
    for subject, settings in REVIEW_SETTINGS.items():
        current = {"reviewers_per_application": 3, "aggregation": "mean",
                   "disagreement_threshold": 0.3, "review_days": 14, "blind": False,
                   "site_inspection": False}
        review.configure_round(db, officer, rounds[subject], **{**current, **settings})


def _expert_pool(db: Session, people: dict[str, User], orgs: dict[str, dict]) -> None:
    for login, (industries, topics, affiliation, key) in EXPERT_PROFILES.items():
        review.update_profile(db, people["province1"], people[login], industries=industries,
                              topics=topics, affiliation=affiliation,
                              affiliation_uscc=orgs[key]["uscc"] if key else None)
    for login, key, relation in EXPERT_RELATIONS:
        review.declare_relation(db, people[login], uscc=orgs[key]["uscc"],
                                organisation_name=orgs[key]["name"], relation=relation)


# -- command -------------------------------------------------------------------------------------
@click.command("demo", help="Load demo data: staff, enterprises, parks, rounds and applications "
                            "in every state. 载入演示数据。")
@click.option("--if-empty", is_flag=True, help="Do nothing when any user exists. 已有用户时跳过。")
@click.option("--base-url", default=LOCAL_ADDRESS, show_default=True,
              help="The address the app will be served at, for the certificates' verify links "
                   "when PUBLIC_BASE_URL is not set. 证书验证链接的网址。")
@with_appcontext
def demo_command(if_empty: bool, base_url: str):
    from ..platform import db as database
    from ..platform.engine_service import criteria_engine

    session = database.session()
    if if_empty and session.exec(select(User).limit(1)).first() is not None:
        click.echo("数据库中已有用户，未载入演示数据 / users exist: demo data not loaded.")
        if session.exec(select(User).where(User.email == "admin@demo.example.com")).first():
            click.echo(f"演示账号仍可用 / demo logins still work: admin@demo.example.com, "
                       f"province1@demo.example.com, city.guiyang@demo.example.com, "
                       f"datacentre@demo.example.com … (密码 password: {PASSWORD})")
        return
    today = app_today()
    try:
        logins = load_demo(session, criteria_engine(), today, base_url)
    except Exception as error:
        session.rollback()
        click.echo(f"错误 error: 演示数据未能载入 / demo data not loaded: "
                   f"{getattr(error, 'zh', None) or error}", err=True)
        sys.exit(1)
    click.echo(f"演示账号 / demo logins (密码 password: {PASSWORD}):")
    width = max(len(email) for email, _, _ in logins)
    for email, _, description in logins:
        click.echo(f"  {email:<{width}}  {description}")
