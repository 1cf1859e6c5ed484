"""通知公告: province officers write drafts, publish them and withdraw them. Every change is
audited; a refusal changes nothing (checked whole before a file is written or a row added)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from sqlmodel import Session, select

from .. import audit
from ..accounts.models import PROVINCE_OFFICER, User
from ..applications import evidence as files
from ..platform.db import utcnow
from ..platform.i18n import join, punct
from ..platform.refusal import Refused
from .models import Notice, NoticeAttachment

TITLE_MAX, NUMBER_MAX, BODY_MAX, REASON_MAX = 200, 100, 20000, 500
MAX_ATTACHMENTS = 10  # per notice
ATTACHMENT_BYTES = 10 * 1024 * 1024


class NoticeError(Refused):
    """A refused notice or change to one; `each`: (field, message) when several fields are
    refused at once, so a form can show each message at its field."""

    def __init__(self, zh: str, field: str | None = None, *, each=(), **kwargs):
        super().__init__(zh, field, **kwargs)
        self.each = list(each)


def _officer(actor: User) -> None:
    if actor.role != PROVINCE_OFFICER or not actor.active:
        raise NoticeError(_("只有省厅工作人员可以管理通知公告"), kind="forbidden")


def _draft(notice: Notice) -> None:
    if notice.state != "draft":
        raise NoticeError(_("通知已发布或已撤回，不能再修改；如需更正请撤回后另发新通知"))


def _field_problems(title: str, number: str, issued_on: date | None, body: str
                    ) -> list[tuple[str, str]]:
    """(field, message) for every reason to refuse the fields, all at once."""
    problems = [(field, message) for field, value, message in (
        ("title", title, _("请填写标题")), ("body", body, _("请填写正文"))) if not value.strip()]
    if issued_on is None:
        problems.append(("issued_on", _("请填写发布日期")))
    problems += [(field, _("“%(field)s”最多 %(limit)s 字（收到 %(got)s 字），请精简后再保存",
                           field=label, limit=f"{limit:,}", got=f"{len(value.strip()):,}"))
                 for field, value, limit, label in (
                     ("title", title, TITLE_MAX, _("标题")), ("number", number, NUMBER_MAX, _("文号")),
                     ("body", body, BODY_MAX, _("正文")))
                 if len(value.strip()) > limit]  # the columns' sizes: refused, never cut
    return problems


def _checked_files(attachments: Sequence[tuple[str, bytes]], already: int, max_bytes: int
                   ) -> list[tuple[str, bytes, str]]:
    """(filename, content, content type) of every file, or one refusal naming every problem."""
    attachments = [(name, content) for name, content in attachments if name and content]
    problems, checked = [], []
    if already + len(attachments) > MAX_ATTACHMENTS:
        problems.append(_("每份通知最多 %(n)s 个附件（将有 %(got)s 个）", n=MAX_ATTACHMENTS,
                          got=already + len(attachments)))
    for filename, content in attachments:
        name = files.safe_name(filename)
        if len(content) > max_bytes:
            problems.append(_("附件“%(name)s”超过 %(limit)s MB，请压缩后上传", name=name,
                              limit=f"{max_bytes / 1048576:g}"))
            continue
        try:
            checked.append((name, content, files.identify(filename, content[:16])))
        except files.EvidenceError as error:
            problems.append(f"{name}{punct.colon}{error.zh}")
    if problems:
        raise NoticeError(join(problems), "attachments")
    return checked


def _checked(title: str, number: str, issued_on: date | None, body: str, attachments,
             already: int, max_bytes: int) -> list[tuple[str, bytes, str]]:
    """The files checked, or one refusal with every problem of the fields and the files."""
    problems = _field_problems(title, number, issued_on, body)
    checked = []
    try:
        checked = _checked_files(attachments, already, max_bytes)
    except NoticeError as error:
        problems.append(("attachments", error.zh))
    if problems:
        raise NoticeError(join(message for _field, message in problems), problems[0][0],
                          each=problems)
    return checked


def _text(body: str) -> str:
    """Plain text with one kind of line end (browsers send CR LF)."""
    return body.replace("\r\n", "\n").replace("\r", "\n").strip()


def _attach(db: Session, actor: User, notice: Notice, checked, folder: Path) -> None:
    for name, content, content_type in checked:
        stored, sha256 = files.store(folder, content)
        db.add(NoticeAttachment(notice_id=notice.id, name=name, stored=stored, sha256=sha256,
                                content_type=content_type, size=len(content), added_by=actor.id))


def create_notice(db: Session, actor: User, *, title: str, number: str, issued_on: date | None,
                  body: str, attachments: Sequence[tuple[str, bytes]] = (), folder: Path,
                  max_bytes: int = ATTACHMENT_BYTES) -> Notice:
    """A draft notice with its files; nobody but officers sees it until it is published."""
    _officer(actor)
    checked = _checked(title, number, issued_on, body, attachments, 0, max_bytes)
    notice = Notice(title=title.strip(), number=number.strip(), issued_on=issued_on,
                    body=_text(body), created_by=actor.id, updated_by=actor.id)
    db.add(notice)
    db.flush()
    _attach(db, actor, notice, checked, folder)
    audit.record(db, actor_id=actor.id, action="create_notice", object_type="notice",
                 object_id=notice.id, to_state="draft",
                 details={"title": notice.title, "files": [c[0] for c in checked]})
    db.commit()
    return notice


def update_notice(db: Session, actor: User, notice: Notice, *, title: str, number: str,
                  issued_on: date | None, body: str, attachments: Sequence[tuple[str, bytes]] = (),
                  remove: Sequence[int] = (), folder: Path,
                  max_bytes: int = ATTACHMENT_BYTES) -> Notice:
    """A draft's fields replaced; files added and removed (`remove`: attachment ids)."""
    _officer(actor)
    _draft(notice)
    current = attachments_of(db, notice)
    dropped = [a for a in current if a.id in set(remove)]
    checked = _checked(title, number, issued_on, body, attachments, len(current) - len(dropped),
                       max_bytes)
    notice.title, notice.number, notice.issued_on = title.strip(), number.strip(), issued_on
    notice.body = _text(body)
    notice.updated_by, notice.updated_at = actor.id, utcnow()
    for attachment in dropped:  # the file stays on disk: the audit log names its hash
        db.delete(attachment)
    _attach(db, actor, notice, checked, folder)
    db.add(notice)
    audit.record(db, actor_id=actor.id, action="edit_notice", object_type="notice",
                 object_id=notice.id, details={
                     "title": notice.title, "added": [c[0] for c in checked],
                     "removed": [{"name": a.name, "sha256": a.sha256} for a in dropped]})
    db.commit()
    return notice


