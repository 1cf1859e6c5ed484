"""Every table, imported in one place (for Alembic and create_all in tests)."""

from .accounts.models import Organisation, User
from .applications.models import Application, Evidence, Revision
from .audit import AuditEvent
from .notifications import Notification
from .review.models import Assignment, ExpertProfile, ExpertRelation, InspectionPhoto, Review
from .rounds.models import Round

__all__ = ["Application", "Assignment", "AuditEvent", "Evidence", "ExpertProfile",
           "ExpertRelation", "InspectionPhoto", "Notification", "Organisation", "Review",
           "Revision", "Round", "User"]
