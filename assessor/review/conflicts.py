"""Conflicts of interest: hard blocks, each with the reason the officer sees.

An expert may never review an application of their own organisation, of an organisation with
the USCC of their affiliation, of one they declared a relation with, nor a park whose member
enterprises include any of these.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _


@dataclass(frozen=True)
class ExpertTies:
    """What ties an expert to organisations: plain data, so the rules test without a database."""

    expert_id: int
    organisation_id: int | None
    affiliation_uscc: str | None
    related: dict[str, str]  # USCC -> declared relation


@dataclass(frozen=True)
class Applicant:
    organisation_id: int
    uscc: str
    member_usccs: tuple[str, ...] = ()


def conflict(ties: ExpertTies, applicant: Applicant) -> str | None:
    """The reason this pair is blocked (in the user's language; Chinese outside a request), or
    None."""
    if ties.organisation_id is not None and ties.organisation_id == applicant.organisation_id:
        return _("专家属于申报单位")
    if ties.affiliation_uscc and ties.affiliation_uscc == applicant.uscc:
        return _("专家工作单位与申报单位统一社会信用代码相同")
    if applicant.uscc in ties.related:
        return _("专家申报了与该单位的关系：%(relation)s", relation=ties.related[applicant.uscc])
    for uscc in applicant.member_usccs:
        if uscc and uscc == ties.affiliation_uscc:
            return _("专家工作单位是该园区的成员企业")
        if uscc and uscc in ties.related:
            return _("专家申报了与园区成员企业的关系：%(relation)s", relation=ties.related[uscc])
    return None
