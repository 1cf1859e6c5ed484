"""Fixtures of the publication tests: a round in its publicity period, and a published list."""

from datetime import date

import pytest

from assessor.publication import services
from tests.fixtures import TODAY
from tests.publication.helpers import approved, publish


@pytest.fixture
def round_in_publicity(dbs, engine, people, factory_round):
    first = approved(dbs, engine, people, factory_round)
    second = approved(dbs, engine, people, factory_round, "other_applicant")
    publicity = services.open_publicity(dbs, engine, people["province_officer"], factory_round,
                                        date(2025, 3, 7), TODAY)  # a Friday
    return publicity, first, second


@pytest.fixture
def published(app, dbs, engine, people, factory_round, round_in_publicity, tmp_path):
    app.config.update(CERTIFICATE_FOLDER=str(tmp_path / "certificates"))
    publish(dbs, engine, people, factory_round)
    return factory_round
