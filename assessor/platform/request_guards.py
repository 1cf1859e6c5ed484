"""What one request may carry, checked once before any view runs. A request outside these limits
is refused whole with 400 and a message in the user's language (JSON under /api/), before
anything is read or changed: otherwise it fails somewhere deep inside with a 500 (PostgreSQL
refuses NUL, Python's JSON parser recurses, int() refuses 4,300 digits, a database refuses a
64-bit page offset, a header refuses CR/LF)."""

from __future__ import annotations

import re
from itertools import accumulate

from flask import Flask, jsonify, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, NotFound

MAX_ID = 2**31 - 1  # ids are 32-bit integers in both databases
MAX_JSON_DEPTH = 32  # a submission is five levels deep; nothing the app reads needs more
MAX_JSON_DIGITS = 100  # digits in one JSON number (Python stops at 4,300 with a ValueError)
MAX_QUERY_DIGITS = 18  # digits in one query-string number: more names nothing in this app
# query parameters and form fields that name a page or a record (read with `type=int`, then
# looked up): 1 to MAX_ID, as the <int:…> route variables
ID_FIELDS = frozenset({"page", "per_page", "round", "job", "id", "application", "expert",
                       "owner", "user", "listing", "assignment", "certificate", "evidence"})

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # in a path or query string: never meaningful
_FORM_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # forms keep tab, CR, LF
_INTEGER = re.compile(r"\s*[+-]?\s*[0-9]+\s*")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_JSON_DIGITS = re.compile(rb"[0-9]{%d,}" % (MAX_JSON_DIGITS + 1))
_JSON_CONTROL = re.compile(rb"\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])")
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _DEPTH_STEP)


class RequestRefused(BadRequest):
    """A request outside the limits; `message` is an untranslated Chinese msgid."""

    def __init__(self, message: str, field: str = "", **values):
        super().__init__(message % values if values else message)
        self.message, self.field, self.values = message, field, values

    def text(self) -> str:
        return _(self.message, **self.values)


# The messages, as msgids for the catalogue (gettext is called when answering).
NUL = "提交的内容含有无效的控制字符（NUL），未作任何更改。"
CONTROL = "网址或提交的内容含有换行等控制字符，请求未处理，未作任何更改。"
RANGE = "参数“%(name)s”应为 1 到 %(high)s 之间的整数，请求未处理。"
DIGITS = "参数“%(name)s”中的数字位数过多，请求未处理。"
JSON_DEPTH = "JSON 嵌套层数过多（最多 %(depth)s 层），请求未处理，未作任何更改。"
JSON_DIGITS = "JSON 中的数字位数过多（最多 %(digits)s 位），请求未处理，未作任何更改。"
REASON_LENGTH = "“理由”最多 %(limit)s 字（收到 %(got)s 字），请精简后再提交，未作任何更改。"

# A reason (return, rejection, removal, revocation, reopening…) is kept whole in the audit log,
# whose column holds 2,000 characters: a longer one is refused, never cut. The public objection
# form checks its own, longer fields.
MAX_REASON = 2000
_OWN_LENGTH_CHECKS = {"public.publicity"}


def _check_query():
    if _CONTROL.search(request.path):  # names nothing, as an id out of range: not found
        raise NotFound()
    for name, value in request.args.items(multi=True):
        if "\0" in name or "\0" in value:
            raise RequestRefused(NUL)
        if _CONTROL.search(name) or _CONTROL.search(value):
            raise RequestRefused(CONTROL, name)
        if _INTEGER.fullmatch(value) and len(value.strip(" +-").lstrip("0")) > MAX_QUERY_DIGITS:
            raise RequestRefused(DIGITS, name, name=name)
        _check_id(name, value)


def _check_id(name: str, value: str):
    if (name in ID_FIELDS or name.endswith("_id")) and _INTEGER.fullmatch(value):
        digits = re.sub(r"\s", "", value)
        if len(digits) > 12 or not 1 <= int(digits) <= MAX_ID:
            raise RequestRefused(RANGE, name, name=name, high=MAX_ID)


def _check_form():
    if request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return
    names = [f.filename or "" for f in request.files.values()]
    fields = [*request.form.keys(), *request.form.values(), *names]
    if any("\0" in value for value in fields):
        raise RequestRefused(NUL)
    if any(_FORM_CONTROL.search(value) for value in fields) or \
            any(_CONTROL.search(name) for name in names):  # a file name goes into headers
        raise RequestRefused(CONTROL)
    for name, value in request.form.items(multi=True):
        _check_id(name, value)
        if (name == "reason" or name.endswith("_reason")) and len(value.strip()) > MAX_REASON \
                and request.endpoint not in _OWN_LENGTH_CHECKS:
            raise RequestRefused(REASON_LENGTH, name, limit=f"{MAX_REASON:,}",
                                 got=f"{len(value.strip()):,}")


def _json_depth(outside: bytes, stop: int = MAX_JSON_DEPTH) -> int:
    """The deepest nesting of [ and { in JSON with its strings taken out, without parsing (nor
    recursing); counting stops soon after `stop` is passed."""
    steps = outside.translate(None, _NOT_BRACKETS)
    depth = deepest = 0
    for start in range(0, len(steps), 65536):
        levels = list(accumulate((_DEPTH_STEP[c] for c in steps[start:start + 65536]),
                                 initial=depth))
        depth, deepest = levels[-1], max(deepest, *levels)
        if deepest > stop:
            break
    return deepest


def _check_json():
    # the API reads any body as JSON (curl users forget the Content-Type)
    if not (request.is_json or request.path.startswith("/api/")):
        return
    body = request.get_data(cache=True)
    if not body:
        return
    if b"\\u0000" in body:
        raise RequestRefused(NUL)
    if _JSON_CONTROL.search(body):
        raise RequestRefused(CONTROL)
    outside = _JSON_STRING.sub(b"", body)
    if _json_depth(outside) > MAX_JSON_DEPTH:
        raise RequestRefused(JSON_DEPTH, depth=MAX_JSON_DEPTH)
    if _JSON_DIGITS.search(outside):
        raise RequestRefused(JSON_DIGITS, digits=MAX_JSON_DIGITS)


def refuse_hostile():
    _check_query()
    _check_form()
    _check_json()


def _refused(error: RequestRefused):
    from ..api.errors import body, is_api_request

    if is_api_request():
        zh = error.message % error.values if error.values else error.message
        with force_locale("en"):
            en = error.text()
        fields = [{"path": error.field, "zh": zh, "en": en}] if error.field else []
        return jsonify(body("bad_request", zh, en, fields)), 400
    return render_template("errors/400.html", message=error.text()), 400


def init_app(app: Flask) -> None:
    app.before_request(refuse_hostile)
    app.register_error_handler(RequestRefused, _refused)
