"""The OpenAPI 3.1 document served at /api/v1/openapi.json.

Request bodies and the criteria set come from the pydantic models the code validates with (the
submission is the engine's own schema, as in docs/submission-schema.json); the response shapes
are written out here to match payloads.py. tests/api/test_schemathesis.py holds the two to each
other: every response must fit.
"""

from __future__ import annotations

from copy import deepcopy
from functools import cache

from pydantic.json_schema import models_json_schema

from ..applications.workflow import STATES
from ..engine.criteria_model import CriteriaModel
from .services import (
    MAX_ID,
    MAX_PAGE,
    MAX_PER_PAGE,
    DraftUpdate,
    NewApplication,
    Removal,
    Submit,
)

REF = "#/components/schemas/{model}"


def _ref(name: str) -> dict:
    return {"$ref": REF.format(model=name)}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict, *, required: list[str] | None = None, **extra) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required,
            "additionalProperties": False, **extra}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
MOMENT = {"type": "string", "format": "date-time"}
TEXT = _ref("LocalText")


def _shapes() -> dict:
    """The response shapes (payloads.py builds them)."""
    return {**_catalogue_shapes(), **_application_shapes(), **_public_shapes()}


def _catalogue_shapes() -> dict:
    """Errors, rounds, criteria and cities."""
    field = _object({"path": STRING, "zh": STRING, "en": STRING})
    round_ = _object({
        "id": INTEGER, "title": STRING, "subject": {"enum": ["factory", "park"]},
        "subject_title": TEXT, "year": INTEGER, "criteria_id": STRING, "opens_on": DATE,
        "closes_on": DATE, "publicity_days": INTEGER,
        "open": {**BOOLEAN, "description": "Whether applications are accepted today"}})
    return {
        "LocalText": _object({"zh": STRING, "en": STRING}),
        "Error": _object({"error": _object({
            "code": STRING, "zh": STRING, "en": STRING,
            "fields": {"type": "array", "items": _ref("FieldProblem")}})}),
        "FieldProblem": field,
        "Round": round_,
        "RoundList": _object({"items": {"type": "array", "items": _ref("Round")}}),
        "CriteriaSummary": _object({
            "id": STRING, "version": STRING, "subject": {"enum": ["factory", "park"]},
            "title": TEXT, "status": {"enum": ["provisional", "official", "draft"]},
            "effective_from": STRING, "notice": TEXT, "total_points": NUMBER}),
        "CriteriaList": _object({"items": {"type": "array", "items": _ref("CriteriaSummary")}}),
        "City": _object({"code": STRING, "zh": _nullable(STRING), "en": _nullable(STRING)}),
    }


def _application_shapes() -> dict:
    """An application, its revisions, result and decision basis."""
    summary_props = {
        "id": INTEGER, "round_id": INTEGER, "organisation": _ref("ApplicantOrganisation"),
        "state": {"enum": list(STATES)}, "state_title": TEXT,
        "decision": {"enum": ["approved", "rejected", None]},
        "created_at": MOMENT, "updated_at": MOMENT}
    revision_props = {
        "number": INTEGER, "criteria_id": STRING, "submitted_at": _nullable(MOMENT),
        "updated_at": MOMENT,
        "lock_version": {**INTEGER, "description": "Send it back with PUT …/draft"},
        "return_reason": _nullable(STRING)}
    return {
        "ApplicantOrganisation": _object({
            "id": INTEGER, "name": STRING, "uscc": STRING,
            "kind": {"enum": ["factory", "park"]}, "city": _ref("City")}),
        "ApplicationSummary": _object(summary_props),
        "ApplicationPage": _object({
            "items": {"type": "array", "items": _ref("ApplicationSummary")},
            "page": INTEGER, "per_page": INTEGER, "total": INTEGER}),
        "Revision": _object(revision_props),
        "LatestRevision": _object({
            **revision_props,
            "data": {"type": "object", "description": "The revision's data: a Submission "
                     "once complete (a draft may still be partial)"}}),
        "DecisionBasis": _object({
            "reviews": INTEGER, "method": STRING, "total": _nullable(NUMBER),
            "level": _object({"id": STRING, "title": TEXT})}),
        "Result": {
            "type": "object",
            "description": "The engine's explained result (docs/engine.md): indicators, gates, "
                           "items, total, level, the gap to the next level and the trace.",
            "required": ["engine_version", "criteria", "total", "level"],
            "properties": {"engine_version": STRING, "criteria": {"type": "object"},
                           "total": {"type": "object"}, "level": {"type": "object"}}},
        "Application": _object({
            **summary_props,
            "round": _ref("Round"),
            "editable": {**BOOLEAN, "description": "Whether the caller may change the draft "
                                                   "now"},
            "decision_basis": _nullable(_ref("DecisionBasis")),
            "revisions": {"type": "array", "items": _ref("Revision"), "minItems": 1},
            "latest_revision": _ref("LatestRevision"),
            "result": _nullable(_ref("Result")),
            "problems": {"type": "array", "items": _ref("FieldProblem"),
                         "description": "What stops a draft being scored or submitted"}}),
    }


