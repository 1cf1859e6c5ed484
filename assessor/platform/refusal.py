"""One kind of refusal: something the user can put right, worded for them.

Services raise `Refused` (or their domain's name for it: ReviewError, PublicationError, …) with
the message in the user's language (Chinese outside a request). One handler, installed by
create_app, rolls back the request's database work, shows the message and sends the user back:
to the page the view named with `return_to()`, else to the page they came from on this site,
else to their dashboard. So a view calls the service and carries on; it catches a refusal itself
only to put the message on a form field and show the form again (`on_form`).
"""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for

from . import db
from .redirects import is_local


class Refused(ValueError):
    """`zh`: the message; `field`: the form field it belongs to, if any; `kind`: why, for
    callers that answer with a status (the API): forbidden, stale, invalid or refused;
    `problems`: input the engine refused, each at its path."""

    def __init__(self, zh: str, field: str | None = None, *, kind: str = "refused",
                 problems: list | None = None):
        self.zh, self.field, self.kind = zh, field, kind
        self.problems = list(problems or [])
        super().__init__(zh)


def return_to(url: str) -> None:
    """Where a refusal raised later in this request sends the user."""
    g.refused_return_to = url


def on_form(form, error: Refused, default: str | None = None) -> None:
    """For a view that shows its form again with the refusal on it: the request's work rolled
    back (as the handler would) and the message on the field it names, else on `default`, else
    above the form."""
    db.session().rollback()
    name = next((n for n in (error.field, default) if n and n in form), None)
    if name:  # a field's errors are a tuple until the form is validated
        form[name].errors = [*form[name].errors, error.zh]
    else:
        form.form_errors.append(error.zh)


def _back() -> str:
    named = g.get("refused_return_to")
    if named:
        return named
    referrer = request.referrer or ""
    host = request.host_url
    if referrer.startswith(host) and is_local("/" + referrer[len(host):]):
        return "/" + referrer[len(host):]
    return url_for("dashboard.home")


def init_app(app) -> None:
    @app.errorhandler(Refused)
    def refused(error: Refused):
        from ..api.errors import is_api_request, refusal_response

        db.session().rollback()
        if is_api_request():
            return refusal_response(error)
        flash(error.zh, "error")
        return redirect(_back())
