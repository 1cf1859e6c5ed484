"""Files that jobs made (exports, comparisons) are copies of data the database keeps: they are
removed after a retention period so JOB_FOLDER does not grow for ever. The job's row stays, and
its page says the file was removed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from .models import REMOVED, Job


@dataclass
class Pruned:
    files: int  # of finished jobs
    strays: int  # files no job names (left by a crash between writing and recording)


def prune(db: Session, folder: Path, keep: timedelta, now: datetime) -> Pruned:
    """Remove the files of jobs that ended before `now - keep`, and stray files as old."""
    cutoff = now - keep
    files = 0
    for job in db.exec(select(Job).where(Job.stored_name.is_not(None),
                                         Job.stored_name != REMOVED,
                                         Job.finished_at < cutoff)).all():
        (folder / job.stored_name).unlink(missing_ok=True)
        job.stored_name = REMOVED
        db.add(job)
        files += 1
    db.commit()
    named = set(db.exec(select(Job.stored_name).where(Job.stored_name.is_not(None))).all())
    strays = 0
    if folder.is_dir():
        for path in folder.iterdir():
            if (path.is_file() and path.name not in named
                    and datetime.fromtimestamp(path.stat().st_mtime, now.tzinfo) < cutoff):
                path.unlink(missing_ok=True)
                strays += 1
    return Pruned(files, strays)
