"""A refused evidence upload in a real browser: the application page again with the problem in
the summary at the top, the summary's link landing on the file input, the kind kept, at 390 px
and 1366 px without horizontal scrolling. Screenshots go to tests/e2e/artifacts/ for a look."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_check_answers import draft_with_a_file, no_sideways_scroll
from tests.e2e.test_journey import sign_in


@pytest.mark.parametrize("width", [390, 1366])
def test_a_refused_upload_reads_at_the_top_and_beside_the_file(live_app, browser_page, width,
                                                               tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    app, page = live_app, browser_page
    application_id = draft_with_a_file(app, Path(app.config["UPLOAD_FOLDER"]))
    fake = tmp_path / "营业执照.pdf"
    fake.write_bytes(b"<html>not a pdf</html>")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, app, "a@x.cn")
    page.goto(f"{app.base_url}/applications/{application_id}")
    page.select_option("#item", "other")
    page.set_input_files("#file", str(fake))
    page.click("main button:has-text('上传')")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("文件内容与扩展名")
    expect(page.locator("#file-error")).to_contain_text("文件内容与扩展名")
    expect(page.locator("#item option:checked")).to_have_text("其他材料")
    no_sideways_scroll(page, width, "application-refused-upload")
    summary.locator("a[href='#file']").click()
    assert page.url.endswith("#file")
    page.locator("#file").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"application-refused-upload-field-{width}.png"))
