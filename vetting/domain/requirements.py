"""Whether the nominated pool of a judicial election can meet its minimum voting requirements.

The system does not run ballots [I]: it shows, for each requirement, how many candidates of that
regional group, gender or list remain in the pool, against the minimum. A requirement the pool
cannot meet is what justifies extending the nomination window (domain.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vetting.domain.stages import Stage
from vetting.domain.vocabulary import RequirementDimension


@dataclass(frozen=True)
class Requirement:
    dimension: RequirementDimension
    value: str
    minimum: int


@dataclass(frozen=True)
class PoolMember:
    """What the requirements count of one candidacy (enum values)."""

    regional_group: str
    gender: str
    judge_list: str

    def value_of(self, dimension: RequirementDimension) -> str:
        if dimension is RequirementDimension.REGIONAL_GROUP:
            return self.regional_group
        if dimension is RequirementDimension.GENDER:
            return self.gender
        return self.judge_list


@dataclass(frozen=True)
class RequirementStatus:
    requirement: Requirement
    in_pool: int

    @property
    def met(self) -> bool:
        return self.in_pool >= self.requirement.minimum

    @property
    def shortfall(self) -> int:
        return max(0, self.requirement.minimum - self.in_pool)


def in_pool(stage: Stage, *, failed_gate: bool) -> bool:
    """A candidacy counts until it is withdrawn or fails an eligibility gate."""
    return stage is not Stage.WITHDRAWN and not failed_gate


_ORDER = {
    RequirementDimension.REGIONAL_GROUP: 0,
    RequirementDimension.GENDER: 1,
    RequirementDimension.LIST: 2,
}


def assess(
    requirements: Iterable[Requirement], pool: Sequence[PoolMember]
) -> list[RequirementStatus]:
    """Each requirement with the pool's count of its value, by dimension then value."""
    statuses = [
        RequirementStatus(r, sum(1 for m in pool if m.value_of(r.dimension) == r.value))
        for r in requirements
    ]
    return sorted(statuses, key=lambda s: (_ORDER[s.requirement.dimension], s.requirement.value))


def all_met(statuses: Iterable[RequirementStatus]) -> bool:
    return all(s.met for s in statuses)
