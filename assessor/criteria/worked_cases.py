"""Worked cases typed in the browser: one case file written from a person's values (the
submission, the values they worked out by hand and their arithmetic), added to, replaced in or
removed from a draft's files through save_files, and run on its own.

Nothing here reads an expected value from the engine: a case is only worth something as proof
when its figures come from a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from flask_babel import gettext as _
from sqlmodel import Session

from ..accounts.models import User
from ..engine.cases import CaseOutcome
from ..engine.criteria import _UniqueKeyLoader
from . import files as version_files
from .lifecycle import VersionRefused
from .models import CriteriaVersion
from .services import run_cases, save_files

SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,79}$")
STATUSES = ("passed", "failed", "missing", "not_applicable")
MAX_SUBMISSION_CHARS = 200_000  # a full factory submission is about 2,000


@dataclass
class Expected:
    """The values a person expects; None or empty: not checked."""

    level: str | None = None
    total: float | int | None = None
    gates: dict[str, str] = field(default_factory=dict)
    indicators: dict[str, float | int] = field(default_factory=dict)
    items: dict[str, float | int] = field(default_factory=dict)


def file_of(slug: str) -> str:
    return f"{version_files.CASES}{slug}.yaml"


def slug_of(file: str) -> str:
    return file[len(version_files.CASES):].removesuffix(".yaml")


def read_case(text: str) -> dict:
    """A stored case as a mapping ({} when it does not read: its page says why)."""
    try:
        case = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError:
        return {}
    return case if isinstance(case, dict) else {}


def submission_from_text(text: str) -> dict:
    """The engine's input as a person typed or pasted it, in YAML or JSON (JSON is YAML)."""
    if len(text) > MAX_SUBMISSION_CHARS:
        raise VersionRefused(_("申报数据过长（最多 %(n)s 个字符）", n=MAX_SUBMISSION_CHARS),
                             "submission")
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _("第 %(line)s 行第 %(column)s 列", line=mark.line + 1, column=mark.column + 1) \
            if mark is not None else ""
        raise VersionRefused(_("申报数据不是有效的 YAML 或 JSON %(where)s：%(problem)s",
                               where=where, problem=getattr(error, "problem", None) or error),
                             "submission") from None
    if not isinstance(data, dict):
        raise VersionRefused(_("申报数据应为键值对（一个申报，例如 subject: factory ……），"
                               "不是列表或单个值"), "submission")
    return data


def number_from_text(text: str) -> float | int | None:
    """A typed expected value: '' is none; thousands separators allowed; ValueError otherwise."""
    cleaned = (text or "").strip().replace(",", "").replace("，", "").replace(" ", "")
    if not cleaned:
        return None
    value = float(cleaned)  # ValueError for words
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(cleaned)
    if value.is_integer() and not any(c in cleaned for c in ".eE"):
        return int(value)
    return value


class _CaseDumper(yaml.SafeDumper):
    """Case files as people write them: keys in order, Chinese as is, arithmetic as a block."""


def _text(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_CaseDumper.add_representer(str, _text)


def case_text(criteria_key: str, name: str, submission: dict, expected: Expected,
              arithmetic: str, old: dict | None = None) -> str:
    """The case file's text. What the form does not show of an `old` case (a gap, problems,
    double claims, the tolerance) is kept as it was."""
    old = dict(old or {})
    expect = {k: v for k, v in (old.get("expect") or {}).items()
              if k not in ("level", "total", "gates", "indicators", "items")}
    ordered = {}
    if expected.indicators:
        ordered["indicators"] = expected.indicators
    if expected.gates:
        ordered["gates"] = expected.gates
    if expected.items:
        ordered["items"] = expected.items
    if expected.total is not None:
        ordered["total"] = expected.total
    if expected.level:
        ordered["level"] = expected.level
    case = {"name": name.strip(), "criteria": criteria_key, "submission": submission,
            "expect": {**ordered, **expect}}
    if "tolerance" in old:
        case["tolerance"] = old["tolerance"]
    # trailing spaces would force a quoted string instead of a readable block
    case["arithmetic"] = "\n".join(line.rstrip() for line in arithmetic.strip().splitlines()) + "\n"
    return yaml.dump(case, Dumper=_CaseDumper, allow_unicode=True, sort_keys=False, width=100)


def _same_name_elsewhere(version: CriteriaVersion, name: str, file: str | None) -> bool:
    wanted = name.strip()
    return any(version_files.case_name(text).strip() == wanted
               for other, text in version_files.cases(version.files).items() if other != file)


def add_case(db: Session, actor: User, version: CriteriaVersion, slug: str, text: str, *,
             name: str, lock_version: int) -> str:
    """A new case file `cases/<slug>.yaml`; its name in the version is returned."""
    slug = slug.strip()
    if not SLUG.match(slug):
        raise VersionRefused(_("文件名只能包含字母、数字、“-”“_”，以字母或数字开头，最多 80 个字符"),
                             "slug")
    file = file_of(slug)
    if file.lower() in {f.lower() for f in version.files}:
        raise VersionRefused(_("已有名为“%(file)s”的算例文件，请换一个文件名", file=file), "slug")
    if _same_name_elsewhere(version, name, None):
        raise VersionRefused(_("已有同名算例，请换一个名称"), "name")
    save_files(db, actor, version, {**version.files, file: text}, lock_version=lock_version,
               what=_("新增算例 %(file)s", file=file))
    return file


def replace_case(db: Session, actor: User, version: CriteriaVersion, file: str, text: str, *,
                 name: str, lock_version: int) -> None:
    if file not in version_files.cases(version.files):
        raise VersionRefused(_("该算例已不存在（可能已被他人删除）"), kind="stale")
    if _same_name_elsewhere(version, name, file):
        raise VersionRefused(_("已有同名算例，请换一个名称"), "name")
    save_files(db, actor, version, {**version.files, file: text}, lock_version=lock_version,
               what=_("修改算例 %(file)s", file=file))


def remove_case(db: Session, actor: User, version: CriteriaVersion, file: str, *,
                lock_version: int) -> None:
    if file not in version_files.cases(version.files):
        raise VersionRefused(_("该算例已不存在（可能已被他人删除）"), kind="stale")
    files = {name: text for name, text in version.files.items() if name != file}
    save_files(db, actor, version, files, lock_version=lock_version,
               what=_("删除算例 %(file)s", file=file))


def outcome_of(db: Session, version: CriteriaVersion, file: str) -> CaseOutcome:
    """One case run under its version: the list's and the publication check's own outcome."""
    return next(o for o in run_cases(db, version) if str(o.path) == file)


def suggested_slug(version: CriteriaVersion, name: str) -> str:
    """A file name from the case's English half (or a number), not yet taken."""
    english = name.split(" / ", 1)[1] if " / " in name else name
    stem = re.sub(r"[^a-z0-9]+", "_", english.lower()).strip("_")[:60] or "case"
    taken = {slug_of(f).lower() for f in version_files.cases(version.files)}
    candidate, number = stem, 2
    while candidate.lower() in taken:
        candidate, number = f"{stem}_{number}", number + 1
    return candidate
