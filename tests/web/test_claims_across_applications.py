"""A serial claimed by two organisations for one data year is flagged on both applications:
officers see who else claims it, the applicant only that it is claimed elsewhere."""

from datetime import date

from sqlmodel import select

from assessor.applications import claim_ranges, services
from assessor.applications.claim_ranges import ClaimRange
from assessor.applications.lifecycle import transition
from assessor.audit import AuditEvent
from assessor.rounds import services as rounds
from tests.conftest import factory_submission
from tests.fixtures import SIGNED, SIGNED_FORM, TODAY, give_evidence, login

OURS = "贵州测试电子有限公司"
THEIRS = "贵州遵义测试有限公司"


def with_serials(certificates, offsets=None, **changes) -> dict:
    data = factory_submission(**changes)
    data["electricity"]["green_certificates"] = certificates
    data["offsets"] = offsets or []
    return data


def submitted(dbs, engine, user, round_, data, today=TODAY):
    application = services.create(dbs, user, round_, today)
    assert services.save_draft(dbs, engine, user, application, data, 0, today) == []
    if round_.subject == "park":
        give_evidence(dbs, user, application)
    transition(dbs, engine, application, "submit", user, commitment=SIGNED, today=today)
    return application


def submit_by_page(app, dbs, engine, user, round_, data) -> tuple[int, str]:
    application = services.create(dbs, user, round_, TODAY)
    assert services.save_draft(dbs, engine, user, application, data, 0, TODAY) == []
    client = login(app.test_client(), user)
    page = client.post(f"/applications/{application.id}/submit", data=SIGNED_FORM,
                       follow_redirects=True).get_data(as_text=True)
    return application.id, page


def test_both_applications_flagged_each_naming_the_other(
        app, dbs, engine, people, factory_round, province_client, applicant_client, city_client):
    ours = submitted(dbs, engine, people["applicant"], factory_round,
                     with_serials([{"serial": "GEC202300000001", "count": 8000}]))
    # the other organisation writes the same certificates differently: lower case, full width
    theirs_id, page = submit_by_page(
        app, dbs, engine, people["other_applicant"], factory_round,
        with_serials([{"serial": "ｇｅｃ２０２３００００７００１", "count": 2000}]))  # 7001–9000

    # at submission the applicant is told the serials are claimed elsewhere, not by whom
    assert "已在其他申报或年度报送中被申报" in page
    assert "GEC202300007001–GEC202300008000" in page and OURS not in page
    event = dbs.exec(select(AuditEvent).where(AuditEvent.action == "submit",
                                              AuditEvent.object_id == theirs_id)).one()
    assert event.details["serials_claimed_elsewhere"] == 1000

    page = province_client.get(f"/applications/{ours.id}").get_data(as_text=True)
    assert "证书或碳信用编号已被其他单位申报" in page
    assert "GEC202300007001–GEC202300008000" in page
    assert f"申报 {theirs_id}" in page and THEIRS in page
    page = province_client.get(f"/applications/{theirs_id}").get_data(as_text=True)
    assert "GEC202300007001–GEC202300008000" in page
    assert f"申报 {ours.id}" in page and OURS in page
    province_client.post("/language", data={"locale": "en", "next": "/"})
    page = province_client.get(f"/applications/{theirs_id}").get_data(as_text=True)
    assert "Also claimed by" in page and "green certificate GEC202300007001" in page

    page = city_client.get(f"/applications/{ours.id}").get_data(as_text=True)  # Guiyang: ours
    assert f"申报 {theirs_id}" in page and THEIRS in page

    page = applicant_client.get(f"/applications/{ours.id}").get_data(as_text=True)
    assert "已在其他申报或年度报送中被申报" in page
    assert "GEC202300007001–GEC202300008000" in page
    assert THEIRS not in page and f"申报 {theirs_id}" not in page


def test_no_flag_without_a_shared_serial(dbs, engine, people, factory_round, province_client):
    ours = submitted(dbs, engine, people["applicant"], factory_round,
                     with_serials([{"serial": "GEC202300000001", "count": 8000}],
                                  [{"instrument": "ccer", "serial": "CCER-1", "count": 10,
                                    "quantity": 10, "unit": "tCO2"}]))
    submitted(dbs, engine, people["other_applicant"], factory_round,
              with_serials([{"serial": "GEC202300008001", "count": 100}],   # right after ours
                           [{"instrument": "forestry_ticket", "serial": "CCER-1",  # other registry
                             "quantity": 10, "unit": "tCO2"}]))
    assert claim_ranges.conflicts_of(dbs, ours) == []
    page = province_client.get(f"/applications/{ours.id}").get_data(as_text=True)
    assert "证书或碳信用编号已被其他单位申报" not in page


def test_any_round_same_data_year_only(app, dbs, engine, people, factory_round):
    ours = submitted(dbs, engine, people["applicant"], factory_round,
                     with_serials([], [{"instrument": "ccer", "serial": "CCER-GZ-000001",
                                        "count": 300, "quantity": 300, "unit": "tCO2e"}]))
    later = rounds.open_round(dbs, engine, people["province_officer"], title="第二批",
                              subject="factory", year=2024, criteria_id="GZ-F-2024",
                              opens_on=date(2025, 2, 1), closes_on=date(2025, 4, 30),
                              publicity_days=5)
    offsets = [{"instrument": "ccer", "serial": "ccer-gz-0000000250", "count": 100,
                "quantity": 100, "unit": "tCO2e"}]                   # 250–349: 51 shared
    other_year = submitted(dbs, engine, people["other_applicant"], later,
                           with_serials([], offsets, reporting_year=2024))
    assert claim_ranges.conflicts_of(dbs, ours) == []                # 2024 data: no conflict
    again = rounds.open_round(dbs, engine, people["province_officer"], title="第三批",
                              subject="factory", year=2023, criteria_id="GZ-F-2024",
                              opens_on=date(2025, 2, 1), closes_on=date(2025, 4, 30),
                              publicity_days=5)
    same_year = submitted(dbs, engine, people["other_applicant"], again,
                          with_serials([], offsets))
    [conflict] = claim_ranges.conflicts_of(dbs, ours)
    assert (conflict.first, conflict.last, conflict.count) == (
        "CCER-GZ-000250", "CCER-GZ-000300", 51)
    assert conflict.other.application_id == same_year.id != other_year.id


