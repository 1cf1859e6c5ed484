"""The whole journey in a real browser: an enterprise registers, fills its self-assessment and
submits; the city recommends; the province accepts and assigns experts; experts declare and
score; the officer decides, runs publicity, publishes the list and issues the certificate; a
visitor verifies it by serial."""

import email
import email.policy
import re
import socket
from contextlib import contextmanager
from datetime import date

import openpyxl
from playwright.sync_api import Page, expect

from assessor.accounts import services as accounts
from assessor.platform import db
from assessor.rounds import services as rounds

PASSWORD = "e2e-password-long"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def staff(app):
    """The department's people, created as an administrator would (CLI or admin page)."""
    from assessor.platform.engine_service import criteria_engine

    with app.app_context():
        session = db.session()
        make = {}
        for email, role, city in (("city@gov.cn", "city_officer", "guiyang"),
                                  ("province@gov.cn", "province_officer", None),
                                  ("e1@gov.cn", "expert", None), ("e2@gov.cn", "expert", None),
                                  ("e3@gov.cn", "expert", None)):
            make[email] = accounts.create_staff(session, email=email, name=email.split("@")[0],
                                                role=role, city=city, password=PASSWORD)
        rounds.open_round(session, criteria_engine(), make["province@gov.cn"],
                          title="2025年零碳工厂评价申报", subject="factory", year=2024,
                          criteria_id="GZ-F-2024", opens_on=date(2025, 2, 1),
                          closes_on=date(2025, 4, 30), publicity_days=5)
        db.close_session()


@contextmanager
def inbox(app):
    """Mail the app sends inside the block, as text (an SMTP server on a free local port)."""
    from aiosmtpd.controller import Controller

    messages = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            messages.append(parsed.get_content())
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    try:
        yield messages
    finally:
        app.config.update(SMTP_HOST="")
        controller.stop()


