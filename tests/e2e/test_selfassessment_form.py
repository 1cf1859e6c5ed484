"""An enterprise's energy manager fills the self-assessment form in a real browser: adds the
carriers the plant uses, types numbers as people write them (2,700,000, full-width digits),
finds a product by typing part of its name, saves, and sees the result in brief beside the form
(at 1366 px it stays in view while scrolling; at 390 px it is at the top). Screenshots at 390 and
1366 px go to tests/e2e/artifacts/; neither width scrolls sideways."""

from datetime import date

import pytest
from playwright.sync_api import expect

from assessor.accounts import services as accounts
from assessor.applications import services
from assessor.platform import db
from assessor.rounds import services as rounds
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_journey import PASSWORD, sign_in
from tests.fixtures import organisation

TODAY = date(2025, 3, 3)  # the live app's


def new_draft(app, subject: str = "factory") -> int:
    from assessor.accounts.models import PROVINCE_OFFICER
    from assessor.platform.engine_service import criteria_engine

    criteria_id = {"factory": "GZ-F-2024", "park": "GZ-P-2024"}[subject]
    with app.app_context():
        session = db.session()
        officer = accounts.create_staff(session, email="p@gov.cn", name="省厅", password=PASSWORD,
                                        role=PROVINCE_OFFICER, city=None)
        round_ = rounds.open_round(session, criteria_engine(), officer,
                                   title="2025年零碳评价申报", subject=subject, year=2024,
                                   criteria_id=criteria_id, opens_on=date(2025, 2, 1),
                                   closes_on=date(2025, 4, 30), publicity_days=5)
        applicant = accounts.register_applicant(session, organisation=organisation(kind=subject),
                                                email="a@x.cn", name="能源主管", password=PASSWORD)
        application_id = services.create(session, applicant, round_, TODAY).id
        db.close_session()
    return application_id


def no_sideways_scroll(page, width: int, name: str):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name} scrolls sideways at {width} px: {scroll} px"


