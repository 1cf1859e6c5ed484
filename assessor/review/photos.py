"""Site inspection photos: images an expert adds to their review before submitting it, checked
by content and stored as applicants' evidence is (applications/evidence.py)."""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from sqlmodel import Session, select

from .. import audit
from ..accounts.models import User
from ..applications import evidence as files
from .errors import ReviewError
from .models import Assignment, InspectionPhoto, Review
from .services import review_of


def add_photo(db: Session, expert: User, assignment: Assignment, *, filename: str,
              content: bytes, folder: Path) -> InspectionPhoto:
    """Keep the photo with the expert's review (begun if need be); refused (ReviewError,
    EvidenceError) before anything is written."""
    if assignment.expert_id != expert.id:
        raise ReviewError(_("评审任务不存在"))
    if assignment.state != "active" or not filename:
        raise ReviewError(_("请选择照片（评审提交前可上传）"))
    content_type = files.identify(filename, content[:16])
    if not content_type.startswith("image/"):
        raise files.EvidenceError(_("现场照片只接受 PNG 或 JPEG 图片"))
    review = review_of(db, assignment)
    if review.id is None:
        db.add(review)
        db.flush()
    stored, sha256 = files.store(folder, content)
    photo = InspectionPhoto(review_id=review.id, original_name=files.safe_name(filename),
                            stored_name=stored, sha256=sha256, content_type=content_type,
                            size=len(content))
    db.add(photo)
    db.flush()
    audit.record(db, actor_id=expert.id, action="add_inspection_photo",
                 object_type="application", object_id=assignment.application_id,
                 details={"assignment": assignment.id, "photo": photo.id, "sha256": sha256})
    db.commit()
    return photo


def photos_of(db: Session, review: Review) -> list[InspectionPhoto]:
    if review.id is None:
        return []
    return list(db.exec(select(InspectionPhoto).where(InspectionPhoto.review_id == review.id)
                        ).all())
