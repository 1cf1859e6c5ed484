"""Before submitting ("check your answers"): the evidence kinds the items that apply ask for,
which have a file and which are missing, the gates that fail, and the commitment letter
(承诺书) the applicant signs. Pure functions over the criteria, the result and the files, so
that lifecycle.transition() and the page check the same things."""

from __future__ import annotations

from dataclasses import dataclass

SIGNER_MAX = 60  # Revision.signer_name / signer_position
OPINION_MAX = 1000  # a city's 推荐意见


@dataclass(frozen=True)
class Commitment:
    """The commitment letter as signed: ticked, by whom, in which position."""

    agreed: bool
    signer_name: str
    signer_position: str

    def cleaned(self) -> Commitment:
        return Commitment(bool(self.agreed), (self.signer_name or "").strip(),
                          (self.signer_position or "").strip())


@dataclass(frozen=True)
class KindCheck:
    """One evidence kind: its title, the items asking for it, and the files given for it."""

    kind: str
    title: tuple[str, str]
    items: tuple[str, ...]
    files: tuple[str, ...]

    @property
    def present(self) -> bool:
        return bool(self.files)


def letter(organisation: str, uscc: str, round_title: str, subject: str) -> dict:
    """What templates/applications/commitment.html names (primitives: the PDF renders it too)."""
    return {"organisation": organisation, "uscc": uscc, "round_title": round_title,
            "subject": subject}


def commitment_problem(commitment: Commitment | None) -> tuple[str, str] | None:
    """What is wrong with the commitment as (field, zh key), or None when it can be stored."""
    if commitment is None or not commitment.agreed:
        return ("agreed", "agree")
    if not commitment.signer_name:
        return ("signer_name", "name")
    if not commitment.signer_position:
        return ("signer_position", "position")
    if len(commitment.signer_name) > SIGNER_MAX or len(commitment.signer_position) > SIGNER_MAX:
        return ("signer_name", "long")
    return None


def _not_applicable(result: dict | None) -> set[str]:
    """The ids of the items the engine found not to apply (none known without a result)."""
    if not result:
        return set()
    return {entry["id"] for entry in (*result["gates"], *result["items"])
            if entry["status"] == "not_applicable"}


def required_kinds(model, result: dict | None) -> dict[str, list[str]]:
    """Evidence kind → the ids of the items that apply and ask for it, in the file's order.
    Without a result (the draft cannot be scored yet), items with an applies_if are left out:
    whether they apply is not known."""
    skip = _not_applicable(result)
    kinds: dict[str, list[str]] = {}
    for item in model.items:
        if item.id in skip or (result is None and item.applies_if is not None):
            continue
        for kind in item.evidence:
            kinds.setdefault(kind, []).append(item.id)
    return kinds


def evidence_checklist(model, result: dict | None, files: list) -> list[KindCheck]:
    """Every evidence kind the items that apply ask for, with the names of its files (`files`:
    Evidence rows, or anything with .item and .original_name)."""
    by_kind: dict[str, list[str]] = {}
    for record in files:
        by_kind.setdefault(record.item, []).append(record.original_name)
    titles = model.evidence_kinds
    return [KindCheck(kind, (titles[kind].zh, titles[kind].en) if kind in titles else (kind, kind),
                      tuple(items), tuple(by_kind.get(kind, ())))
            for kind, items in required_kinds(model, result).items()]


def missing_kinds(model, result: dict | None, files: list) -> list[KindCheck]:
    return [check for check in evidence_checklist(model, result, files) if not check.present]


def failed_gates(result: dict | None) -> list[dict]:
    """The gates the result fails (a gate without its figure is listed too: it cannot pass)."""
    if not result:
        return []
    return [g for g in result["gates"] if g["status"] in ("failed", "missing")]
