from __future__ import annotations

from vetting.domain.requirements import (
    PoolMember,
    Requirement,
    all_met,
    assess,
    in_pool,
)
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import RequirementDimension as D

AF, AP, WEOG = "african", "asia_pacific", "western_european_other"

# A hand-made pool of five: two African women on List A, one Asia-Pacific man on List B, one
# Western European woman on List B, one African man on List A.
POOL = [
    PoolMember(AF, "female", "a"),
    PoolMember(AF, "female", "a"),
    PoolMember(AP, "male", "b"),
    PoolMember(WEOG, "female", "b"),
    PoolMember(AF, "male", "a"),
]


def _by_value(statuses):
    return {(s.requirement.dimension, s.requirement.value): s for s in statuses}


def test_each_requirement_counts_its_value_in_the_pool_when_assessed():
    requirements = [
        Requirement(D.REGIONAL_GROUP, AF, 1),
        Requirement(D.REGIONAL_GROUP, "eastern_european", 1),
        Requirement(D.REGIONAL_GROUP, AP, 2),
        Requirement(D.GENDER, "female", 2),
        Requirement(D.GENDER, "male", 3),
        Requirement(D.LIST, "a", 3),
        Requirement(D.LIST, "b", 2),
    ]
    got = _by_value(assess(requirements, POOL))
    assert got[(D.REGIONAL_GROUP, AF)].in_pool == 3 and got[(D.REGIONAL_GROUP, AF)].met
    eastern = got[(D.REGIONAL_GROUP, "eastern_european")]
    assert (eastern.in_pool, eastern.met, eastern.shortfall) == (0, False, 1)
    asia = got[(D.REGIONAL_GROUP, AP)]
    assert (asia.in_pool, asia.met, asia.shortfall) == (1, False, 1)
    assert got[(D.GENDER, "female")].in_pool == 3 and got[(D.GENDER, "female")].met
    male = got[(D.GENDER, "male")]
    assert (male.in_pool, male.met, male.shortfall) == (2, False, 1)
    assert got[(D.LIST, "a")].in_pool == 3 and got[(D.LIST, "a")].met
    assert got[(D.LIST, "b")].in_pool == 2 and got[(D.LIST, "b")].shortfall == 0
    assert not all_met(got.values())


def test_statuses_are_ordered_by_dimension_then_value_when_assessed():
    statuses = assess(
        [
            Requirement(D.LIST, "a", 1),
            Requirement(D.GENDER, "male", 1),
            Requirement(D.REGIONAL_GROUP, WEOG, 1),
            Requirement(D.REGIONAL_GROUP, AF, 1),
        ],
        POOL,
    )
    assert [(s.requirement.dimension, s.requirement.value) for s in statuses] == [
        (D.REGIONAL_GROUP, AF),
        (D.REGIONAL_GROUP, WEOG),
        (D.GENDER, "male"),
        (D.LIST, "a"),
    ]


def test_a_zero_minimum_is_met_when_the_pool_is_empty():
    (status,) = assess([Requirement(D.LIST, "b", 0)], [])
    assert status.met and status.in_pool == 0
    assert all_met([status])
    (short,) = assess([Requirement(D.LIST, "b", 1)], [])
    assert not short.met and short.shortfall == 1


def test_all_met_when_every_minimum_is_reached_exactly():
    statuses = assess([Requirement(D.GENDER, "female", 3), Requirement(D.LIST, "b", 2)], POOL)
    assert all_met(statuses)


def test_withdrawn_or_failed_candidacies_leave_the_pool_when_counted():
    assert in_pool(Stage.NOMINATED, failed_gate=False)
    assert in_pool(Stage.PUBLISHED, failed_gate=False)
    assert not in_pool(Stage.WITHDRAWN, failed_gate=False)
    assert not in_pool(Stage.CLOSED, failed_gate=True)
