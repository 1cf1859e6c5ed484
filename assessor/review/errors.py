"""The refusal every review service raises: a message for the user, in their language."""


class ReviewError(ValueError):
    def __init__(self, zh: str):
        self.zh = zh
        super().__init__(zh)
