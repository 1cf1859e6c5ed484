"""In-app notifications, and e-mail: through SMTP when SMTP_HOST is set, otherwise written as
.eml files into MAIL_FOLDER (instance/mail), so that a machine without a relay (`make run`)
still hands out registration and reset links, to whoever can read that folder.

Mail goes through an outbox: `notify` (and `mail`) add the message to the outbox in the caller's
transaction, and it is sent only once that transaction has committed: by the RQ worker when
QUEUE_URL is set, otherwise right after the commit in the same process. A change that rolls back
sends nothing; sending happens outside any transaction, so a slow mail server holds no database
lock. A mail that fails stays in the outbox with its error and is tried again later, with
growing waits (`flask --app assessor mail send`, run by a timer; `mail status` shows them), and
is marked failed after MAX_ATTEMPTS. A mail failure never undoes the change it reports.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import Column, Index, Text, event, func, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Field, Session, SQLModel, select

from .accounts.models import User
from .jobs import registry, runner
from .platform import db as database
from .platform.db import utcnow

log = logging.getLogger(__name__)
SMTP_TIMEOUT = 10  # seconds a relay may take to answer before the mail waits for its next try

MAX_ATTEMPTS = 8  # about a day and a half of tries (1, 2, 4 … 64 minutes, then 6 hours)
LEASE = timedelta(minutes=10)  # a mail being sent is not picked up again meanwhile
_PENDING = "assessor.outbox"  # session.info key: mails added in the open transaction
_FLUSHED = "assessor.outbox_ids"  # and the ids of those already written
_WROTE = "assessor.wrote"  # session.info key: the open transaction has written


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


class OutboxMail(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    state: str = Field(default="pending", max_length=10)  # pending, sent, failed (gave up)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    last_error: str = Field(default="", max_length=500)
    sent_at: datetime | None = None

    # the sender looks for pending mail that is due
    __table_args__ = (Index("ix_outboxmail_due", "state", "next_attempt_at"),)


def notify(db: Session, users: list[User], *, zh: str, en: str,
           application_id: int | None = None) -> None:
    """A notice to each user in the app, and by mail once the caller's transaction commits."""
    for user in users:  # a notice is a summary (a long reason is read on the application's page)
        db.add(Notification(user_id=user.id, application_id=application_id,
                            message_zh=_summary(zh), message_en=_summary(en)))
    mail(db, [user.email for user in users if user.email], zh=zh, en=en)