def publish_notice(db: Session, actor: User, notice: Notice) -> Notice:
    _officer(actor)
    if notice.state != "draft":
        raise NoticeError(_("只有草稿可以发布"))
    notice.state, notice.published_by, notice.published_at = "published", actor.id, utcnow()
    db.add(notice)
    audit.record(db, actor_id=actor.id, action="publish_notice", object_type="notice",
                 object_id=notice.id, from_state="draft", to_state="published",
                 details={"title": notice.title, "number": notice.number,
                          "files": [{"name": a.name, "sha256": a.sha256}
                                    for a in attachments_of(db, notice)]})
    db.commit()
    return notice


def withdraw_notice(db: Session, actor: User, notice: Notice, reason: str) -> Notice:
    """Off the public list; its page says it was withdrawn, when and why."""
    _officer(actor)
    if notice.state != "published":
        raise NoticeError(_("只有已发布的通知可以撤回"))
    reason = (reason or "").strip()
    if not reason:
        raise NoticeError(_("请填写撤回理由"), "reason")
    if len(reason) > REASON_MAX:
        raise NoticeError(_("撤回理由最多 %(limit)s 字（收到 %(got)s 字）", limit=REASON_MAX,
                            got=f"{len(reason):,}"), "reason")
    notice.state, notice.withdrawn_by, notice.withdrawn_at = "withdrawn", actor.id, utcnow()
    notice.withdrawal_reason = reason
    db.add(notice)
    audit.record(db, actor_id=actor.id, action="withdraw_notice", object_type="notice",
                 object_id=notice.id, from_state="published", to_state="withdrawn",
                 reason=reason, details={"title": notice.title})
    db.commit()
    return notice


def attachments_of(db: Session, notice: Notice) -> list[NoticeAttachment]:
    return list(db.exec(select(NoticeAttachment).where(NoticeAttachment.notice_id == notice.id)
                        .order_by(NoticeAttachment.id)).all())
