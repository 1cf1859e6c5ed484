"""What one visitor may cost the publicity page: objections limited per address and per round
(counters shared by every process), attachments limited in number and size, and province
officers told once a day rather than once per objection."""

import io
import multiprocessing
from datetime import date, timedelta

from sqlmodel import func, select

from assessor.audit import AuditEvent
from assessor.notifications import Notification
from assessor.platform import ratelimit
from assessor.publication import services
from assessor.publication.models import Objection

PDF = b"%PDF-1.4\n%%EOF\n"
DAY = date(2025, 3, 10)  # in the publicity period of round_in_publicity


def objection(application, **extra) -> dict:
    return {"application": application.id, "name": "王五", "contact": "13800000000",
            "reason": "该企业2024年发生环境污染事故", **extra}


def post(client, round_, data, address="10.0.0.1"):
    return client.post(f"/publicity/{round_.id}", data=data, content_type="multipart/form-data",
                       environ_base={"REMOTE_ADDR": address})


def objections(dbs) -> int:
    dbs.expire_all()
    return dbs.exec(select(func.count(Objection.id))).one()


def test_one_address_gets_a_chinese_429_after_its_limit(
        app, dbs, factory_round, round_in_publicity, client):
    _, first, second = round_in_publicity
    app.config.update(TODAY=DAY, OBJECTION_LIMIT_PER_ADDRESS="3 per hour")
    for n in range(3):
        assert post(client, factory_round, objection(first)).status_code == 200, n
    refused = post(client, factory_round, objection(second))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "提交过于频繁" in page and "您所在的网络地址提交异议过于频繁" in page
    assert "每小时最多 3 次" in page and "Traceback" not in page
    assert objections(dbs) == 3  # the refused one is not saved
    # reading the page is not limited, and another address may still object
    assert client.get(f"/publicity/{factory_round.id}",
                      environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200
    assert post(client, factory_round, objection(second), "10.0.0.2").status_code == 200
    client.post("/language", data={"locale": "en", "next": "/"})
    english = post(client, factory_round, objection(second)).get_data(as_text=True)
    assert "Too many submissions" in english and "at most 3 per hour." in english


def test_a_round_takes_a_limited_number_from_all_addresses(
        app, dbs, factory_round, round_in_publicity, client):
    _, first, _ = round_in_publicity
    app.config.update(TODAY=DAY, OBJECTION_LIMIT_PER_ROUND="2 per day")
    assert post(client, factory_round, objection(first), "10.0.1.1").status_code == 200
    assert post(client, factory_round, objection(first), "10.0.1.2").status_code == 200
    refused = post(client, factory_round, objection(first), "10.0.1.3")
    assert refused.status_code == 429
    assert "本批次公示收到的异议已达上限" in refused.get_data(as_text=True)
    assert objections(dbs) == 2


def test_too_many_or_too_large_attachments_are_refused_and_nothing_saved(
        app, dbs, factory_round, round_in_publicity, tmp_path, client):
    _, first, _ = round_in_publicity
    app.config.update(TODAY=DAY, OBJECTION_ATTACHMENT_MAX_BYTES=1024)
    two = post(client, factory_round, objection(first, attachment=[
        (io.BytesIO(PDF), "证据一.pdf"), (io.BytesIO(PDF), "证据二.pdf")]))
    assert two.status_code == 422
    assert "每份异议最多附 1 个文件（收到 2 个）" in two.get_data(as_text=True)
    other_field = post(client, factory_round, objection(
        first, attachment=(io.BytesIO(PDF), "a.pdf"), extra=(io.BytesIO(PDF), "b.pdf")))
    assert other_field.status_code == 422
    large = post(client, factory_round, objection(
        first, attachment=(io.BytesIO(PDF + b"0" * 2048), "扫描件.pdf")))
    assert large.status_code == 422
    assert "附件“扫描件.pdf”超过 1 KB，请压缩或删减后上传" in large.get_data(as_text=True)
    assert objections(dbs) == 0
    assert not list((tmp_path / "uploads").rglob("*.*"))
    assert not dbs.exec(select(AuditEvent).where(AuditEvent.action == "file_objection")).all()
    # within the limits: accepted and kept
    assert post(client, factory_round, objection(
        first, attachment=(io.BytesIO(PDF), "证据.pdf"))).status_code == 200
    assert objections(dbs) == 1


def test_officers_are_told_once_a_day_not_once_per_objection(app, dbs, people, factory_round,
                                                             round_in_publicity, tmp_path):
    _, first, second = round_in_publicity
    officer = people["province_officer"]

    def notices() -> int:
        dbs.expire_all()
        return dbs.exec(select(func.count(Notification.id)).where(
            Notification.user_id == officer.id, Notification.message_zh.contains("公示异议"))).one()

    for n in range(5):
        services.file_objection(dbs, (first, second)[n % 2], name="甲", contact="乙",
                                reason=f"理由 {n}", folder=tmp_path, today=DAY)
    assert objections(dbs) == 5 and notices() == 1
    dbs.expire_all()
    notice = dbs.exec(select(Notification).where(Notification.user_id == officer.id)).all()
    assert any("后续收到的异议不再逐一通知" in n.message_zh for n in notice)
    services.file_objection(dbs, first, name="甲", contact="乙", reason="次日",
                            folder=tmp_path, today=DAY + timedelta(days=1))
    assert notices() == 2  # a new day: told again


def _hit(path: str) -> None:
    storage = ratelimit.SQLiteStorage(f"assessor+sqlite://{path}")
    for _ in range(20):
        storage.incr("objection/10.0.0.1", 3600)


def test_the_counters_are_shared_by_processes(tmp_path):
    path = tmp_path / "ratelimit.sqlite3"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_hit, args=(str(path),)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    storage = ratelimit.SQLiteStorage(f"assessor+sqlite://{path}")
    assert storage.get("objection/10.0.0.1") == 60
    storage.clear("objection/10.0.0.1")
    assert storage.get("objection/10.0.0.1") == 0
    assert storage.incr("short", -1) == 1 and storage.get("short") == 0  # expired at once


def test_the_storage_is_redis_when_configured(tmp_path):
    assert ratelimit.storage_uri({"RATELIMIT_STORAGE_URI": "redis://r:6379/3",
                                  "QUEUE_URL": "redis://q:6379/0"}, "/i") == "redis://r:6379/3"
    assert ratelimit.storage_uri({"QUEUE_URL": "redis://q:6379/0"}, "/i") == "redis://q:6379/0"
    assert ratelimit.storage_uri({"QUEUE_URL": ""}, str(tmp_path)) == (
        f"assessor+sqlite://{tmp_path}/ratelimit.sqlite3")
