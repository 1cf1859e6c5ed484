"""The /api/v1 JSON API for systems that exchange data with the department (the provincial
data-sharing platform, third-party evaluators), and the pages where users manage their tokens.

A token acts for one user account, with exactly that user's role and reach: every lookup goes
through the same services as the web pages.
"""

from __future__ import annotations


def init_app(app) -> None:
    """The API and the token pages. The API answers without cookies or CSRF tokens (auth.py
    says why); routing errors under /api/ (wrong method, unknown path) answer in JSON too."""
    from werkzeug.exceptions import MethodNotAllowed

    from ..platform.security import csrf
    from .errors import http_error, is_api_request
    from .token_views import bp as token_pages
    from .views import bp as api

    csrf.exempt(api)
    app.register_blueprint(api)
    app.register_blueprint(token_pages)

    def method_not_allowed(error: MethodNotAllowed):
        return http_error(error) if is_api_request() else error

    app.register_error_handler(MethodNotAllowed, method_not_allowed)
