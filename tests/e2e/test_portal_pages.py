"""The public front door, a notice and the download centre in chromium: at 390 px (a phone) and
1366 px, nothing scrolls sideways. Screenshots go to tests/e2e/artifacts/ for a look."""

import pytest

from assessor.demo.load import load_demo
from assessor.platform import db
from assessor.platform.engine_service import criteria_engine
from assessor.platform.viewkit import today
from tests.e2e.conftest import ARTIFACTS


@pytest.fixture
def demo(live_app):
    with live_app.app_context():
        load_demo(db.session(), criteria_engine(), today())


PAGES = (("portal-front-door", "/", "正在申报"),
         ("portal-notice", "/notices/1", "承诺书.pdf"),
         ("portal-notices", "/notices", "通知公告"),
         ("portal-downloads", "/downloads", "Excel 模板"),
         ("portal-guide", "/downloads/guide", "申报步骤"),
         ("portal-commitment", "/downloads/commitment", "法定代表人"),
         ("portal-objection-lookup", "/objections/lookup", "异议受理编号"))


def test_the_public_pages_fit_a_phone_and_a_laptop(live_app, demo, browser_page):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_page
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 844})
        for name, path, text in PAGES:
            answer = page.goto(live_app.base_url + path)
            assert answer.status == 200, path
            assert text in page.content(), path
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{path} scrolls sideways at {width} px: {scroll} px"


def test_a_visitor_goes_from_the_front_door_to_a_notice_and_its_file(live_app, demo,
                                                                     browser_page):
    page = browser_page
    page.goto(live_app.base_url + "/")
    assert "登录" in page.locator("header").inner_text()  # signing in is a link, not the page
    page.click("text=关于开展零碳工厂和零碳工业园区培育名单申报工作的通知（演示）")
    assert "/notices/" in page.url and "黔工信节能" in page.content()
    with page.expect_download() as download:
        page.click("text=承诺书.pdf")
    assert download.value.suggested_filename == "承诺书.pdf"


def test_an_officer_writes_publishes_and_withdraws_a_notice_on_a_phone(live_app, demo,
                                                                       browser_page, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_app.base_url + "/login")
    page.fill("#email", "province1@demo.example.com")
    page.fill("#password", "Guizhou-demo-2024")
    page.click("main button[type=submit]")
    page.click("header >> text=通知公告管理")
    page.click("text=新建通知公告")
    page.fill("#body", "各有关单位：\n\n请于3月底前报送。")
    fake = tmp_path / "说明.pdf"
    fake.write_bytes(b"not a pdf at all")
    page.set_input_files("#attachments", str(fake))
    page.click("main form.notice-form button[type=submit]")
    assert "请填写标题" in page.content() and "文件内容与扩展名 .pdf 不符" in page.content()
    page.screenshot(path=str(ARTIFACTS / "portal-officer-refused-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.fill("#title", "关于报送2024年度能源数据的通知（演示）")
    fake.write_bytes(b"%PDF-1.4\n% a real enough pdf\n")
    page.set_input_files("#attachments", str(fake))
    page.click("main form.notice-form button[type=submit]")
    assert "通知草稿已保存" in page.content()
    page.click("main button:text-is('发布')")
    assert "通知已发布" in page.content()
    page.screenshot(path=str(ARTIFACTS / "portal-officer-published-390.png"), full_page=True)
    public = page.url.replace("/portal/notices/", "/notices/")
    page.fill("#reason", "日期有误")
    page.click("main button:text-is('撤回')")
    assert "通知已撤回" in page.content()
    answer = page.goto(public)
    assert answer.status == 410 and "该通知已撤回" in page.content()
