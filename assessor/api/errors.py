"""Errors as JSON, in Chinese and English:
{"error": {"code": ..., "zh": ..., "en": ..., "fields": [{"path", "zh", "en"}]}}.

The services word their refusals in Chinese (an API request has no user language); the English
comes from the interface catalogue, including messages with values filled in.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask import current_app, jsonify, request
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ..applications.workflow import MOVES, STATE_TITLES

PREFIX = "/api/"


class ApiError(Exception):
    """A refusal only the API makes (its bodies, parameters, 404s), with its HTTP status;
    raised by the API's views and services and handled here. The services' refusals are
    Refused, answered by refusal_response."""

    def __init__(self, status: int, code: str, zh: str, en: str | None = None,
                 fields: list[dict] | None = None):
        self.status, self.code, self.zh = status, code, zh
        self.en = en if en is not None else english(zh)
        self.fields = fields or []
        super().__init__(zh)


# A refusal's kind (assessor.refusal.Refused) as an HTTP status; input the engine refused is 422.
REFUSAL_STATUS = {"forbidden": 403, "stale": 409, "refused": 409}


def refusal_response(error):
    """A service's refusal (assessor.refusal.Refused), answered by its one handler: input the
    engine refused is 422 with each problem at its path; otherwise the status of its kind."""
    if error.problems:
        return respond(ApiError(422, "invalid_data", error.zh,
                                fields=problem_fields(error.problems)))
    kind = error.kind if error.kind in REFUSAL_STATUS else "refused"
    return respond(ApiError(REFUSAL_STATUS[kind], kind, error.zh))


def body(code: str, zh: str, en: str, fields: list[dict] | None = None) -> dict:
    return {"error": {"code": code, "zh": zh, "en": en, "fields": fields or []}}


def respond(error: ApiError):
    response = jsonify(body(error.code, error.zh, error.en, error.fields))
    response.status_code = error.status
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="assessor"'
    return response


def problem_fields(problems) -> list[dict]:
    """The engine's problems (each with a path and both languages) as error fields."""
    return [{"path": p.path, "zh": p.zh, "en": p.en} for p in problems]


# -- HTTP errors (unknown paths, wrong methods, oversized bodies, failures) ---------------------

HTTP_MESSAGES = {
    400: ("bad_request", "请求格式不正确", "The request is malformed"),
    404: ("not_found", "不存在或无权查看", "Not found, or not yours to see"),
    405: ("method_not_allowed", "不支持该请求方法", "This method is not allowed here"),
    413: ("payload_too_large", "请求内容过大", "The request body is too large"),
    415: ("unsupported_media_type", "请求内容应为 JSON", "The request body must be JSON"),
    500: ("server_error", "服务器内部错误，请稍后再试", "Internal server error; try again later"),
}


def is_api_request() -> bool:
    return request.path.startswith(PREFIX)


def http_error(error: HTTPException):
    code, zh, en = HTTP_MESSAGES.get(error.code or 500, HTTP_MESSAGES[500])
    response = jsonify(body(code, zh, en))
    response.status_code = error.code or 500
    if error.code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


# -- English for a Chinese message -------------------------------------------------------------

def english(zh: str) -> str:
    """The catalogue's English for `zh`; for a message with values filled in ("当前状态为“草稿”，
    不能提交") the English template with the values translated too. Unknown text stays as is."""
    with force_locale("en"):
        exact = _(zh)
    if exact != zh:
        return exact
    for pattern, template in _templates(_catalogue_path()):
        match = pattern.fullmatch(zh)
        if match:
            return template % {k: _term(v) for k, v in match.groupdict().items()}
    return zh


def _catalogue_path() -> str:
    return str(Path(current_app.root_path) / "translations" / "en" / "LC_MESSAGES"
               / "messages.po")


@cache
def _templates(path: str) -> list[tuple[re.Pattern, str]]:
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        catalogue = read_po(handle)
    out = []
    for message in catalogue:
        if not (isinstance(message.id, str) and message.string and "%(" in message.id):
            continue
        parts = re.split(r"%\((\w+)\)s", message.id)
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)"
                        for i, p in enumerate(parts))
        try:
            out.append((re.compile(regex, re.S), message.string))
        except re.error:  # a placeholder used twice: not worth a reverse match
            continue
    return out


@cache
def _terms() -> dict[str, str]:
    terms = {zh: en for zh, en in STATE_TITLES.values()}
    terms.update({m.zh: m.en for m in MOVES.values()})
    return terms


def _term(value: str) -> str:
    if value in _terms():
        return _terms()[value]
    with force_locale("en"):
        return _(value)
