"""The expert's score sheet: each item with its anchored scale, the engine's suggestion and the
applicant's evidence for it, so the expert scores an item with its proof beside it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .scales import Anchor, reviewable_items, scale

# what a browser shows in a frame or an <img> itself; anything else is downloaded
PREVIEW = {"pdf": "pdf", "png": "image", "jpg": "image", "jpeg": "image"}


def preview_kind(name: str) -> str | None:
    """"pdf", "image" or None, from the file's extension (its content was checked on upload
    to agree with it: applications/evidence.py)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return PREVIEW.get(extension)


@dataclass
class SheetItem:
    item: object  # the criteria set's item
    anchors: list[Anchor]
    engine_points: float | None
    suggested: float | None  # what "adopt the suggestions" fills in; None: the engine has none
    evidence: list[dict] = field(default_factory=list)


def suggestions(result: dict) -> dict[str, float]:
    """The engine's points where it has something to suggest: every scored item, and the
    expert items whose suggestion rule found its figure (status "suggested")."""
    return {i["id"]: i["points"] for i in result["items"]
            if i["status"] not in ("pending", "not_applicable") and i["points"] is not None}


def score_sheet(criteria, result: dict, evidence: list[dict]) -> tuple[list[SheetItem],
                                                                       list[dict]]:
    """The items to score, each with the files of its evidence kinds, and the files no item
    names (shown after the items). `evidence` is the revision's, named as the expert sees it."""
    engine_points = {i["id"]: i["points"] for i in result["items"]}
    suggested = suggestions(result)
    files = [dict(e, preview=preview_kind(e["name"])) for e in evidence]
    sheet, shown = [], set()
    for item in reviewable_items(criteria, result):
        mine = [f for f in files if f["item"] in item.evidence]
        shown.update(f["id"] for f in mine)
        sheet.append(SheetItem(item, scale(item, engine_points.get(item.id)),
                               engine_points.get(item.id), suggested.get(item.id), mine))
    return sheet, [f for f in files if f["id"] not in shown]
