"""Every table, imported in one place (for Alembic and create_all in tests)."""

from .accounts.models import Organisation, User
from .applications.models import Application, Evidence, Revision
from .audit import AuditEvent
from .notifications import Notification
from .rounds.models import Round

__all__ = ["Application", "AuditEvent", "Evidence", "Notification", "Organisation", "Revision",
           "Round", "User"]
