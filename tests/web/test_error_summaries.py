"""Errors look the same on every form: a refused post shows the page again with the summary at
the top (macros/forms.html error_summary), each problem a link to an element of the page.

The walk: every template with a form that posts is either walked here (an invalid post, the
summary checked), or named with the reason it is not (its buttons carry no input, or another
test walks it)."""

import io
import re
from datetime import date
from pathlib import Path

import pytest

from assessor.review import services as review
from tests.fixtures import TODAY
from tests.publication.helpers import approved, issue, publish
from tests.review.test_review import in_review

TEMPLATES = Path(__file__).parents[2] / "templates"

# templates whose forms are buttons only (no input to refuse)
BUTTONS_ONLY = {"base.html", "dashboard/home.html", "jobs/offer.html", "rounds/index.html",
                "criteria/cases.html", "criteria/case.html",
                "api/_token_macros.html", "applications/import_preview.html",
                "publication/filing_import_preview.html"}
# walked by their own tests, or reached only through a mailed link; each shows error_summary
ELSEWHERE = {"accounts/confirm_registration.html", "accounts/reset_password.html",
             "publication/filing_edit.html", "applications/edit.html"}
# refused as input the page shows again unchanged: 422
ANSWERED_422 = {"criteria/new_draft.html", "criteria/version.html", "criteria/yaml.html",
                "criteria/reference_electricity.html", "criteria/reference_levels.html",
                "applications/index.html", "applications/view.html", "criteria/case_form.html",
                "rounds/criteria.html", "criteria/item_form.html", "criteria/level_form.html",
                "criteria/declaration_form.html", "criteria/reported_form.html",
                "criteria/evidence_kinds_form.html", "criteria/header_form.html",
                "applications/import_problems.html", "publication/filing_import_problems.html"}


def summary_links(page: str) -> list[str]:
    """The ids the error summary links to; fails when there is no summary."""
    assert 'class="error-summary"' in page, "no error summary"
    summary = page[page.index('class="error-summary"'):]
    return re.findall(r'href="#([^"]+)"', summary[:summary.index("</div>")])


def assert_summary(answer) -> None:
    page = answer.get_data(as_text=True)
    assert answer.status_code in (200, 400, 422), answer.status_code
    links = summary_links(page)
    assert links, "the summary links to no field"
    for target in links:
        assert f'id="{target}"' in page, f"#{target} is not on the page"


# -- each walked form: (template, how to post it wrong) -------------------------------------

def _accounts(path, role=None):
    def post(ctx):
        client = ctx["sign_in"](ctx["people"][role]) if role else ctx["client"]
        return client.post(path, data={})
    return post


def _round_new(ctx):
    return ctx["sign_in"](ctx["people"]["province_officer"]).post("/rounds/new", data={})


def _in_publicity(ctx):
    dbs, engine, people, round_ = ctx["dbs"], ctx["engine"], ctx["people"], ctx["round"]
    from assessor.publication import services

    approved(dbs, engine, people, round_)
    services.open_publicity(dbs, engine, people["province_officer"], round_, date(2025, 3, 7),
                            TODAY)


def _objection(ctx):
    _in_publicity(ctx)
    ctx["app"].config["TODAY"] = date(2025, 3, 10)
    return ctx["client"].post(f"/publicity/{ctx['round'].id}", data={})


def _publish_unconfirmed(ctx):
    _in_publicity(ctx)
    ctx["app"].config["TODAY"] = date(2025, 3, 20)
    officer = ctx["sign_in"](ctx["people"]["province_officer"])
    return officer.post(f"/publication/rounds/{ctx['round'].id}/publish", data={})


def _filing_overview_removal(ctx):
    from assessor.publication import services

    _in_publicity(ctx)
    publish(ctx["dbs"], ctx["engine"], ctx["people"], ctx["round"])
    listing = services.listings(ctx["dbs"], ctx["round"])[0]
    officer = ctx["sign_in"](ctx["people"]["province_officer"])
    return officer.post(f"/publication/listings/{listing.id}/remove", data={"reason": ""})


