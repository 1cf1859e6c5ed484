"""Batch work runs as jobs: inline when no queue is configured, on RQ (Redis) when one is, with
progress, a closing message and a file the starter (or whom the job's kind is shared with) can
download. The queue tests use the real Redis (ASSESSOR_TEST_QUEUE_URL, else database 15 on
127.0.0.1:6379 when it answers) with a queue of their own."""

import io
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest
from rq import SimpleWorker
from rq.exceptions import AbandonedJobError
from rq.job import Job as QueuedJob
from rq.job import JobStatus
from sqlmodel import select

from assessor import jobs
from assessor.applications import services as applications
from assessor.applications.lifecycle import transition
from assessor.applications.models import Revision
from assessor.jobs import Job, registry, runner
from assessor.platform import db
from tests.conftest import factory_submission
from tests.fixtures import SIGNED, TODAY

ROOT = Path(__file__).resolve().parents[2]


def submitted(dbs, engine, people, round_, applicant="applicant", **changes):
    application = applications.create(dbs, people[applicant], round_, TODAY)
    applications.save_draft(dbs, engine, people[applicant], application,
                            factory_submission(**changes), 0, TODAY)
    transition(dbs, engine, application, "submit", people[applicant], commitment=SIGNED, today=TODAY)
    return application


@pytest.fixture
def two_submitted(dbs, engine, people, factory_round):
    return (submitted(dbs, engine, people, factory_round),
            submitted(dbs, engine, people, factory_round, "other_applicant", offsets=[]))


@pytest.fixture
def stricter_criteria(dbs, people):
    """A new version published after the round's submissions: a zero-carbon factory now needs
    a total of 95 (it was 80). It supersedes GZ-F-2024; the round keeps its version."""
    from assessor.criteria import services as versions
    from tests.criteria.helpers import editors, version

    author, checker = editors(dbs, people)
    draft = versions.new_draft(dbs, author, version(dbs, "GZ-F-2024"), key="GZ-F-2024-v2",
                               label="2024.2")
    files = draft.files
    name = "factory/GZ-F-2024-v2.yaml"
    assert "    min_total: 80\n" in files[name]
    files[name] = files[name].replace("    min_total: 80\n", "    min_total: 95\n", 1)
    kept = "cases/f03_gate_f_g1_compliance_failed.yaml"  # a case the stricter set still meets
    files = {n: t for n, t in files.items() if not n.startswith("cases/") or n == kept}
    versions.save_files(dbs, author, draft, files, lock_version=draft.lock_version, what="等级")
    versions.change_state(dbs, author, draft, "submit")
    versions.change_state(dbs, checker, draft, "approve")
    return draft


def job_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert "/jobs/" in location, location
    return int(location.rsplit("/", 1)[1])


