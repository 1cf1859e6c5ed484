"""通知公告: a notice the department publishes, with its attached files.

A notice is a draft until published; a published notice may be withdrawn (its page then says
so, and it leaves the public list) but never edited or deleted: what was published stays
what it was. Attachments are stored like evidence (instance uploads, random name, SHA-256)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Text
from sqlmodel import Field, SQLModel

from ..platform.db import utcnow

STATES = ("draft", "published", "withdrawn")


class Notice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    number: str = Field(default="", max_length=100)  # 文号, e.g. 黔工信节能〔2025〕12号
    issued_on: date  # the date printed on the notice (Beijing)
    body: str = Field(sa_column=Column(Text, nullable=False))
    state: str = Field(default="draft", max_length=10, index=True)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    published_by: int | None = Field(default=None, foreign_key="user.id")
    published_at: datetime | None = None
    withdrawn_by: int | None = Field(default=None, foreign_key="user.id")
    withdrawn_at: datetime | None = None
    withdrawal_reason: str | None = Field(default=None, max_length=500)

    __table_args__ = (
        CheckConstraint("state IN ('draft', 'published', 'withdrawn')", name="state"),
    )


class NoticeAttachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    name: str = Field(max_length=255)  # as uploaded, made safe for display
    stored: str = Field(max_length=64)  # the random file name under the upload folder
    sha256: str = Field(max_length=64)
    content_type: str = Field(max_length=100)
    size: int
    added_by: int | None = Field(default=None, foreign_key="user.id")
    added_at: datetime = Field(default_factory=utcnow)
