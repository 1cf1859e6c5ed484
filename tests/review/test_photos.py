"""Site inspection photos go through the evidence checks and the audit log: a refused file
changes nothing (no row, no file, no event)."""

import io
from pathlib import Path

from flask import current_app
from sqlmodel import func, select

from assessor.audit import AuditEvent
from assessor.review import services
from assessor.review.models import InspectionPhoto, Review
from tests.fixtures import TODAY
from tests.review.test_review import PDF, experts, in_review  # noqa: F401 (a fixture)

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def _post(client, assignment, content: bytes | None, name: str = "site.png"):
    data = {"photo": (io.BytesIO(content), name)} if content is not None else {}
    return client.post(f"/review/assignments/{assignment.id}/photos", data=data,
                       content_type="multipart/form-data")


def _state(dbs):
    """What an upload may change: rows, events and stored files."""
    dbs.expire_all()
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    return (dbs.exec(select(func.count(InspectionPhoto.id))).one(),
            dbs.exec(select(func.count(Review.id))).one(),
            dbs.exec(select(func.count(AuditEvent.id))).one(),
            sorted(p.name for p in folder.iterdir()) if folder.exists() else [])


def _flashes(client):
    with client.session_transaction() as session:
        return session.get("_flashes", [])


def _assigned(dbs, engine, people, factory_round, expert, declare=True):
    application = in_review(dbs, engine, people, factory_round)
    assignment = services.assign(dbs, people["province_officer"], application, expert, TODAY)
    if declare:
        services.declare_no_conflict(dbs, expert, assignment)
    return application, assignment


def test_a_photo_is_stored_with_its_audit_event(sign_in, dbs, engine, people, factory_round,
                                                 experts):  # noqa: F811
    application, assignment = _assigned(dbs, engine, people, factory_round, experts[0])
    client = sign_in(experts[0])
    response = _post(client, assignment, PNG, "现场.png")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/review/assignments/{assignment.id}")
    assert ("message", "照片已上传。") in _flashes(client)
    dbs.expire_all()
    photo = dbs.exec(select(InspectionPhoto)).one()
    assert (photo.original_name, photo.content_type, photo.size) == ("现场.png", "image/png",
                                                                      len(PNG))
    assert (Path(current_app.config["UPLOAD_FOLDER"]) / photo.stored_name).read_bytes() == PNG
    event = dbs.exec(select(AuditEvent).where(AuditEvent.action == "add_inspection_photo")).one()
    assert (event.actor_id, event.object_type, event.object_id) == (
        experts[0].id, "application", application.id)
    assert event.details == {"assignment": assignment.id, "photo": photo.id,
                             "sha256": photo.sha256}


def test_a_refused_photo_changes_nothing(sign_in, dbs, engine, people, factory_round,
                                         experts):  # noqa: F811
    _application, assignment = _assigned(dbs, engine, people, factory_round, experts[0])
    client = sign_in(experts[0])
    before = _state(dbs)
    for content, name, message in (
            (PDF, "site.png", "文件内容与扩展名 .png 不符，请上传真实的 PNG 文件"),
            (PDF, "site.pdf", "现场照片只接受 PNG 或 JPEG 图片"),
            (PNG, "site.gif", "只接受以下类型的文件：jpeg, jpg, pdf, png, xls, xlsx"),
            (None, "", "请选择照片（评审提交前可上传）")):
        response = _post(client, assignment, content, name)
        assert response.status_code == 422  # the page again, the problem listed at the top
        page = response.get_data(as_text=True)
        summary = page[page.index('class="error-summary"'):]
        assert message in summary[:summary.index("</div>")] and 'href="#photo"' in summary
        assert _state(dbs) == before


def test_no_photo_before_the_declaration(sign_in, dbs, engine, people, factory_round,
                                         experts):  # noqa: F811
    _application, assignment = _assigned(dbs, engine, people, factory_round, experts[0],
                                         declare=False)
    client = sign_in(experts[0])
    before = _state(dbs)
    response = _post(client, assignment, PNG)
    assert response.headers["Location"].endswith(f"/review/assignments/{assignment.id}")
    assert ("error", "请选择照片（评审提交前可上传）") in _flashes(client)
    assert _state(dbs) == before
