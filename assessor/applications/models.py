"""Applications, their revisions (a submitted one never changes) and evidence files."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..platform.db import one_of, utcnow
from .workflow import DECISIONS, STATES


class Application(SQLModel, table=True):
    """One organisation's application in one round. `state` is written only by
    applications.lifecycle.transition()."""

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id")  # indexed below, with state
    state: str = Field(default="draft", max_length=20)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)  # the list's order
    decision: str | None = Field(default=None, max_length=20)  # one of DECISIONS
    decision_basis: dict | None = Field(default=None, sa_column=Column(JSON))  # the aggregate used
    # The latest submitted revision's total and failed gates (comma-separated ids), copied from
    # its result when it is submitted: a round's statistics count them without reading results.
    submitted_total: float | None = None
    submitted_failed_gates: str | None = Field(default=None, max_length=400)

    __table_args__ = (
        UniqueConstraint("round_id", "organisation_id", name="one_per_round"),
        CheckConstraint(one_of("state", STATES), name="state"),
        CheckConstraint(one_of("decision", DECISIONS), name="decision"),
        # the lists: by state, and an organisation's or a city's, newest first
        Index("ix_application_state_updated", "state", "updated_at"),
        Index("ix_application_organisation_state", "organisation_id", "state", "updated_at"),
        # covers the round statistics, so they never read the rows; lists a round's
        # applications in a state by id (the review board)
        Index("ix_application_round_statistics", "round_id", "state", "id", "organisation_id",
              "submitted_total", "submitted_failed_gates"),
    )


class Revision(SQLModel, table=True):
    """The data of one submission attempt. A draft is edited in place; submitting stamps
    `submitted_at`, the engine result and the evidence hashes, after which it never changes."""

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    number: int
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    criteria_id: str = Field(max_length=40)
    result: dict | None = Field(default=None, sa_column=Column(JSON))
    engine_version: str | None = Field(default=None, max_length=20)
    evidence: list | None = Field(default=None, sa_column=Column(JSON))
    submitted_at: datetime | None = None
    submitted_by: int | None = Field(default=None, foreign_key="user.id")
    return_reason: str | None = Field(default=None, max_length=2000)  # shown on the next draft
    # the commitment letter (承诺书) agreed to when submitting: who signed it, in which position
    signer_name: str | None = Field(default=None, max_length=60)
    signer_position: str | None = Field(default=None, max_length=60)
    committed_at: datetime | None = None
    lock_version: int = 0  # bumped at every save: two editors never overwrite each other
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (UniqueConstraint("application_id", "number", name="number"),)


class Evidence(SQLModel, table=True):
    """An uploaded file, stored under instance/uploads with a random name. Removing it from a
    draft only marks it: a submitted revision may still name it by its hash."""

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    item: str = Field(max_length=60)  # which evidence kind or criterion it supports
    original_name: str = Field(max_length=255)
    stored_name: str = Field(max_length=64, unique=True)
    sha256: str = Field(max_length=64)
    size: int
    content_type: str = Field(max_length=100)
    uploaded_by: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: datetime = Field(default_factory=utcnow)
    removed_at: datetime | None = None
