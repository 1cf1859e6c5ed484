"""The criteria pages (评价标准管理), for province officers; changes for criteria editors. Also
what every page of them looks up: the version of the kind the page is for, and whether the
signed-in user may change it."""

from flask import Blueprint, abort
from flask_login import current_user

from ..platform.viewkit import get_or_404
from .lifecycle import is_editor
from .models import CriteriaVersion

bp = Blueprint("criteria", __name__, url_prefix="/criteria")


def version_of_kind(version_id: int, kind: str) -> CriteriaVersion:
    """The version, or 404 for none or one of the other kind (a reference page of a set)."""
    version = get_or_404(CriteriaVersion, version_id)
    if version.kind != kind:
        abort(404)
    return version


def editable(version: CriteriaVersion) -> bool:
    """Whether the page offers changes: a draft, to a criteria editor."""
    return version.state == "draft" and is_editor(current_user)
