"""transition(): the only code that writes Application.state.

It refuses moves not in workflow.MOVES, actors who may not make them and moves asked for on a
route other than the one the table gives them (a removal only through the publication
service, which revokes the certificate and updates the list with it), applies the move's
effect (submitting freezes the revision; a return opens a new draft), writes the audit event and
notifies the people concerned, all in one commit.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, select

from .. import audit
from ..accounts.models import CITY_OFFICER, PROVINCE_OFFICER, Organisation, User
from ..engine import Engine, SubmissionError
from ..notifications import notify
from ..platform.db import utcnow
from ..platform.i18n import pick
from ..platform.refusal import Refused
from ..platform.viewkit import today as app_today
from ..rounds.models import Round
from .models import Application, Evidence, Revision
from .submission import OPINION_MAX, Commitment, commitment_problem
from .workflow import APPLICATION, MOVES, PUBLICATION, REVIEW, STATE_TITLES


class TransitionError(Refused):
    """A refused move: `kind` is forbidden when the actor may not make the move at all."""


class CommitmentMissing(TransitionError):
    """A submission without the commitment letter ticked and signed (name and position)."""


class EvidenceMissing(TransitionError):
    """A park's submission without any evidence file."""


class OpinionMissing(TransitionError):
    """A city's recommendation without its 推荐意见, or one too long."""


def may_act(user: User, application: Application, organisation: Organisation) -> bool:
    """Whether `user` answers for this application in their role (not which moves they make)."""
    if user.role == "applicant":
        return user.organisation_id == application.organisation_id
    if user.role == CITY_OFFICER:
        return organisation.city == user.city
    return user.role == PROVINCE_OFFICER


def current_revision(db: Session, application: Application) -> Revision:
    return db.exec(select(Revision).where(Revision.application_id == application.id)
                   .order_by(Revision.number.desc()).limit(1)).one()


def transition(db: Session, engine: Engine, application: Application, action: str, actor: User,
               *, reason: str | None = None, today: date | None = None,
               basis: dict | None = None, commit: bool = True, route: str = APPLICATION,
               facts: dict | None = None, commitment: Commitment | None = None
               ) -> Application:
    """Move `application` by `action`, asked for on `route` (workflow.APPLICATION, REVIEW or
    PUBLICATION). `basis` is what a decision rests on (the expert aggregate); it is stored with
    the decision and in the audit event. `facts` are added to the audit event (what else the
    move changed, so that it stays one event). With commit=False the caller commits, so that a
    batch (a whole round's publicity) is one transaction."""
    move = MOVES.get(action)
    if move is None:
        raise TransitionError(_("未知的操作"))
    organisation = db.get(Organisation, application.organisation_id)
    if actor.role != move.role or not may_act(actor, application, organisation):
        raise TransitionError(_("您无权进行此操作"), kind="forbidden")
    if move.route != route:
        raise TransitionError(_wrong_route(move.route, pick((move.zh, move.en))))
    if application.state not in move.sources:
        raise TransitionError(_("当前状态为“%(state)s”，不能%(action)s",
                                state=pick(STATE_TITLES[application.state]),
                                action=pick((move.zh, move.en))))
    reason = (reason or "").strip() or None
    if action == "recommend":
        _check_opinion(reason)
    if move.needs_reason and not reason:
        raise TransitionError(_("请填写理由"), "reason")
    previous = application.state
    round_ = db.get(Round, application.round_id)
    details: dict = {}

    if action == "submit":
        details = _freeze(db, engine, application, round_, actor, today or app_today(),
                          commitment)
    elif move.target == "returned":
        details = _reopen(db, application, reason)
    if action in ("approve", "reject"):
        if not basis or not basis.get("reviews"):
            raise TransitionError(_("须先完成专家评审，按评审汇总作出决定"))
        application.decision = move.target
        application.decision_basis = basis
        details = {"basis": basis}

    application.state = move.target
    application.updated_at = utcnow()
    db.add(application)
    audit.record(db, actor_id=actor.id, action=action, object_type="application",
                 object_id=application.id, from_state=previous, to_state=move.target,
                 reason=reason, details={**details, **(facts or {})})
    _notify(db, application, organisation, move.action, reason, previous)
    if commit:
        db.commit()
    return application


def _wrong_route(route: str, action: str) -> str:
    """Where a move asked for on the wrong route is made."""
    if route == PUBLICATION:
        return _("“%(action)s”只能在省厅的公示与名单管理页面办理（同时更新名单、证书和核验页面），"
                 "此处不能操作", action=action)
    if route == REVIEW:
        return _("“%(action)s”须在专家评审汇总页面按评审结果作出", action=action)
    return _("“%(action)s”须在申报页面办理", action=action)


def _check_opinion(opinion: str | None) -> None:
    if not opinion:
        raise OpinionMissing(_("请填写推荐意见"), "reason")
    if len(opinion) > OPINION_MAX:
        raise OpinionMissing(_("推荐意见不能超过 %(n)s 字", n=OPINION_MAX), "reason")


