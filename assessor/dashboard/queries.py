"""What the dashboards read: the rounds still open, the latest rounds for the charts, and the
user's notifications (reading them marks them read)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from ..accounts.models import APPLICANT, Organisation, User
from ..notifications import Notification
from ..platform.db import utcnow
from ..rounds.models import Round

NOTIFICATIONS_SHOWN = 100


def unread_count(db: Session, user: User) -> int:
    return db.exec(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))).one()


def rounds_not_closed(db: Session, user: User, today: date) -> list[Round]:
    """Rounds whose closing day has not passed, soonest first; an applicant's own kind only."""
    rounds = db.exec(select(Round).where(Round.closes_on >= today).order_by(Round.closes_on)).all()
    if user.role == APPLICANT:
        kind = db.get(Organisation, user.organisation_id).kind
        rounds = [r for r in rounds if r.subject == kind]
    return list(rounds)


def latest_rounds(db: Session, count: int = 4) -> list[Round]:
    return list(db.exec(select(Round).order_by(Round.id.desc()).limit(count)).all())


def read_notifications(db: Session, user: User) -> list[Notification]:
    """The user's latest notifications, newest first; those unread are marked read."""
    items = db.exec(select(Notification).where(Notification.user_id == user.id)
                    .order_by(Notification.id.desc()).limit(NOTIFICATIONS_SHOWN)).all()
    for item in items:
        if item.read_at is None:
            item.read_at = utcnow()
            db.add(item)
    db.commit()
    return list(items)