def _verify_without_a_file(ctx):
    _in_publicity(ctx)
    publish(ctx["dbs"], ctx["engine"], ctx["people"], ctx["round"])
    serial = issue(ctx["dbs"], ctx["people"], ctx["round"])[0].serial
    return ctx["client"].post(f"/verify/{serial}", data={})


def _assignment(ctx, declared=True):
    application = in_review(ctx["dbs"], ctx["engine"], ctx["people"], ctx["round"])
    expert = ctx["people"]["expert"]
    assignment = review.assign(ctx["dbs"], ctx["people"]["province_officer"], application,
                               expert, TODAY)
    if declared:
        review.declare_no_conflict(ctx["dbs"], expert, assignment)
    return application, assignment, ctx["sign_in"](expert)


def _score_sheet(ctx):
    _, assignment, expert = _assignment(ctx)
    return expert.post(f"/review/assignments/{assignment.id}/review", data={"submit": "yes"})


def _declaration(ctx):
    _, assignment, expert = _assignment(ctx, declared=False)
    return expert.post(f"/review/assignments/{assignment.id}/declare", data={})


def _decision(ctx):
    from tests.review.test_review import submit_review

    application, assignment, _expert = _assignment(ctx)
    submit_review(ctx["dbs"], ctx["engine"], ctx["people"]["expert"], assignment)
    officer = ctx["sign_in"](ctx["people"]["province_officer"])
    return officer.post(f"/review/applications/{application.id}/decide",
                        data={"action": "approve", "reason": ""})


def _relation(ctx):
    expert = ctx["sign_in"](ctx["people"]["expert"])
    return expert.post("/review/profile", data={"form": "relation", "name": "某公司"})


def _board_settings(ctx):
    officer = ctx["sign_in"](ctx["people"]["province_officer"])
    return officer.post(f"/review/rounds/{ctx['round'].id}", data={
        "reviewers_per_application": "abc", "disagreement_threshold": "0.3",
        "review_days": "14", "aggregation": "mean"})


def _whatif(ctx):
    officer = ctx["sign_in"](ctx["people"]["province_officer"])
    return officer.post(f"/whatif/rounds/{ctx['round'].id}",
                        data={"source": "edit", "gate-F-G6": "abc"})


def _check_answers(ctx):
    from tests.web.test_submit import draft

    application = draft(ctx["dbs"], ctx["engine"], ctx["people"]["applicant"], ctx["round"])
    applicant = ctx["sign_in"](ctx["people"]["applicant"])
    return applicant.post(f"/applications/{application.id}/submit", data={})


def _notice(ctx):
    officer = ctx["sign_in"](ctx["people"]["province_officer"])
    return officer.post("/portal/notices/new", data={})


def _objection_lookup(ctx):
    return ctx["client"].post("/objections/lookup", data={})


def _new_application(ctx):
    applicant = ctx["sign_in"](ctx["people"]["applicant"])
    return applicant.post("/applications/new", data={})  # no round chosen


def _draft(ctx):
    from tests.web.test_submit import draft

    return draft(ctx["dbs"], ctx["engine"], ctx["people"]["applicant"], ctx["round"])


def _evidence_upload(ctx):
    application = _draft(ctx)
    applicant = ctx["sign_in"](ctx["people"]["applicant"])
    return applicant.post(f"/applications/{application.id}/evidence", data={},
                          content_type="multipart/form-data")


def _workbook_problems(ctx):
    application = _draft(ctx)
    applicant = ctx["sign_in"](ctx["people"]["applicant"])
    return applicant.post(f"/applications/{application.id}/import",
                          data={"file": (io.BytesIO(b"not a workbook"), "x.xlsx")},
                          content_type="multipart/form-data")


