"""The whole URL map, as every role and anonymously, with hostile values in path variables, query
strings, form fields and JSON bodies: no request answers 5xx (tests/web/route_fuzz/; the
10,000-request run is benchmarks/fuzz_routes.py, `make fuzz`)."""

from sqlalchemy import func
from sqlmodel import SQLModel, select

from assessor.applications import services as applications
from assessor.applications.lifecycle import transition
from tests.conftest import factory_submission
from tests.fixtures import PASSWORD, SIGNED, TODAY
from tests.web.route_fuzz import RouteFuzzer, signer, token_maker

ROLES = [None, "applicant", "park_applicant", "city_officer", "province_officer", "expert",
         "admin"]


def largest_id(dbs) -> int:
    ids = [dbs.exec(select(func.max(table.c.id))).one() or 0
           for table in SQLModel.metadata.sorted_tables if "id" in table.c]
    return max(ids)


def fuzzer_for(app, dbs, engine, people, factory_round, seed: int) -> RouteFuzzer:
    draft = applications.create(dbs, people["applicant"], factory_round, TODAY)
    applications.save_draft(dbs, engine, people["applicant"], draft, factory_submission(), 0,
                            TODAY)
    other = applications.create(dbs, people["other_applicant"], factory_round, TODAY)
    applications.save_draft(dbs, engine, people["other_applicant"], other, factory_submission(),
                            0, TODAY)
    transition(dbs, engine, other, "submit", people["other_applicant"], commitment=SIGNED, today=TODAY)
    users = {role: (people[role].id, people[role].email) for role in ROLES if role}
    strings = {"criteria_id": ["GZ-F-2024", "GZ-P-2024"], "filename": ["css/app.css"],
               "serial": ["ABCD-EFGH-JKLM-NPQR"]}
    return RouteFuzzer(app, ROLES, signer(app, users, PASSWORD),
                       token_maker(app, {role: uid for role, (uid, _e) in users.items()}),
                       strings, largest_id(dbs), seed=seed)


def test_no_request_to_any_route_answers_5xx(app, dbs, engine, people, factory_round):
    fuzzer = fuzzer_for(app, dbs, engine, people, factory_round, seed=13)
    fuzzer.crawl()
    assert len(fuzzer.forms) > 20  # the forms were found: the posts reach the services
    report = fuzzer.run(300)
    with_csrf = fuzzer.anonymous_posts_with_csrf()
    assert report.requests > 400 and not report.findings, \
        "\n\n".join(map(str, report.findings[:5]))
    assert report.statuses.get(400, 0) > 0 and report.statuses.get(200, 0) > 0
    # without a CSRF token nothing is accepted; the API takes tokens, not cookies, instead. A
    # 308 is the router's, not a view's (e.g. /verify/%2F%2Fx merged to /verify/x): the same
    # POST then meets the CSRF check at the new address
    accepted = {k: v for k, v in with_csrf.items()
                if v < 400 and v not in (307, 308) and " api." not in k}
    assert not accepted and len(with_csrf) > 40