def _summary(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def mail(db: Session, addresses: list[str], *, zh: str, en: str) -> None:
    """Mail to addresses (a user's, or one no user has yet), sent once `db` commits."""
    if not has_app_context():
        return
    for address in addresses:
        queued = OutboxMail(recipient=address[:254], subject=_subject(zh),
                            body=f"{zh}\n\n{en}\n")
        db.add(queued)
        db.info.setdefault(_PENDING, []).append(queued)


def _subject(zh: str) -> str:
    """The first sentence, never cut mid-word without a mark: "…如非本人" read as broken."""
    first = (zh.splitlines() or [""])[0].split("。", 1)[0] if zh else ""
    return first if len(first) <= 60 else first[:59] + "…"


def _mail(users: list, zh: str, en: str) -> None:
    """Mail outside a service's transaction (objects with an `email`): joins the request's
    transaction when it has written (sent if that commits), else is queued and committed on
    its own at once."""
    if not has_app_context():
        return
    addresses = [user.email for user in users if getattr(user, "email", None)]
    request_session = database.session()
    if request_session.info.get(_WROTE) or request_session.new or request_session.dirty:
        mail(request_session, addresses, zh=zh, en=en)
        return
    try:
        with Session(database.engine(), expire_on_commit=False) as own:
            mail(own, addresses, zh=zh, en=en)
            own.commit()
    except OperationalError:  # the request holds the write lock after all: wait for its commit
        log.warning("mail to %s joins the request's transaction", addresses)
        mail(request_session, addresses, zh=zh, en=en)


# -- after the commit ----------------------------------------------------------------------------

@event.listens_for(Session, "after_flush")
def _wrote(session, _context) -> None:
    session.info[_WROTE] = True
    pending = session.info.get(_PENDING)
    if pending:  # ids now, while the objects can still be read (commit may expire them)
        session.info.setdefault(_FLUSHED, []).extend(m.id for m in pending if m.id is not None)
        session.info[_PENDING] = [m for m in pending if m.id is None]


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    for key in (_PENDING, _FLUSHED, _WROTE):
        session.info.pop(key, None)


@event.listens_for(Session, "after_commit")
def _send_committed(session) -> None:
    session.info.pop(_WROTE, None)
    session.info.pop(_PENDING, None)
    ids = session.info.pop(_FLUSHED, None)
    if not ids or not has_app_context():
        return  # what has no app stays in the outbox for `mail send`
    try:
        if current_app.config.get("QUEUE_URL"):
            runner.later("notifications.deliver", ids, timeout=600, description="mail")
        else:
            deliver(ids)
    except Exception:  # the change is committed; the mail waits in the outbox for a retry
        log.exception("mail %s left in the outbox", ids)


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0  # will be tried again
    gave_up: int = 0


@registry.call("notifications.deliver")  # the worker runs it after a commit
def deliver(ids: list[int] | None = None, *, due_only: bool = True, limit: int = 200) -> Delivery:
    """Send pending mail (those in `ids`, or every one that is due), each claimed in a short
    transaction first, sent with no transaction open, and its outcome recorded after."""
    engine, config, now = database.engine(), current_app.config, utcnow()
    with Session(engine, expire_on_commit=False) as session:
        query = select(OutboxMail.id).where(OutboxMail.state == "pending")
        if ids is not None:
            query = query.where(OutboxMail.id.in_(ids))
        if due_only:
            query = query.where(OutboxMail.next_attempt_at <= now)
        claimed = []
        for mail_id in session.exec(query.order_by(OutboxMail.id).limit(limit)).all():
            taken = session.exec(update(OutboxMail).where(
                OutboxMail.id == mail_id, OutboxMail.state == "pending",
                OutboxMail.next_attempt_at <= (now if due_only else OutboxMail.next_attempt_at))
                .values(next_attempt_at=now + LEASE, attempts=OutboxMail.attempts + 1)).rowcount
            if taken:
                claimed.append(mail_id)
        session.commit()
        mails = [session.get(OutboxMail, mail_id) for mail_id in claimed]
    if not mails:
        return Delivery()
    # no transaction is open here
    errors = _smtp(config, mails) if config.get("SMTP_HOST") else _to_folder(config, mails)
    done = Delivery()
    with Session(engine) as session:
        for sent in mails:
            error = errors.get(sent.id)
            if error is None:
                values = {"state": "sent", "sent_at": utcnow(), "last_error": ""}
                done.sent += 1
            elif sent.attempts >= MAX_ATTEMPTS:
                values = {"state": "failed", "last_error": error[:500]}
                done.gave_up += 1
            else:
                wait = min(timedelta(minutes=2 ** (sent.attempts - 1)), timedelta(hours=6))
                values = {"last_error": error[:500], "next_attempt_at": utcnow() + wait}
                done.failed += 1
            session.exec(update(OutboxMail).where(OutboxMail.id == sent.id).values(**values))
        session.commit()
    if done.failed or done.gave_up:
        log.warning("mail: %s sent, %s to retry, %s given up", done.sent, done.failed,
                    done.gave_up)
    return done


def _connect(config) -> smtplib.SMTP:
    """A connection to the relay: plain (a relay on this host or network), STARTTLS or TLS from
    the start, the relay's certificate checked against the system's CAs or SMTP_CA_FILE (the
    department's own CA), and a login when SMTP_USERNAME is set. Flask-Mail was weighed for
    this and not taken: it sets no timeout (a relay that hangs would hold a worker for ever)
    and its STARTTLS checks no certificate."""
    host, port, timeout = config["SMTP_HOST"], int(config["SMTP_PORT"]), SMTP_TIMEOUT
    security = config.get("SMTP_SECURITY") or ""
    if security not in ("", "starttls", "tls"):
        raise smtplib.SMTPException(f"SMTP_SECURITY must be '', 'starttls' or 'tls', not {security!r}")
    context = ssl.create_default_context(cafile=config.get("SMTP_CA_FILE") or None)
    if security == "tls":
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if security == "starttls":
            smtp.starttls(context=context)
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _smtp(config, mails: list[OutboxMail]) -> dict[int, str | None]:
    """Each mail's error (None when sent)."""
    errors: dict[int, str | None] = {}
    try:
        with _connect(config) as smtp:
            for queued in mails:
                try:
                    smtp.send_message(_message(config, queued))
                    errors[queued.id] = None
                except smtplib.SMTPRecipientsRefused as error:
                    errors[queued.id] = f"refused: {error}"
    except (OSError, smtplib.SMTPException) as error:
        for queued in mails:
            errors.setdefault(queued.id, f"{type(error).__name__}: {error}")
    return errors


_announced_folders: set[Path] = set()


def _to_folder(config, mails: list[OutboxMail]) -> dict[int, str | None]:
    """Without a relay: each mail as an .eml file in MAIL_FOLDER, and a log line naming it."""
    folder = Path(config["MAIL_FOLDER"])
    errors: dict[int, str | None] = {}
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return {queued.id: f"{type(error).__name__}: {error}" for queued in mails}
    if mails and folder not in _announced_folders:  # once per process: the demo sends dozens
        _announced_folders.add(folder)
        log.warning("邮件写入 %s（未配置 SMTP_HOST 邮件服务器，不外发）/ "
                    "mail is written to %s as no SMTP_HOST relay is configured", folder, folder)
    for queued in mails:
        path = folder / f"{queued.id:08d}.eml"
        try:
            path.write_bytes(bytes(_message(config, queued)))
            errors[queued.id] = None
            log.debug("mail to %s written to %s", queued.recipient, path)
        except OSError as error:
            errors[queued.id] = f"{type(error).__name__}: {error}"
    return errors


def _message(config, queued: OutboxMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = queued.recipient
    message["Subject"] = queued.subject
    message.set_content(queued.body)
    return message


def outbox_counts(db: Session) -> dict[str, int]:
    """How many mails are pending, sent and failed."""
    return dict(db.exec(select(OutboxMail.state, func.count(OutboxMail.id))
                        .group_by(OutboxMail.state)).all())


def failing_mail(db: Session, limit: int = 20) -> list[OutboxMail]:
    """Mail that has failed at least once and is not sent, newest first."""
    return list(db.exec(select(OutboxMail).where(OutboxMail.state != "sent",
                                                 OutboxMail.last_error != "")
                        .order_by(OutboxMail.id.desc()).limit(limit)).all())