def _filing_workbook_problems(ctx):
    from assessor.publication import filing

    _in_publicity(ctx)
    publish(ctx["dbs"], ctx["engine"], ctx["people"], ctx["round"])
    call = filing.open_call(ctx["dbs"], ctx["people"]["province_officer"], ctx["round"], 2024,
                            date(2025, 6, 30), date(2025, 3, 1))
    applicant = ctx["sign_in"](ctx["people"]["applicant"])
    return applicant.post(f"/filings/{call.id}/import",
                          data={"file": (io.BytesIO(b"not a workbook"), "x.xlsx")},
                          content_type="multipart/form-data")


def _worked_case(ctx):
    from assessor.criteria import services
    from tests.criteria.helpers import editors, version

    author, _checker = editors(ctx["dbs"], ctx["people"])
    draft = services.new_draft(ctx["dbs"], author, version(ctx["dbs"], "GZ-F-2024"),
                               key="GZ-F-2024-v2", label="2024.2")
    return ctx["sign_in"](author).post(f"/criteria/{draft.id}/cases/new",
                                       data={"total": "abc"})


def _criteria_editor(ctx):
    from assessor.criteria import services
    from tests.criteria.helpers import editors, version

    author, checker = editors(ctx["dbs"], ctx["people"])
    draft = services.new_draft(ctx["dbs"], author, version(ctx["dbs"], "GZ-F-2024"),
                               key="GZ-F-2024-v2", label="2024.2")
    return author, checker, draft


def _new_version(ctx):
    author, _checker, draft = _criteria_editor(ctx)
    return ctx["sign_in"](author).post(f"/criteria/{draft.id}/drafts",
                                       data={"key": "no spaces allowed", "label": ""})


def _return_without_reason(ctx):
    from assessor.criteria import services

    author, checker, draft = _criteria_editor(ctx)
    services.change_state(ctx["dbs"], author, draft, "submit")
    return ctx["sign_in"](checker).post(f"/criteria/{draft.id}/return", data={"reason": " "})


def _criteria_yaml(ctx):
    author, _checker, draft = _criteria_editor(ctx)
    return ctx["sign_in"](author).post(f"/criteria/{draft.id}/yaml", data={
        "text": "id: [", "lock_version": draft.lock_version})


def _criteria_entry(path: str, **data):
    """A criteria editor's form (条目与等级) posted with nothing filled in."""
    def post(ctx):
        author, _checker, draft = _criteria_editor(ctx)
        return ctx["sign_in"](author).post(f"/criteria/{draft.id}/{path}", data={
            "lock_version": draft.lock_version, **data})
    return post


def _reference_draft(ctx):
    from assessor.criteria import services
    from tests.criteria.helpers import editors, version

    author, _checker = editors(ctx["dbs"], ctx["people"])
    draft = services.new_draft(ctx["dbs"], author, version(ctx["dbs"], "REF-1", "reference"),
                               key="REF-2", label="2026.1")
    return ctx["sign_in"](author), draft


def _electricity_year(ctx):
    client, draft = _reference_draft(ctx)
    return client.post(f"/criteria/{draft.id}/reference/electricity", data={
        "data_year": "2024", "guizhou": "abc", "lock_version": draft.lock_version})


def _product_levels(ctx):
    client, draft = _reference_draft(ctx)
    return client.post(f"/criteria/{draft.id}/reference/levels", data={
        "id": "x y", "grade_1": "-1", "lock_version": draft.lock_version})


def _round_criteria(ctx):
    officer = ctx["sign_in"](ctx["people"]["province_officer"])
    return officer.post(f"/rounds/{ctx['round'].id}/criteria", data={"criteria_id": ""})


