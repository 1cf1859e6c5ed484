"""People and organisations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column
from sqlmodel import Field, SQLModel

from ..platform.db import utcnow

APPLICANT, CITY_OFFICER, PROVINCE_OFFICER, EXPERT, ADMIN = (
    "applicant", "city_officer", "province_officer", "expert", "admin")
ROLES = (APPLICANT, CITY_OFFICER, PROVINCE_OFFICER, EXPERT, ADMIN)


class Organisation(SQLModel, table=True):
    """An enterprise (factory) or a park management body, identified by its USCC."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    uscc: str = Field(max_length=18, unique=True, index=True)
    kind: str = Field(max_length=10)  # factory | park
    city: str = Field(max_length=20, index=True)
    industry: str = Field(max_length=5)  # GB/T 4754 code, e.g. C3011
    address: str = Field(max_length=300)
    contact_name: str = Field(max_length=100)
    contact_phone: str = Field(max_length=30)
    created_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (CheckConstraint("kind IN ('factory', 'park')", name="kind"),)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=100)
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=20, index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    city: str | None = Field(default=None, max_length=20)  # city officers
    active: bool = True
    # named by the administrator at the department's request: may edit, and approve another
    # editor's, criteria and reference data versions (province officers only)
    criteria_editor: bool = False
    locale: str = Field(default="zh", max_length=5)
    session_version: int = 0  # raised by "sign out everywhere": older sessions end
    created_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (
        CheckConstraint("role IN ('applicant', 'city_officer', 'province_officer', 'expert', "
                        "'admin')", name="role"),
        CheckConstraint("role != 'applicant' OR organisation_id IS NOT NULL",
                        name="applicant_has_organisation"),
        CheckConstraint("role != 'city_officer' OR city IS NOT NULL", name="city_officer_has_city"),
        CheckConstraint("NOT criteria_editor OR role = 'province_officer'",
                        name="criteria_editor_is_province_officer"),
    )

    # Flask-Login
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class UserSession(SQLModel, table=True):
    """One signed-in browser. The cookie carries a random key; only its hash is stored. Signing
    out ends the row, so a copy of the cookie is refused afterwards."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    key_hash: str = Field(max_length=64, unique=True, index=True)
    started_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None


class AccountToken(SQLModel, table=True):
    """A single-use link sent by e-mail: a password reset, or a registration waiting to be
    confirmed (its form data in `payload`, the password already hashed). Only the token's hash
    is stored."""

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=10)  # reset | register
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    email: str = Field(max_length=254)
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None

    __table_args__ = (CheckConstraint("purpose IN ('reset', 'register')", name="purpose"),)
