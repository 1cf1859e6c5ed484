"""Named tasks: what a job may run. A task is `task(session, progress, **params)` with plain,
JSON-ready params (they are stored on the job's row, and a worker in another process reads them
back); it returns the closing message, or an Output when it made a file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..accounts.models import PROVINCE_OFFICER

Progress = Callable[[int, int], None]
Task = Callable[..., "str | Output"]

TASKS: dict[str, Task] = {}

# Who besides the starter may see a job of each kind (and download its file). A kind not named
# here is the starter's alone: an applications export holds what its starter may see.
SHARED_WITH: dict[str, tuple[str, ...]] = {
    "certificates": (PROVINCE_OFFICER,),
    "rescore": (PROVINCE_OFFICER,),
    "review_export": (PROVINCE_OFFICER,),
}


@dataclass
class Output:
    message: str
    content: bytes
    download_name: str


def task(name: str):
    def register(function: Callable[..., str | Output]):
        TASKS[name] = function
        return function
    return register


def lookup(name: str) -> Task:
    from . import tasks  # noqa: F401  (registers every task on first use)

    return TASKS[name]


def may_see(user, job) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return job.created_by == user.id or user.role in SHARED_WITH.get(job.kind, ())

