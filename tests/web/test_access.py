"""Every route has a declared access rule, and every role and anonymous visitors get the answer
the rule says. A new route without a rule here fails the first test."""

import re

import pytest

PUBLIC = "public"
SIGNED_IN = "signed in"  # any role; objects are then scoped to the user
TOKEN = "api token"  # /api/v1: a bearer token, never a session cookie (401 without one)
A, C, P, E, ADMIN = "applicant", "city_officer", "province_officer", "expert", "admin"

ACCESS = {
    "static": PUBLIC,
    "accounts.login": PUBLIC, "accounts.register": PUBLIC, "accounts.language": PUBLIC,
    "accounts.logout": SIGNED_IN, "accounts.logout_everywhere": SIGNED_IN,
    "accounts.confirm_registration": PUBLIC, "accounts.forgot_password": PUBLIC,
    "accounts.reset_password": PUBLIC, "accounts.account": SIGNED_IN,
    "accounts.colleagues": {A}, "accounts.users": {ADMIN},
    "dashboard.home": PUBLIC,  # the public front door for visitors
    "dashboard.notifications": SIGNED_IN,
    "rounds.index": SIGNED_IN, "rounds.new": {P}, "rounds.rescore": {P},
    "jobs.show": SIGNED_IN, "jobs.download": SIGNED_IN,  # the starter, or whom its kind is shared with
    "applications.index": SIGNED_IN, "applications.export": SIGNED_IN,
    "applications.new": SIGNED_IN, "applications.view": SIGNED_IN,
    "applications.edit": SIGNED_IN, "applications.change_state": SIGNED_IN,
    "applications.upload": SIGNED_IN, "applications.remove": SIGNED_IN,
    "applications.download": SIGNED_IN, "applications.revision": SIGNED_IN,
    "applications.change_kind": SIGNED_IN,
    "submission.check_answers": SIGNED_IN, "submission.submitted": SIGNED_IN,
    "submission.application_form": SIGNED_IN,  # as the application: whoever may see it
    "excel.template": SIGNED_IN, "excel.upload": SIGNED_IN, "excel.confirm": SIGNED_IN,
    "review.experts": {P}, "review.expert_profile": {P}, "review.my_profile": {E},
    "review.board": {P}, "review.auto": {P}, "review.expire": {P}, "review.assign": {P},
    "review.export": {P}, "review.side_by_side": {P}, "review.decide": {P},
    "review.reopen": {P}, "review.my_assignments": {E}, "review.assignment_page": {E},
    "review.declare": {E}, "review.save": {E}, "review.photo": {E}, "review.evidence_file": {E},
    "review.adopt": {E}, "review.evidence_preview": {E}, "review.officer_evidence_preview": {P},
    "publication.manage": {P}, "publication.open_publicity": {P}, "publication.holidays": {P},
    "publication.handle_objection": {P}, "publication.publish": {P}, "publication.issue": {P},
    "publication.job_status": {P}, "publication.remove": {P}, "publication.revoke": {P},
    "publication.open_filing": {P}, "publication.filing_overview": {P},
    "publication.objection_attachment": {P},
    "publication.certificate_pdf": SIGNED_IN,  # officers and the holder's own users
    "publication_filing.my_filings": {A}, "publication_filing.edit": {A},
    "filing_excel.template": {A}, "filing_excel.upload": {A}, "filing_excel.confirm": {A},
    "public.publicity_index": PUBLIC, "public.publicity": PUBLIC, "public.lists_index": PUBLIC,
    "public.published_list": PUBLIC, "public.published_list_xlsx": PUBLIC,
    "public.published_list_pdf": PUBLIC, "public.verify_form": PUBLIC, "public.verify": PUBLIC,
    "whatif.run": {P},
    # criteria versions: every province officer reads them; the services let editors change them
    "criteria.index": {P}, "criteria.show": {P}, "criteria.new_draft": {P}, "criteria.move": {P},
    "criteria.discard": {P}, "criteria.use_reference": {P}, "criteria.export": {P},
    "criteria.compare": {P}, "criteria.compare_pdf": {P}, "criteria.yaml_text": {P},
    "accounts.criteria_editor": {ADMIN},
    "criteria.reference_tables": {P}, "criteria.reference_levels": {P},
    "criteria.reference_electricity": {P},
    "rounds.criteria": {P},
    "criteria.cases": {P}, "criteria.case": {P}, "criteria.new_case": {P},
    "criteria.edit_case": {P}, "criteria.remove_case": {P}, "criteria.impact_page": {P},
    "criteria.items": {P}, "criteria.new_entry": {P}, "criteria.edit_entry": {P},
    "criteria.remove_entry": {P}, "criteria.evidence_kinds": {P}, "criteria.header": {P},
    "portal.notices": PUBLIC, "portal.notice": PUBLIC, "portal.attachment": PUBLIC,
    "portal.objection_lookup": PUBLIC, "portal.downloads": PUBLIC, "portal.guide": PUBLIC,
    "portal.guide_pdf": PUBLIC, "portal.commitment": PUBLIC, "portal.commitment_pdf": PUBLIC,
    "portal.criteria": PUBLIC, "portal.template": PUBLIC,
    "portal_notices.index": {P}, "portal_notices.new": {P}, "portal_notices.edit": {P},
    "portal_notices.publish": {P}, "portal_notices.withdraw": {P},
    "portal_notices.attachment": {P},
    "api_tokens.mine": SIGNED_IN, "api_tokens.revoke": SIGNED_IN,  # own tokens; admins any
    "api_tokens.admin": {ADMIN},
    "api.openapi": PUBLIC, "api.published_lists": PUBLIC, "api.certificate_detail": PUBLIC,
    "api.round_list": TOKEN, "api.round_detail": TOKEN, "api.criteria_list": TOKEN,
    "api.criteria_detail": TOKEN, "api.application_list": TOKEN,
    "api.application_create": TOKEN, "api.application_detail": TOKEN,
    "api.draft_update": TOKEN, "api.application_submit": TOKEN, "api.certificate_pdf": TOKEN,
    "api.application_removal": TOKEN,
}
ROLES = (A, C, P, E, ADMIN)


def routes(app):
    for rule in app.url_map.iter_rules():
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "static.css" if m.group(1) == "filename"
                     else "ABCD-EFGH-JKLM-NPQR" if m.group(1) == "serial" else "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def test_every_route_declares_who_may_use_it(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(ACCESS) == set(), "declare an access rule for the new routes"
    assert set(ACCESS) - endpoints == set(), "rules for routes that no longer exist"


def test_anonymous_visitors_reach_only_public_pages(app, client):
    for endpoint, method, url in routes(app):
        if ACCESS[endpoint] == PUBLIC:
            continue
        if ACCESS[endpoint] == TOKEN:
            assert client.open(url, method=method).status_code == 401, endpoint
            continue
        response = client.open(url, method=method)
        assert response.status_code in (302, 404), (endpoint, method, response.status_code)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"], endpoint


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_refused_what_is_not_theirs(app, people, role, sign_in):
    client = sign_in(people[role])
    for endpoint, method, url in routes(app):
        rule = ACCESS[endpoint]
        if rule == TOKEN:  # a signed-in browser session does not open the API
            assert client.open(url, method=method).status_code == 401, (role, endpoint)
            continue
        if rule in (PUBLIC, SIGNED_IN) or role in rule:
            continue
        response = client.open(url, method=method)
        assert response.status_code == 404, (role, endpoint, method, response.status_code)
