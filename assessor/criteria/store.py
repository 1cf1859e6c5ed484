"""Versions as the engine uses them: a stored version checked and prepared once per process,
kept by its content's digest (a published version never changes; a draft's every save has a
new digest), so every process and host scores with exactly the versions in the database.

The registry (which versions exist, in which state) is read once per data version: every
change of state writes an audit event, so a process sees a publication on its next request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from ..engine import CriteriaSet, Engine, Reference
from ..engine.criteria import criteria_from_text
from ..engine.reference import reference_from_files
from . import files as version_files
from .models import CriteriaVersion

KEPT = 64  # prepared versions a process keeps (drafts being edited come and go)
_lock = threading.Lock()
_references: OrderedDict[str, Reference] = OrderedDict()
_sets: OrderedDict[tuple[str, str], CriteriaSet] = OrderedDict()
_cases: OrderedDict[tuple[str, str], list] = OrderedDict()  # worked cases' outcomes


def _keep(store: OrderedDict, key, make):
    with _lock:
        if key in store:
            store.move_to_end(key)
            return store[key]
    value = make()
    with _lock:
        store[key] = value
        while len(store) > KEPT:
            store.popitem(last=False)
    return value


def reference_of(version: CriteriaVersion) -> Reference:
    return _keep(_references, version.digest,
                 lambda: reference_from_files(version.files, f"reference@{version.key}"))


def criteria_of(version: CriteriaVersion, reference: CriteriaVersion) -> CriteriaSet:
    """The set of a criteria version, checked against its reference version. Raises
    DataFileError naming the file and item for a draft that does not load."""
    def make() -> CriteriaSet:
        name, text = version_files.main_file(version.files)
        return criteria_from_text(text, name, reference_of(reference))
    return _keep(_sets, (version.digest, reference.digest), make)


def set_of(db: Session, version: CriteriaVersion) -> CriteriaSet:
    return criteria_of(version, db.get(CriteriaVersion, version.reference_id))


def case_outcomes(db: Session, version: CriteriaVersion, run) -> list:
    """`run()`'s outcomes of a criteria version's worked cases, kept by the version's and its
    reference's digests: the same files always give the same outcomes (the version page, the
    submission and the approval read them; a draft's save has a new digest)."""
    reference = db.get(CriteriaVersion, version.reference_id)
    return _keep(_cases, (version.digest, reference.digest), run)


def engine_of(db: Session, root: Path) -> Engine:
    """Every published and superseded version, as one engine (drafts are not in it: a draft is
    scored only where its page asks, through `set_of`). `engine.reference` is the current
    reference data; each set scores with its own version's."""
    ensure_seeded(db, root)
    rows = db.exec(select(CriteriaVersion).where(  # the files are read only on a first use
        CriteriaVersion.state.in_(("published", "superseded")))
        .options(defer(CriteriaVersion.content)).order_by(CriteriaVersion.id)).all()
    by_id = {row.id: row for row in rows}
    sets = {}
    for row in rows:
        if row.kind == "criteria":
            sets[row.key] = criteria_of(row, by_id.get(row.reference_id)
                                        or db.get(CriteriaVersion, row.reference_id))
    current = [row for row in rows if row.kind == "reference" and row.state == "published"]
    reference = reference_of(current[-1]) if current else next(iter(sets.values())).reference
    return Engine(Path("database"), reference, sets)


# -- first start --------------------------------------------------------------------------------
def ensure_seeded(db: Session, root: Path) -> None:
    """On first start the files in criteria/ (`root`) become the first published versions."""
    if db.exec(select(CriteriaVersion.id).limit(1)).first() is not None:
        return
    from .seed import import_folder
    with Session(db.get_bind()) as own:  # its own transaction, not the caller's
        try:
            import_folder(own, root, actor=None, publish=True)
        except IntegrityError:  # another process seeded first
            own.rollback()
