"""The comparison of two versions (engine/version_diff.py) as a PDF for the department's
internal approval: 评价标准版本对照表, both versions named, every change before and after, a
line for the signatures. Rendered like the criteria PDF (certificates.render.render_document:
sandboxed template, A4, the CJK font, nothing fetched)."""

from __future__ import annotations

from datetime import datetime

from ..certificates.render import render_document
from ..engine.version_diff import CriteriaDiff, ReferenceDiff, Words
from ..platform.viewkit import beijing_time, clock

TEMPLATE = "criteria/comparison_pdf.html"
# a version's state as the approval sheet names it; a state not listed is printed as it is
STATE_WORDS = {"draft": "草稿", "submitted": "待审核", "pending": "待审核", "in_review": "审核中",
               "approved": "已批准", "published": "已发布", "active": "施行中",
               "retired": "已停用", "superseded": "已被替代", "rejected": "已退回",
               "provisional": "暂行", "official": "正式"}
KIND_TITLES = {"criteria": Words("评价标准", "Criteria set"),
               "reference": Words("参考数据", "Reference data")}


def _version(meta: dict) -> dict:
    """id, label and state of one version, as text (whatever types the caller keeps them in)."""
    state = str(meta.get("state") or "")
    return {"id": str(meta.get("id") if meta.get("id") is not None else "—"),
            "label": str(meta.get("label") or "—"),
            "state": STATE_WORDS.get(state, state or "—"),
            "title": str(meta.get("title") or "")}


def _pair(words: Words) -> dict:
    return {"zh": words.zh, "en": words.en}


def diff_context(diff: CriteriaDiff | ReferenceDiff) -> dict:
    """The diff as the PDF template's primitives (render_document takes nothing else)."""
    return {
        "kind": diff.kind, "kind_title": _pair(KIND_TITLES[diff.kind]), "counts": diff.counts,
        "sections": [{
            "key": s.key, "title": _pair(s.title), "change": s.change or "",
            "notes": [n.zh for n in s.notes],
            "entries": [{"key": e.key, "title": _pair(e.title), "change": e.change_words.zh,
                         "changes": [{"aspect": c.aspect.zh, "before": c.before.zh,
                                      "after": c.after.zh} for c in e.changes]}
                        for e in s.entries]}
            for s in diff.changed_sections],
    }


def render_pdf(diff: CriteriaDiff | ReferenceDiff, old_meta: dict, new_meta: dict, *,
               printed_at: datetime | None = None) -> bytes:
    """The 评价标准版本对照表 of `diff`; `old_meta` and `new_meta` name each version (id, label,
    state, optionally title). Printed at `printed_at` (now by default), in Beijing time."""
    context = diff_context(diff)
    context.update(old=_version(old_meta), new=_version(new_meta),
                   printed=beijing_time(printed_at or clock()))
    return render_document(TEMPLATE, context)
