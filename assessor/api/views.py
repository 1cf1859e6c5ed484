"""/api/v1: JSON for systems that exchange data with the department. Thin: read the request,
call one service, answer with JSON (errors as in errors.py)."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request, send_file, url_for
from werkzeug.exceptions import HTTPException

from ..applications.workflow import STATES
from ..certificates import issue as certificates
from ..certificates.settings import verify_url
from ..engine import SubmissionError
from ..engine.jsontext import load_json
from ..platform import db
from ..platform.engine_service import criteria_engine
from ..platform.viewkit import today
from ..rounds import services as rounds
from ..rounds.models import Round
from . import payloads, services
from .auth import caller, load_caller, token_required
from .errors import ApiError, http_error, problem_fields, respond
from .openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.before_request(load_caller)
bp.register_error_handler(ApiError, respond)
bp.register_error_handler(HTTPException, http_error)

ID = "id"  # hardening.IdConverter: 1 to 2**31-1
SERIAL = re.compile(r"^[A-Za-z0-9-]{1,32}$")


def _json():
    """The decoded body (any Content-Type: curl users forget it); 400 if it is not JSON or
    gives a key twice in one object (which value was meant?)."""
    raw = request.get_data()
    if not raw.strip():
        return None
    try:
        return load_json(raw)
    except SubmissionError as error:
        if any(p.path != "(json)" for p in error.problems):
            raise ApiError(400, "duplicate_key", "请求内容中同一个键出现了不止一次，未作任何更改",
                           "A key appears more than once in the same object; nothing was "
                           "changed", problem_fields(error.problems)) from None
        raise ApiError(400, "invalid_json", "请求内容不是有效的 JSON",
                       "The request body is not valid JSON",
                       problem_fields(error.problems)) from None


def _int_arg(name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]{1,10}", raw) or not low <= int(raw) <= high:
        raise ApiError(400, "invalid_parameter", "查询参数有误", "A query parameter is invalid",
                       [{"path": name, "zh": f"应为 {low} 到 {high} 之间的整数",
                         "en": f"must be an integer from {low} to {high}"}])
    return int(raw)


def _public(path: str) -> str:
    """An absolute link on the public address (PUBLIC_BASE_URL), as on the certificates, else
    on the address this request reached (the answer goes to the one who sent it)."""
    return _base().rstrip("/") + path


def _verify_url(serial: str) -> str:
    return verify_url(_base(), serial)


def _base() -> str:
    return current_app.config["PUBLIC_BASE_URL"] or request.host_url


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


# -- rounds and criteria ------------------------------------------------------------------------

@bp.get("/rounds")
@token_required
def round_list():
    day = today()
    return jsonify({"items": [payloads.round_(r, day) for r in rounds.list_rounds(db.session())]})


@bp.get(f"/rounds/<{ID}:round_id>")
@token_required
def round_detail(round_id: int):
    found = db.session().get(Round, round_id)
    if found is None:
        raise ApiError(404, "not_found", "申报批次不存在", "No such round")
    return jsonify(payloads.round_(found, today()))


@bp.get("/criteria")
@token_required
def criteria_list():
    sets = criteria_engine().sets.values()
    return jsonify({"items": [payloads.criteria_summary(c) for c in sets]})


@bp.get("/criteria/<criteria_id>")
@token_required
def criteria_detail(criteria_id: str):
    found = criteria_engine().sets.get(criteria_id)
    if found is None:
        raise ApiError(404, "not_found", "评价标准不存在", "No such criteria set")
    return jsonify(payloads.criteria_set(found))


# -- applications -----------------------------------------------------------------------------

@bp.get("/applications")
@token_required
def application_list():
    state = request.args.get("state", "")
    if state and state not in STATES:
        raise ApiError(400, "invalid_parameter", "查询参数有误", "A query parameter is invalid",
                       [{"path": "state", "zh": "不是已知的申报状态",
                         "en": "not a known application state"}])
    return jsonify(services.application_list(
        db.session(), caller(), page=_int_arg("page", 1, 1, services.MAX_PAGE),
        per_page=_int_arg("per_page", 20, 1, services.MAX_PER_PAGE), state=state,
        round_id=_int_arg("round_id", None, 1, services.MAX_ID)))


def _detail(application, status: int = 200):
    payload = services.application_detail(db.session(), criteria_engine(), caller(),
                                          application, today())
    response = jsonify(payload)
    response.status_code = status
    return response


@bp.post("/applications")
@token_required
def application_create():
    application = services.create_application(db.session(), criteria_engine(), caller(),
                                              _json(), today())
    response = _detail(application, 201)
    response.headers["Location"] = url_for("api.application_detail",
                                           application_id=application.id)
    return response


@bp.get(f"/applications/<{ID}:application_id>")
@token_required
def application_detail(application_id: int):
    return _detail(services.visible_or_404(db.session(), caller(), application_id))


@bp.put(f"/applications/<{ID}:application_id>/draft")
@token_required
def draft_update(application_id: int):
    dbs = db.session()
    application = services.visible_or_404(dbs, caller(), application_id)
    services.update_draft(dbs, criteria_engine(), caller(), application, _json(), today())
    return _detail(application)


@bp.post(f"/applications/<{ID}:application_id>/submit")
@token_required
def application_submit(application_id: int):
    dbs = db.session()
    application = services.visible_or_404(dbs, caller(), application_id)
    services.submit(dbs, criteria_engine(), caller(), application, _json(), today())
    return _detail(application)


@bp.post(f"/applications/<{ID}:application_id>/removal")
@token_required
def application_removal(application_id: int):
    dbs = db.session()
    application = services.visible_or_404(dbs, caller(), application_id)
    services.remove_from_list(dbs, criteria_engine(), caller(), application, _json(), today())
    return _detail(application)


# -- published lists and certificates (public, as on the web) --------------------------------

@bp.get("/lists")
def published_lists():
    return jsonify({"items": services.published_lists(
        db.session(), today(), _verify_url, _int_arg("round_id", None, 1, services.MAX_ID))})


def _certificate(serial: str):
    if not SERIAL.fullmatch(serial):
        raise ApiError(404, "not_found", "证书不存在", "No such certificate")
    return services.certificate_or_404(db.session(), serial)


@bp.get("/certificates/<serial>")
def certificate_detail(serial: str):
    found = _certificate(serial)
    user = caller()
    pdf = (_public(url_for("api.certificate_pdf", serial=found.serial))
           if user and certificates.may_download(db.session(), user, found) else None)
    return jsonify(payloads.certificate(found, certificates.status(found, today()),
                                        verify_url=_verify_url(found.serial), pdf_url=pdf))


@bp.get("/certificates/<serial>/pdf")
@token_required
def certificate_pdf(serial: str):
    """The signed PDF, for the same people as on the web: province officers and the holder."""
    found = _certificate(serial)
    path = Path(current_app.config["CERTIFICATE_FOLDER"]) / found.stored_name
    if not certificates.may_download(db.session(), caller(), found) or not path.is_file():
        raise ApiError(404, "not_found", "证书不存在", "No such certificate")
    return send_file(path, mimetype="application/pdf", as_attachment=True,
                     download_name=f"certificate-{found.serial}.pdf")