def _public_shapes() -> dict:
    """The published lists and certificates."""
    return {
        "ListEntry": _object({
            "organisation_name": STRING, "city": _ref("City"),
            "subject": {"enum": ["factory", "park"]},
            "level": _object({"id": STRING, "zh": STRING, "en": STRING}),
            "listed_on": DATE, "removed_on": _nullable(DATE),
            "removal_reason": _nullable(STRING),
            "certificate": _nullable(_object({
                "serial": STRING, "status": {"enum": ["valid", "revoked"]},
                "verify_url": STRING}))}),
        "PublishedList": _object({
            "round": _ref("Round"), "published_on": DATE,
            "entries": {"type": "array", "items": _ref("ListEntry")}}),
        "PublishedLists": _object({"items": {"type": "array", "items": _ref("PublishedList")}}),
        "Certificate": _object({
            "serial": STRING, "status": {"enum": ["valid", "revoked", "expired"]},
            "organisation_name": STRING, "level": TEXT, "round_title": STRING,
            "criteria": _object({"id": STRING, "version": STRING}),
            "issued_on": DATE, "valid_until": DATE, "signer": STRING, "pdf_sha256": STRING,
            "revoked_at": _nullable(MOMENT), "revocation_reason": _nullable(STRING),
            "links": _object({
                "verify": {**STRING, "description": "The public verification page"},
                "pdf": {**_nullable(STRING),
                        "description": "The signed PDF, for province officers and the "
                                       "holder's own users; null for anyone else"}})}),
    }


def _models() -> dict:
    """Request bodies and the criteria set, from the pydantic models the API validates with."""
    _, schema = models_json_schema(
        [(NewApplication, "validation"), (DraftUpdate, "validation"),
         (Removal, "validation"), (Submit, "validation"), (CriteriaModel, "serialization")], ref_template=REF)
    return schema["$defs"]


# -- operations -------------------------------------------------------------------------------