def sign_in(page: Page, app, email: str, password: str = PASSWORD):
    page.goto(f"{app.base_url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("工作台")


def sign_out(page: Page):
    page.click("header button:has-text('退出')")


def test_the_whole_journey(live_app, browser_page, tmp_path):
    app, page = live_app, browser_page
    staff(app)

    # an enterprise registers
    page.goto(f"{app.base_url}/register")
    page.fill("#org_name", "贵州㵲阳河喆堃新材料有限公司")
    page.fill("#uscc", "91350100m000100y43")  # lower case: normalised
    page.select_option("#kind", "factory")
    page.select_option("#city", "guiyang")
    page.fill("#industry", "C3985")
    page.fill("#address", "贵阳市观山湖区示例路1号")
    page.fill("#contact_name", "张工")
    page.fill("#contact_phone", "0851-88886666")
    page.fill("#name", "张工")
    page.fill("#email", "zhang@example.com")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    with inbox(app) as messages:
        page.click("main button[type=submit]")
        expect(page.locator(".flash").first).to_contain_text("若信息有效")
    # a Fujian (3501) code for a Guiyang factory: a warning, not a refusal
    expect(page.locator(".flash.warning")).to_contain_text("350100")
    # ... and follows the link mailed to it
    link = re.search(r"http://\S+/register/confirm/[\w-]+", messages[0])[0]
    page.goto(link)
    page.fill("#password", PASSWORD)  # the one chosen when registering
    page.click("main button:has-text('确认注册')")
    expect(page.locator(".flash")).to_contain_text("注册成功")

    # fills the self-assessment by hand and sees the score explained
    page.click("nav >> text=申报")
    page.click("main button:has-text('填报')")
    page.select_option("#new_carrier", "natural_gas")  # only the carriers the plant uses
    page.click("button[name=add_carrier]")
    page.fill("#energy-natural_gas-quantity", "10")
    page.select_option("#energy-natural_gas-unit", "万Nm3")
    page.fill("#electricity-grid_purchase-quantity", "20000")
    page.fill("#electricity-green_power_trading-quantity", "12000")
    page.fill("#electricity-direct_green_supply-quantity", "6000")
    page.fill("#electricity-onsite_renewable_self_used-quantity", "6000")
    page.fill("#electricity-green_certificates-0-serial", "GEC202400000001")
    page.fill("#electricity-green_certificates-0-count", "8000")
    page.fill("#offsets-0-serial", "CCER-GZ-000001")
    page.fill("#offsets-0-count", "300")
    page.fill("#offsets-0-quantity", "300")
    for declaration in ("compliance_3y", "no_obsolete_equipment", "zero_carbon_plan"):
        page.select_option(f"#declarations-{declaration}", "yes")
    page.select_option("#declarations-green_factory_title", "national")
    page.click(".sa-actions button:has-text('保存并计算')")
    expect(page.locator(".flash")).to_contain_text("已保存")
    result = page.locator("section.result")
    expect(result).to_contain_text("评价结果")
    expect(result).to_contain_text("综合能耗")
    expect(result).to_contain_text("F-G6")

    # ... and by Excel: download the template (the draft prefilled), add diesel, upload,
    # see the change listed, confirm
    with page.expect_download() as download:
        page.click("text=下载 Excel 模板")
    template = tmp_path / "模板.xlsx"
    download.value.save_as(template)
    workbook = openpyxl.load_workbook(template)
    energy = workbook["能源消费"]
    for row in energy.iter_rows(min_row=2):
        if row[0].value == "diesel":
            row[2].value = 12.5
    filled = tmp_path / "自评价.xlsx"
    workbook.save(filled)
    page.set_input_files("#excel-file", str(filled))
    page.click("main button:has-text('上传并预览')")
    expect(page.locator("main")).to_contain_text("确认变化")
    expect(page.locator("main")).to_contain_text("12.5")
    page.click("main button:has-text('确认导入并保存草稿')")
    expect(page.locator("#energy-diesel-quantity")).to_have_value("12.5")

    # a wrong value is refused beside its field, nothing saved
    page.select_option("#new_carrier", "coke")
    page.click("button[name=add_carrier]")
    page.fill("#energy-coke-quantity", "-3")
    page.click(".sa-actions button:has-text('保存并计算')")
    expect(page.locator(".error-summary")).to_contain_text("不能为负数")
    page.fill("#energy-coke-quantity", "")

    # attaches evidence and submits
    page.click("text=返回申报")
    evidence = tmp_path / "核查报告.pdf"
    evidence.write_bytes(PDF)
    page.select_option("#item", "ghg_report")
    page.set_input_files("#file", str(evidence))
    page.click("main button:has-text('上传')")
    expect(page.locator(".flash")).to_contain_text("文件已上传")
    application_url = page.url.split("#")[0]
    page.click("main a:has-text('核对并提交')")  # check your answers, sign the commitment
    page.check("#agreed")
    page.fill("#signer_name", "张伟")
    page.fill("#signer_position", "总经理")
    page.click("main button:has-text('确认并提交')")
    expect(page.locator("main")).to_contain_text("申报已提交")
    page.goto(application_url)
    expect(page.locator("main")).to_contain_text("已提交，待市（州）推荐")
    sign_out(page)

    # the city officer recommends, with its 推荐意见
    sign_in(page, app, "city@gov.cn")
    page.goto(application_url)
    page.fill("#reason-recommend", "数据经核对属实，同意推荐。")
    page.click("main button:has-text('推荐')")
    expect(page.locator("main")).to_contain_text("市（州）已推荐")
    sign_out(page)

    # the province officer accepts and assigns experts automatically
    sign_in(page, app, "province@gov.cn")
    page.goto(application_url)
    page.click("main button:has-text('形式审查通过')")
    expect(page.locator("main")).to_contain_text("专家评审中")
    page.click("nav >> text=申报批次")
    page.click("text=专家评审")
    page.click("main button:has-text('自动分配专家')")
    expect(page.locator(".flash")).to_contain_text("已自动分配 3 个评审任务")
    sign_out(page)

    # each expert declares no conflict and scores
    for expert in ("e1@gov.cn", "e2@gov.cn", "e3@gov.cn"):
        sign_in(page, app, expert)
        page.click("nav >> text=评审任务")
        page.click("main table a")
        expect(page.locator("main")).not_to_contain_text("综合能耗")  # nothing before declaring
        page.check("input[name=no_conflict]")
        page.click("main button:has-text('声明无利益冲突')")
        expect(page.locator("main")).to_contain_text("逐项评分")
        for select in page.locator("select[name^=score-]").all():
            options = select.locator("option").all()
            select.select_option(options[-1].get_attribute("value"))
        for comment in page.locator("textarea[name^=comment-]").all():
            comment.fill("依据现场材料")
        page.fill("#opinion", "材料齐全，绿电凭证可核查，同意列入。")
        page.select_option("#recommendation", "approve")
        page.click("main button:has-text('提交评审')")
        expect(page.locator(".flash")).to_contain_text("评审已提交")
        sign_out(page)

    # the officer decides on the review summary
    sign_in(page, app, "province@gov.cn")
    page.goto(application_url)
    page.click("text=专家评审与决定")
    expect(page.locator("main")).to_contain_text("逐项比较")
    page.fill("#reason-approve", "专家一致建议通过")
    page.click("main button:has-text('决定通过')")
    expect(page.locator(".flash")).to_contain_text("决定已记录")

    # publicity, then the list and the certificate
    page.click("nav >> text=申报批次")
    page.click("text=公示与名单")
    page.fill("#starts_on", "2025-03-03")
    page.click("main button:has-text('开始公示')")
    expect(page.locator(".flash")).to_contain_text("公示已开始")
    app.config["TODAY"] = date(2025, 3, 20)  # the period is over
    page.reload()  # publishing was shown disabled during the period
    page.check("#publish-confirm")  # publishing asks for a confirmation
    page.click("main button:has-text('发布培育名单')")  # without the list's 文号: refused
    expect(page.locator(".error-summary")).to_contain_text("请填写名单的文号")
    page.fill("#document_number", "黔工信节能[2025]12号")
    page.check("#publish-confirm")
    page.click("main button:has-text('发布培育名单')")
    expect(page.locator(".flash")).to_contain_text("培育名单已发布")
    expect(page.locator("main")).to_contain_text("黔工信节能〔2025〕12号")
    page.check("#issue-confirm")
    page.click("main button:has-text('签发证书')")
    serial = page.locator("main a[href^='/verify/']").first.inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", serial)
    sign_out(page)

    # a visitor verifies the certificate by its serial
    page.goto(f"{app.base_url}/verify")
    page.fill("#serial", serial)
    page.click("main button:has-text('验证')")
    expect(page.locator("main")).to_contain_text("有效")
    expect(page.locator("main")).to_contain_text("贵州㵲阳河喆堃新材料有限公司")
    page.goto(f"{app.base_url}/lists")
    expect(page.locator("main")).to_contain_text("2025年零碳工厂评价申报")