def _signed(commitment: Commitment | None) -> Commitment:
    """The commitment, cleaned, when it is ticked and signed; else CommitmentMissing."""
    commitment = commitment.cleaned() if commitment else None
    problem = commitment_problem(commitment)
    if problem is None:
        return commitment
    field, key = problem
    raise CommitmentMissing({
        "agree": _("提交前须阅读并勾选承诺书"),
        "name": _("请填写承诺书签署人姓名"),
        "position": _("请填写承诺书签署人职务"),
        "long": _("签署人姓名和职务各不能超过 60 字"),
    }[key], field)


def _freeze(db: Session, engine: Engine, application: Application, round_: Round, actor: User,
            today: date, commitment: Commitment | None) -> dict:
    if not round_.is_open(today):
        raise TransitionError(_("申报批次不在开放期内，不能提交"))
    revision = current_revision(db, application)
    try:
        result = engine.score(revision.data, round_.criteria_id, this_year=today.year)
    except SubmissionError as error:
        raise TransitionError(_("填报数据仍有问题，请修改后再提交"), problems=error.problems) from None
    evidence = db.exec(select(Evidence).where(Evidence.application_id == application.id,
                                              Evidence.removed_at.is_(None))
                       .order_by(Evidence.id)).all()
    if round_.subject == "park" and not evidence:
        raise EvidenceMissing(_("园区申报须上传证明材料后才能提交"))
    commitment = _signed(commitment)  # after the data and the files: what to fix first
    revision.result = result
    revision.engine_version = result["engine_version"]
    revision.criteria_id = round_.criteria_id
    revision.evidence = [{"id": e.id, "item": e.item, "name": e.original_name,
                          "sha256": e.sha256, "size": e.size} for e in evidence]
    revision.submitted_at = utcnow()
    revision.submitted_by = actor.id
    revision.signer_name, revision.signer_position = (commitment.signer_name,
                                                      commitment.signer_position)
    revision.committed_at = revision.submitted_at
    db.add(revision)
    for column, value in submitted_summary(result).items():
        setattr(application, column, value)
    from . import claim_ranges  # its serials, kept and checked against other claimants

    elsewhere = claim_ranges.record_revision(db, engine, application, revision)
    return {"revision": revision.number, "level": result["level"]["id"],
            "total": result["total"]["points"],
            "commitment": {"signer": commitment.signer_name,
                           "position": commitment.signer_position},
            **({"serials_claimed_elsewhere": sum(c.count for c in elsewhere)}
               if elsewhere else {})}


def submitted_summary(result: dict) -> dict:
    """What the application keeps of its latest submitted result for a round's statistics."""
    return {"submitted_total": result["total"]["points"],
            "submitted_failed_gates": ",".join(g["id"] for g in result["gates"]
                                               if g["status"] == "failed")}


def _reopen(db: Session, application: Application, reason: str | None) -> dict:
    last = current_revision(db, application)
    draft = Revision(application_id=application.id, number=last.number + 1,
                     data=dict(last.data), criteria_id=last.criteria_id, return_reason=reason)
    db.add(draft)
    return {"new_revision": draft.number}


def _people(db: Session, *, organisation: Organisation | None = None, city: str | None = None,
            province: bool = False) -> list[User]:
    query = select(User).where(User.active)
    if organisation is not None:
        return list(db.exec(query.where(User.organisation_id == organisation.id)).all())
    if city is not None:
        return list(db.exec(query.where(User.role == CITY_OFFICER, User.city == city)).all())
    if province:
        return list(db.exec(query.where(User.role == PROVINCE_OFFICER)).all())
    return []


def _notify(db: Session, application: Application, organisation: Organisation, action: str,
            reason: str | None, previous: str) -> None:
    move = MOVES[action]
    zh_state, en_state = STATE_TITLES[move.target]
    zh = f"{organisation.name} 的申报（编号 {application.id}）：{zh_state}"
    en = f"Application {application.id} of {organisation.name}: {en_state}"
    if reason and action == "recommend":
        zh += f"。推荐意见：{reason}"
        en += f". Recommendation: {reason}"
    elif reason:
        zh += f"。理由：{reason}"
        en += f". Reason: {reason}"
    applicant = _people(db, organisation=organisation)
    city = _people(db, city=organisation.city)
    province = _people(db, province=True)
    recipients = {
        "submit": city,
        "recommend": applicant + province,
        "city_return": applicant,
        "accept": applicant + city,
        "province_return": applicant + city,
        "approve": applicant + city,
        "reject": applicant + city,
        "withdraw": city if previous != "draft" else [],  # the city never saw a draft
        "publicize": applicant + city,
        "uphold_objection": applicant + city,
        "list": applicant + city,
        "remove": applicant + city,
    }[action]
    notify(db, recipients, zh=zh, en=en, application_id=application.id)
