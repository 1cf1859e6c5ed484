"""What the front door and its pages read: open rounds, published notices, lists, and an
objection's answer by its reference number."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from sqlmodel import Session, func, select

from ..applications.models import Application
from ..publication import queries as publication_queries
from ..publication import services as publication
from ..publication.models import Objection
from ..rounds.models import Round
from .models import Notice, NoticeAttachment

NOTICES_PER_PAGE = 20
# publication/services._reference: YY + the Beijing filing date + six of 32 letters and digits
REFERENCE = re.compile(r"^YY\d{8}-[A-HJ-NP-Z2-9]{6}$")


def rounds_taking_applications(db: Session, today: date) -> list[Round]:
    """Rounds open today or opening later, the nearest deadline first."""
    return list(db.exec(select(Round).where(Round.closes_on >= today)
                        .order_by(Round.closes_on, Round.id)).all())


def rounds_for_downloads(db: Session, limit: int = 20) -> list[Round]:
    """Every round's documents stay downloadable: the latest first."""
    return list(db.exec(select(Round).order_by(Round.opens_on.desc(), Round.id.desc())
                        .limit(limit)).all())


def published_lists(db: Session, limit: int = 5):
    return publication.published_rounds(db)[:limit]


def current_publicities(db: Session, today: date):
    return publication_queries.current_publicities(db, today)


def published_notices(db: Session, page: int = 1, per_page: int = NOTICES_PER_PAGE
                      ) -> tuple[list[Notice], int]:
    """(notices on the page, how many there are), the latest first."""
    where = Notice.state == "published"
    total = db.exec(select(func.count(Notice.id)).where(where)).one()
    rows = db.exec(select(Notice).where(where)
                   .order_by(Notice.issued_on.desc(), Notice.id.desc())
                   .offset(max(page - 1, 0) * per_page).limit(per_page)).all()
    return list(rows), total


def all_notices(db: Session) -> list[Notice]:
    """Every notice, for the officers' page: drafts first, then the latest."""
    drafts_first = (Notice.state != "draft")
    return list(db.exec(select(Notice).order_by(drafts_first, Notice.issued_on.desc(),
                                                Notice.id.desc())).all())


def public_notice(db: Session, notice_id: int) -> Notice | None:
    """A published or withdrawn notice; a draft does not exist for the public."""
    notice = db.get(Notice, notice_id)
    return notice if notice is not None and notice.state != "draft" else None


def attachment(db: Session, notice: Notice, attachment_id: int) -> NoticeAttachment | None:
    found = db.get(NoticeAttachment, attachment_id)
    return found if found is not None and found.notice_id == notice.id else None


def normalise_reference(text: str) -> str:
    """As people copy it: full-width characters, spaces, lower case all accepted."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(text.split()).upper().replace("—", "-").replace("－", "-")


def objection_answer(db: Session, reference: str) -> dict | None:
    """The objection's state and the department's reply, and nothing of the objector's."""
    if not REFERENCE.match(reference):
        return None
    row = db.exec(select(Objection, Round).join(Application,
                                                Application.id == Objection.application_id)
                  .join(Round, Round.id == Application.round_id)
                  .where(Objection.reference == reference)).first()
    if row is None:
        return None
    objection, round_ = row
    digits = objection.reference[2:10]  # the Beijing day it was filed, as the app counts days
    return {"reference": objection.reference, "round_title": round_.title,
            "filed_on": date(int(digits[:4]), int(digits[4:6]), int(digits[6:])), "state": objection.state,
            "handled_at": objection.handled_at, "reply": objection.handling_reason}
