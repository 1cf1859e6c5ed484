"""Every table, imported in one place (for Alembic and create_all in tests)."""

from .accounts.models import Organisation, User
from .accounts.throttle import LoginFailure
from .api.models import ApiToken
from .applications.models import Application, Evidence, Revision
from .audit import AuditEvent
from .jobs import Job
from .notifications import Notification
from .publication.models import (
                                 Certificate,
                                 Filing,
                                 FilingCall,
                                 Holiday,
                                 Listing,
                                 Objection,
                                 Publicity,
)
from .review.models import Assignment, ExpertProfile, ExpertRelation, InspectionPhoto, Review
from .rounds.models import Round

__all__ = ["ApiToken", "Application", "Assignment", "AuditEvent", "Certificate", "Evidence",
           "ExpertProfile", "ExpertRelation", "Filing", "FilingCall", "Holiday", "InspectionPhoto", "Job",
           "Listing", "LoginFailure", "Notification", "Objection", "Organisation", "Publicity", "Review",
           "Revision", "Round", "User"]
