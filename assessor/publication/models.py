"""Publicity (公示), objections, the published cultivation list, certificates and annual filing.

List entries and certificates keep a snapshot of what was published (name, level), so a later
change to an organisation never alters a published list silently.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..platform.db import utcnow


class Holiday(SQLModel, table=True):
    """A public holiday the officer marked: publicity periods skip it like a weekend."""

    day: date = Field(primary_key=True)
    name: str = Field(max_length=100)


class Publicity(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", unique=True)
    starts_on: date
    ends_on: date
    working_days: int
    opened_by: int | None = Field(default=None, foreign_key="user.id")
    opened_at: datetime = Field(default_factory=utcnow)
    published_on: date | None = None  # the list's publication
    # the list's 文号, entered by the officer at publication (official.document_number)
    document_number: str | None = Field(default=None, max_length=60)


class Objection(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True, index=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    name: str = Field(max_length=100)
    contact: str = Field(max_length=200)
    reason: str = Field(max_length=5000)
    attachment_name: str | None = Field(default=None, max_length=255)
    attachment_stored: str | None = Field(default=None, max_length=64)
    attachment_sha256: str | None = Field(default=None, max_length=64)
    attachment_type: str | None = Field(default=None, max_length=100)
    filed_at: datetime = Field(default_factory=utcnow)
    state: str = Field(default="open", max_length=10)
    handled_by: int | None = Field(default=None, foreign_key="user.id")
    handled_at: datetime | None = None
    handling_reason: str | None = Field(default=None, max_length=2000)

    __table_args__ = (CheckConstraint("state IN ('open', 'upheld', 'dismissed')", name="state"),)


class Listing(SQLModel, table=True):
    """One line of a published cultivation list, as published."""

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    application_id: int = Field(foreign_key="application.id", unique=True)
    organisation_name: str = Field(max_length=200)
    city: str = Field(max_length=20)
    subject: str = Field(max_length=10)
    level_id: str = Field(max_length=40)
    level_zh: str = Field(max_length=100)
    level_en: str = Field(max_length=100)
    listed_on: date
    removed_on: date | None = None
    removal_reason: str | None = Field(default=None, max_length=2000)


class Certificate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    serial: str = Field(max_length=32, unique=True, index=True)
    listing_id: int = Field(foreign_key="listing.id", index=True)
    organisation_name: str = Field(max_length=200)
    organisation_uscc: str | None = Field(default=None, max_length=18)  # None: issued before 0014
    level_zh: str = Field(max_length=100)
    level_en: str = Field(max_length=100)
    round_title: str = Field(max_length=200)
    criteria_id: str = Field(max_length=40)
    criteria_version: str = Field(max_length=20)
    issued_on: date
    valid_until: date
    stored_name: str = Field(max_length=64, unique=True)
    pdf_sha256: str = Field(max_length=64, index=True)
    signer: str = Field(default="", max_length=300)
    status: str = Field(default="valid", max_length=10)
    issued_by: int | None = Field(default=None, foreign_key="user.id")
    revoked_at: datetime | None = None
    revocation_reason: str | None = Field(default=None, max_length=2000)

    __table_args__ = (CheckConstraint("status IN ('valid', 'revoked')", name="status"),)


class FilingCall(SQLModel, table=True):
    """The department asks a round's listed organisations for a year's data by a deadline."""

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id")
    year: int
    deadline: date
    opened_by: int | None = Field(default=None, foreign_key="user.id")
    opened_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (UniqueConstraint("round_id", "year", name="round_year"),)


class Filing(SQLModel, table=True):
    """A listed organisation's annual data (动态管理), filed through the self-assessment form."""

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="filingcall.id", index=True)
    listing_id: int = Field(foreign_key="listing.id", index=True)
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    result: dict | None = Field(default=None, sa_column=Column(JSON))
    # where the figures a new filing starts from came from (filing.last_years_figures)
    copied_from: dict | None = Field(default=None, sa_column=Column(JSON))
    lock_version: int = 0
    submitted_at: datetime | None = None
    submitted_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (UniqueConstraint("call_id", "listing_id", name="one_per_call"),)
