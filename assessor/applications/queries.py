"""What the application pages show, read in one place so the views only choose and render."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from ..accounts.models import APPLICANT, Organisation, User
from ..accounts.regions import city_name
from ..audit import AuditEvent
from ..engine import Engine
from ..rounds.models import Round
from . import claim_ranges, comparison, services, submission, tracker
from . import evidence as files
from .models import Application, Revision
from .workflow import EDITABLE, moves_from


def rows_of(db: Session, query) -> int:
    """How many applications a filtered list holds (to choose between a file and a job)."""
    return db.exec(select(func.count()).select_from(query.subquery())).one()


def list_page_extras(db: Session, user: User, applications: list[Application],
                     today: date) -> dict:
    """Beside one page of the list: the organisations on it, every round by id, and the
    rounds an applicant may apply to today."""
    organisations = {o.id: o for o in db.exec(select(Organisation).where(
        Organisation.id.in_([a.organisation_id for a in applications]))).all()}
    rounds = {r.id: r for r in db.exec(select(Round)).all()}
    open_rounds = []
    if user.role == APPLICANT:
        organisation = db.get(Organisation, user.organisation_id)
        open_rounds = [r for r in rounds.values()
                       if r.subject == organisation.kind and r.is_open(today)]
    return {"organisations": organisations, "rounds": rounds, "open_rounds": open_rounds}


def round_of(db: Session, application: Application) -> Round:
    return db.get(Round, application.round_id)


def organisation_of(db: Session, application: Application) -> Organisation:
    return db.get(Organisation, application.organisation_id)


def events_of(db: Session, application: Application) -> list[AuditEvent]:
    return list(db.exec(select(AuditEvent).where(AuditEvent.object_type == "application",
                                                 AuditEvent.object_id == application.id)
                        .order_by(AuditEvent.id)).all())


def recommendation_of(events: list) -> AuditEvent | None:
    """The city's recommendation of the latest submission (its reason is the 推荐意见), if any:
    a recommendation made before the application was returned and submitted again is history."""
    found = None
    for event in events:
        if event.action == "submit":
            found = None
        elif event.action == "recommend":
            found = event
    return found


def data_words(engine: Engine, criteria_id: str) -> comparison.Words:
    """The titles of a submission's parts under a criteria set (the bare ones if it is gone)."""
    criteria = engine.sets.get(criteria_id)
    return comparison.Words(criteria, criteria.reference if criteria else engine.reference)


def _comparison(engine: Engine, submitted: list[Revision]) -> dict | None:
    """The last two submissions' differences, titled: results first, then the data."""
    if len(submitted) < 2:
        return None
    before, after = submitted[-2], submitted[-1]
    words = data_words(engine, after.criteria_id)
    return {"from": before.number, "to": after.number,
            "rows": comparison.result_changes(before.result, after.result)
            + comparison.data_changes(before.data, after.data, words)}


def _decision(application: Application, events: list[AuditEvent]) -> dict | None:
    """The department's decision as the page leads with it: approved or not, when, why, and
    the experts' aggregate it rests on (Application.decision_basis)."""
    if application.decision is None:
        return None
    made = next((e for e in reversed(events) if e.action in ("approve", "reject")), None)
    basis = application.decision_basis or {}
    level = basis.get("level_with_expert_points") or {}
    return {"decision": application.decision, "at": made.at if made else None,
            "reason": made.reason if made else None, "reviews": basis.get("reviews"),
            "method": basis.get("method"), "total": (basis.get("total") or {}).get("value"),
            "level": level.get("title")}


def _steps(engine: Engine, application: Application, round_: Round, organisation: Organisation,
           events: list, evidence: list, result: dict | None) -> list[tracker.Step]:
    """The step tracker, from the state, the recorded moves and the files shown; 材料 asks for
    the kinds the check-your-answers page lists (the items that apply ask for them)."""
    model = engine.criteria(round_.criteria_id).model
    titles = {k: (t.zh, t.en) for k, t in model.evidence_kinds.items()}
    return tracker.steps(application.state, events, [(e.item, e.uploaded_at) for e in evidence],
                         list(submission.required_kinds(model, result)), titles,
                         tracker.holders(city_name(organisation.city),
                                         city_name(organisation.city, english=True)))


def application_page(db: Session, engine: Engine, user: User, application: Application,
                     today: date) -> dict | None:
    """The application page as `user` sees it; None when there is nothing they may see (a
    draft withdrawn before it was ever submitted: officers never saw it)."""
    revisions = services.shown_revisions(db, user, application)
    if not revisions:
        return None
    round_ = round_of(db, application)
    organisation = organisation_of(db, application)
    latest = revisions[-1]
    result, problems = services.shown_result(engine, latest)
    events = events_of(db, application)
    evidence = files.shown(db, user, application)
    return {
        "round": round_, "organisation": organisation,
        "revisions": revisions, "latest": latest, "result": result, "problems": problems,
        "comparison": _comparison(engine, [r for r in revisions if r.submitted_at]),
        "decision": _decision(application, events),
        "events": events, "evidence": evidence, "recommendation": recommendation_of(events),
        "missing_evidence": submission.missing_kinds(
            engine.criteria(round_.criteria_id).model, result, evidence),
        "steps": _steps(engine, application, round_, organisation, events, evidence, result),
        "claims_elsewhere": claim_ranges.shown(db, user, application),
        "moves": moves_from(application.state, user.role),
        "editable": (application.state in EDITABLE and user.role == APPLICANT
                     and round_.is_open(today)),
    }


def page_fields(page: dict) -> set[str]:
    """The ids of the application page's fields, as view.html writes them: a refused form's
    problem links to its field only when the page shows it."""
    ids = {f"reason-{m.action}" for m in page["moves"] if m.needs_reason}
    if page["editable"]:
        ids |= {"item", "file", *(f"evidence-{e.id}-kind" for e in page["evidence"])}
    return ids


def check_answers_page(db: Session, engine: Engine, application: Application,
                       draft: Revision) -> dict:
    """Before submitting: the draft's result or problems, every evidence kind the items that
    apply ask for (given or missing), the failed gates and the commitment letter."""
    round_ = round_of(db, application)
    organisation = organisation_of(db, application)
    model = engine.criteria(round_.criteria_id).model
    result, problems = services.draft_result(engine, draft)
    evidence = services.current_evidence(db, application)
    return {"round": round_, "organisation": organisation, "result": result,
            "problems": problems, "evidence": evidence,
            "checklist": submission.evidence_checklist(model, result, evidence),
            "failed_gates": submission.failed_gates(result),
            "letter": submission.letter(organisation.name, organisation.uscc, round_.title,
                                        round_.subject)}
