"""The province in memory: rows per table, audit events and notifications, written at the end."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

import numpy as np
from argon2 import PasswordHasher

from assessor.applications.workflow import MOVES
from assessor.audit import AuditEvent, digest
from assessor.audit.keys import seal
from assessor.engine import Engine

from .organisations import organisations
from .shape import DAY, DOMAIN, PARK_SHARE, PASSWORD, YEAR_SHARE, YEARS, Ids

# what lifecycle._notify says of each state, in Chinese
STATE_ZH = {"submitted": "已提交，待市（州）推荐", "recommended": "市（州）已推荐，待形式审查",
            "in_review": "专家评审中", "approved": "已通过", "rejected": "未通过",
            "returned": "已退回修改", "withdrawn": "已撤回", "in_publicity": "公示中",
            "listed": "已列入培育名单", "removed": "已移出名单"}


class Province:
    """Everything to write, built in memory: rows per table, audit events, notifications."""

    def __init__(self, engine: Engine, applications: int, seed: int, today: date):
        self.engine, self.today = engine, today
        self.rng = np.random.default_rng(seed)
        self.ids, self.serials = Ids(), Ids()
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.events: list[dict] = []
        self.notes: list[dict] = []
        self.now = datetime.now(UTC)
        self.first_day = today - (len(YEARS) - 1) * 365 * DAY - 60 * DAY
        self.password_hash = PasswordHasher().hash(PASSWORD)
        biggest = max(YEAR_SHARE.values()) * applications
        factories = int(biggest * (1 - PARK_SHARE) * 1.25) + 1
        parks = int(biggest * PARK_SHARE * 1.3) + 1
        self.orgs = organisations(self.rng, factories, parks, self.first_day)
        self.total = applications
        # the staff, set by people.staff: user ids
        self.admin: int
        self.province: list[int]
        self.city_officer: dict[str, int]
        self.experts: list[int]
        # expert id -> (USCC of the organisation the expert works for, USCCs of relations)
        self.ties: dict[int, tuple[str | None, set[str]]]

    def add(self, table: str, **row) -> dict:
        row.setdefault("id", self.ids(table))
        self.rows[table].append(row)
        return row

    def event(self, when: datetime, actor: int | None, action: str, object_type: str,
              object_id: int | None, *, from_state=None, to_state=None, reason=None,
              details=None) -> None:
        self.events.append({"at": when, "actor_id": actor, "action": action,
                            "object_type": object_type, "object_id": object_id,
                            "from_state": from_state, "to_state": to_state, "reason": reason,
                            "details": details or {}})

    def notify(self, when: datetime, users: list[int], zh: str, en: str,
               application_id: int | None) -> None:
        read = when + DAY if self.now - when > 14 * DAY else None
        for user in users:
            self.notes.append({"user_id": user, "application_id": application_id,
                               "message_zh": zh[:500], "message_en": en[:500],
                               "created_at": when, "read_at": read})

    def notify_move(self, when: datetime, action: str, app_id: int, org: dict, previous: str,
                    reason: str | None) -> None:
        """The recipients lifecycle._notify chooses for each move."""
        applicant, city, province = [org["user"]], [self.city_officer[org["city"]]], \
            self.province
        recipients = {"submit": city, "recommend": applicant + province,
                      "city_return": applicant, "accept": applicant + city,
                      "province_return": applicant + city, "approve": applicant + city,
                      "reject": applicant + city,
                      "withdraw": city if previous != "draft" else [],
                      "publicize": applicant + city, "list": applicant + city,
                      "remove": applicant + city}[action]
        target = MOVES[action].target
        zh = f"{org['name']} 的申报（编号 {app_id}）：{STATE_ZH[target]}"
        en = f"Application {app_id} of {org['name']}: {target.replace('_', ' ')}"
        if reason:
            zh, en = f"{zh}。理由：{reason}", f"{en}. Reason: {reason}"
        self.notify(when, recipients, zh, en, app_id)

    def user(self, email: str, name: str, role: str, when: datetime, *, city=None,
             organisation_id=None) -> int:
        row = self.add("user", email=f"{email}@{DOMAIN}", name=name,
                       password_hash=self.password_hash, role=role,
                       organisation_id=organisation_id, city=city, active=True, locale="zh",
                       session_version=0, created_at=when)
        return row["id"]

    def chained_events(self, last_id: int = 0, previous: str = "") -> list[dict]:
        """Events in time order with ids and the hash chain audit.record would write, after the
        database's own last event (`last_id`, its hash `previous`): the first start records the
        import of the criteria versions."""
        self.events.sort(key=lambda e: e["at"])
        for number, row in enumerate(self.events, start=last_id + 1):
            event = AuditEvent(**row, previous_hash=previous)
            row.update(id=number, previous_hash=previous, hash=digest(event))
            row["seal"] = seal(row["hash"])  # as audit.record seals it (the app's key)
            previous = row["hash"]
        return self.events
