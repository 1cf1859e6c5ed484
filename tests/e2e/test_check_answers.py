"""Submitting in a real browser: the application page → "check your answers" (missing evidence
kinds, failed gates, the commitment letter) → submitted, at 390 px and 1366 px without
horizontal scrolling. Screenshots go to tests/e2e/artifacts/ for a look."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from assessor.accounts import services as accounts
from assessor.applications import services
from assessor.platform import db
from assessor.platform.engine_service import criteria_engine
from assessor.rounds.models import Round
from tests.conftest import factory_submission
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_journey import PASSWORD, PDF, sign_in, staff
from tests.fixtures import organisation

TODAY = date(2025, 3, 3)  # the live app's


def draft_with_a_file(app, folder: Path) -> int:
    """A Guiyang factory's draft without a green factory title (F-G2 fails), with one file."""
    staff(app)
    with app.app_context():
        session = db.session()
        applicant = accounts.register_applicant(session, organisation=organisation(),
                                                email="a@x.cn", name="申报人", password=PASSWORD)
        round_ = session.exec(select(Round)).one()
        application = services.create(session, applicant, round_, TODAY)
        data = factory_submission(reporting_year=2024, declarations={
            "compliance_3y": True, "green_factory_title": "none",
            "no_obsolete_equipment": True, "zero_carbon_plan": True})
        services.save_draft(session, criteria_engine(), applicant, application, data, 0, TODAY)
        services.add_evidence(session, applicant, application, item="zero_carbon_plan",
                              filename="零碳工厂建设方案及机构设置文件（2024年修订版）.pdf",
                              content=PDF, folder=folder, today=TODAY)
        application_id = application.id
        db.close_session()
    return application_id


def no_sideways_scroll(page, width: int, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name} scrolls sideways at {width} px: {scroll} px"


@pytest.mark.parametrize("width", [390, 1366])
def test_check_answers_then_submit(live_app, browser_page, width):
    ARTIFACTS.mkdir(exist_ok=True)
    app, page = live_app, browser_page
    application_id = draft_with_a_file(app, Path(app.config["UPLOAD_FOLDER"]))
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, app, "a@x.cn")
    page.goto(f"{app.base_url}/applications/{application_id}")
    expect(page.locator(".missing-evidence")).to_contain_text("合规经营承诺书及信用查询记录")
    expect(page.locator("#item option:checked")).to_have_text("请选择材料用途")
    no_sideways_scroll(page, width, "application-draft")

    page.click("main a:has-text('核对并提交')")
    main = page.locator("main")
    expect(main).to_contain_text("提交前核对")
    expect(page.locator("table.checklist tr.missing")).to_contain_text(["合规经营承诺书"])
    expect(page.locator("table.checklist tr.present")).to_contain_text(["零碳工厂建设方案"])
    expect(page.locator("ul.failed-gates")).to_contain_text("F-G2")
    expect(main).to_contain_text("企业承诺书")
    no_sideways_scroll(page, width, "check-answers")

    # without the tick: refused, the summary links to the box
    page.fill("#signer_name", "张伟")
    page.fill("#signer_position", "总经理")
    page.click("main button:has-text('确认并提交')")
    expect(page.locator(".error-summary")).to_contain_text("提交前须阅读并勾选承诺书")
    no_sideways_scroll(page, width, "check-answers-refused")
    page.check("#agreed")
    page.click("main button:has-text('确认并提交')")
    expect(main).to_contain_text("申报已提交")
    expect(main).to_contain_text("张伟")
    no_sideways_scroll(page, width, "submitted")
    page.click("main a:has-text('返回申报')")
    expect(main).to_contain_text("已提交，待市（州）推荐")
