"""Publication of a past round: publicity, the published list, certificates, and a few removals
with their certificates revoked."""

from __future__ import annotations

import secrets
from datetime import datetime

from assessor.certificates.issue import new_serial

from .records import Province
from .shape import DAY, REASONS, at


def publication(province: Province, round_: dict, plans: list[dict], timeline: dict) -> None:
    approved = [p for p in plans if p["state"] == "approved"]
    if not approved:
        return
    publicity(province, round_, approved, timeline)
    publish_list(province, round_, approved, timeline)
    issued = at(timeline["issued"], province.rng)
    for p in approved:
        certificate = issue(province, round_, p, timeline, issued)
        if province.rng.random() < 0.06:
            remove(province, p, certificate, issued)


def publicity(province: Province, round_: dict, approved: list[dict], timeline: dict) -> None:
    officer = province.province[0]
    opened = at(timeline["publicity"] - DAY, province.rng)
    row = province.add("publicity", round_id=round_["id"], starts_on=timeline["publicity"],
                       ends_on=timeline["ends"], working_days=round_["publicity_days"],
                       opened_by=officer, opened_at=opened, published_on=timeline["published"])
    for p in approved:
        province.event(opened, officer, "publicize", "application", p["id"],
                       from_state="approved", to_state="in_publicity")
        province.notify_move(opened, "publicize", p["id"], p["org"], "approved", None)
    province.event(opened, officer, "open_publicity", "round", round_["id"],
                   details={"from": row["starts_on"].isoformat(),
                            "to": row["ends_on"].isoformat(),
                            "applications": [p["id"] for p in approved]})


def publish_list(province: Province, round_: dict, approved: list[dict], timeline: dict) -> None:
    """Every approved application listed at the level the experts' points give."""
    officer = province.province[0]
    published = at(timeline["published"], province.rng)
    for p in approved:
        province.event(published, officer, "list", "application", p["id"],
                       from_state="in_publicity", to_state="listed")
        province.notify_move(published, "list", p["id"], p["org"], "in_publicity", None)
        level = p["basis"]["level_with_expert_points"]
        p["listing"] = province.add(
            "listing", round_id=round_["id"], application_id=p["id"],
            organisation_name=p["org"]["name"], city=p["org"]["city"],
            subject=round_["subject"], level_id=level["id"], level_zh=level["title"]["zh"],
            level_en=level["title"]["en"], listed_on=timeline["published"], removed_on=None,
            removal_reason=None)
        p["row"].update(state="listed", updated_at=published)
    province.event(published, officer, "publish_list", "round", round_["id"],
                   details={"listed": [p["id"] for p in approved]})


def issue(province: Province, round_: dict, p: dict, timeline: dict, issued: datetime) -> dict:
    """The listing's certificate, valid three years (its PDF is not written)."""
    officer = province.province[0]
    result = p["results"][len(p["data"]) - 1]
    certificate = province.add(
        "certificate", serial=new_serial(), listing_id=p["listing"]["id"],
        organisation_name=p["org"]["name"], level_zh=p["listing"]["level_zh"],
        level_en=p["listing"]["level_en"], round_title=round_["title"],
        criteria_id=result["criteria"]["id"],
        criteria_version=result["criteria"]["version"], issued_on=timeline["issued"],
        valid_until=timeline["issued"] + (3 * 365 + 1) * DAY,
        stored_name=secrets.token_hex(16), pdf_sha256=secrets.token_hex(32),
        signer="CN=贵州省工业和信息化厅（基准测试）", status="valid", issued_by=officer,
        revoked_at=None, revocation_reason=None)
    province.event(issued, officer, "issue_certificate", "certificate", certificate["id"],
                   details={"serial": certificate["serial"],
                            "sha256": certificate["pdf_sha256"], "application": p["id"]})
    return certificate


def remove(province: Province, p: dict, certificate: dict, issued: datetime) -> None:
    """Removed from the list some months later, its certificate revoked."""
    officer, reason = province.province[0], REASONS["remove"]
    removed = min(issued + int(province.rng.integers(30, 300)) * DAY, province.now - DAY)
    province.event(removed, officer, "remove", "application", p["id"],
                   from_state="listed", to_state="removed", reason=reason)
    province.notify_move(removed, "remove", p["id"], p["org"], "listed", reason)
    p["listing"].update(removed_on=removed.date(), removal_reason=reason)
    certificate.update(status="revoked", revoked_at=removed, revocation_reason=reason)
    province.event(removed, officer, "revoke_certificate", "certificate",
                   certificate["id"], reason=certificate["revocation_reason"],
                   details={"serial": certificate["serial"]})
    p["row"].update(state="removed", updated_at=removed)
