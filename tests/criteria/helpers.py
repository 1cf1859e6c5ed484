"""Criteria editors and versions for the tests of the criteria pages."""

from sqlmodel import select

from assessor.accounts import services as accounts
from assessor.criteria.models import CriteriaVersion
from assessor.platform.engine_service import criteria_engine
from tests.fixtures import PASSWORD


def editors(dbs, people):
    """The fixture's province officer and a second one, both criteria editors."""
    first = people["province_officer"]
    second = accounts.create_staff(dbs, email="province2@x.cn", name="李审核",
                                   role="province_officer", password=PASSWORD)
    for user in (first, second):
        user.criteria_editor = True
        dbs.add(user)
    dbs.commit()
    return first, second


def version(dbs, key: str, kind: str = "criteria") -> CriteriaVersion:
    criteria_engine()  # seeds an empty database, as the first request does
    return dbs.exec(select(CriteriaVersion).where(CriteriaVersion.kind == kind,
                                                  CriteriaVersion.key == key)).one()
