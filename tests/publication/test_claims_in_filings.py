"""Serials of a listed organisation's annual filing count as claimed: an application of the
same data year that claims them is flagged, naming the filing to officers only."""

from datetime import date

from assessor.accounts import services as accounts
from assessor.applications import claim_ranges, services
from assessor.applications.lifecycle import transition
from assessor.publication import filing
from assessor.rounds import services as rounds
from tests.conftest import factory_submission
from tests.fixtures import PASSWORD, SIGNED, organisation

FILED = date(2025, 5, 1)


def test_an_application_claiming_a_filed_serial_is_flagged(
        app, dbs, engine, people, published, sign_in):
    call = filing.open_call(dbs, people["province_officer"], published, 2024, date(2025, 6, 30),
                            date(2025, 4, 1))
    item = filing.filing(dbs, people["applicant"], call)
    filed = factory_submission(reporting_year=2024)
    filed["electricity"]["green_certificates"] = [{"serial": "GEC202400000001", "count": 5000}]
    filed["offsets"] = []
    assert filing.save(dbs, engine, people["applicant"], item, filed, 0, FILED) == []
    filing.submit(dbs, engine, people["applicant"], item, FILED)

    newcomer = accounts.register_applicant(
        dbs, organisation=organisation("贵州新来测试有限公司", "guiyang", seed="0009"),
        email="new@x.cn", name="新申报人", password=PASSWORD)
    round_2024 = rounds.open_round(dbs, engine, people["province_officer"], title="2024 数据",
                                   subject="factory", year=2024, criteria_id="GZ-F-2024",
                                   opens_on=date(2025, 4, 1), closes_on=date(2025, 12, 31),
                                   publicity_days=5)
    data = factory_submission(reporting_year=2024)
    data["electricity"]["green_certificates"] = [{"serial": "GEC 2024 0000 4001", "count": 100}]
    data["offsets"] = []
    application = services.create(dbs, newcomer, round_2024, FILED)
    assert services.save_draft(dbs, engine, newcomer, application, data, 0, FILED) == []
    transition(dbs, engine, application, "submit", newcomer, commitment=SIGNED, today=FILED)

    [conflict] = claim_ranges.conflicts_of(dbs, application)
    assert (conflict.first, conflict.last) == ("GEC202400004001", "GEC202400004100")
    assert conflict.other.filing_id == item.id

    app.config["TODAY"] = FILED
    page = sign_in(people["province_officer"]).get(
        f"/applications/{application.id}").get_data(as_text=True)
    assert "贵州测试电子有限公司 的 2024 年度报送" in page
    page = sign_in(newcomer).get(f"/applications/{application.id}").get_data(as_text=True)
    assert "GEC202400004001–GEC202400004100" in page and "贵州测试电子有限公司" not in page
    # and the filing, in the officers' overview of the call, names the application
    page = sign_in(people["province_officer"]).get(
        f"/publication/filings/{call.id}").get_data(as_text=True)
    assert "GEC202400004001–GEC202400004100（100 个）同时被申报" in page
    assert f"申报 {application.id}" in page and "贵州新来测试有限公司" in page
