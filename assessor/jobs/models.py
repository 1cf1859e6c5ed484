"""A job's row: what to run (a named task with plain arguments), and how far it got."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column
from sqlmodel import Field, SQLModel

from ..platform.db import one_of, utcnow

STATES = ("queued", "running", "finished", "failed")
REMOVED = "removed"  # Job.stored_name once `jobs prune` removed the file (never a file's name)


class Job(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)  # who besides the starter may see it (registry.SHARED_WITH)
    label: str = Field(max_length=200)
    task: str = Field(default="", max_length=60)
    params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    locale: str = Field(default="zh", max_length=5)  # the starter's: messages and refusals
    queue_id: str | None = Field(default=None, max_length=64)  # the RQ job, when queued
    state: str = Field(default="queued", max_length=10)  # queued running finished failed
    done: int = 0
    total: int = 0
    message: str = Field(default="", max_length=2000)
    stored_name: str | None = Field(default=None, max_length=64)  # its file in JOB_FOLDER
    download_name: str | None = Field(default=None, max_length=200)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None

    __table_args__ = (CheckConstraint(one_of("state", STATES), name="state"),)

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")
