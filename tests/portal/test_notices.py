"""通知公告: officers write, publish and withdraw; the public sees published ones only; every
refusal leaves everything as it was."""

from datetime import date
from pathlib import Path

import pytest
from flask import current_app
from sqlmodel import func, select

from assessor.audit import AuditEvent
from assessor.portal import services
from assessor.portal.models import Notice, NoticeAttachment

PDF = b"%PDF-1.4\n%demo\n" + b"0" * 200


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _notice(dbs, officer, **changes):
    fields = {"title": "关于开展申报工作的通知", "number": "黔工信节能〔2025〕8号",
              "issued_on": date(2025, 2, 1), "body": "各有关单位：\r\n\r\n现将有关事项通知如下。",
              "attachments": [("附件1.pdf", PDF)], "folder": _folder()}
    return services.create_notice(dbs, officer, **{**fields, **changes})


def _count(dbs, model) -> int:
    return dbs.exec(select(func.count()).select_from(model)).one()


def test_a_draft_is_published_and_withdrawn_with_every_step_audited(dbs, people):
    officer = people["province_officer"]
    notice = _notice(dbs, officer)
    assert notice.state == "draft" and notice.body == "各有关单位：\n\n现将有关事项通知如下。"
    (attachment,) = services.attachments_of(dbs, notice)
    assert attachment.content_type == "application/pdf" and len(attachment.sha256) == 64
    assert (_folder() / attachment.stored).read_bytes() == PDF
    services.publish_notice(dbs, officer, notice)
    services.withdraw_notice(dbs, officer, notice, "文号有误，另行发布")
    assert notice.state == "withdrawn" and notice.withdrawal_reason == "文号有误，另行发布"
    actions = dbs.exec(select(AuditEvent.action).where(AuditEvent.object_type == "notice")
                       .order_by(AuditEvent.id)).all()
    assert actions == ["create_notice", "publish_notice", "withdraw_notice"]


@pytest.mark.parametrize("role", ["applicant", "city_officer", "expert", "admin"])
def test_only_province_officers_write_notices(dbs, people, role):
    with pytest.raises(services.NoticeError):
        _notice(dbs, people[role])
    assert _count(dbs, Notice) == 0


def test_bad_input_is_refused_whole_with_each_field_named(dbs, people):
    with pytest.raises(services.NoticeError) as refused:
        _notice(dbs, people["province_officer"], title=" ", body="x" * 20001, issued_on=None,
                attachments=[("好的.pdf", PDF), ("伪装.pdf", b"MZ\x90\x00 not a pdf")])
    fields = [field for field, _message in refused.value.each]
    assert fields == ["title", "issued_on", "body", "attachments"]
    assert "20,001" in refused.value.zh and "伪装.pdf" in refused.value.zh
    assert _count(dbs, Notice) == 0 and _count(dbs, NoticeAttachment) == 0
    assert not _folder().exists() or not any(_folder().iterdir())  # no file written either


def test_a_published_notice_cannot_be_edited_and_a_draft_cannot_be_withdrawn(dbs, people):
    officer = people["province_officer"]
    notice = _notice(dbs, officer)
    with pytest.raises(services.NoticeError):
        services.withdraw_notice(dbs, officer, notice, "理由")
    services.publish_notice(dbs, officer, notice)
    with pytest.raises(services.NoticeError):
        services.update_notice(dbs, officer, notice, title="改过的标题", number="",
                               issued_on=date(2025, 2, 2), body="新正文", folder=_folder())
    with pytest.raises(services.NoticeError):
        services.withdraw_notice(dbs, officer, notice, "  ")
    dbs.refresh(notice)
    assert notice.title == "关于开展申报工作的通知" and notice.state == "published"


def test_editing_a_draft_adds_and_removes_files(dbs, people):
    officer = people["province_officer"]
    notice = _notice(dbs, officer)
    (first,) = services.attachments_of(dbs, notice)
    services.update_notice(dbs, officer, notice, title="新标题", number="", issued_on=date(2025, 2, 3),
                           body="新正文", attachments=[("表格.xlsx", b"PK\x03\x04rest")],
                           remove=[first.id], folder=_folder())
    assert [a.name for a in services.attachments_of(dbs, notice)] == ["表格.xlsx"]
    assert notice.title == "新标题" and notice.number == ""


def test_too_many_files_are_refused(dbs, people):
    files = [(f"{n}.pdf", PDF) for n in range(services.MAX_ATTACHMENTS + 1)]
    with pytest.raises(services.NoticeError) as refused:
        _notice(dbs, people["province_officer"], attachments=files)
    assert refused.value.each[0][0] == "attachments"
    assert _count(dbs, NoticeAttachment) == 0
