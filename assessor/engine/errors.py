"""Errors the engine raises: each names where the problem is, in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class EngineError(Exception):
    """Base class: every engine error can be shown to a user as it is."""


class DataFileError(EngineError):
    """A reference or criteria file that cannot be used; names the file and the item."""

    def __init__(self, path: Path | str, item: str, message_en: str, message_zh: str = "",
                 line: int | None = None, column: int | None = None):
        self.path, self.item = str(path), item
        self.line, self.column = line, column  # 1-based, where the YAML parser stopped
        self.message_en, self.message_zh = message_en, message_zh or message_en
        where = f"{self.path}: {item}" if item else self.path
        super().__init__(f"{where}: {message_en}" + (f"（{message_zh}）" if message_zh else ""))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a submission: where (a JSON path) and what, in both languages.
    `refused`: the input itself cannot be stored (not a finite number, above the ceiling, an
    unknown, offset or ambiguous unit, a data year without factors, true for a number), as
    against a draft that is not complete or consistent yet, which is kept with its problems."""

    path: str
    zh: str
    en: str
    refused: bool = False

    def as_dict(self) -> dict:
        return {"path": self.path, "zh": self.zh, "en": self.en}


class SubmissionError(EngineError):
    """A submission that cannot be scored; `problems` lists every reason, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.en}" for p in problems))
