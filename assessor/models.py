"""Every table, imported in one place (for Alembic and create_all in tests)."""

from .accounts.models import AccountToken, Organisation, User, UserSession
from .accounts.throttle import LoginFailure
from .api.models import ApiToken
from .applications.claim_ranges import ClaimRange
from .applications.models import Application, Evidence, Revision
from .audit import AuditCheckpoint, AuditEvent
from .criteria.models import CriteriaVersion
from .jobs import Job
from .notifications import Notification, OutboxMail
from .platform.versioned import DataMark
from .portal.models import Notice, NoticeAttachment
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

__all__ = ["AccountToken", "ApiToken", "Application", "Assignment", "AuditCheckpoint",
           "AuditEvent", "Certificate", "ClaimRange", "CriteriaVersion", "DataMark", "Evidence", "ExpertProfile",
           "ExpertRelation", "Filing", "FilingCall", "Holiday", "InspectionPhoto", "Job",
           "Listing", "LoginFailure", "Notice", "NoticeAttachment", "Notification", "Objection",
           "Organisation", "OutboxMail", "Publicity", "Review", "Revision", "Round", "User", "UserSession"]
