"""The public balance of the pool, and the suppression of small counts of the gender OTHER.

The suppression is checked against an adversary written here on its own: it tries every table
of gender counts that agrees with what is published (the numbers shown, "fewer than 3" meaning
0 to 2 - at least 1 for the nominated, since a zero is shown as such -, a withheld OTHER count
meaning 3 or more, the totals) and collects what the hidden counts could be.
"""

from __future__ import annotations

import itertools

import pytest

from vetting.domain.balance import (
    Balance,
    K,
    Member,
    Shown,
    Status,
    balance,
    is_protected,
    protect_gender,
)
from vetting.domain.requirements import Requirement
from vetting.domain.vocabulary import RequirementDimension as D

AF, AP, WEOG = "african", "asia_pacific", "western_european_other"


def _member(gender: str, *, group: str = AF, judge_list: str = "a", standing: bool = True):
    return Member(group, gender, judge_list, standing)


def _pool(women: int, men: int, other: int, *, out: dict[str, int] | None = None) -> list[Member]:
    """`out` says how many of each gender are no longer standing."""
    out = out or {}
    members = []
    for gender, n in (("female", women), ("male", men), ("other", other)):
        members += [_member(gender, standing=i >= out.get(gender, 0)) for i in range(n)]
    return members


def _row(result: Balance, dimension: D, value: str):
    rows = [r for r in result.rows if r.dimension is dimension and r.value == value]
    assert len(rows) == 1, (dimension, value, result.rows)
    return rows[0]


def _possible_other(result: Balance) -> set[tuple[int, int]]:
    """Every (nominated, standing) count of OTHER that agrees with the published table."""
    total_n, total_s = result.nominated, result.standing
    known = {}
    for g in ("female", "male", "other"):
        rows = [r for r in result.rows if r.dimension is D.GENDER and r.value == g]
        for column in ("nominated", "standing"):
            if result.gender_withheld:
                known[(column, g)] = range(total_n + 1)  # not shown at all: anything
                continue
            if not rows:
                known[(column, g)] = range(1)  # no OTHER row: nobody is OTHER
                continue
            count = getattr(rows[0], column)
            if count.shown is Shown.EXACT:
                known[(column, g)] = range(count.value, count.value + 1)
            elif count.shown is Shown.FEWER_THAN_K:
                known[(column, g)] = range(1 if column == "nominated" else 0, K)
            else:
                low = K if g == "other" else 0
                known[(column, g)] = range(low, total_n + 1)
    found = set()
    for n_f, n_m, n_o in itertools.product(
        *(known[("nominated", g)] for g in ("female", "male", "other"))
    ):
        if n_f + n_m + n_o != total_n:
            continue
        for s_f, s_m in itertools.product(
            known[("standing", "female")], known[("standing", "male")]
        ):
            s_o = total_s - s_f - s_m
            if (
                s_o in known[("standing", "other")]
                and s_f <= n_f
                and s_m <= n_m
                and 0 <= s_o <= n_o
            ):
                found.add((n_o, s_o))
    return found


def test_regional_groups_and_lists_are_counted_exactly_when_assessed():
    members = [
        Member(AF, "female", "a", True),
        Member(AF, "male", "b", False),
        Member(AP, "female", "b", True),
        Member(WEOG, "male", "a", True),
    ]
    requirements = [Requirement(D.REGIONAL_GROUP, AF, 2), Requirement(D.LIST, "b", 1)]
    result = balance(members, requirements)
    african = _row(result, D.REGIONAL_GROUP, AF)
    assert (african.nominated.value, african.standing.value, african.minimum) == (2, 1, 2)
    assert african.status is Status.SHORT and african.shortfall == 1
    list_b = _row(result, D.LIST, "b")
    assert (list_b.nominated.value, list_b.standing.value) == (2, 1)
    assert list_b.status is Status.MET and list_b.shortfall == 0
    eastern = _row(result, D.REGIONAL_GROUP, "eastern_european")
    assert (eastern.nominated.value, eastern.minimum, eastern.status) == (
        0,
        None,
        Status.NO_MINIMUM,
    )
    assert (result.nominated, result.standing, result.gender_withheld) == (4, 3, False)


def test_lists_are_left_out_when_the_election_has_none():
    result = balance([_member("female", judge_list="none")], [])
    assert not [r for r in result.rows if r.dimension is D.LIST]


def test_gender_counts_are_exact_and_other_absent_when_nobody_is_other():
    result = balance(_pool(3, 2, 0, out={"male": 1}), [Requirement(D.GENDER, "female", 4)])
    female = _row(result, D.GENDER, "female")
    assert (female.nominated.value, female.standing.value) == (3, 3)
    assert female.status is Status.SHORT and female.shortfall == 1
    assert _row(result, D.GENDER, "male").standing.value == 1
    assert not [r for r in result.rows if r.dimension is D.GENDER and r.value == "other"]


