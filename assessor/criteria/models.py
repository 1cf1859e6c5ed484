"""A version of a criteria set or of the reference tables, stored as the files it is made of.

`content` is the files' text exactly as written (JSON: name -> text), so that exporting a
version writes back the very bytes imported. A published (or superseded) version never changes:
the service refuses, and database triggers refuse whatever gets past it (migration 0015).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..platform.db import one_of, utcnow

KINDS = ("criteria", "reference")
STATES = ("draft", "in_review", "published", "superseded")
FROZEN = ("published", "superseded")


class CriteriaVersion(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # criteria | reference
    key: str = Field(max_length=40)  # a criteria set's id (GZ-F-2024); REF-1 for reference data
    subject: str | None = Field(default=None, max_length=10)  # criteria: factory | park
    label: str = Field(max_length=40)  # the set's `version`; the reference data's own label
    title_zh: str = Field(default="", max_length=200)
    title_en: str = Field(default="", max_length=200)
    state: str = Field(default="draft", max_length=20)
    content: str = Field(sa_column=Column(Text, nullable=False))
    digest: str = Field(max_length=64)
    reference_id: int | None = Field(default=None, foreign_key="criteriaversion.id")
    based_on_id: int | None = Field(default=None, foreign_key="criteriaversion.id")
    # publishing it supersedes the version it was made from (a new edition), or leaves that one
    # in force beside it (a new set begun from another, such as the national programme's)
    replaces_base: bool = True
    note: str = Field(default="", max_length=2000)  # what changes and why, by its makers
    makers: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_by: int | None = Field(default=None, foreign_key="user.id")  # None: from files
    created_at: datetime = Field(default_factory=utcnow)
    submitted_by: int | None = Field(default=None, foreign_key="user.id")
    submitted_at: datetime | None = None
    approved_by: int | None = Field(default=None, foreign_key="user.id")
    published_at: datetime | None = None
    superseded_at: datetime | None = None
    return_reason: str | None = Field(default=None, max_length=2000)
    lock_version: int = 0

    __table_args__ = (
        UniqueConstraint("kind", "key", name="kind_key"),
        CheckConstraint(one_of("kind", KINDS), name="kind"),
        CheckConstraint(one_of("state", STATES), name="state"),
        CheckConstraint("subject IS NULL OR subject IN ('factory', 'park')", name="subject"),
        CheckConstraint("(kind = 'criteria') = (reference_id IS NOT NULL)", name="reference"),
        CheckConstraint("state NOT IN ('published', 'superseded') OR published_at IS NOT NULL",
                        name="published_at"),
    )

    @property
    def files(self) -> dict[str, str]:
        return json.loads(self.content)

    @property
    def frozen(self) -> bool:
        return self.state in FROZEN


def pack(files: dict[str, str]) -> tuple[str, str]:
    """The stored text of `files` and its SHA-256 (the same files always give the same)."""
    content = json.dumps(dict(sorted(files.items())), ensure_ascii=False, sort_keys=True)
    return content, hashlib.sha256(content.encode("utf-8")).hexdigest()