WALKED = {
    "criteria/item_form.html": _criteria_entry("items/new", kind="gate"),
    "criteria/level_form.html": _criteria_entry("levels/new"),
    "criteria/declaration_form.html": _criteria_entry("declarations/new"),
    "criteria/reported_form.html": _criteria_entry("reported/new"),
    "criteria/evidence_kinds_form.html": _criteria_entry("evidence-kinds",
                                                         **{"kinds-0-key": "Not A Key"}),
    "criteria/header_form.html": _criteria_entry("header"),
    "criteria/case_form.html": _worked_case,
    "rounds/criteria.html": _round_criteria,
    "criteria/new_draft.html": _new_version,
    "criteria/version.html": _return_without_reason,
    "criteria/yaml.html": _criteria_yaml,
    "criteria/reference_electricity.html": _electricity_year,
    "criteria/reference_levels.html": _product_levels,
    "applications/index.html": _new_application,
    "applications/view.html": _evidence_upload,
    "applications/import_problems.html": _workbook_problems,
    "publication/filing_import_problems.html": _filing_workbook_problems,
    "applications/check_answers.html": _check_answers,
    "portal/manage_edit.html": _notice,
    "portal/objection_lookup.html": _objection_lookup,
    "accounts/login.html": _accounts("/login"),
    "accounts/register.html": _accounts("/register"),
    "accounts/forgot_password.html": _accounts("/password/forgot"),
    "accounts/account.html": _accounts("/account", "applicant"),
    "accounts/colleagues.html": _accounts("/organisation/users", "applicant"),
    "accounts/users.html": _accounts("/admin/users", "admin"),
    "api/tokens.html": _accounts("/account/tokens", "applicant"),
    "api/admin_tokens.html": _accounts("/admin/tokens", "admin"),
    "rounds/new.html": _round_new,
    "publication/publicity.html": _objection,
    "publication/manage.html": _publish_unconfirmed,
    "publication/filing_overview.html": _filing_overview_removal,
    "publication/verify.html": _verify_without_a_file,
    "review/assignment.html": _score_sheet,
    "review/declare.html": _declaration,
    "review/side_by_side.html": _decision,
    "review/profile.html": _relation,
    "review/board.html": _board_settings,
    "whatif/run.html": _whatif,
}


def posting_templates() -> set[str]:
    return {str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")
            if re.search(r'<form[^>]*method="post"', path.read_text(encoding="utf-8"))}


# parts of a page kept per data version (pagecache.kept_html): walked through their page, which
# includes them when a form failed
PARTS = {"applications/index_body.html": "applications/index.html",
         "review/board_rows.html": "review/board.html"}


def test_every_form_that_posts_is_accounted_for():
    unaccounted = posting_templates() - set(WALKED) - BUTTONS_ONLY - ELSEWHERE - set(PARTS)
    assert not unaccounted, f"forms nobody walks: {sorted(unaccounted)}"
    for part, page in PARTS.items():
        assert page in WALKED and f'include "{part}"' in (TEMPLATES / page).read_text("utf-8")
    for name in ELSEWHERE:
        assert "error_summary(" in (TEMPLATES / name).read_text(encoding="utf-8"), name


@pytest.mark.parametrize("template", sorted(WALKED))
def test_a_refused_form_lists_its_problems_linking_to_its_fields(
        template, app, dbs, engine, people, factory_round, client, sign_in):
    ctx = {"app": app, "dbs": dbs, "engine": engine, "people": people, "round": factory_round,
           "client": client, "sign_in": sign_in}
    answer = WALKED[template](ctx)
    if template in ANSWERED_422:
        assert answer.status_code == 422, template
    assert_summary(answer)


def test_a_refused_assignment_is_shown_on_its_line_of_the_board(dbs, engine, people,
                                                                factory_round, sign_in):
    application = in_review(dbs, engine, people, factory_round)
    review.assign(dbs, people["province_officer"], application, people["expert"], TODAY)
    officer = sign_in(people["province_officer"])
    answer = officer.post(f"/review/applications/{application.id}/assign?page=1",
                          data={"expert": people["expert"].id})  # assigned already
    assert answer.status_code == 422
    assert summary_links(answer.get_data(as_text=True)) == [f"expert-{application.id}"]
