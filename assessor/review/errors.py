"""The refusal every review service raises: a message for the user, in their language."""

from __future__ import annotations

from ..platform.i18n import join
from ..platform.refusal import Refused


class ReviewError(Refused):
    """A refused step of the expert review."""


class ScoringProblems(ReviewError):
    """A review refused for what its fields hold: `found` is (field, message with the item's
    name, message beside the field) for each problem, all at once; `zh` joins the named ones."""

    def __init__(self, found: list[tuple[str, str, str]]):
        self.found = found
        super().__init__(join([named for _field, named, _short in found]),
                         field=found[0][0] if found else None)
