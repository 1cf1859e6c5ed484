"""Helpers for the publication tests and the API's: an approved application, a published list,
a round's certificates."""

from datetime import date
from pathlib import Path

from flask import current_app

from assessor.applications import services as applications
from assessor.applications.lifecycle import transition
from assessor.certificates import issue as certificates
from assessor.certificates.settings import signing_pair
from assessor.publication import services
from assessor.review import services as review
from tests.conftest import factory_submission
from tests.fixtures import TODAY, move_facts

DOCUMENT_NUMBER = "黔工信节能〔2025〕12号"  # the list's 文号


def approved(dbs, engine, people, factory_round, applicant="applicant"):
    application = applications.create(dbs, people[applicant], factory_round, TODAY)
    applications.save_draft(dbs, engine, people[applicant], application, factory_submission(),
                            0, TODAY)
    city = "city_officer" if applicant == "applicant" else "other_city_officer"
    for action, role in (("submit", applicant), ("recommend", city),
                         ("accept", "province_officer")):
        transition(dbs, engine, application, action, people[role], today=TODAY,
                   **move_facts(action))
    assignment = review.assign(dbs, people["province_officer"], application, people["expert"],
                               TODAY)
    review.declare_no_conflict(dbs, people["expert"], assignment)
    result = review.frozen_result(dbs, application)
    from assessor.review.scales import reviewable_items
    scores = {i.id: ({x["id"]: x["points"] for x in result["items"]}[i.id]
                     if i.kind == "scored" else i.points)
              for i in reviewable_items(engine.criteria("GZ-F-2024"), result)}
    review.save_review(dbs, engine, people["expert"], assignment, scores=scores, comments={},
                       opinion="同意", recommendation="approve", inspection=None, submit=True)
    review.decide(dbs, engine, people["province_officer"], application, "approve", "同意", TODAY)
    return application


def publish(dbs, engine, people, factory_round):
    return services.publish_list(dbs, engine, people["province_officer"], factory_round,
                                 date(2025, 3, 20), document_number=DOCUMENT_NUMBER)


def issue(dbs, people, factory_round, progress=None):
    signing, _ = signing_pair()
    return certificates.issue_for_round(
        dbs, people["province_officer"], factory_round, today=date(2025, 3, 20),
        folder=Path(current_app.config["CERTIFICATE_FOLDER"]), signing=signing,
        verify_url=lambda s: f"http://127.0.0.1:5000/verify/{s}", valid_years=3,
        progress=progress)
