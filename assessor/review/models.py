"""The expert pool, declared relations, assignments and reviews."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..platform.db import one_of, utcnow
from .states import ASSIGNMENT_STATES

SPECIALITY_TOPICS = ("energy", "carbon_accounting", "finance")
RECOMMENDATIONS = ("approve", "reject", "return")


class ExpertProfile(SQLModel, table=True):
    """An expert's specialities and affiliation. Industries are GB/T 4754 codes or prefixes
    (C30 matches C3011); topics are energy, carbon_accounting, finance."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    industries: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    topics: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    affiliation: str = Field(default="", max_length=200)
    affiliation_uscc: str | None = Field(default=None, max_length=18, index=True)
    updated_at: datetime = Field(default_factory=utcnow)


class ExpertRelation(SQLModel, table=True):
    """A relation an expert declares with an organisation (by USCC): it blocks assignment."""

    id: int | None = Field(default=None, primary_key=True)
    expert_id: int = Field(foreign_key="user.id", index=True)
    uscc: str = Field(max_length=18, index=True)
    organisation_name: str = Field(default="", max_length=200)
    relation: str = Field(max_length=200)
    declared_at: datetime = Field(default_factory=utcnow)
    withdrawn_at: datetime | None = None


class Assignment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    expert_id: int = Field(foreign_key="user.id", index=True)
    state: str = Field(default="pending", max_length=20)
    assigned_by: int | None = Field(default=None, foreign_key="user.id")
    assigned_at: datetime = Field(default_factory=utcnow)
    due_on: date
    declared_at: datetime | None = None
    decline_reason: str | None = Field(default=None, max_length=1000)  # or the conflict found

    __table_args__ = (
        CheckConstraint(one_of("state", ASSIGNMENT_STATES), name="state"),
    )


class Review(SQLModel, table=True):
    """One expert's scores for one assignment. Drafts are kept; submitting locks it; an officer
    can reopen it with a reason."""

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id")
    scores: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    comments: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    opinion: str = Field(default="", max_length=5000)
    recommendation: str | None = Field(default=None, max_length=10)
    inspection: dict | None = Field(default=None, sa_column=Column(JSON))
    submitted_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        UniqueConstraint("assignment_id", name="one_per_assignment"),
        CheckConstraint(one_of("recommendation", RECOMMENDATIONS), name="recommendation"),
    )


class InspectionPhoto(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    original_name: str = Field(max_length=255)
    stored_name: str = Field(max_length=64, unique=True)
    sha256: str = Field(max_length=64)
    content_type: str = Field(max_length=100)
    size: int
    uploaded_at: datetime = Field(default_factory=utcnow)
