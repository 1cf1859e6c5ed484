"""Serials claimed across applications: every submitted revision's and every annual filing's
certificate and offset serials, kept as ranges, so that one serial is claimed by one
organisation a data year.

Ranges are written when a revision is submitted (lifecycle) and when a filing is filed. A check
is one indexed query for the ranges near the application's own (same data year, registry and
prefix, other organisations) and one sweep (engine.claims.owner_conflicts). Officers see the
other claimant named; the applicant only learns that the serials are claimed elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import BigInteger, Column, Index, and_, or_
from sqlmodel import Field, Session, SQLModel, select

from ..accounts.models import APPLICANT, Organisation, User
from ..engine import Engine, SubmissionError, parse_submission
from ..engine.claims import KIND_EN, KIND_ZH, POOL, owner_conflicts, serial_of
from .models import Application, Revision


class ClaimRange(SQLModel, table=True):
    """One block of serials as the engine compares them: registry (pool), prefix and the
    numbers first..last, claimed by a submitted revision or an annual filing."""

    id: int | None = Field(default=None, primary_key=True)
    data_year: int
    pool: str = Field(max_length=20)
    prefix: str = Field(max_length=120)
    first_number: int = Field(sa_column=Column(BigInteger, nullable=False))
    last_number: int = Field(sa_column=Column(BigInteger, nullable=False))
    kind: str = Field(max_length=20)
    serial: str = Field(max_length=100)  # the block's first serial, normalised
    path: str = Field(max_length=200)  # where the submission lists it
    organisation_id: int = Field(foreign_key="organisation.id")
    application_id: int | None = Field(default=None, foreign_key="application.id")
    revision_id: int | None = Field(default=None, foreign_key="revision.id", index=True)
    filing_id: int | None = Field(default=None, foreign_key="filing.id", index=True)

    # ranges near ours are found in the index alone: first_number bounds the scan and
    # last_number is read from the index, not the table
    __table_args__ = (Index("ix_claimrange_lookup", "data_year", "pool", "prefix",
                            "first_number", "last_number"),)


def _ranges(engine: Engine, data: dict, criteria_id: str) -> list[dict]:
    """The data's claims as ranges; none when the data no longer parses (it did when it was
    submitted; a later, stricter schema must not stop a page)."""
    try:
        batch = engine.prepare([parse_submission(data)], criteria_id)
    except SubmissionError:
        return []
    c = batch.claims
    return [{"pool": POOL.get(c["kind"][i], c["kind"][i]), "prefix": c["prefix"][i],
             "first_number": int(c["start"][i]),
             "last_number": int(c["start"][i] + c["count"][i] - 1),
             "kind": c["kind"][i], "serial": c["serial"][i][:100], "path": c["path"][i][:200]}
            for i in range(len(c["start"]))]


def record_revision(db: Session, engine: Engine, application: Application,
                    revision: Revision) -> list[Conflict]:
    """Keep a submitted revision's ranges (in the caller's transaction) and return what they
    share with other organisations' claims."""
    year = int(revision.data.get("reporting_year") or 0)
    for found in _ranges(engine, revision.data, revision.criteria_id):
        db.add(ClaimRange(data_year=year, organisation_id=application.organisation_id,
                          application_id=application.id, revision_id=revision.id, **found))
    db.flush()
    return _conflicts(db, _own(db, ClaimRange.revision_id == revision.id))


def record_filing(db: Session, engine: Engine, filing, organisation_id: int, year: int,
                  criteria_id: str) -> None:
    """Keep a filed annual report's ranges (in the caller's transaction)."""
    for found in _ranges(engine, filing.data, criteria_id):
        db.add(ClaimRange(data_year=year, organisation_id=organisation_id,
                          filing_id=filing.id, **found))


@dataclass
class Conflict:
    """Serials `first`..`last` of one of our ranges, also claimed by `other`."""

    kind: str
    first: str
    last: str
    count: int
    path: str
    other: ClaimRange

    def span(self) -> str:
        return self.first if self.count == 1 else f"{self.first}–{self.last}"


def _own(db: Session, condition) -> list[ClaimRange]:
    return list(db.exec(select(ClaimRange).where(condition).order_by(ClaimRange.id)).all())


