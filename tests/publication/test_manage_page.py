"""The officer's publication page as the officer meets it: each objection names the application
(organisation, number, round) and opens its attachment for officers only; an action that cannot
be taken now is shown disabled with the reason; publishing the list and issuing certificates
ask for a confirmation, and without it nothing happens."""

import io
import re
from datetime import date

from sqlmodel import select

from assessor.applications.models import Application
from assessor.publication import services
from assessor.publication.models import Certificate
from tests.publication.helpers import DOCUMENT_NUMBER

PDF = b"%PDF-1.4\n%%EOF\n"


def objection_with_file(app, client, round_, application) -> None:
    app.config["TODAY"] = date(2025, 3, 10)
    answer = client.post(f"/publicity/{round_.id}", content_type="multipart/form-data",
                         data={"application": application.id, "name": "王五",
                               "contact": "13800000000", "reason": "环境污染事故",
                               "attachment": (io.BytesIO(PDF), "证据.pdf")})
    assert answer.status_code == 200


def button(page: str, label: str) -> str:
    """The <button …> tag whose text is `label`."""
    return re.search(r"<button[^>]*>" + re.escape(label), page).group(0)


def test_objections_name_the_application_and_open_the_attachment(
        app, dbs, people, factory_round, round_in_publicity, client, province_client, sign_in):
    _, first, _ = round_in_publicity
    objection_with_file(app, client, factory_round, first)
    objection = services.objections_of(dbs, factory_round)[0]
    page = province_client.get(f"/publication/rounds/{factory_round.id}").get_data(as_text=True)
    section = page[page.index(f'id="objection-{objection.id}"'):]
    section = section[:section.index("</section>")]
    assert "贵州测试电子有限公司" in section and f"申报编号 {first.id}" in section
    assert factory_round.title in section and "证据.pdf" in section
    link = f"/publication/objections/{objection.id}/attachment"
    assert f'href="{link}"' in section
    opened = province_client.get(link)
    assert opened.status_code == 200 and opened.data == PDF
    assert opened.headers["Content-Disposition"].startswith("inline")
    for who in (people["applicant"], people["city_officer"], people["expert"]):
        assert sign_in(who).get(link).status_code == 404
    assert client.get(link).status_code in (302, 404)  # a visitor signs in first


def test_actions_that_cannot_apply_say_why(app, dbs, engine, people, factory_round,
                                           round_in_publicity, client, province_client):
    _, first, _ = round_in_publicity
    url = f"/publication/rounds/{factory_round.id}"
    app.config["TODAY"] = date(2025, 3, 10)  # in the period
    page = province_client.get(url).get_data(as_text=True)
    assert "公示期未结束（至 2025-03-13），期满后才能发布名单" in page
    assert "disabled" in button(page, "公示期满，发布培育名单")
    objection_with_file(app, client, factory_round, first)
    app.config["TODAY"] = date(2025, 3, 20)  # the period is over, an objection is open
    page = province_client.get(url).get_data(as_text=True)
    assert "尚有未处理的异议（1 件），处理后才能发布名单" in page
    assert "disabled" in button(page, "公示期满，发布培育名单")
    objection = services.objections_of(dbs, factory_round)[0]
    services.handle_objection(dbs, engine, people["province_officer"], objection, upheld=False,
                              reason="无证据", today=date(2025, 3, 20))
    page = province_client.get(url).get_data(as_text=True)
    assert "disabled" not in button(page, "公示期满，发布培育名单")
    assert 'id="publish-confirm"' in page


def test_a_round_with_nothing_approved_cannot_open_publicity(factory_round, province_client):
    page = province_client.get(f"/publication/rounds/{factory_round.id}").get_data(as_text=True)
    assert "该批次没有已通过的申报，不能开始公示" in page
    assert "disabled" in button(page, "开始公示")


def test_publishing_and_issuing_need_a_confirmation(app, dbs, people, factory_round,
                                                    round_in_publicity, province_client):
    app.config["TODAY"] = date(2025, 3, 20)
    url = f"/publication/rounds/{factory_round.id}"
    unconfirmed = province_client.post(f"{url}/publish", data={})
    page = unconfirmed.get_data(as_text=True)
    assert unconfirmed.status_code == 422 and "请勾选确认后再发布名单" in page
    assert 'href="#publish-confirm"' in page and 'id="publish-confirm"' in page
    assert {a.state for a in dbs.exec(select(Application)).all()} == {"in_publicity"}
    confirmed = province_client.post(f"{url}/publish", data={"confirm": "y",
                                                            "document_number": DOCUMENT_NUMBER})
    assert confirmed.status_code == 302
    assert {a.state for a in dbs.exec(select(Application)).all()} == {"listed"}

    page = province_client.get(url).get_data(as_text=True)
    assert 'id="issue-confirm"' in page and "disabled" not in button(page, "签发证书")
    unconfirmed = province_client.post(f"{url}/certificates", data={})
    assert unconfirmed.status_code == 422
    assert "请勾选确认后再签发证书" in unconfirmed.get_data(as_text=True)
    assert dbs.exec(select(Certificate)).all() == []
    province_client.post(f"{url}/certificates", data={"confirm": "y"})
    assert len(dbs.exec(select(Certificate)).all()) == 2
    page = province_client.get(url).get_data(as_text=True)
    assert "名单中的单位均已有有效证书" in page and "disabled" in button(page, "签发证书")


def test_a_refused_line_action_is_shown_on_its_line(app, dbs, people, published,
                                                   province_client):
    listing = services.listings(dbs, published)[0]
    answer = province_client.post(f"/publication/listings/{listing.id}/remove",
                                  data={"reason": "  "})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "请填写移出理由" in page
    field = f"listing-{listing.id}-reason"
    assert f'href="#{field}"' in page and f'id="{field}"' in page
    assert f'aria-describedby="{field}-error"' in page
