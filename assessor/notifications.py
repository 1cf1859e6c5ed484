"""In-app notifications, and e-mail when SMTP is configured (best effort: a mail failure never
undoes the change it reports)."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from email.message import EmailMessage

from flask import current_app, has_app_context
from sqlalchemy import Index
from sqlmodel import Field, Session, SQLModel

from .accounts.models import User
from .db import utcnow

log = logging.getLogger(__name__)


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    application_id: int | None = Field(default=None, foreign_key="application.id")
    message_zh: str = Field(max_length=500)
    message_en: str = Field(max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None

    # every page counts the user's unread ones
    __table_args__ = (Index("ix_notification_unread", "user_id", "read_at"),)


def notify(db: Session, users: list[User], *, zh: str, en: str,
           application_id: int | None = None) -> None:
    for user in users:
        db.add(Notification(user_id=user.id, application_id=application_id, message_zh=zh,
                            message_en=en))
    if has_app_context() and current_app.config.get("SMTP_HOST"):
        _mail(users, zh, en)


def _mail(users: list[User], zh: str, en: str) -> None:
    config = current_app.config
    try:
        with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=10) as smtp:
            for user in users:
                message = EmailMessage()
                message["From"] = config["MAIL_FROM"]
                message["To"] = user.email
                message["Subject"] = zh[:60]
                message.set_content(f"{zh}\n\n{en}\n")
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail not sent: %s", error)