@pytest.mark.parametrize("width", [390, 1366])
def test_an_energy_manager_fills_the_form_and_sees_the_result_beside_it(
        live_app, browser_page, width):
    app, page = live_app, browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    application_id = new_draft(app)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, app, "a@x.cn")
    page.goto(f"{app.base_url}/applications/{application_id}/edit")
    expect(page.locator(".sa-progress")).to_contain_text("能源消费")
    expect(page.locator(".sa-summary")).to_contain_text("保存后在此显示得分")
    page.screenshot(path=str(ARTIFACTS / f"selfassessment-empty-{width}.png"), full_page=True)
    no_sideways_scroll(page, width, "the empty form")

    # only the carriers the plant uses: natural gas is added, what was typed stays
    expect(page.locator("#energy-natural_gas-quantity")).to_have_count(0)
    page.fill("#electricity-grid_purchase-quantity", "2,700,000")
    page.select_option("#new_carrier", "natural_gas")
    page.click("button[name=add_carrier]")
    expect(page.locator("#electricity-grid_purchase-quantity")).to_have_value("2,700,000")
    page.fill("#energy-natural_gas-quantity", "１２０，０００")  # full-width, as an IME types it
    page.select_option("#energy-natural_gas-unit", "m3")
    expect(page.locator("#energy-natural_gas-help")).to_contain_text("1.2143 kgce/m3")

    page.fill("#electricity-direct_green_supply-quantity", "1 200 000")
    page.fill("#electricity-onsite_renewable_self_used-quantity", "60000")
    page.fill("#electricity-green_certificates-0-serial", "GEC202400000001")
    page.fill("#electricity-green_certificates-0-count", "800,000")
    # a product found by typing part of its name (the filter box is the script's)
    page.fill(".sa-filter >> nth=0", "熟料")
    page.select_option("#production-0-benchmark", "cement_clinker_energy")
    page.fill("#production-0-output-quantity", "1,000,000")
    page.fill("#production-0-energy-quantity", "98,000")
    page.select_option("#production-0-energy-unit", "tce")
    for declaration in ("compliance_3y", "no_obsolete_equipment", "zero_carbon_plan"):
        page.select_option(f"#declarations-{declaration}", "yes")
    page.select_option("#declarations-green_factory_title", "none")
    page.click(".sa-actions button[type=submit]")
    expect(page.locator(".flash").first).to_contain_text("已保存")

    # shown back with separators, exactly as typed
    expect(page.locator("#electricity-grid_purchase-quantity")).to_have_value("2,700,000")
    expect(page.locator("#energy-natural_gas-quantity")).to_have_value("120,000")
    expect(page.locator("#electricity-green_certificates-0-count")).to_have_value("800,000")
    summary = page.locator(".sa-summary")
    expect(summary).to_contain_text("总分")
    expect(summary).to_contain_text("F-G2")  # no green factory title: a basic requirement unmet
    expect(page.locator(".sa-progress li.done")).not_to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / f"selfassessment-saved-{width}.png"), full_page=True)
    no_sideways_scroll(page, width, "the saved form")

    form_box = page.locator("form.sa-main").bounding_box()
    summary_box = summary.bounding_box()
    if width >= 1000:  # beside the form, and still in view at its last section
        assert summary_box["x"] >= form_box["x"] + form_box["width"] - 1
        page.locator("#sec-declarations").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"selfassessment-scrolled-{width}.png"))
        box = summary.bounding_box()
        assert box["y"] >= 0 and box["y"] + 40 <= 900, box
    else:  # above the form, linking to the full result below it
        assert summary_box["y"] < form_box["y"]
        page.click(".sa-summary a[href='#result']")
        expect(page.locator("#result section.result")).to_be_in_viewport()

    # an invalid number: a Chinese message on the field and in the summary, nothing saved
    page.fill("#electricity-grid_purchase-quantity", "2,70,000")
    page.click(".sa-actions button[type=submit]")
    expect(page.locator(".error-summary")).to_contain_text("千位分隔符位置不对")
    expect(page.locator("#electricity-grid_purchase-quantity-error")).to_be_visible()
    expect(page.locator("#electricity-grid_purchase-quantity")).to_have_value("2,70,000")
    page.goto(f"{app.base_url}/applications/{application_id}/edit")
    expect(page.locator("#electricity-grid_purchase-quantity")).to_have_value("2,700,000")

    # Enter in a field saves (never 添加)
    page.fill("#electricity-grid_purchase-quantity", "2 800 000")
    page.press("#electricity-grid_purchase-quantity", "Enter")
    expect(page.locator(".flash").first).to_contain_text("已保存")
    expect(page.locator("#electricity-grid_purchase-quantity")).to_have_value("2,800,000")


@pytest.mark.parametrize("width", [390, 1366])
def test_a_park_adds_a_member_and_its_carriers(live_app, browser_page, width):
    app, page = live_app, browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    application_id = new_draft(app, "park")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, app, "a@x.cn")
    page.goto(f"{app.base_url}/applications/{application_id}/edit")
    page.fill("#members-0-name", "贵州某某化工有限公司")
    page.locator("#sec-members details").first.evaluate("d => d.open = true")
    page.select_option("#members-0-new_carrier", "coke")
    page.click("button[name=add_carrier][value='members-0-']")
    expect(page.locator("#members-0-name")).to_have_value("贵州某某化工有限公司")
    page.fill("#members-0-energy-coke-quantity", "12,000")
    page.click(".sa-actions button[type=submit]")
    expect(page.locator(".flash").first).to_contain_text("已保存")
    expect(page.locator("#members-0-energy-coke-quantity")).to_have_value("12,000")
    expect(page.locator(".sa-progress")).to_contain_text("园区企业")
    page.screenshot(path=str(ARTIFACTS / f"selfassessment-park-{width}.png"), full_page=True)
    no_sideways_scroll(page, width, "the park form")
