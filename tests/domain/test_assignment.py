"""The balanced assignment plan: coverage first, the cap, an even load, exclusions, determinism."""

from __future__ import annotations

import itertools
import random

import pytest

from vetting.domain.assignment import ShortReason, plan_balanced, plan_everyone


def _loads(plan) -> list[int]:
    return sorted(plan.loads.values())


def test_loads_differ_by_at_most_one_when_nothing_is_excluded():
    plan = plan_balanced([1, 2, 3, 4, 5], [10, 20, 30], per_candidacy=2, cap=10)
    # 5 candidacies x 2 reviewers = 10 assignments over 3 members: 4, 3, 3.
    assert _loads(plan) == [3, 3, 4]
    assert len(plan.chosen) == 10
    assert plan.shortfalls == ()
    for c in (1, 2, 3, 4, 5):
        assert len({m for cc, m in plan.chosen if cc == c}) == 2


def test_cap_is_respected_and_the_shortfall_says_the_cap_was_reached():
    plan = plan_balanced([1, 2, 3, 4], [10, 20], per_candidacy=2, cap=3)
    # 8 places wanted, 2 members x 3 = 6 possible.
    assert plan.loads == {10: 3, 20: 3}
    assert len(plan.chosen) == 6
    short = {s.candidacy: s for s in plan.shortfalls}
    assert sum(2 - s.got for s in short.values()) == 2
    assert all(s.reason is ShortReason.CAP_REACHED for s in short.values())
    assert all(s.available == 2 and s.excluded == 0 for s in short.values())


def test_excluded_pairs_are_never_chosen_and_the_shortfall_says_too_few_members():
    excluded = {(1, 10), (1, 20)}
    plan = plan_balanced([1, 2, 3], [10, 20, 30, 40], per_candidacy=3, cap=2, excluded=excluded)
    assert not excluded & set(plan.chosen)
    assert [(s.candidacy, s.got, s.available, s.excluded, s.reason) for s in plan.shortfalls] == [
        (1, 2, 2, 2, ShortReason.TOO_FEW_MEMBERS)
    ]
    # 2 + 3 + 3 = 8 assignments over 4 members with a cap of 2: everyone carries 2.
    assert plan.loads == {10: 2, 20: 2, 30: 2, 40: 2}


def test_existing_assignments_count_for_the_candidacy_and_the_load_and_are_not_made_again():
    existing = {(1, 10), (1, 20), (9, 10)}  # candidacy 9 is not planned but weighs on member 10
    plan = plan_balanced([1, 2], [10, 20, 30], per_candidacy=2, cap=5, existing=existing)
    assert not existing & set(plan.chosen)
    # Candidacy 1 has its two; candidacy 2 takes the two lightest: 30 (0) and 20 (1).
    assert plan.chosen == ((2, 20), (2, 30))
    assert plan.loads == {10: 2, 20: 2, 30: 1}


def test_an_existing_assignment_despite_a_detected_conflict_still_counts():
    plan = plan_balanced(
        [1], [10, 20], per_candidacy=2, cap=5, existing={(1, 10)}, excluded={(1, 10)}
    )
    assert plan.chosen == ((1, 20),)
    assert plan.shortfalls == ()


def test_coverage_comes_before_the_order_of_the_input():
    # Member 10 is the only one allowed on candidacy 2; a greedy pass giving 10 to candidacy 1
    # first would leave 2 without a reviewer.
    plan = plan_balanced([1, 2], [10, 20], per_candidacy=1, cap=1, excluded={(2, 20)})
    assert set(plan.chosen) == {(1, 20), (2, 10)}
    assert plan.shortfalls == ()


def test_the_same_input_gives_the_same_plan():
    args = ([5, 3, 8, 1], [40, 10, 30]), {"per_candidacy": 2, "cap": 3, "excluded": {(3, 10)}}
    first = plan_balanced(*args[0], **args[1])
    for _ in range(5):
        assert plan_balanced(*args[0], **args[1]) == first


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="per_candidacy"):
        plan_balanced([1], [10], per_candidacy=0, cap=1)
    with pytest.raises(ValueError, match="cap"):
        plan_balanced([1], [10], per_candidacy=1, cap=-1)


def _brute_force(candidacies, members, per_candidacy, cap, excluded):
    """Every way of choosing allowed pairs: the best coverage, then the least sum of squares."""
    pairs = [(c, m) for c in candidacies for m in members if (c, m) not in excluded]
    best = None
    for mask in range(1 << len(pairs)):
        chosen = [p for i, p in enumerate(pairs) if mask >> i & 1]
        per_c = {c: sum(1 for cc, _ in chosen if cc == c) for c in candidacies}
        per_m = {m: sum(1 for _, mm in chosen if mm == m) for m in members}
        if any(v > per_candidacy for v in per_c.values()) or any(v > cap for v in per_m.values()):
            continue
        key = (-len(chosen), sum(v * v for v in per_m.values()))
        if best is None or key < best:
            best = key
    return best


@pytest.mark.parametrize("seed", range(25))
def test_the_plan_is_optimal_against_every_possible_choice_on_small_cases(seed):
    rng = random.Random(seed)
    candidacies = list(range(1, rng.randint(2, 4) + 1))
    members = [10 * j for j in range(1, rng.randint(2, 3) + 1)]
    per_candidacy = rng.randint(1, len(members))
    cap = rng.randint(0, len(candidacies))
    all_pairs = list(itertools.product(candidacies, members))
    excluded = {p for p in all_pairs if rng.random() < 0.25}
    plan = plan_balanced(
        candidacies, members, per_candidacy=per_candidacy, cap=cap, excluded=excluded
    )
    assert not excluded & set(plan.chosen)
    assert len(set(plan.chosen)) == len(plan.chosen)
    assert all(load <= cap for load in plan.loads.values())
    key = (-len(plan.chosen), sum(v * v for v in plan.loads.values()))
    assert key == _brute_force(candidacies, members, per_candidacy, cap, excluded)


def test_loads_differ_by_at_most_one_on_a_larger_unconstrained_election():
    plan = plan_balanced(list(range(1, 41)), list(range(100, 109)), per_candidacy=3, cap=20)
    assert len(plan.chosen) == 120
    assert max(plan.loads.values()) - min(plan.loads.values()) <= 1


def test_everyone_mode_skips_excluded_and_existing_pairs():
    assert plan_everyone([1, 2], [10, 20], existing={(1, 10)}, excluded={(2, 20)}) == (
        (1, 20),
        (2, 10),
    )