@pytest.mark.parametrize("other", [1, 2])
def test_other_is_shown_as_fewer_than_3_and_totals_cannot_give_it_when_few(other):
    result = balance(_pool(4, 3, other), [])
    row = _row(result, D.GENDER, "other")
    assert row.nominated == row.standing  # both "fewer than 3", no number
    assert row.nominated.shown is Shown.FEWER_THAN_K and row.nominated.value is None
    # The totals are public; with women and men both exact they would give the count back,
    # so one of them is withheld in each column.
    assert result.nominated == 7 + other
    women, men = _row(result, D.GENDER, "female"), _row(result, D.GENDER, "male")
    for column in ("nominated", "standing"):
        assert Shown.WITHHELD in (getattr(women, column).shown, getattr(men, column).shown)
    possible = _possible_other(result)
    assert (other, other) in possible
    assert len({n for n, _ in possible}) >= 2
    assert len({s for _, s in possible}) >= 2


def test_other_is_shown_exactly_when_three():
    result = balance(_pool(4, 3, 3), [])
    row = _row(result, D.GENDER, "other")
    assert (row.nominated.value, row.standing.value) == (3, 3)
    women, men = _row(result, D.GENDER, "female"), _row(result, D.GENDER, "male")
    assert (women.nominated.value, men.nominated.value) == (4, 3)
    assert _possible_other(result) == {(3, 3)}


def test_a_withdrawal_is_not_pinned_on_other_when_it_is_the_only_one():
    # Four OTHER nominated, three standing: the one withdrawal (a public name) must not read as
    # "the OTHER one". Exact 4 and 3 would say so; something more is withheld.
    result = balance(_pool(5, 4, 4, out={"other": 1}), [])
    outs = {n - s for n, s in _possible_other(result)}
    assert 1 in outs and len(outs) >= 2


def test_a_minimum_reads_not_shown_when_its_count_is_withheld():
    members = _pool(2, 5, 1)
    result = balance(
        members, [Requirement(D.GENDER, "female", 2), Requirement(D.GENDER, "male", 2)]
    )
    withheld = [
        r for r in result.rows if r.dimension is D.GENDER and r.standing.shown is Shown.WITHHELD
    ]
    assert withheld and all(r.status is Status.NOT_SHOWN for r in withheld)
    assert all(r.standing.value is None and r.shortfall == 0 for r in withheld)


@pytest.mark.parametrize(("women", "other"), [(0, 1), (1, 1), (2, 0)])
def test_gender_counts_are_withheld_whoever_is_in_the_pool_when_smaller_than_3(women, other):
    result = balance(_pool(women, 0, other), [Requirement(D.GENDER, "female", 1)])
    assert result.gender_withheld
    assert not [r for r in result.rows if r.dimension is D.GENDER and r.value == "other"]
    assert _row(result, D.GENDER, "female").status is Status.NOT_SHOWN


def test_gender_counts_are_withheld_when_the_only_withdrawal_is_other():
    result = balance(_pool(7, 110, 3, out={"other": 1}), [Requirement(D.GENDER, "female", 1)])
    assert result.gender_withheld
    gender_rows = [r for r in result.rows if r.dimension is D.GENDER]
    assert gender_rows and all(
        r.nominated.value is None and r.standing.value is None for r in gender_rows
    )
    assert _row(result, D.GENDER, "female").status is Status.NOT_SHOWN


@pytest.mark.parametrize(
    ("women", "men", "other", "out"),
    [
        (w, m, o, out)
        for w in range(4)
        for m in range(4)
        for o in range(1, 4)
        for out in ({}, {"other": 1}, {"female": 1}, {"male": 1})
        if out.get("female", 0) <= w and out.get("male", 0) <= m
    ],
)
def test_no_small_other_count_can_be_worked_out_when_published(women, men, other, out):
    result = balance(_pool(women, men, other, out=out), [])
    possible = _possible_other(result)
    standing_other = other - out.get("other", 0)
    assert (other, standing_other) in possible
    for index, truth in enumerate((other, standing_other)):
        if 1 <= truth < K:
            assert len({p[index] for p in possible}) >= 2, result
    if 1 <= other - standing_other < K:
        assert len({n - s for n, s in possible}) >= 2, result


def test_protection_check_fails_when_everything_is_exact():
    values = {
        ("nominated", "female"): 3,
        ("nominated", "male"): 3,
        ("nominated", "other"): 1,
        ("standing", "female"): 3,
        ("standing", "male"): 3,
        ("standing", "other"): 1,
    }
    assert not is_protected(values, dict.fromkeys(values, Shown.EXACT))
    shown = protect_gender(
        {"female": 3, "male": 3, "other": 1}, {"female": 3, "male": 3, "other": 1}
    )
    assert shown is not None and is_protected(values, shown)


def test_chart_scale_covers_the_longest_bar_and_minimum():
    result = balance(_pool(2, 1, 0), [Requirement(D.REGIONAL_GROUP, AP, 5)])
    assert result.chart_max == 5
    assert balance([], []).chart_max == 1
