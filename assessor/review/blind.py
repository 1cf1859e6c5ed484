"""Blind review: nothing that names the applicant reaches the expert; the data and evidence
stay visible."""

from __future__ import annotations

import copy

from flask_babel import gettext as _

REDACTED = "（盲评隐藏）"


def blind_data(data: dict) -> dict:
    out = copy.deepcopy(data)
    out.pop("organisation", None)
    for index, member in enumerate(out.get("members") or [], start=1):
        member["name"] = _("成员企业 %(n)s", n=index)
        member["uscc"] = ""
    return out


def blind_result(result: dict) -> dict:
    out = copy.deepcopy(result)
    members = {}
    for product in out.get("products") or []:
        if product.get("member"):
            members.setdefault(product["member"], _("成员企业 %(n)s", n=len(members) + 1))
            product["member"] = members[product["member"]]
    return out


def evidence_name(evidence_id: int, original: str) -> str:
    extension = original.rsplit(".", 1)[-1].lower() if "." in original else "bin"
    return f"证明材料-{evidence_id}.{extension}"


def applicant_code(application_id: int) -> str:
    """What a blind round shows in place of the applicant's name."""
    return _("盲评编号 %(code)s", code=f"A{application_id:04d}")
