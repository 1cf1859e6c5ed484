"""API tokens: only a SHA-256 hash of each is stored; the whole token is shown once."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from ..platform.db import utcnow


class ApiToken(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)  # the account the token acts for
    name: str = Field(max_length=100)  # what it is for, e.g. 省数据共享平台
    prefix: str = Field(max_length=16)  # the first characters, to recognise it in lists
    token_hash: str = Field(max_length=64, unique=True)  # hex SHA-256 of the whole token
    session_version: int = 0  # the owner's at creation: "sign out everywhere" ends the token
    expires_on: date | None = None  # last day it works; None: until revoked
    created_by: int | None = Field(default=None, foreign_key="user.id")  # owner or admin
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    revoked_by: int | None = Field(default=None, foreign_key="user.id")
