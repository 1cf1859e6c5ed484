"""Jobs run in the background and report progress through the database."""

import time

from assessor import db, jobs


def test_background_job_reports_progress_and_failure(app):
    app.config["JOBS_INLINE"] = False

    def work(session, progress):
        for step in range(1, 4):
            progress(step, 3)
        return "完成"

    job = jobs.start("test", "测试任务", None, work)
    for _ in range(100):
        db.session().expire_all()
        if db.session().get(jobs.Job, job.id).state in ("finished", "failed"):
            break
        time.sleep(0.05)
    finished = db.session().get(jobs.Job, job.id)
    assert (finished.state, finished.done, finished.total, finished.message) == (
        "finished", 3, 3, "完成")

    def broken(session, progress):
        raise ValueError("磁盘已满")

    app.config["JOBS_INLINE"] = True
    failed = jobs.start("test", "会失败的任务", None, broken)
    assert failed.state == "failed" and "磁盘已满" in failed.message
