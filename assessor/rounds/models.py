"""申报批次: a call for applications under one criteria set version."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from ..db import utcnow


class Round(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    subject: str = Field(max_length=10)  # factory | park
    year: int
    criteria_id: str = Field(max_length=40)
    opens_on: date
    closes_on: date
    publicity_days: int = 5  # working days
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        CheckConstraint("subject IN ('factory', 'park')", name="subject"),
        CheckConstraint("closes_on >= opens_on", name="dates_in_order"),
        CheckConstraint("publicity_days BETWEEN 1 AND 60", name="publicity_days"),
    )

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.closes_on
