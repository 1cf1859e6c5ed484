"""Accounts: registration of applicants with their organisation, staff accounts, sign-in.

Services take plain arguments and a session; views and the command line call them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context, url_for
from flask_babel import gettext as _
from sqlmodel import Session, delete, select

from .. import audit
from ..platform.db import utcnow
from ..platform.refusal import Refused
from . import mail, sessions, throttle
from .models import (
    ADMIN,
    APPLICANT,
    CITY_OFFICER,
    EXPERT,
    PROVINCE_OFFICER,
    AccountToken,
    Organisation,
    User,
)
from .regions import CITIES
from .uscc import USCCError, city_mismatch, normalise

MIN_PASSWORD = 10


def _hasher() -> PasswordHasher:
    """Argon2id (memory-hard) with the library's defaults; tests may configure a cheaper one."""
    if has_app_context() and current_app.config.get("ARGON2_MEMORY_KIB"):
        return PasswordHasher(memory_cost=int(current_app.config["ARGON2_MEMORY_KIB"]),
                              time_cost=1, parallelism=1)
    return PasswordHasher()


class AccountError(Refused):
    """A refused account change; `field` names the form field when there is one."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(_("密码至少 %(n)s 位", n=MIN_PASSWORD), "password")
    kinds = sum(bool(re.search(pattern, password))
                for pattern in (r"[A-Za-z]", r"\d", r"[^A-Za-z0-9]"))
    if kinds < 2:
        raise AccountError(_("密码须包含字母、数字、符号中的至少两类"), "password")
    return _hasher().hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password(user: User, password: str) -> bool:
    return _verify(user.password_hash, password)


@lru_cache(maxsize=4)
def _dummy_hash(parameters: tuple) -> str:
    return PasswordHasher(*parameters).hash(secrets.token_hex(16))


def authenticate(db: Session, email: str, password: str) -> User | None:
    """The user with this e-mail and password. An unknown or disabled account costs the same
    Argon2 verification as a known one, so the time taken tells nothing."""
    user = db.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.active:
        hasher = _hasher()
        _verify(_dummy_hash((hasher.time_cost, hasher.memory_cost, hasher.parallelism)),
                password)
        return None
    return user if check_password(user, password) else None


def _email_free(db: Session, email: str) -> str:
    email = email.strip().lower()
    if db.exec(select(User).where(User.email == email)).first():
        raise AccountError(_("该邮箱已注册"), "email")
    return email


def register_applicant(db: Session, *, organisation: dict, email: str, name: str,
                       password: str) -> User:
    """A new organisation with its first user at once (the command line, demo data, tests);
    visitors go through request_registration and an e-mailed link. Refused when the USCC or
    the e-mail is already registered: colleagues are added by the organisation's users."""
    return _found(db, _checked(organisation), email.strip().lower(), name,
                  hash_password(password))


def _checked(organisation: dict) -> dict:
    """The organisation with its USCC normalised; AccountError for what the visitor can fix."""
    try:
        uscc = normalise(organisation["uscc"])
    except USCCError as error:
        raise AccountError(error.zh, "uscc") from None
    if organisation["city"] not in CITIES:
        raise AccountError(_("请选择所在市（州）"), "city")
    if organisation["kind"] not in ("factory", "park"):
        raise AccountError(_("请选择申报类型"), "kind")
    return {**organisation, "uscc": uscc}


def _found(db: Session, organisation: dict, email: str, name: str, password_hash: str) -> User:
    if db.exec(select(Organisation.id).where(Organisation.uscc == organisation["uscc"])).first():
        raise AccountError(_("该统一社会信用代码已注册，请联系本单位已有账号添加用户"), "uscc")
    email = _email_free(db, email)
    org = Organisation(**organisation)
    db.add(org)
    db.flush()
    user = User(email=email, name=name.strip(), password_hash=password_hash, role=APPLICANT,
                organisation_id=org.id)
    db.add(user)
    db.flush()
    audit.record(db, actor_id=user.id, action="register", object_type="organisation",
                 object_id=org.id, details={"uscc": org.uscc, "name": org.name})
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


