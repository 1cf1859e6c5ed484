"""Languages: Chinese first, English second, chosen per user (or per visitor session).

Interface text goes through Flask-Babel's gettext with Chinese msgids; the English catalogue is
assessor/translations/en/LC_MESSAGES/messages.po. Outside a request (the command line, services
called from tests) the locale is Chinese, so gettext returns the msgid.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import Flask, current_app, has_request_context, session
from flask_babel import Babel, get_locale, get_translations, refresh
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

LANGUAGES = ("zh", "en")
DEFAULT = "zh"


def select_locale() -> str:
    if not has_request_context():
        return DEFAULT
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    if session.get("locale") in LANGUAGES:
        return session["locale"]
    return DEFAULT


def is_english() -> bool:
    """Whether the current request is in English (False outside a request)."""
    return str(get_locale()) == "en"


def pick(pair):
    """The English or the Chinese half of a (zh, en) pair, or of anything with `zh` and `en`
    attributes (an engine Problem, a criteria title), for the current request."""
    english = is_english()
    if isinstance(pair, tuple | list):
        return pair[1] if english else pair[0]
    return pair.en if english else pair.zh


_PUNCTUATION = {
    "zh": {"colon": "：", "open": "（", "close": "）", "comma": "，", "semi": "；", "list": "、"},
    "en": {"colon": ": ", "open": " (", "close": ")", "comma": ", ", "semi": "; ", "list": ", "},
}


class _Punctuation:
    """Punctuation between a label and its value, around a parenthesis and between items, in
    the page's language: `{{ punct.colon }}`, `{{ punct.open }}…{{ punct.close }}`. A Jinja
    global, so that macros imported without the context have it too."""

    def __getattr__(self, name: str) -> str:
        forms = _PUNCTUATION["en" if is_english() else "zh"]
        if name not in forms:
            raise AttributeError(name)
        return forms[name]


punct = _Punctuation()
_PUNCT_BY_LANGUAGE = {lang: SimpleNamespace(**forms) for lang, forms in _PUNCTUATION.items()}


def join(parts) -> str:
    """Messages run together: with a Chinese semicolon, or "; " in English."""
    return punct.semi.join(str(p) for p in parts)


def _forget_locale(*_args) -> None:
    # Flask-Babel caches the locale on `g`, which belongs to the application context; a request
    # inside an existing application context (tests, the CLI) shares it, so the cache is cleared
    # around every request: each request decides its own language.
    refresh()


def _template_gettext(translations=None):
    """`_()` for templates as Jinja's newstyle gettext makes it (the translation is trusted
    markup, the variables are escaped into it), without its layers of calls: a page calls it
    dozens of times. Bound to the render's catalogue, or looking it up on each call."""

    @pass_context
    def gettext(context, string: str, **variables):
        text = (translations or _catalogue()).ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables if variables else text

    return gettext


def _catalogue():
    """The request's translations, kept per locale for the app."""
    catalogues = current_app.extensions.setdefault("template_catalogues", {})
    locale = get_locale()
    if locale not in catalogues:
        catalogues[locale] = get_translations()
    return catalogues[locale]


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale, default_locale=DEFAULT)
    app.jinja_env.globals["punct"] = punct
    # macros imported without the context use the globals; pages get them bound per render
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _template_gettext()
    app.context_processor(lambda: {"_": _template_gettext(_catalogue()),
                                   "punct": _PUNCT_BY_LANGUAGE["en" if is_english() else "zh"]})
    app.before_request(_forget_locale)
    app.teardown_request(_forget_locale)
