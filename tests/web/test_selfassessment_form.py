"""The self-assessment form as an energy manager uses it: numbers typed as people write them and
shown back with separators (the same number, exactly), carriers added as they are used, products
grouped by industry, guidance beside each field and the result in brief beside the form."""

import re
from html import unescape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessor.applications import services
from assessor.applications.numbertext import parse_number, parse_whole, show_number
from tests.conftest import factory_submission
from tests.fixtures import TODAY


@pytest.mark.parametrize(("typed", "number"), [
    ("2,700,000", 2_700_000), ("2700000", 2_700_000), ("２７００００", 270_000),
    ("２，７００，０００", 2_700_000), ("2 700 000", 2_700_000), ("2\u3000700\u3000000", 2_700_000),
    ("2\u202f700\u202f000", 2_700_000), (" 12.5 ", 12.5), ("1,234.5", 1234.5), ("1。5", 1.5),
    ("１２．５", 12.5), ("-3", -3), ("", None), ("   ", None),
])
def test_numbers_are_read_as_people_type_them(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize(("typed", "message"), [
    ("1,5", "千位分隔符位置不对"), ("27,00,000", "千位分隔符位置不对"),
    ("1.234,5", "千位分隔符位置不对"), ("2,7000", "千位分隔符位置不对"),
    ("12kg", "请填写数字"), ("true", "请填写数字"), ("二百", "请填写数字"),
])
def test_a_number_that_cannot_be_read_says_why_and_is_never_guessed(typed, message):
    with pytest.raises(ValueError, match=message):
        parse_number(typed)


def test_counts_take_separators_but_not_fractions():
    assert parse_whole("8,000") == 8000 and parse_whole("８０００") == 8000
    with pytest.raises(ValueError, match="请填写整数"):
        parse_whole("8000.5")


@pytest.mark.parametrize(("value", "shown"), [
    (2_700_000.0, "2,700,000"), (50000.0, "50,000"), (0.1, "0.1"), (12.5, "12.5"),
    (123456.789, "123,456.789"), (0.30000000000000004, "0.30000000000000004"), (8000, "8,000"),
])
def test_numbers_are_shown_with_separators_and_every_digit(value, shown):
    assert show_number(value) == shown


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_shown_reads_back_as_exactly_the_same_number(value):
    assert parse_number(show_number(value)) == value


def _new(client, round_) -> int:
    response = client.post("/applications/new", data={"round": round_.id})
    return int(response.headers["Location"].rstrip("/").split("/")[-2])


def _value(page: str, field_id: str) -> str:
    match = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', page)
    assert match, field_id
    return unescape(re.search(r'value="([^"]*)"', match[0])[1])


def _draft(dbs, people, application_id):
    return services.current_revision(dbs, services.get_visible(dbs, people["applicant"],
                                                                application_id))


def test_typed_numbers_are_saved_shown_with_separators_and_round_trip(
        dbs, people, factory_round, applicant_client):
    application_id = _new(applicant_client, factory_round)
    url = f"/applications/{application_id}/edit"
    form = {"lock_version": "0",
            "electricity-grid_purchase-quantity": "2,700,000",
            "electricity-grid_purchase-unit": "MWh",
            "electricity-direct_green_supply-quantity": "１２３，４５６．７８９",
            "electricity-direct_green_supply-unit": "MWh",
            "energy-natural_gas-quantity": "1 200 000", "energy-natural_gas-unit": "m3",
            "electricity-green_certificates-0-serial": "GEC1",
            "electricity-green_certificates-0-count": "8,000"}
    assert "已保存" in applicant_client.post(url, data=form, follow_redirects=True).get_data(
        as_text=True)
    saved = _draft(dbs, people, application_id).data
    assert saved["electricity"]["grid_purchase"]["quantity"] == 2_700_000
    assert saved["electricity"]["direct_green_supply"]["quantity"] == 123456.789
    assert saved["energy"]["natural_gas"]["quantity"] == 1_200_000
    assert saved["electricity"]["green_certificates"] == [{"serial": "GEC1", "count": 8000}]

    page = applicant_client.get(url).get_data(as_text=True)
    shown = {name: _value(page, name)
             for name in ("electricity-grid_purchase-quantity",
                          "electricity-direct_green_supply-quantity",
                          "energy-natural_gas-quantity", "electricity-green_certificates-0-count")}
    assert shown == {"electricity-grid_purchase-quantity": "2,700,000",
                     "electricity-direct_green_supply-quantity": "123,456.789",
                     "energy-natural_gas-quantity": "1,200,000",
                     "electricity-green_certificates-0-count": "8,000"}
    assert "50000.0" not in page and "2700000.0" not in page

    # the page posted back as shown saves exactly the same numbers
    again = dict(form, lock_version=str(_draft(dbs, people, application_id).lock_version),
                 **shown)
    assert "已保存" in applicant_client.post(url, data=again, follow_redirects=True).get_data(
        as_text=True)
    assert _draft(dbs, people, application_id).data == saved


def test_an_unreadable_number_is_refused_beside_its_field_and_nothing_is_saved(
        dbs, engine, people, factory_round, applicant_client):
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    assert services.save_draft(dbs, engine, people["applicant"], application,
                               factory_submission(), 0, TODAY) == []
    before = _draft(dbs, people, application.id)
    form = {"lock_version": str(before.lock_version),
            "electricity-grid_purchase-quantity": "1,5", "electricity-grid_purchase-unit": "MWh"}
    page = applicant_client.post(f"/applications/{application.id}/edit",
                                 data=form).get_data(as_text=True)
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#electricity-grid_purchase-quantity"' in summary and "千位分隔符位置不对" in summary
    assert 'id="electricity-grid_purchase-quantity-error"' in page
    assert _value(page, "electricity-grid_purchase-quantity") == "1,5"  # as typed
    after = _draft(dbs, people, application.id)
    assert after.lock_version == before.lock_version and after.data == before.data


def test_a_carrier_is_added_without_losing_what_was_typed_or_saving(
        dbs, people, factory_round, applicant_client):
    application_id = _new(applicant_client, factory_round)
    url = f"/applications/{application_id}/edit"
    page = applicant_client.get(url).get_data(as_text=True)
    assert 'id="energy-diesel-quantity"' not in page and 'value="diesel"' in page
    form = {"lock_version": "0", "electricity-grid_purchase-quantity": "2,700,00",
            "electricity-grid_purchase-unit": "MWh", "carriers_shown": "natural_gas",
            "add_carrier": "", "new_carrier": "diesel"}
    page = applicant_client.post(url, data=form).get_data(as_text=True)
    assert 'id="energy-diesel-quantity"' in page and 'id="energy-natural_gas-quantity"' in page
    assert _value(page, "electricity-grid_purchase-quantity") == "2,700,00"  # kept, not judged
    assert "千位分隔符位置不对" not in page
    draft = _draft(dbs, people, application_id)
    assert draft.lock_version == 0 and "electricity" not in draft.data


def test_the_page_guides_each_field_and_groups_products_by_industry(
        dbs, engine, people, factory_round, applicant_client):
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    services.save_draft(dbs, engine, people["applicant"], application, factory_submission(), 0,
                        TODAY)
    page = applicant_client.get(f"/applications/{application.id}/edit").get_data(as_text=True)
    for section in ("单位信息", "能源消费", "电力", "绿电与证书", "产品与能效", "声明与材料"):
        assert section in page
    assert 'aria-label="填报进度"' in page
    # guidance from the reference data and the criteria set
    assert "折标准煤 1.2143 kgce/m3" in page
    assert "F-G8" in page.split('id="electricity-grid_purchase-help"', 1)[1][:600]
    assert "需上传证明材料：合规经营承诺书及信用查询记录" in page
    assert '<optgroup label="建材（水泥）">' in page and '<optgroup label="铁合金">' in page
    # the result in brief, beside the form, linking to the full result
    aside = page.split('<aside class="sa-aside">', 1)[1].split("</aside>", 1)[0]
    assert "总分" in aside and 'href="#result"' in aside
    assert 'id="result"' in page


def test_a_park_member_adds_its_own_carriers(park_round, park_client):
    application_id = _new(park_client, park_round)
    url = f"/applications/{application_id}/edit"
    page = park_client.get(url).get_data(as_text=True)
    assert 'id="sec-members"' in page and 'name="members-0-new_carrier"' in page
    form = {"lock_version": "0", "members-0-name": "成员甲",
            "add_carrier": "members-0-", "members-0-new_carrier": "coke"}
    page = park_client.post(url, data=form).get_data(as_text=True)
    assert 'id="members-0-energy-coke-quantity"' in page
    assert 'id="energy-coke-quantity"' not in page  # the park's own list is unchanged


def test_the_english_page_has_english_guidance(dbs, people, factory_round, sign_in):
    people["applicant"].locale = "en"
    dbs.add(people["applicant"])
    dbs.commit()
    client = sign_in(people["applicant"])
    application_id = _new(client, factory_round)
    page = client.get(f"/applications/{application_id}/edit").get_data(as_text=True)
    assert "Add an energy carrier" in page and "Progress" in page
    assert "Building materials (cement)" in page

