"""Named tasks: what a job may run. A task is `task(session, progress, **params)` with plain,
JSON-ready params (they are stored on the job's row, and a worker in another process reads them
back); it returns the closing message, or an Output when it made a file.

The domains fill the registry (each one's tasks.py, imported by create_app); this package names
no domain, so a domain may start a job by its task's name without an import cycle. A `call` is
queued work with no job row (mail after a commit), run by name in the worker the same way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[int, int], None]
Task = Callable[..., "str | Output"]

TASKS: dict[str, Task] = {}
CALLS: dict[str, Callable[..., None]] = {}

# Who besides the starter may see a job of each kind (and download its file), as `share` set it.
# A kind not named is the starter's alone: an applications export holds what its starter may see.
SHARED_WITH: dict[str, tuple[str, ...]] = {}


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


def call(name: str):
    def register(function: Callable[..., None]):
        CALLS[name] = function
        return function
    return register


def share(kind: str, *roles: str) -> None:
    SHARED_WITH[kind] = roles


def lookup(name: str) -> Task:
    return TASKS[name]  # KeyError: no domain registered it


def may_see(user, job) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return job.created_by == user.id or user.role in SHARED_WITH.get(job.kind, ())