def page(client, number: int) -> str:
    db.session().expire_all()  # the tests share one app context: see what other sessions wrote
    response = client.get(f"/jobs/{number}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def workbook(client, number: int, sheet=0) -> pd.DataFrame:
    response = client.get(f"/jobs/{number}/file")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return pd.read_excel(io.BytesIO(response.data), sheet_name=sheet)


# -- inline: no QUEUE_URL ----------------------------------------------------------------------

def test_rescoring_compares_frozen_results_with_current_criteria_and_changes_nothing(
        dbs, people, factory_round, two_submitted, stricter_criteria, province_client, sign_in):
    first, second = two_submitted
    frozen = {r.id: (r.result, r.data) for r in dbs.exec(select(Revision)).all()}
    assert "重新计算" in province_client.get("/rounds/").get_data(as_text=True)
    number = job_id(province_client.post(f"/rounds/{factory_round.id}/rescore"))
    shown = page(province_client, number)
    assert "已完成" in shown and "2 / 2" in shown and "2 份申报，1 份等级变化" in shown
    assert 'http-equiv="refresh"' not in shown and f"/jobs/{number}/file" in shown
    rows = workbook(province_client, number).set_index("申报编号")
    ours = rows.loc[first.id]
    assert (ours["提交时等级"], ours["现行计算等级"], ours["等级变化"]) == ("零碳工厂", "近零碳工厂",
                                                                 "是")
    assert (ours["提交时总分"], ours["现行计算总分"], ours["总分差"]) == (91.11, 91.11, 0)
    assert tuple(rows.loc[second.id][["提交时等级", "现行计算等级", "等级变化"]]) == (
        "近零碳工厂", "近零碳工厂", "否")
    dbs.expire_all()
    assert {r.id: (r.result, r.data) for r in dbs.exec(select(Revision)).all()} == frozen
    for role in ("applicant", "city_officer", "expert", "admin"):
        client = sign_in(people[role])
        assert client.post(f"/rounds/{factory_round.id}/rescore").status_code == 404
        assert client.get(f"/jobs/{number}").status_code == 404
        assert client.get(f"/jobs/{number}/file").status_code == 404


def test_a_long_applications_export_runs_as_a_job_only_its_starter_sees(
        app, dbs, people, factory_round, two_submitted, province_client, applicant_client,
        sign_in):
    direct = province_client.get("/applications/export.xlsx")  # short: downloads at once
    assert direct.status_code == 200 and direct.mimetype.endswith("spreadsheetml.sheet")
    app.config["EXPORT_JOB_ROWS"] = 1
    url = f"/applications/export.xlsx?round={factory_round.id}"
    # a link only offers the job: starting it takes the form's POST
    offered = province_client.get(url)
    assert offered.status_code == 200 and "开始导出" in offered.get_data(as_text=True)
    assert dbs.exec(select(Job)).first() is None
    number = job_id(province_client.post(url))
    shown = page(province_client, number)
    assert "已完成" in shown and "已导出 2 份申报" in shown and "2 / 2" in shown
    assert len(workbook(province_client, number)) == 2
    # an export holds what its starter may see: nobody else, not even another officer role
    for role in ("applicant", "other_applicant", "city_officer", "admin"):
        client = sign_in(people[role])
        assert client.get(f"/jobs/{number}").status_code == 404
        assert client.get(f"/jobs/{number}/file").status_code == 404
    app.config["EXPORT_JOB_ROWS"] = 0
    own = job_id(applicant_client.post("/applications/export.xlsx"))
    assert len(workbook(applicant_client, own)) == 1  # only the applicant's own application
    other = sign_in(people["other_applicant"])
    assert other.get(f"/jobs/{own}").status_code == 404
    assert other.get(f"/jobs/{own}/file").status_code == 404
    assert app.test_client().get(f"/jobs/{own}").status_code == 302  # to the sign-in page


def test_a_long_review_export_runs_as_a_job(app, factory_round, two_submitted, province_client):
    assert province_client.get(f"/review/rounds/{factory_round.id}/export.xlsx").status_code == 200
    app.config["EXPORT_JOB_ROWS"] = 1
    number = job_id(province_client.post(f"/review/rounds/{factory_round.id}/export.xlsx"))
    assert "评审结果已导出（2 份申报）" in page(province_client, number)
    assert set(pd.read_excel(io.BytesIO(province_client.get(f"/jobs/{number}/file").data),
                             sheet_name=None)) >= {"评审明细", "汇总", "决定", "说明"}


def test_a_refusal_or_a_crash_fails_the_job_with_a_clear_message(
        people, factory_round, province_client):
    response = province_client.post(f"/publication/rounds/{factory_round.id}/certificates",
                                    data={"confirm": "y"})
    number = int(response.headers["Location"].split("job=")[1])
    shown = page(province_client, number)
    assert "失败" in shown and "该批次尚未发布名单" in shown
    assert province_client.get(f"/jobs/{number}/file").status_code == 404

    @registry.task("tests.broken")
    def broken(session, progress):
        progress(1, 4)
        raise ValueError("psycopg.OperationalError: password for user postgres")

    failed = jobs.start("test", "会出错的任务", people["province_officer"].id, "tests.broken")
    assert (failed.state, failed.done, failed.total) == ("failed", 1, 4)
    assert f"任务编号 {failed.id}" in failed.message and "password" not in failed.message
    with pytest.raises(KeyError):
        jobs.start("test", "没有的任务", None, "tests.no-such-task")
    with pytest.raises(TypeError):
        jobs.start("test", "参数不是 JSON", None, "tests.broken", when=TODAY)


# -- on the queue (RQ on Redis) ----------------------------------------------------------------

@pytest.fixture
def queue(app, test_queue):
    """The test's own queue; the jobs' Redis keys go with it."""
    yield test_queue
    redis = test_queue.connection
    for row in db.session().exec(select(jobs.Job).where(jobs.Job.queue_id.is_not(None))).all():
        for key in (f"rq:job:{row.queue_id}", f"rq:results:{row.queue_id}"):
            redis.delete(key)


def work(queue) -> None:
    """What `flask jobs worker --burst` does, in this process (and this test's app)."""
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_a_queued_rescore_waits_for_the_worker_then_offers_its_file(
        factory_round, two_submitted, stricter_criteria, queue, province_client):
    number = job_id(province_client.post(f"/rounds/{factory_round.id}/rescore"))
    assert queue.count == 1
    waiting = page(province_client, number)
    assert "排队中" in waiting and 'http-equiv="refresh"' in waiting and "<progress" in waiting
    assert f"/jobs/{number}/file" not in waiting
    assert province_client.get(f"/jobs/{number}/file").status_code == 404
    work(queue)
    assert queue.count == 0
    done = page(province_client, number)
    assert "已完成" in done and "2 / 2" in done and "2 份申报，1 份等级变化" in done
    assert 'http-equiv="refresh"' not in done
    assert list(workbook(province_client, number)["等级变化"]).count("是") == 1


def test_a_queued_job_speaks_its_starters_language(
        dbs, people, factory_round, queue, province_client):
    people["province_officer"].locale = "en"
    dbs.commit()
    province_client.post(f"/publication/rounds/{factory_round.id}/certificates",
                         data={"confirm": "y"})
    row = dbs.exec(select(jobs.Job)).one()
    assert (row.state, row.locale) == ("queued", "en")
    work(queue)  # the worker itself runs in Chinese
    shown = page(province_client, row.id)
    assert "Failed" in shown and "The list of this round has not been published" in shown


def test_a_job_whose_worker_died_shows_as_failed(dbs, factory_round, queue, province_client):
    first = job_id(province_client.post(f"/rounds/{factory_round.id}/rescore"))
    second = job_id(province_client.post(f"/rounds/{factory_round.id}/rescore"))
    lost = dbs.get(jobs.Job, first)
    # the work horse was killed (out of memory, say): RQ marks its job failed, nothing else runs
    QueuedJob.fetch(lost.queue_id, connection=queue.connection).set_status(JobStatus.FAILED)
    shown = page(province_client, first)
    assert "失败" in shown and "任务中断" in shown and 'http-equiv="refresh"' not in shown
    # an abandoned job: RQ's clean-up calls the failure callback
    abandoned = QueuedJob.fetch(dbs.get(jobs.Job, second).queue_id, connection=queue.connection)
    runner.on_failure(abandoned, queue.connection, AbandonedJobError, AbandonedJobError(), None)
    assert "任务中断" in page(province_client, second)


def test_the_worker_command_runs_queued_exports(app, factory_round, two_submitted, queue, tmp_path,
                                                province_client):
    app.config["EXPORT_JOB_ROWS"] = 0
    number = job_id(province_client.post("/applications/export.xlsx"))
    assert "排队中" in page(province_client, number)
    db.session().close()
    env = {**os.environ, "ASSESSOR_DATABASE_URL": app.config["DATABASE_URL"],
           "ASSESSOR_QUEUE_URL": app.config["QUEUE_URL"],
           "ASSESSOR_QUEUE_NAME": app.config["QUEUE_NAME"],
           "ASSESSOR_JOB_FOLDER": app.config["JOB_FOLDER"], "ASSESSOR_SECRET_KEY": "test",
           "ASSESSOR_INSTANCE_PATH": str(tmp_path / "worker-instance")}
    worker = subprocess.run([sys.executable, "-m", "flask", "--app", "assessor", "jobs", "worker",
                             "--burst"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert worker.returncode == 0, worker.stderr
    shown = page(province_client, number)
    assert "已完成" in shown and "已导出 2 份申报" in shown
    assert len(workbook(province_client, number)) == 2


def test_a_queue_that_cannot_be_reached_fails_the_job_at_once(app, factory_round, province_client):
    app.config.update(QUEUE_URL="redis://127.0.0.1:1/0", QUEUE_NAME="nowhere")  # nothing listens
    number = job_id(province_client.post(f"/rounds/{factory_round.id}/rescore"))
    shown = page(province_client, number)  # shows what the database knows, though Redis is away
    assert "失败" in shown and "任务队列暂时不可用" in shown


def test_the_worker_command_needs_a_queue(runner):
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 1 and "QUEUE_URL" in result.output


def test_prune_removes_old_job_files_and_strays_and_the_page_says_so(
        app, dbs, factory_round, two_submitted, province_client, runner):
    old, recent = (job_id(province_client.post(f"/rounds/{factory_round.id}/rescore"))
                   for _ in range(2))
    folder = Path(app.config["JOB_FOLDER"])
    files = {n: folder / dbs.get(Job, n).stored_name for n in (old, recent)}
    assert all(path.is_file() for path in files.values())
    old_job = dbs.get(Job, old)
    old_job.finished_at -= timedelta(days=40)
    dbs.add(old_job)
    dbs.commit()
    stray, fresh_stray = folder / "left-by-a-crash.xlsx", folder / "being-written.xlsx"
    stray.write_bytes(b"x")
    fresh_stray.write_bytes(b"x")
    forty_days_ago = time.time() - 40 * 86400
    os.utime(stray, (forty_days_ago, forty_days_ago))

    result = runner.invoke(args=["jobs", "prune", "--days", "30"])
    assert result.exit_code == 0 and "removed 1 job files and 1 stray files" in result.output
    assert not files[old].exists() and not stray.exists()
    assert files[recent].is_file() and fresh_stray.is_file()
    gone = page(province_client, old)
    assert "已完成" in gone and "已超过保留期限" in gone and f"/jobs/{old}/file" not in gone
    assert province_client.get(f"/jobs/{old}/file").status_code == 404
    assert f"/jobs/{recent}/file" in page(province_client, recent)
    again = runner.invoke(args=["jobs", "prune"])
    assert "removed 0 job files and 0 stray files" in again.output
    assert runner.invoke(args=["jobs", "prune", "--days", "0"]).exit_code == 2
