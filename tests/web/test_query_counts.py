"""The main pages ask the database the same number of questions with 3 applications as with 30:
lists are paged and read a page's rows in one query each, dashboards count in the database.

Each round of data is built through the services (submissions scored, reviews, decisions, a
published list); certificates are written as rows (the verify page reads only the row). Queries
are counted on the engine, on a session opened fresh for each page as in production.
"""

from contextlib import contextmanager
from datetime import date

from sqlalchemy import event
from sqlmodel import select

from assessor.accounts import services as accounts
from assessor.accounts.uscc import make
from assessor.applications import services as applications
from assessor.applications.lifecycle import transition
from assessor.certificates.issue import new_serial
from assessor.platform import db
from assessor.publication import services as publication
from assessor.publication.models import Certificate
from assessor.review import services as review
from assessor.review.scales import reviewable_items
from assessor.rounds import services as rounds
from tests.conftest import factory_submission
from tests.fixtures import OPINION, PASSWORD, SIGNED, TODAY, login

PUBLICITY_STARTS, PUBLISHED = date(2025, 3, 7), date(2025, 3, 20)  # a Friday; after the period
MOST_QUERIES = 12  # any main page, however much data


def apply(dbs, engine, people, round_, n: int, city: str) -> object:
    """A new factory in `city` applies in `round_`; its data is submitted and recommended."""
    user = accounts.register_applicant(
        dbs, organisation={"name": f"贵州规模测试{n:03d}有限公司",
                           "uscc": make(f"91520100MA7{n:06d}"), "kind": "factory",
                           "city": city, "industry": "C3976", "address": "贵阳市测试路2号",
                           "contact_name": "李四", "contact_phone": "0851-12345679"},
        email=f"scale{n}@x.cn", name=f"申报人{n}", password=PASSWORD)
    application = applications.create(dbs, user, round_, TODAY)
    applications.save_draft(dbs, engine, user, application, factory_submission(), 0, TODAY)
    transition(dbs, engine, application, "submit", user, commitment=SIGNED, today=TODAY)
    officer = people["city_officer" if city == "guiyang" else "other_city_officer"]
    transition(dbs, engine, application, "recommend", officer, reason=OPINION, today=TODAY)
    return application


def reviewed(dbs, engine, people, application) -> None:
    """Accepted into review and scored by the expert (the engine's points, full expert marks)."""
    transition(dbs, engine, application, "accept", people["province_officer"], today=TODAY)
    assignment = review.assign(dbs, people["province_officer"], application, people["expert"],
                               TODAY)
    review.declare_no_conflict(dbs, people["expert"], assignment)
    result = review.frozen_result(dbs, application)
    points = {x["id"]: x["points"] for x in result["items"]}
    scores = {i.id: points[i.id] if i.kind == "scored" else i.points
              for i in reviewable_items(engine.criteria("GZ-F-2024"), result)}
    review.save_review(dbs, engine, people["expert"], assignment, scores=scores, comments={},
                       opinion="同意", recommendation="approve", inspection=None, submit=True)


def province(dbs, engine, people, round_, first: int, count: int) -> None:
    """`count` applications in `round_`: a third still with the city or province, a third in
    review, a third approved and then listed with a certificate each."""
    approved = []
    for n in range(first, first + count):
        application = apply(dbs, engine, people, round_, n, ("guiyang", "zunyi")[n % 2])
        if n % 3:
            reviewed(dbs, engine, people, application)
        if n % 3 == 2:
            review.decide(dbs, engine, people["province_officer"], application, "approve",
                          "同意", TODAY)
            approved.append(application)
    officer = people["province_officer"]
    publication.open_publicity(dbs, engine, officer, round_, PUBLICITY_STARTS, TODAY)
    for listing in publication.publish_list(dbs, engine, officer, round_, PUBLISHED,
                                            document_number="黔工信节能〔2025〕9号"):
        dbs.add(Certificate(serial=new_serial(), listing_id=listing.id,
                            organisation_name=listing.organisation_name,
                            level_zh=listing.level_zh, level_en=listing.level_en,
                            round_title=round_.title, criteria_id="GZ-F-2024",
                            criteria_version="2024.1", issued_on=PUBLISHED,
                            valid_until=date(2028, 3, 20), stored_name=new_serial(),
                            pdf_sha256="0" * 64, issued_by=officer.id))
    dbs.commit()
    assert len(approved) == count // 3


@contextmanager
def counted():
    """The number of statements sent to the database inside the block."""
    seen = []
    engine = db.engine()

    def count(*_args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def queries(app, people, round_) -> dict[str, int]:
    """Statements each main page sends, each on a fresh session as a new request would."""
    serial = db.session().exec(select(Certificate.serial).order_by(Certificate.id.desc())).first()
    pages = [("applicant dashboard", "applicant", "/"),
             ("city list", "city_officer", "/applications/"),
             ("province dashboard", "province_officer", "/"),
             ("applications list", "province_officer", "/applications/"),
             ("review board", "province_officer", f"/review/rounds/{round_.id}"),
             ("published list", None, f"/lists/{round_.id}"),
             ("verify", None, f"/verify/{serial}")]
    found = {}
    for name, who, path in pages:
        client = app.test_client()
        if who:
            login(client, people[who])
        db.close_session()
        with counted() as seen:
            response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        found[name] = len(seen)
    return found


def test_main_pages_ask_as_many_questions_for_30_applications_as_for_3(
        app, dbs, engine, people, factory_round):
    later = rounds.open_round(dbs, engine, people["province_officer"], title="2025年第二批",
                              subject="factory", year=2023, criteria_id="GZ-F-2024",
                              opens_on=date(2025, 2, 1), closes_on=date(2025, 4, 30),
                              publicity_days=5)
    applications.create(dbs, people["applicant"], factory_round, TODAY)  # the applicant's own
    province(dbs, engine, people, factory_round, 1, 3)
    few = queries(app, people, factory_round)
    province(dbs, engine, people, later, 100, 30)
    many = queries(app, people, later)
    assert many == few, f"3 applications: {few}; 30: {many}"
    assert max(many.values()) <= MOST_QUERIES, many
