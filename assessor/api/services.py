"""What the API's operations do, through the same services as the web pages: the same
visibility (services.visible), the same draft saving with lock_version, the same
lifecycle.transition() for submitting. The services' refusals (Refused) reach the one handler,
which answers them as JSON with their status (errors.refusal); ApiError is for what only the API
refuses (its bodies, 404s, a second application in a round)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session, func, select

from ..accounts.models import PROVINCE_OFFICER, Organisation, User
from ..applications import services as applications
from ..applications.lifecycle import transition
from ..applications.models import Application
from ..applications.submission import Commitment
from ..certificates import issue as certificates
from ..engine import Engine, Submission
from ..engine.schema import problems_from
from ..platform.request_guards import MAX_ID
from ..publication import services as publication
from ..publication.models import Certificate
from ..rounds.models import Round
from . import payloads
from .errors import ApiError, problem_fields

MAX_PAGE, MAX_PER_PAGE = 100_000, 100
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class NewApplication(BaseModel):
    """Body of POST /applications: a draft in a round, with its data."""

    model_config = ConfigDict(extra="forbid", strict=True, title="NewApplication")
    round_id: Id
    data: Submission


class DraftUpdate(BaseModel):
    """Body of PUT /applications/{id}/draft: the draft's new data, and the lock_version read
    with it (a draft saved by someone else since is not overwritten: 409)."""

    model_config = ConfigDict(extra="forbid", strict=True, title="DraftUpdate")
    lock_version: Annotated[int, Field(ge=0, le=MAX_ID)]
    data: Submission


class Removal(BaseModel):
    """Body of POST /applications/{id}/removal: why the application leaves the list (shown on
    the list and on the certificate's verify page)."""

    model_config = ConfigDict(extra="forbid", strict=True, title="Removal")
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class SignedCommitment(BaseModel):
    """The commitment letter (承诺书) as signed when submitting."""

    model_config = ConfigDict(extra="forbid", strict=True, title="SignedCommitment")
    agreed: bool
    signer_name: Annotated[str, Field(min_length=1, max_length=60)]
    signer_position: Annotated[str, Field(min_length=1, max_length=60)]


class Submit(BaseModel):
    """Body of POST /applications/{id}/submit: the commitment letter, ticked and signed."""

    model_config = ConfigDict(extra="forbid", strict=True, title="Submit")
    commitment: SignedCommitment


def _read(model: type[BaseModel], body: object) -> dict:
    """The body checked against `model`; 422 with every problem's path otherwise."""
    if not isinstance(body, dict):
        raise ApiError(422, "invalid_body", "请求内容应为 JSON 对象",
                       "The request body must be a JSON object")
    try:
        model.model_validate(body, strict=True)  # JSON types as documented: no "1" for 1
    except ValidationError as error:
        raise ApiError(422, "invalid_body", "请求内容有误，请按字段修改",
                       "The request body has problems, listed by field",
                       problem_fields(problems_from(error))) from None
    return body


# -- applications -----------------------------------------------------------------------------

def application_list(db: Session, user: User, *, page: int, per_page: int, state: str,
                     round_id: int | None) -> dict:
    query = applications.filtered(user, state=state, round_id=round_id)
    total = db.exec(select(func.count()).select_from(query.subquery())).one()
    rows = db.exec(query.order_by(Application.updated_at.desc(), Application.id.desc())
                   .offset((page - 1) * per_page).limit(per_page)).all()
    orgs = {o.id: o for o in db.exec(select(Organisation).where(
        Organisation.id.in_([a.organisation_id for a in rows]))).all()}
    return {"items": [payloads.application_summary(a, orgs[a.organisation_id]) for a in rows],
            "page": page, "per_page": per_page, "total": total}


def visible_or_404(db: Session, user: User, application_id: int) -> Application:
    application = applications.get_visible(db, user, application_id)
    if application is None:
        raise ApiError(404, "not_found", "申报不存在或无权查看",
                       "No such application, or not yours to see")
    return application


def application_detail(db: Session, engine: Engine, user: User, application: Application,
                       today: date) -> dict:
    revisions = applications.shown_revisions(db, user, application)
    if not revisions:  # withdrawn before it was ever submitted: officers never saw it
        raise ApiError(404, "not_found", "申报不存在或无权查看",
                       "No such application, or not yours to see")
    result, problems = applications.shown_result(engine, revisions[-1])
    try:
        applications.editable_draft(db, user, application, today)
        editable = True
    except applications.ApplicationError:
        editable = False
    return payloads.application(
        application, db.get(Organisation, application.organisation_id),
        db.get(Round, application.round_id), revisions=revisions, result=result,
        problems=problems, editable=editable, today=today)


def create_application(db: Session, engine: Engine, user: User, body: object,
                       today: date) -> Application:
    """A new draft in a round, holding the body's data. An organisation has one application
    per round: a second is refused (409), never merged into the first."""
    body = _read(NewApplication, body)
    round_ = db.get(Round, body["round_id"])
    if round_ is None:
        raise ApiError(422, "invalid_body", "请求内容有误，请按字段修改",
                       "The request body has problems, listed by field",
                       [{"path": "round_id", "zh": "申报批次不存在",
                         "en": "no such round"}])
    if user.organisation_id and applications.existing(db, round_, user.organisation_id):
        raise ApiError(409, "exists", "本单位在该批次已有申报，请修改已有的草稿",
                       "Your organisation already has an application in this round: "
                       "update its draft instead")
    applications.check_input(engine, body["data"], round_.criteria_id, today,  # before
                             year=round_.year)
    application = applications.create(db, user, round_, today)  # it is committed
    applications.save_draft(db, engine, user, application, body["data"], 0, today)
    return application


def update_draft(db: Session, engine: Engine, user: User, application: Application,
                 body: object, today: date) -> None:
    body = _read(DraftUpdate, body)
    applications.save_draft(db, engine, user, application, body["data"],
                            body["lock_version"], today)


def submit(db: Session, engine: Engine, user: User, application: Application,
           body: object, today: date) -> None:
    """Submitting needs the signed commitment; without a body, transition() refuses it."""
    signed = _read(Submit, body)["commitment"] if body is not None else None
    transition(db, engine, application, "submit", user, today=today,
               commitment=Commitment(**signed) if signed else None)


def remove_from_list(db: Session, engine: Engine, user: User, application: Application,
                     body: object, today: date) -> None:
    """Removal through the same service as the publication page: the state, the list line and
    the certificates together, as one audit event."""
    if user.role != PROVINCE_OFFICER:
        raise ApiError(403, "forbidden", "只有省厅工作人员可以办理",
                       "Only province officers may do this")
    body = _read(Removal, body)
    if not body["reason"].strip():
        raise ApiError(422, "invalid_body", "请填写移出理由", "Give the reason for the removal",
                       [{"path": "reason", "zh": "请填写移出理由",
                         "en": "Give the reason for the removal"}])
    listing = publication.listing_of(db, application)
    if listing is None:
        raise ApiError(409, "refused", "该申报未列入名单，不能移出",
                       "The application is not on a list: it cannot be removed")
    publication.remove_listing(db, engine, user, listing, body["reason"], today)


# -- the published lists and certificates (public) ---------------------------------------------

def published_lists(db: Session, today: date, verify_url: Callable[[str], str],
                    round_id: int | None = None) -> list[dict]:
    out = []
    for round_, period in publication.published_rounds(db):
        if round_id is not None and round_.id != round_id:
            continue
        issued = certificates.latest_by_listing(db, round_)
        entries = [payloads.listing(e, issued.get(e.id), verify_url)
                   for e in publication.listings(db, round_)]
        out.append(payloads.published_list(round_, period, entries, today))
    return out


def certificate_or_404(db: Session, serial: str) -> Certificate:
    found = certificates.find(db, serial)
    if found is None:
        raise ApiError(404, "not_found", "证书不存在", "No such certificate")
    return found