def _conflicts(db: Session, mine: list[ClaimRange]) -> list[Conflict]:
    if not mine:
        return []
    organisation_id, year = mine[0].organisation_id, mine[0].data_year
    near = []  # per registry and prefix, only the ranges that can reach ours
    for (pool, prefix) in {(r.pool, r.prefix) for r in mine}:
        ours = [r for r in mine if (r.pool, r.prefix) == (pool, prefix)]
        near.append(and_(ClaimRange.pool == pool, ClaimRange.prefix == prefix,
                         ClaimRange.first_number <= max(r.last_number for r in ours),
                         ClaimRange.last_number >= min(r.first_number for r in ours)))
    others = list(db.exec(select(ClaimRange).where(
        ClaimRange.data_year == year, ClaimRange.organisation_id != organisation_id,
        or_(*near))).all())
    if not others:
        return []
    rows = mine + others
    keys = {}
    key = np.array([keys.setdefault((r.pool, r.prefix), len(keys)) for r in rows])
    start = np.array([r.first_number for r in rows], dtype=np.int64)
    count = np.array([r.last_number - r.first_number + 1 for r in rows], dtype=np.int64)
    owner = np.array([r.organisation_id for r in rows], dtype=np.int64)
    found = owner_conflicts(key, start, count, owner, of=organisation_id)
    out = []
    for a, b, first, last in found.itertuples(index=False):
        ours, theirs = (rows[a], rows[b]) if a < len(mine) else (rows[b], rows[a])
        out.append(Conflict(ours.kind, serial_of(ours.serial, int(first)),
                            serial_of(ours.serial, int(last)), int(last - first + 1), ours.path,
                            theirs))
    return sorted(out, key=lambda c: (c.path, c.first, c.other.id))


def latest_submitted(db: Session, application: Application) -> Revision | None:
    return db.exec(select(Revision).where(Revision.application_id == application.id,
                                          Revision.submitted_at.is_not(None))
                   .order_by(Revision.number.desc()).limit(1)).first()


def conflicts_of(db: Session, application: Application) -> list[Conflict]:
    """What the application's latest submitted revision shares with other organisations'
    submitted revisions and annual filings of the same data year."""
    revision = latest_submitted(db, application)
    if revision is None:
        return []
    return _conflicts(db, _own(db, ClaimRange.revision_id == revision.id))


def shown(db: Session, user: User, application: Application) -> list[dict]:
    """The conflicts as the page shows them to `user`: officers see who else claims the
    serials; the applicant sees only which serials are claimed elsewhere."""
    conflicts = conflicts_of(db, application)
    if user.role == APPLICANT:
        seen, out = set(), []
        for c in conflicts:
            if (c.path, c.first, c.last) not in seen:
                seen.add((c.path, c.first, c.last))
                out.append({"kind_zh": KIND_ZH.get(c.kind, c.kind),
                            "kind_en": KIND_EN.get(c.kind, c.kind), "span": c.span(),
                            "count": c.count, "path": c.path})
        return out
    return [_named(db, c) for c in conflicts]


def shown_for_filings(db: Session, filing_ids: list[int]) -> dict[int, list[dict]]:
    """For the officers' overview of a filing call: per filed report, its serials that other
    organisations claim for the same year, naming them."""
    out = {}
    for filing_id in filing_ids:
        conflicts = _conflicts(db, _own(db, ClaimRange.filing_id == filing_id))
        if conflicts:
            out[filing_id] = [_named(db, c) for c in conflicts]
    return out


def _named(db: Session, c: Conflict) -> dict:
    other = c.other
    entry = {"kind_zh": KIND_ZH.get(c.kind, c.kind), "kind_en": KIND_EN.get(c.kind, c.kind),
             "span": c.span(), "count": c.count, "path": c.path,
             "organisation": db.get(Organisation, other.organisation_id).name,
             "application_id": other.application_id, "revision": None, "filing_year": None}
    if other.revision_id is not None:
        entry["revision"] = db.get(Revision, other.revision_id).number
    else:
        entry["filing_year"] = other.data_year
    return entry
