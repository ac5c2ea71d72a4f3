"""Conflict detection and who decides, over every combination."""

from __future__ import annotations

import itertools

import pytest

from vetting.domain.conflicts import CONFLICTED, detect, may_decide
from vetting.domain.vocabulary import ConflictKind, ConflictStatus


@pytest.mark.parametrize(
    ("member", "nationality", "nominating", "expected"),
    [
        (None, "SEN", "SEN", ()),
        ("KEN", "SEN", "SEN", ()),
        ("SEN", "SEN", "SEN", (ConflictKind.SAME_NATIONALITY, ConflictKind.NOMINATING_STATE)),
        ("SEN", "SEN", "FRA", (ConflictKind.SAME_NATIONALITY,)),
        ("FRA", "SEN", "FRA", (ConflictKind.NOMINATING_STATE,)),
    ],
)
def test_conflicts_are_detected_from_nationality_and_nominating_state(
    member, nationality, nominating, expected
):
    assert detect(member, nationality, nominating) == expected


STATUSES = [None, *ConflictStatus]


@pytest.mark.parametrize(
    ("is_chair", "is_panel", "concerned", "status", "unconflicted_chair"),
    list(itertools.product([False, True], [False, True], [False, True], STATUSES, [False, True])),
)
def test_who_decides_follows_the_rule_for_every_combination(
    is_chair, is_panel, concerned, status, unconflicted_chair
):
    decided = may_decide(
        decider_is_chair=is_chair,
        decider_is_panel=is_panel,
        decider_is_concerned=concerned,
        decider_status=status,
        unconflicted_chair=unconflicted_chair,
    )
    if concerned or not is_panel or status in CONFLICTED:
        assert decided is False
    elif unconflicted_chair:
        assert decided is is_chair
    else:
        assert decided is (not is_chair and status is ConflictStatus.NONE)


def test_nobody_decides_their_own_conflict_even_as_the_only_chair():
    assert not may_decide(
        decider_is_chair=True,
        decider_is_panel=True,
        decider_is_concerned=True,
        decider_status=ConflictStatus.DECLARED,
        unconflicted_chair=False,
    )
