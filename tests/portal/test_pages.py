"""The front door and the notice pages through the test client: what a visitor sees, what an
officer does, and who is turned away."""

import io
import re

from sqlmodel import func, select

from assessor.portal.models import Notice, NoticeAttachment

PDF = b"%PDF-1.4\n%test\n" + b"0" * 100
CJK = re.compile(r"[\u4e00-\u9fff]")


def _form(**changes):
    data = {"title": "关于开展2025年度申报工作的通知", "number": "黔工信节能〔2025〕8号",
            "issued_on": "2025-02-01", "body": "各有关单位：\n\n现将有关事项通知如下。",
            "attachments": (io.BytesIO(PDF), "附件1.pdf")}
    data.update(changes)
    return data


def _create(client, **changes) -> int:
    answer = client.post("/portal/notices/new", data=_form(**changes),
                         content_type="multipart/form-data")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_a_visitor_gets_the_front_door_not_the_sign_in_page(client, factory_round):
    answer = client.get("/")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "贵州省零碳工厂·零碳工业园区培育名单" in page and factory_round.title in page
    assert "2025-04-30" in page and "还剩 60 天" in page  # TODAY is 2025-03-01
    assert f'/downloads/rounds/{factory_round.id}/criteria.pdf' in page
    for link in ("/notices", "/downloads", "/lists", "/verify", "/objections/lookup", "/login"):
        assert f'href="{link}' in page
    assert 'name="password"' not in page  # signing in is a link, not this page


def test_a_signed_in_user_still_gets_the_dashboard(applicant_client):
    page = applicant_client.get("/").get_data(as_text=True)
    assert "工作台" in page and "正在申报" not in page


def test_the_english_front_door_and_pages_have_no_chinese(client):
    client.post("/language", data={"locale": "en", "next": "/"})
    for path in ("/", "/notices", "/downloads", "/objections/lookup"):
        page = client.get(path).get_data(as_text=True)
        text = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1].split("</main>")[0])
        assert not CJK.search(text), (path, CJK.findall(text)[:10])


def test_an_officer_publishes_and_withdraws_and_the_public_follows(province_client, client, dbs):
    notice_id = _create(province_client)
    assert client.get(f"/notices/{notice_id}").status_code == 404  # a draft is nobody's business
    assert "关于开展2025年度申报工作的通知" not in client.get("/").get_data(as_text=True)
    assert province_client.post(f"/portal/notices/{notice_id}/publish").status_code == 302

    page = client.get(f"/notices/{notice_id}").get_data(as_text=True)
    assert "黔工信节能〔2025〕8号" in page and "现将有关事项通知如下" in page
    attachment = dbs.exec(select(NoticeAttachment)).one()
    download = client.get(f"/notices/{notice_id}/files/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    assert "关于开展2025年度申报工作的通知" in client.get("/").get_data(as_text=True)
    assert "关于开展2025年度申报工作的通知" in client.get("/notices").get_data(as_text=True)

    province_client.post(f"/portal/notices/{notice_id}/withdraw", data={"reason": "文号有误"})
    assert "关于开展2025年度申报工作的通知" not in client.get("/notices").get_data(as_text=True)
    gone = client.get(f"/notices/{notice_id}")
    assert gone.status_code == 410 and "该通知已撤回" in gone.get_data(as_text=True)
    assert "文号有误" in gone.get_data(as_text=True)
    assert client.get(f"/notices/{notice_id}/files/{attachment.id}").status_code == 404


def test_bad_input_is_refused_whole_and_shown_at_each_field(province_client, dbs):
    answer = province_client.post("/portal/notices/new", data=_form(
        title="", issued_on="not a date", body="x" * 20001,
        attachments=(io.BytesIO(b"MZ not a pdf"), "病毒.pdf")), content_type="multipart/form-data")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "请填写标题" in page and "请填写发布日期" in page and "20,001" in page
    assert "文件内容与扩展名 .pdf 不符" in page
    assert dbs.exec(select(func.count(Notice.id))).one() == 0
    assert dbs.exec(select(func.count(NoticeAttachment.id))).one() == 0


def test_others_are_turned_away(client, applicant_client, city_client, province_client):
    notice_id = _create(province_client)
    assert client.get("/portal/notices/").status_code == 302  # to sign in
    for other in (applicant_client, city_client):
        assert other.get("/portal/notices/").status_code == 404
        assert other.get(f"/portal/notices/{notice_id}").status_code == 404
        assert other.post(f"/portal/notices/{notice_id}/publish").status_code == 404
        assert other.post("/portal/notices/new", data=_form(),
                          content_type="multipart/form-data").status_code == 404
    assert client.get(f"/notices/{notice_id}").status_code == 404  # still a draft


def test_a_published_notice_cannot_be_edited_through_the_form(province_client, dbs):
    notice_id = _create(province_client)
    province_client.post(f"/portal/notices/{notice_id}/publish")
    answer = province_client.post(f"/portal/notices/{notice_id}", data=_form(title="改过"),
                                  content_type="multipart/form-data")
    assert answer.status_code == 302
    assert "不能再修改" in province_client.get(answer.headers["Location"]).get_data(as_text=True)
    dbs.expire_all()
    assert dbs.get(Notice, notice_id).title == "关于开展2025年度申报工作的通知"