def test_resubmitting_ones_own_serials_is_no_conflict(app, dbs, engine, people, factory_round):
    application = submitted(dbs, engine, people["applicant"], factory_round,
                            with_serials([{"serial": "GEC202300000001", "count": 8000}]))
    transition(dbs, engine, application, "city_return", people["city_officer"], reason="补充材料",
               today=TODAY)
    transition(dbs, engine, application, "submit", people["applicant"], commitment=SIGNED, today=TODAY)
    assert len(dbs.exec(select(ClaimRange).where(
        ClaimRange.application_id == application.id)).all()) == 2  # one per submitted revision
    assert claim_ranges.conflicts_of(dbs, application) == []


def test_a_park_and_its_member_factory_claim_the_same_certificates(app, dbs, engine, people,
                                                                    factory_round, park_round):
    factory = submitted(dbs, engine, people["applicant"], factory_round,
                        with_serials([{"serial": "GEC202300000001", "count": 8000}]))
    member = {"name": OURS, "electricity": {
        "grid_purchase": {"quantity": 20000, "unit": "MWh"},
        "green_certificates": [{"serial": "GEC202300000001", "count": 8000}]}}
    park = submitted(dbs, engine, people["park_applicant"], park_round, {
        "subject": "park", "reporting_year": 2023,
        "electricity": {"grid_purchase": {"quantity": 1000, "unit": "MWh"}},
        "members": [member]})
    [conflict] = claim_ranges.conflicts_of(dbs, factory)
    assert conflict.count == 8000 and conflict.other.application_id == park.id
    [back] = claim_ranges.conflicts_of(dbs, park)
    assert back.path == "members[0].electricity.green_certificates[0]"
    assert back.other.application_id == factory.id


def test_the_migration_keeps_the_ranges_of_what_was_submitted_before(app, dbs, engine, people,
                                                                     factory_round):
    import importlib.util
    from pathlib import Path

    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from sqlalchemy import delete

    ours = submitted(dbs, engine, people["applicant"], factory_round,
                     with_serials([{"serial": "GEC202300000001", "count": 8000}]))
    submitted(dbs, engine, people["other_applicant"], factory_round,
              with_serials([{"serial": "GEC202300000100", "count": 1}]))
    dbs.exec(delete(ClaimRange))
    dbs.commit()
    assert claim_ranges.conflicts_of(dbs, ours) == []  # as before the migration

    path = (Path(__file__).resolve().parents[2] / "assessor" / "migrations" / "versions"
            / "0008_claim_ranges.py")
    spec = importlib.util.spec_from_file_location("claim_ranges_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with dbs.get_bind().begin() as connection, Operations.context(
            MigrationContext.configure(connection)):
        migration._ranges_of_what_was_submitted()
    [conflict] = claim_ranges.conflicts_of(dbs, ours)
    assert conflict.span() == "GEC202300000100"


def test_a_block_listed_twice_is_shown_to_the_applicant_and_gives_no_level(
        dbs, engine, people, factory_round, applicant_client):
    block = {"serial": "GEC202300000001", "count": 8000}
    application = submitted(dbs, engine, people["applicant"], factory_round,
                            with_serials([block, dict(block, serial="gec 2023 0000 0001")]))
    page = applicant_client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "GEC202300000001–GEC202300008000（8,000 个）被重复申报" in page
    assert "另购绿证第 1 行 与 另购绿证第 2 行" in page  # where, as the form names it
    revision = claim_ranges.latest_submitted(dbs, application)
    assert revision.result["level"]["id"] == "not_qualified"
    assert "F-G9" in application.submitted_failed_gates.split(",")


def test_the_form_takes_trade_certificates_and_serials_as_typed(
        dbs, people, factory_round, applicant_client):
    response = applicant_client.post("/applications/new", data={"round": factory_round.id})
    application_id = int(response.headers["Location"].rstrip("/").split("/")[-2])
    page = applicant_client.get(f"/applications/{application_id}/edit").get_data(as_text=True)
    assert "绿电交易所附绿证" in page
    applicant_client.post(f"/applications/{application_id}/edit", data={
        "lock_version": "0",
        "electricity-grid_purchase-quantity": "20000", "electricity-grid_purchase-unit": "MWh",
        "electricity-green_power_trading-quantity": "12000",
        "electricity-green_power_trading-unit": "MWh",
        "electricity-green_certificates-0-serial": "ｇｅｃ ２０２３００００１",
        "electricity-green_certificates-0-count": "100",
        "electricity-green_power_trade_certificates-0-serial": "GEC202300051",
        "electricity-green_power_trade_certificates-0-count": "12000",
    })
    draft = services.current_revision(dbs, services.get_visible(dbs, people["applicant"],
                                                                application_id))
    assert draft.data["electricity"]["green_certificates"] == [
        {"serial": "GEC202300001", "count": 100}]
    assert draft.data["electricity"]["green_power_trade_certificates"] == [
        {"serial": "GEC202300051", "count": 12000}]
    page = applicant_client.get(f"/applications/{application_id}/edit").get_data(as_text=True)
    assert "GEC202300051–GEC202300100（50 个）被重复申报" in page
