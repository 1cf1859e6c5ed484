"""Pages read by an energy manager, an expert or an officer: numbers as typed, comparisons as
written, places named as the form names them, a mail's subject a whole sentence."""

import email
import email.policy
from pathlib import Path

from assessor.applications import services
from tests.conftest import factory_submission
from tests.fixtures import TODAY
from tests.web.test_account_security import REGISTRATION, link_in, path_of
from tests.web.test_claims_across_applications import submitted, with_serials


def test_a_saved_draft_shows_numbers_as_typed_and_comparisons_as_written(
        dbs, engine, people, factory_round, applicant_client):
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    assert services.save_draft(dbs, engine, people["applicant"], application,
                               factory_submission(), 0, TODAY) == []
    page = applicant_client.get(f"/applications/{application.id}/edit").get_data(as_text=True)
    assert 'value="20,000"' in page and 'value="20000.0"' not in page  # with separators
    assert "要求不高于 1.8 tCO2/tce" in page and "&lt;= 1.8" not in page


def test_serials_claimed_twice_are_placed_by_table_and_row(
        dbs, engine, people, factory_round, sign_in):
    block = {"serial": "GEC202300000001", "count": 8000}
    ours = submitted(dbs, engine, people["applicant"], factory_round, with_serials([block]))
    submitted(dbs, engine, people["other_applicant"], factory_round,
              with_serials([{"serial": "GEC202300000001", "count": 10}]))
    for user in (people["applicant"], people["province_officer"]):
        page = sign_in(user).get(f"/applications/{ours.id}").get_data(as_text=True)
        assert "另购绿证第 1 行" in page and "electricity.green_certificates[0]" not in page


def test_the_confirmation_page_repeats_the_area_warning_and_the_subject_is_a_sentence(app):
    assert app.test_client().post("/register",
                                  data={**REGISTRATION, "city": "zunyi"}).status_code == 302
    [sent] = sorted(Path(app.config["MAIL_FOLDER"]).glob("*.eml"))
    message = email.message_from_bytes(sent.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "您正在注册贵州省零碳工厂·零碳工业园区评价系统的账号"
    page = app.test_client().get(path_of(link_in(message.get_content()))).get_data(as_text=True)
    assert "遵义市" in page and "不在所选的遵义市" in page and "确认注册" in page


def test_a_problem_is_named_by_the_form_s_labels(dbs, engine, people, factory_round,
                                                 applicant_client):
    data = factory_submission()
    data["electricity"]["green_power_trading"] = {"quantity": 30000, "unit": "MWh"}  # > grid
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    assert services.save_draft(dbs, engine, people["applicant"], application, data, 0, TODAY)
    page = applicant_client.get(f"/applications/{application.id}/edit").get_data(as_text=True)
    assert "电力·其中：绿电交易电量：绿电交易电量不能大于电网购电总量" in page
    assert "electricity.green_power_trading" not in page.split('class="error-summary"')[1]
