"""The applications list is kept per data version (applications/views.py): a draft saved (the
one change that is not audited) moves the version, so the list shows it at once."""

from datetime import date

from assessor.applications import services
from assessor.rounds import services as rounds
from tests.conftest import factory_submission
from tests.fixtures import TODAY


def test_a_draft_saved_moves_to_the_top_of_the_kept_list(dbs, engine, people, factory_round,
                                                         applicant_client):
    later = rounds.open_round(dbs, engine, people["province_officer"], title="2025年第二批",
                              subject="factory", year=2023, criteria_id="GZ-F-2024",
                              opens_on=date(2025, 2, 1), closes_on=date(2025, 4, 30),
                              publicity_days=5)
    first = services.create(dbs, people["applicant"], factory_round, TODAY)
    second = services.create(dbs, people["applicant"], later, TODAY)

    def order() -> list[int]:
        page = applicant_client.get("/applications/").get_data(as_text=True)
        return sorted((first.id, second.id), key=lambda i: page.index(f">{i}</a>"))

    assert order() == [second.id, first.id]
    assert order() == [second.id, first.id]  # the same list, kept
    services.save_draft(dbs, engine, people["applicant"], first, factory_submission(), 0, TODAY)
    assert order() == [first.id, second.id]
