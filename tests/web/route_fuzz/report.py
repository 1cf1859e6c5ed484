"""A request the fuzzer sent, what it found (any 5xx or exception) and the run's report."""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass, field
from itertools import pairwise


@dataclass
class Request:
    role: str
    method: str
    url: str
    data: dict | None = None
    json_body: bytes | None = None
    multipart: bool = False

    def describe(self) -> str:
        shown = {k: (v if not isinstance(v, str) or len(v) < 80 else v[:40] + f"…({len(v)})")
                 for k, v in (self.data or {}).items()}
        body = f" form={shown}" if self.data else ""
        if self.json_body is not None:
            body = f" json={self.json_body[:120]!r}…({len(self.json_body)} bytes)"
        return f"[{self.role}] {self.method} {self.url[:300]}{body}"


@dataclass
class Finding:
    request: Request
    status: int
    error: str

    def __str__(self) -> str:
        return f"{self.status} {self.request.describe()}\n{self.error}"


@dataclass
class Report:
    requests: int = 0
    sign_ins: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    seconds: float = 0.0
    reached: dict[str, set[int]] = field(default_factory=dict)  # endpoint -> statuses seen

    @property
    def server_errors(self) -> int:
        return len(self.findings)


def _where() -> str:
    """The exception and the project's frames it passed through (not the libraries')."""
    lines = traceback.format_exc().splitlines()
    ours = [f"{a.strip()} | {b.strip()}" for a, b in pairwise(lines)
            if a.strip().startswith("File") and "/site-packages/" not in a and "<" not in a]
    error = sys.exc_info()[1]
    return "\n".join([*ours[-6:], f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"])
