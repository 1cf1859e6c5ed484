"""Languages: Chinese first, English second, chosen per user (or per visitor session)."""

from __future__ import annotations

from flask import Flask, session
from flask_babel import Babel
from flask_login import current_user

LANGUAGES = ("zh", "en")


def select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    if session.get("locale") in LANGUAGES:
        return session["locale"]
    return "zh"


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
