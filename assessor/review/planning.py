"""Automatic assignment: N experts per application, never a blocked pair, balanced load, the
speciality matched to the industry where possible.

Greedy and deterministic: applications with the fewest eligible experts are served first (so the
scarce experts go where they are needed), and each takes the least-loaded eligible experts,
preferring a speciality match among equally loaded ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from .conflicts import Applicant, ExpertTies, conflict


@dataclass(frozen=True)
class Expert:
    ties: ExpertTies
    industries: tuple[str, ...] = ()

    @property
    def id(self) -> int:
        return self.ties.expert_id

    def matches(self, industry: str) -> bool:
        return any(industry.startswith(prefix) for prefix in self.industries if prefix)


@dataclass(frozen=True)
class Need:
    application_id: int
    applicant: Applicant
    industry: str
    wanted: int  # experts still to assign
    excluded: frozenset[int] = frozenset()  # already assigned, declined or expired here


def plan(needs: list[Need], experts: list[Expert], load: dict[int, int]) -> list[tuple[int, int]]:
    """(application id, expert id) pairs to create."""
    load = {e.id: load.get(e.id, 0) for e in experts}
    eligible = {
        need.application_id: [e for e in experts if e.id not in need.excluded
                              and conflict(e.ties, need.applicant) is None]
        for need in needs}
    pairs: list[tuple[int, int]] = []
    for need in sorted(needs, key=lambda n: (len(eligible[n.application_id]), n.application_id)):
        candidates = sorted(eligible[need.application_id],
                            key=lambda e: (load[e.id], not e.matches(need.industry), e.id))
        for expert in candidates[:max(need.wanted, 0)]:
            pairs.append((need.application_id, expert.id))
            load[expert.id] += 1
    return pairs
