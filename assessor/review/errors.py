"""The refusal every review service raises: a message for the user, in their language."""


from ..platform.refusal import Refused


class ReviewError(Refused):
    """A refused step of the expert review."""
