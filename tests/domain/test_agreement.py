"""Outlier flags, leniency and the plain reading of alpha, against values computed by hand."""

from __future__ import annotations

import pytest

from vetting.domain.agreement import (
    MIN_UNITS,
    AlphaReading,
    Rating,
    distribution,
    leniency,
    outlier_flags,
    read_alpha,
    undefined_reading,
)


def test_distribution_counts_every_point_of_the_scale_when_some_are_unused():
    assert distribution([4, 1, 4, 4]) == {1: 1, 2: 0, 3: 0, 4: 3}
    assert distribution([]) == {1: 0, 2: 0, 3: 0, 4: 0}


@pytest.mark.parametrize(
    ("values", "flags"),
    [
        # The 1: the others' median is 4, 3 points away. Each 4: the others are (1, 4), median
        # 2.5, 1.5 points away.
        ([1, 4, 4], [True, False, False]),
        # 2 against a median of 4: exactly the distance, flagged.
        ([4, 2, 4, 4], [False, True, False, False]),
        # 3 against a median of 4 (others 4, 4, 2 -> 4): 1 point, not flagged; the 2 against
        # the median of (4, 3, 4) = 4 is.
        ([4, 3, 4, 2], [False, False, False, True]),
        # An even split: each 1 faces (1, 4, 4) with median 4, each 4 faces (1, 1, 4) with
        # median 1; every score is 3 away.
        ([1, 1, 4, 4], [True, True, True, True]),
        # Two scores only: neither is the outlier of the other.
        ([1, 4], [False, False]),
        ([3], [False]),
        ([], []),
        # Unanimous.
        ([2, 2, 2], [False, False, False]),
    ],
)
def test_outlier_is_flagged_when_two_points_from_the_others_median(values, flags):
    assert outlier_flags(values) == flags


def test_leniency_is_mean_deviation_from_the_panel_mean_when_computed_by_hand():
    # Candidacy 10, criterion 1: A=4, B=2, C=3, panel mean 3 -> A +1, B -1, C 0.
    # Candidacy 10, criterion 2: A=4, B=4 (C did not score), mean 4 -> A 0, B 0.
    # Candidacy 11, criterion 1: A=3, C=1, mean 2 -> A +1, C -1.
    # Candidacy 11, criterion 2: C=2 alone -> no panel to compare with, left out.
    # A: (1 + 0 + 1) / 3 = 0.67 over 3 items; B: (-1 + 0) / 2 = -0.5; C: (0 - 1) / 2 = -0.5.
    a, b, c = 1, 2, 3
    ratings = [
        Rating(10, a, 1, 4),
        Rating(10, b, 1, 2),
        Rating(10, c, 1, 3),
        Rating(10, a, 2, 4),
        Rating(10, b, 2, 4),
        Rating(11, a, 1, 3),
        Rating(11, c, 1, 1),
        Rating(11, c, 2, 2),
    ]
    found = leniency(ratings)
    assert {k: (v.value, v.items) for k, v in found.items()} == {
        a: (0.67, 3),
        b: (-0.5, 2),
        c: (-0.5, 2),
    }


def test_leniency_is_zero_not_negative_zero_when_a_member_matches_the_panel():
    found = leniency([Rating(1, 1, 1, 3), Rating(1, 2, 1, 3)])
    assert f"{found[1].value:+.2f}" == "+0.00"


def test_leniency_is_absent_when_a_member_never_scored_alongside_another():
    assert leniency([Rating(1, 1, 1, 3), Rating(2, 2, 1, 4)]) == {}


@pytest.mark.parametrize(
    ("alpha", "reading"),
    [
        (1.0, AlphaReading.RELIABLE),
        (0.8, AlphaReading.RELIABLE),
        (0.7996, AlphaReading.RELIABLE),  # shown as 0.800, read as shown
        (0.7994, AlphaReading.TENTATIVE),
        (0.667, AlphaReading.TENTATIVE),
        (0.6664, AlphaReading.LOW),
        (0.0, AlphaReading.LOW),
        (-0.2, AlphaReading.SYSTEMATIC_DISAGREEMENT),
    ],
)
def test_alpha_reads_by_krippendorffs_thresholds_when_defined(alpha, reading):
    assert read_alpha(alpha) is reading
    assert reading.is_defined


def test_alpha_is_undefined_when_too_few_candidacies_have_two_scores():
    # Only two candidacies carry pairs; the third has one score and does not count.
    units = {1: [1, 4], 2: [2, 3], 3: [4]}
    assert MIN_UNITS == 3
    assert undefined_reading(units.values()) is AlphaReading.TOO_FEW_CANDIDACIES
    assert not AlphaReading.TOO_FEW_CANDIDACIES.is_defined


def test_alpha_is_undefined_when_every_paired_score_is_the_same():
    # The lone 1 in unit 4 has no partner, so it is no variation the coefficient could use.
    units = {1: [3, 3], 2: [3, 3, 3], 3: [3, 3], 4: [1]}
    assert undefined_reading(units.values()) is AlphaReading.NO_VARIATION
    assert not AlphaReading.NO_VARIATION.is_defined


def test_alpha_is_defined_when_three_candidacies_have_pairs_with_variation():
    assert undefined_reading([[1, 1], [2, 2], [1, 2]]) is None