def _response(description: str, schema: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": _ref(schema)}}}


ERRORS = {
    "400": "Bad request: invalid JSON (or a key given twice in one object) or query parameter"
           " / 请求格式或查询参数有误",
    "401": "No token, or it is unknown, revoked or expired / 缺少令牌或令牌无效",
    "403": "Your role may not do this / 您的角色不能进行此操作",
    "404": "Not found, or not yours to see / 不存在或无权查看",
    "409": "Refused in the current state, or a newer draft was saved / 当前状态不允许或草稿已被他人修改",
    "413": "Request body too large / 请求内容过大",
    "422": "The body breaks the schema or the data has problems; `fields` lists each path / "
           "请求内容有误，按字段列出",
}


def _errors(*codes: str) -> dict:
    return {code: _response(ERRORS[code], "Error") for code in codes}


def _id(name: str, what: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": what,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "example": 1}


def _query_int(name: str, low: int, high: int, what: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": what,
            "schema": {"type": "integer", "minimum": low, "maximum": high}}


SERIAL = {"name": "serial", "in": "path", "required": True,
          "description": "The certificate serial printed on it, e.g. ABCD-EFGH-JKLM-NPQR",
          "schema": {"type": "string", "pattern": "^[A-Za-z0-9-]{1,32}$"},
          "example": "ABCD-EFGH-JKLM-NPQR"}
APP_ID = _id("application_id", "The application's number")
PUBLIC = [{}, {"bearerAuth": []}]  # no token needed; one that is sent must work

EXAMPLE_SUBMISSION = {
    "subject": "factory", "reporting_year": 2023,
    "organisation": {"name": "贵州示例电子有限公司"},
    "energy": {"natural_gas": {"quantity": 10, "unit": "万Nm3"}},
    "electricity": {
        "grid_purchase": {"quantity": 20000, "unit": "MWh"},
        "green_power_trading": {"quantity": 12000, "unit": "MWh"},
        "onsite_renewable_self_used": {"quantity": 6000, "unit": "MWh"},
        "direct_green_supply": {"quantity": 6000, "unit": "MWh"},
        "green_certificates": [{"serial": "GEC202300000001", "count": 8000}]},
    "offsets": [{"instrument": "ccer", "serial": "CCER-GZ-000001", "count": 300,
                 "quantity": 300, "unit": "tCO2e"}],
    "declarations": {"compliance_3y": True, "green_factory_title": "national",
                     "no_obsolete_equipment": True, "zero_carbon_plan": True},
    "expert_scores": {"F-E1": 10, "F-E2": 8, "F-E3": 4, "F-E4": 7, "F-E5": 3},
}


def _body(schema: str, example: dict) -> dict:
    return {"required": True, "content": {"application/json": {
        "schema": _ref(schema), "example": example}}}


def _paths() -> dict:
    return {**_catalogue_paths(), **_application_paths(), **_draft_paths(), **_public_paths()}


def _catalogue_paths() -> dict:
    """This document, rounds and criteria."""
    return {
        "/api/v1/openapi.json": {"get": {
            "operationId": "openapi", "summary": "This document", "security": [],
            "tags": ["meta"],
            "responses": {"200": {"description": "OpenAPI 3.1", "content": {
                "application/json": {"schema": {"type": "object"}}}}, **_errors("401")}}},
        "/api/v1/rounds": {"get": {
            "operationId": "listRounds", "summary": "申报批次 / Application rounds",
            "tags": ["rounds"],
            "responses": {"200": _response("Every round", "RoundList"), **_errors("401")}}},
        "/api/v1/rounds/{round_id}": {"get": {
            "operationId": "getRound", "summary": "One round", "tags": ["rounds"],
            "parameters": [_id("round_id", "The round's number")],
            "responses": {"200": _response("The round", "Round"), **_errors("401", "404")}}},
        "/api/v1/criteria": {"get": {
            "operationId": "listCriteria", "summary": "评价标准 / Criteria sets",
            "tags": ["criteria"],
            "responses": {"200": _response("Every criteria set", "CriteriaList"),
                          **_errors("401")}}},
        "/api/v1/criteria/{criteria_id}": {"get": {
            "operationId": "getCriteria", "summary": "A whole criteria set: items, "
            "thresholds, levels and their sources", "tags": ["criteria"],
            "parameters": [{"name": "criteria_id", "in": "path", "required": True,
                            "schema": {"type": "string",
                                       "pattern": "^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,39}$"},
                            "example": "GZ-F-2024"}],
            "responses": {"200": _response("The criteria set", "CriteriaModel"),
                          **_errors("401", "404")}}},
    }


def _application_paths() -> dict:
    """Listing, starting and reading applications."""
    return {
        "/api/v1/applications": {
            "get": {
                "operationId": "listApplications", "tags": ["applications"],
                "summary": "申报 / The applications you may see, newest change first",
                "description": "An applicant sees its organisation's; a city officer its "
                               "city's once submitted; a province officer all submitted ones.",
                "parameters": [
                    _query_int("page", 1, MAX_PAGE, "Page number, from 1"),
                    _query_int("per_page", 1, MAX_PER_PAGE, "Applications per page (20)"),
                    {"name": "state", "in": "query", "required": False,
                     "schema": {"enum": list(STATES)}},
                    _query_int("round_id", 1, MAX_ID, "Only this round's")],
                "responses": {"200": _response("One page", "ApplicationPage"),
                              **_errors("400", "401")}},
            "post": {
                "operationId": "createApplication", "tags": ["applications"],
                "summary": "Start a draft in a round with its data (applicants)",
                "description": "The data is validated against the submission schema (422 with "
                               "field paths, nothing stored). A draft is kept even when the "
                               "engine finds problems; they are listed in `problems` and must "
                               "be fixed before submitting.",
                "requestBody": _body("NewApplication", {"round_id": 2,
                                                        "data": EXAMPLE_SUBMISSION}),
                "responses": {
                    "201": {**_response("The new draft", "Application"),
                            "headers": {"Location": {"schema": STRING,
                                                     "description": "The application's URL"}}},
                    **_errors("400", "401", "403", "409", "413", "422")}}},
        "/api/v1/applications/{application_id}": {"get": {
            "operationId": "getApplication", "tags": ["applications"],
            "summary": "State, revisions, the latest data and its explained result",
            "parameters": [APP_ID],
            "responses": {"200": _response("The application", "Application"),
                          **_errors("401", "404")}}},
    }


def _draft_paths() -> dict:
    """Saving and submitting a draft; removing a listed application."""
    return {
        "/api/v1/applications/{application_id}/draft": {"put": {
            "operationId": "updateDraft", "tags": ["applications"],
            "summary": "Replace the draft's data (applicants; while the round is open)",
            "description": "Send the lock_version you read; if someone saved since, the "
                           "answer is 409 and nothing is overwritten.",
            "parameters": [APP_ID],
            "requestBody": _body("DraftUpdate", {"lock_version": 1,
                                                 "data": EXAMPLE_SUBMISSION}),
            "responses": {"200": _response("The application after saving", "Application"),
                          **_errors("400", "401", "403", "404", "409", "413", "422")}}},
        "/api/v1/applications/{application_id}/submit": {"post": {
            "operationId": "submitApplication", "tags": ["applications"],
            "summary": "Submit the draft to the city (applicants)",
            "description": "The body carries the commitment letter (承诺书), ticked and signed "
                           "with the signer's name and position; without it the answer is "
                           "409. 422 lists the data's problems when it cannot be scored; 409 "
                           "when the state or the round's dates do not allow it, or a park "
                           "has no evidence file.",
            "parameters": [APP_ID],
            "requestBody": _body("Submit", {"commitment": {
                "agreed": True, "signer_name": "张磊", "signer_position": "总经理"}}),
            "responses": {"200": _response("The submitted application", "Application"),
                          **_errors("400", "401", "403", "404", "409", "413", "422")}}},
        "/api/v1/applications/{application_id}/removal": {"post": {
            "operationId": "removeFromList", "tags": ["applications"],
            "summary": "移出名单 / Remove a listed application from the list (province officers)",
            "description": "As on the publication page: the application is removed, its line "
                           "stays on the published list with the date and reason, and its "
                           "certificates are revoked with the same reason, in one audit event. "
                           "409 when it is not listed or was removed already.",
            "parameters": [APP_ID],
            "requestBody": _body("Removal", {"reason": "年度数据未按期报送"}),
            "responses": {"200": _response("The removed application", "Application"),
                          **_errors("400", "401", "403", "404", "409", "413", "422")}}},
    }


def _public_paths() -> dict:
    """The published lists and certificates, open to anyone."""
    return {
        "/api/v1/lists": {"get": {
            "operationId": "listPublished", "tags": ["public"], "security": PUBLIC,
            "summary": "培育名单 / The published cultivation lists (public)",
            "parameters": [_query_int("round_id", 1, MAX_ID, "Only this round's list")],
            "responses": {"200": _response("Every published list", "PublishedLists"),
                          **_errors("400", "401")}}},
        "/api/v1/certificates/{serial}": {"get": {
            "operationId": "getCertificate", "tags": ["public"], "security": PUBLIC,
            "summary": "证书验证 / A certificate's status (valid, revoked, expired) (public)",
            "parameters": [SERIAL],
            "responses": {"200": _response("The certificate", "Certificate"),
                          **_errors("401", "404")}}},
        "/api/v1/certificates/{serial}/pdf": {"get": {
            "operationId": "getCertificatePdf", "tags": ["public"],
            "summary": "The signed certificate PDF (province officers, the holder)",
            "parameters": [SERIAL],
            "responses": {"200": {"description": "PAdES-signed PDF", "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
                **_errors("401", "404")}}},
    }


@cache
def _document() -> dict:
    schemas = _models()
    shapes = _shapes()
    clash = set(schemas) & set(shapes)
    assert not clash, f"schema names used twice: {clash}"
    schemas.update(shapes)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "assessor API",
            "version": "1",
            "description": (
                "贵州省零碳工厂·零碳工业园区评价系统的数据接口。Data exchange with the "
                "department's assessment system. Authenticate with a token made on the "
                "“API 令牌” page: `Authorization: Bearer asr_…`. A token acts for its user "
                "account with exactly that account's role: the same applications are visible "
                "as on the web pages. Errors: `{\"error\": {\"code\", \"zh\", \"en\", "
                "\"fields\": [{\"path\", \"zh\", \"en\"}]}}`."),
        },
        "tags": [{"name": n} for n in ("rounds", "criteria", "applications", "public", "meta")],
        "security": [{"bearerAuth": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer", "bearerFormat": "asr_…",
                "description": "A token from the API 令牌 page (shown once when made)"}},
            "schemas": schemas,
        },
    }


def document() -> dict:
    return deepcopy(_document())