def name_criteria_editor(db: Session, actor: User, user: User, editor: bool) -> None:
    """The administrator names (or stops naming) a province officer a criteria editor, at the
    department's request; audited."""
    if actor.role != ADMIN:
        raise AccountError(_("只有系统管理员可以指定评价标准编辑人员"))
    if editor and user.role != PROVINCE_OFFICER:
        raise AccountError(_("评价标准编辑人员须为省厅工作人员"))
    if user.criteria_editor == editor:
        return
    user.criteria_editor = editor
    db.add(user)
    audit.record(db, actor_id=actor.id, action="name_criteria_editor", object_type="user",
                 object_id=user.id, details={"criteria_editor": editor})
    db.commit()


def end_all_sessions(db: Session, user: User) -> None:
    user.session_version += 1
    db.add(user)
    sessions.end_all(db, user)
    audit.record(db, actor_id=user.id, action="logout_everywhere", object_type="user",
                 object_id=user.id)
    db.commit()


def set_locale(db: Session, user: User, locale: str) -> None:
    if locale in ("zh", "en"):
        user.locale = locale
        db.add(user)
        db.commit()


# --- links sent by e-mail: registration to confirm, password reset ---------------------------

# mail links without PUBLIC_BASE_URL (a development machine): `flask run`'s own address
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"
REGISTER_LINK_HOURS = 24
RESET_LINK_MINUTES = 60


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link(endpoint: str, token: str) -> str:
    """An absolute link on the configured public address (never the request's Host header,
    which a visitor chooses)."""
    base = current_app.config["PUBLIC_BASE_URL"] or DEVELOPMENT_BASE_URL
    return base.rstrip("/") + url_for(endpoint, token=token)


def _new_token(db: Session, purpose: str, email: str, lifetime: timedelta,
               user_id: int | None = None, payload: dict | None = None) -> str:
    # links expired for a day are of no use (and pending registrations hold password hashes)
    db.exec(delete(AccountToken).where(AccountToken.expires_at < utcnow() - timedelta(days=1)))
    token = secrets.token_urlsafe(32)
    db.add(AccountToken(purpose=purpose, token_hash=_token_hash(token), user_id=user_id,
                        email=email, payload=payload or {}, expires_at=utcnow() + lifetime))
    return token


def valid_token(db: Session, purpose: str, token: str) -> AccountToken | None:
    """The unused, unexpired token; None for one that is expired, used, altered or unknown."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    row = db.exec(select(AccountToken).where(AccountToken.token_hash == _token_hash(token),
                                             AccountToken.purpose == purpose)).first()
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


class TooManyAttempts(AccountError):
    pass


def _throttled(db: Session, kind: str, email: str, address: str) -> None:
    """Counts this attempt; refuses when the address or e-mail has made too many lately."""
    wait = throttle.wait_needed(db, email, address, kind=kind)
    if wait:
        raise TooManyAttempts(_("尝试次数过多，请 %(n)s 分钟后再试。", n=throttle.minutes(wait)))
    throttle.record_failure(db, email, address, kind=kind)


def request_registration(db: Session, *, organisation: dict, email: str, name: str,
                         password: str, address: str) -> str | None:
    """Checks what the visitor can fix (the code, the area, the password), then answers alike
    whether or not the e-mail or the USCC is already registered: the mailbox is told. A new
    registration is created only when its e-mailed link is followed (confirm_registration).
    Returns a warning when the code's registration authority is outside the chosen area."""
    organisation = _checked(organisation)
    uscc = organisation["uscc"]
    password_hash = hash_password(password)
    email = email.strip().lower()
    _throttled(db, throttle.REGISTER, email, address)
    if db.exec(select(User.id).where(User.email == email)).first():
        mail.send(email, "有人用本邮箱申请注册零碳工厂评价系统账号。本邮箱已有账号，可直接登录；"
                           "如忘记密码，请在登录页选择“忘记密码”。如非本人操作，请忽略本邮件。",
                  "Someone asked to register an account with this e-mail address, which already "
                  "has one: sign in, or choose 'Forgot password?' on the sign-in page. If this "
                  "was not you, ignore this e-mail.")
    elif (org := db.exec(select(Organisation).where(Organisation.uscc == uscc)).first()):
        mail.send(email, f"统一社会信用代码 {uscc} 已有单位账号，未创建新账号。请联系本单位已有账号的"
                           "同事在“本单位用户”中添加您。",
                  f"The USCC {uscc} is already registered: no account was created. Ask a "
                  "colleague who has an account to add you under 'Users of my organisation'.")
        for user in db.exec(select(User).where(User.organisation_id == org.id,
                                               User.active)).all():
            mail.send(user.email, f"有人以贵单位的统一社会信用代码申请注册（邮箱 {email}），未创建账号。"
                                    "如是贵单位同事，请在“本单位用户”中添加。",
                      f"Someone ({email}) asked to register with your organisation's USCC; no "
                      "account was created. If they are a colleague, add them under 'Users of "
                      "my organisation'.")
    else:
        token = _new_token(db, "register", email, timedelta(hours=REGISTER_LINK_HOURS),
                           payload={"organisation": {**organisation, "uscc": uscc},
                                    "name": name.strip(), "password_hash": password_hash})
        db.commit()
        link = _link("accounts.confirm_registration", token)
        # the mail's subject is the first 60 characters: the link stays out of it
        mail.send(email, f"您正在注册贵州省零碳工厂·零碳工业园区评价系统的账号。请在 {REGISTER_LINK_HOURS} "
                         "小时内打开下面的链接完成注册（仅可使用一次）；如非本人操作，请忽略本邮件。"
                         f"\n链接：{link}",
                  f"Open this link within {REGISTER_LINK_HOURS} hours to complete your "
                  f"registration: {link}")
    return city_mismatch(uscc, organisation["city"])


