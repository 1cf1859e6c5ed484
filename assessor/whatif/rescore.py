"""Re-scoring a round: each submitted application's frozen result beside what the current
engine, criteria and reference data make of the same submitted data.

Nothing stored changes (a submitted revision keeps the result it was submitted with): the
comparison is a workbook for the province's officers, and a count of who would change level.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pandas as pd
from sqlmodel import Session, select

from ..accounts.models import Organisation
from ..engine import ENGINE_VERSION, Engine, SubmissionError, parse_submission
from ..engine.prepare import prepare
from ..platform.xlsx import keep_text
from ..rounds.models import Round
from .services import _number, latest_submitted

BEIJING = timezone(timedelta(hours=8))


@dataclass
class Rescored:
    application_id: int
    organisation: str
    revision: int
    criteria_id: str
    total_before: float | None
    level_before: str  # level ids; titles in Chinese, as in every workbook the app makes
    title_before: str
    total_after: float | None = None
    level_after: str | None = None  # None: the current engine cannot score the data
    title_after: str = ""
    problem: str = ""
    criteria_after: str = ""

    @property
    def difference(self) -> float | None:
        if self.total_before is None or self.total_after is None:
            return None
        return round(self.total_after - self.total_before, 2)

    @property
    def level_changed(self) -> bool:
        return self.level_after is not None and self.level_after != self.level_before


def rescore(db: Session, engine: Engine, round_: Round,
            progress: Callable[[int, int], None] | None = None) -> list[Rescored]:
    """Every submitted application of the round (its latest submitted revision), scored again
    under the version that stands for its set now (the one that superseded it, if one has) and
    the current engine: one batch per version."""
    from ..criteria.services import current_key

    rows = latest_submitted(db, round_)
    names = {o.id: o.name for o in db.exec(select(Organisation).where(
        Organisation.id.in_({a.organisation_id for a, _ in rows}))).all()}
    found: list[Rescored] = []
    groups: dict[str, list] = {}
    for done, (application, revision) in enumerate(rows, start=1):
        frozen = revision.result or {}
        level = frozen.get("level") or {}
        row = Rescored(application.id, names.get(application.organisation_id, ""),
                       revision.number, revision.criteria_id,
                       _rounded((frozen.get("total") or {}).get("points")), level.get("id", ""),
                       (level.get("title") or {}).get("zh", ""))
        found.append(row)
        row.criteria_after = current_key(db, revision.criteria_id)
        try:
            engine.criteria(row.criteria_after)
            groups.setdefault(row.criteria_after, []).append(
                (row, parse_submission(revision.data)))
        except SubmissionError as error:
            row.problem = "；".join(p.zh for p in error.problems)
        if progress and done < len(rows):
            progress(done, len(rows))
    for criteria_id, members in groups.items():
        criteria = engine.criteria(criteria_id)
        titles = {level.id: level.title.zh for level in criteria.model.levels}
        batch = prepare([s for _, s in members], criteria, criteria.reference, strict=False)
        frame = engine.score_batch(batch, criteria_id)
        for (row, _), total, level in zip(members, frame["total"], frame["level"], strict=True):
            row.total_after, row.level_after = _number(total), str(level)
            row.title_after = titles[row.level_after]
    if progress:
        progress(len(rows), len(rows))
    return found


def _rounded(points) -> float | None:
    """A frozen total to the precision the comparison shows (as the current one is)."""
    return None if points is None else round(float(points), 2)


def workbook(round_: Round, rows: list[Rescored]) -> bytes:
    records = [{"申报编号": r.application_id, "申报单位": r.organisation, "提交版本": r.revision,
                "评价标准": r.criteria_id, "现行评价标准": r.criteria_after,
                "提交时总分": r.total_before, "提交时等级": r.title_before,
                "现行计算总分": r.total_after, "现行计算等级": r.title_after,
                "总分差": r.difference, "等级变化": "是" if r.level_changed else "否",
                "说明": r.problem} for r in rows]
    columns = ["申报编号", "申报单位", "提交版本", "评价标准", "现行评价标准", "提交时总分", "提交时等级",
               "现行计算总分", "现行计算等级", "总分差", "等级变化", "说明"]
    notes = [("批次", round_.title), ("批次编号", round_.id), ("评价标准", round_.criteria_id),
             ("计算引擎版本", ENGINE_VERSION),
             ("生成时间", datetime.now(UTC).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M 北京时间")),
             ("说明", "提交时的结果已冻结，不因重新计算而改变；本表按现行评价标准版本（原版本已被新版本"
                    "取代时用新版本）及其参考数据重新计算，仅供比较。")]
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        pd.DataFrame(records, columns=columns).to_excel(writer, sheet_name="重新计算", index=False)
        pd.DataFrame(notes, columns=["项目", "内容"]).to_excel(writer, sheet_name="说明",
                                                             index=False)
        writer.book.properties.creator = "assessor"
        keep_text(writer.book)
    return out.getvalue()
