"""Accounts: registration of applicants with their organisation, staff accounts, sign-in.

Services take plain arguments and a session; views and the command line call them.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlmodel import Session, select

from .. import audit
from ..regions import CITIES
from .models import ADMIN, APPLICANT, CITY_OFFICER, EXPERT, PROVINCE_OFFICER, Organisation, User
from .uscc import USCCError, normalise

MIN_PASSWORD = 10


def _hasher() -> PasswordHasher:
    """Argon2id (memory-hard) with the library's defaults; tests may configure a cheaper one."""
    if has_app_context() and current_app.config.get("ARGON2_MEMORY_KIB"):
        return PasswordHasher(memory_cost=int(current_app.config["ARGON2_MEMORY_KIB"]),
                              time_cost=1, parallelism=1)
    return PasswordHasher()


class AccountError(ValueError):
    """A refusal with a message for the user (`zh`: the text in the user's language, Chinese
    outside a request); `field` names the form field when there is one."""

    def __init__(self, zh: str, field: str | None = None):
        self.zh, self.field = zh, field
        super().__init__(zh)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(_("密码至少 %(n)s 位", n=MIN_PASSWORD), "password")
    kinds = sum(bool(re.search(pattern, password))
                for pattern in (r"[A-Za-z]", r"\d", r"[^A-Za-z0-9]"))
    if kinds < 2:
        raise AccountError(_("密码须包含字母、数字、符号中的至少两类"), "password")
    return _hasher().hash(password)


def check_password(user: User, password: str) -> bool:
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(db: Session, email: str, password: str) -> User | None:
    user = db.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.active or not check_password(user, password):
        return None
    return user


def _email_free(db: Session, email: str) -> str:
    email = email.strip().lower()
    if db.exec(select(User).where(User.email == email)).first():
        raise AccountError(_("该邮箱已注册"), "email")
    return email


def register_applicant(db: Session, *, organisation: dict, email: str, name: str,
                       password: str) -> User:
    """A new organisation with its first user; or, when `organisation['uscc']` is already
    registered, refused: colleagues are added by the organisation's users."""
    try:
        uscc = normalise(organisation["uscc"])
    except USCCError as error:
        raise AccountError(error.zh, "uscc") from None
    if db.exec(select(Organisation).where(Organisation.uscc == uscc)).first():
        raise AccountError(_("该统一社会信用代码已注册，请联系本单位已有账号添加用户"), "uscc")
    if organisation["city"] not in CITIES:
        raise AccountError(_("请选择所在市（州）"), "city")
    if organisation["kind"] not in ("factory", "park"):
        raise AccountError(_("请选择申报类型"), "kind")
    email = _email_free(db, email)
    org = Organisation(**{**organisation, "uscc": uscc})
    db.add(org)
    db.flush()
    user = User(email=email, name=name.strip(), password_hash=hash_password(password),
                role=APPLICANT, organisation_id=org.id)
    db.add(user)
    db.flush()
    audit.record(db, actor_id=user.id, action="register", object_type="organisation",
                 object_id=org.id, details={"uscc": uscc, "name": org.name})
    db.commit()
    return user


def add_colleague(db: Session, actor: User, *, email: str, name: str, password: str) -> User:
    """Another user of the actor's organisation."""
    if actor.role != APPLICANT:
        raise AccountError(_("只有申报单位用户可以添加同事"))
    user = User(email=_email_free(db, email), name=name.strip(),
                password_hash=hash_password(password), role=APPLICANT,
                organisation_id=actor.organisation_id)
    db.add(user)
    db.flush()
    audit.record(db, actor_id=actor.id, action="add_user", object_type="user", object_id=user.id,
                 details={"email": user.email})
    db.commit()
    return user


STAFF_ROLES = (CITY_OFFICER, PROVINCE_OFFICER, EXPERT, ADMIN)


def create_staff(db: Session, *, email: str, name: str, role: str, password: str,
                 city: str | None = None, actor_id: int | None = None) -> User:
    """An officer, expert or administrator account (administrators only, or the CLI)."""
    if role not in STAFF_ROLES:
        raise AccountError(_("角色无效"), "role")
    if role == CITY_OFFICER and city not in CITIES:
        raise AccountError(_("市（州）工作人员须选择所属市（州）"), "city")
    user = User(email=_email_free(db, email), name=name.strip(), role=role,
                city=city if role == CITY_OFFICER else None,
                password_hash=hash_password(password))
    db.add(user)
    db.flush()
    audit.record(db, actor_id=actor_id, action="create_staff", object_type="user",
                 object_id=user.id, details={"email": user.email, "role": role, "city": city})
    db.commit()
    return user


def end_all_sessions(db: Session, user: User) -> None:
    user.session_version += 1
    db.add(user)
    audit.record(db, actor_id=user.id, action="logout_everywhere", object_type="user",
                 object_id=user.id)
    db.commit()


def set_locale(db: Session, user: User, locale: str) -> None:
    if locale in ("zh", "en"):
        user.locale = locale
        db.add(user)
        db.commit()