def confirm_registration(db: Session, token: str, password: str) -> User:
    """Creates the organisation and its first user from a registration's e-mailed link, for
    whoever also knows the password chosen when registering (once: the link is spent even when
    the code or e-mail was registered in the meantime). A wrong password spends nothing."""
    row = valid_token(db, "register", token)
    if row is None:
        raise AccountError(_("链接无效、已使用或已过期。"))
    if not _verify(row.payload["password_hash"], password or ""):
        raise AccountError(_("密码与注册时设置的不一致。如果这不是您提交的注册，请忽略此链接。"),
                           "password")
    row.used_at = utcnow()
    db.add(row)
    db.commit()
    data = row.payload
    return _found(db, data["organisation"], row.email, data["name"], data["password_hash"])


def request_reset(db: Session, email: str, address: str) -> None:
    """Mails a single-use reset link when the address belongs to an active account; the
    visitor is answered alike either way."""
    email = (email or "").strip().lower()
    _throttled(db, throttle.RESET, email, address)
    user = db.exec(select(User).where(User.email == email, User.active)).first()
    if user is None:
        return
    token = _new_token(db, "reset", email, timedelta(minutes=RESET_LINK_MINUTES), user.id)
    db.commit()
    link = _link("accounts.reset_password", token)
    mail.send(email, "您申请重设贵州省零碳工厂·零碳工业园区评价系统的登录密码。请在 "
                     f"{RESET_LINK_MINUTES} 分钟内打开下面的链接设置新密码（仅可使用一次）；"
                     f"如非本人操作，请忽略本邮件，密码不会改变。\n链接：{link}",
              f"Open this link within {RESET_LINK_MINUTES} minutes to set a new password (it "
              "works once); if this was not you, ignore this e-mail and nothing changes.\n"
              f"{link}")  # last and alone: a full stop after it joins the link in mail readers


def _set_password(db: Session, user: User, password: str, action: str,
                  keep_session: str | None = None) -> None:
    user.password_hash = hash_password(password)
    db.add(user)
    sessions.end_all(db, user, keep=keep_session)
    audit.record(db, actor_id=user.id, action=action, object_type="user", object_id=user.id)


def reset_password(db: Session, token: str, password: str) -> User:
    """Sets a new password from a reset link; every session of the user ends."""
    row = valid_token(db, "reset", token)
    user = db.get(User, row.user_id) if row else None
    if user is None or not user.active:
        raise AccountError(_("链接无效、已使用或已过期。"))
    _set_password(db, user, password, "password_reset")
    row.used_at = utcnow()
    db.add(row)
    db.commit()
    mail.send(user.email, "您的密码已通过邮件链接重设。如非本人操作，请立即联系管理员。",
              "Your password was reset through an e-mailed link. If this was not you, contact "
              "the administrator at once.")
    return user


def change_password(db: Session, user: User, current: str, new: str,
                    keep_session: str | None) -> None:
    """The signed-in user's new password; their other sessions end."""
    if not check_password(user, current):
        raise AccountError(_("当前密码不正确"), "current")
    _set_password(db, user, new, "password_change", keep_session)
    db.commit()
    mail.send(user.email, "您的密码已修改，其他设备上的登录已退出。如非本人操作，请立即联系管理员。",
              "Your password was changed and your other sessions were signed out. If this was "
              "not you, contact the administrator at once.")
