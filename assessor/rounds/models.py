"""申报批次: a call for applications under one criteria set version."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from ..platform.db import utcnow


class Round(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    subject: str = Field(max_length=10)  # factory | park
    year: int
    criteria_id: str = Field(max_length=40)
    opens_on: date
    closes_on: date
    publicity_days: int = 5  # working days
    # expert review (per round)
    reviewers_per_application: int = 3
    blind: bool = False
    aggregation: str = Field(default="mean", max_length=20)  # mean | median | trimmed_mean
    disagreement_threshold: float = 0.3  # flag an item when the range exceeds this share of it
    review_days: int = 14  # an assignment is due this many days after it is made
    site_inspection: bool = False
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        CheckConstraint("subject IN ('factory', 'park')", name="subject"),
        CheckConstraint("closes_on >= opens_on", name="dates_in_order"),
        CheckConstraint("publicity_days BETWEEN 1 AND 60", name="publicity_days"),
        CheckConstraint("reviewers_per_application BETWEEN 1 AND 15", name="reviewers"),
        CheckConstraint("aggregation IN ('mean', 'median', 'trimmed_mean')", name="aggregation"),
    )

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.closes_on
