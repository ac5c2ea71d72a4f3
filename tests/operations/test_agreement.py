"""Krippendorff's alpha per criterion against values computed by hand, and the one statement
that reads the scores it rests on (only those the viewer could see one by one)."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sqlalchemy as sa

from vetting.domain.agreement import AlphaReading, Rating
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ScorePhase
from vetting.models import Assignment, Criterion
from vetting.operations import panel
from vetting.operations.agreement import (
    agreement_by_criterion,
    ordinal_alpha,
    visible_ratings,
)
from vetting.scenarios import (
    criteria_to_score,
    make_election,
    make_people,
    nominate,
    score_all,
    walk,
)


def test_alpha_is_one_when_every_candidacy_gets_the_same_score_from_everyone():
    assert ordinal_alpha([[1, 1], [4, 4, 4], [2, 2]]) == pytest.approx(1.0)


def test_alpha_matches_the_hand_computation_when_two_values_are_used():
    # Units (1,1), (2,2), (1,2). Coincidences, each pair weighted 1/(m_u - 1) = 1:
    # o11 = 2, o22 = 2, o12 = o21 = 1; n1 = n2 = 3, n = 6.
    # Ordinal distance d12 = (n1 + n2 - (n1 + n2) / 2)^2 = (6 - 3)^2 = 9.
    # Observed: o12 d + o21 d = 18. Expected: e12 = e21 = n1 n2 / (n - 1) = 9/5; 2 * 9/5 * 9 = 32.4.
    # alpha = 1 - 18 / 32.4 = 4/9.
    assert ordinal_alpha([[1, 1], [2, 2], [1, 2]]) == pytest.approx(float(Fraction(4, 9)))


def test_alpha_matches_the_hand_computation_when_three_values_are_used():
    # Units (1,2), (2,3), (3,3), (1,1): o12 = o21 = 1, o23 = o32 = 1, o33 = 2, o11 = 2;
    # n1 = 3, n2 = 2, n3 = 3, n = 8.
    # Ordinal distances: d12 = (3 + 2 - 5/2)^2 = 6.25, d23 = (2 + 3 - 5/2)^2 = 6.25,
    # d13 = (3 + 2 + 3 - 6/2)^2 = 25.
    # Observed: 2 * 6.25 + 2 * 6.25 = 25.
    # Expected (e = nc nk / 7): 2 * (6/7 * 6.25 + 6/7 * 6.25 + 9/7 * 25) = 600/7.
    # alpha = 1 - 25 * 7 / 600 = 17/24 = 0.708: tentative.
    assert ordinal_alpha([[1, 2], [2, 3], [3, 3], [1, 1]]) == pytest.approx(17 / 24)


def _ratings(units: dict[int, list[int]], criterion: int = 1) -> list[Rating]:
    return [
        Rating(unit, reviewer, criterion, value)
        for unit, values in units.items()
        for reviewer, value in enumerate(values)
    ]


def test_agreement_is_rounded_and_read_in_words_when_defined():
    ratings = _ratings({1: [1, 2], 2: [2, 3], 3: [3, 3], 4: [1, 1]})
    found = agreement_by_criterion(ratings, [1])[1]
    assert (found.alpha, found.reading, found.units) == (0.708, AlphaReading.TENTATIVE, 4)


def test_agreement_is_none_when_only_one_candidacy_is_scored():
    found = agreement_by_criterion(_ratings({1: [1, 4, 3]}), [1])[1]
    assert (found.alpha, found.reading, found.units) == (
        None,
        AlphaReading.TOO_FEW_CANDIDACIES,
        1,
    )


def test_agreement_is_none_when_every_score_is_the_same():
    found = agreement_by_criterion(_ratings({1: [3, 3], 2: [3, 3], 3: [3, 3]}), [1])[1]
    assert (found.alpha, found.reading) == (None, AlphaReading.NO_VARIATION)


def test_agreement_is_none_for_a_criterion_nobody_scored():
    found = agreement_by_criterion(_ratings({1: [1, 2]}, criterion=1), [1, 2])
    assert found[2].alpha is None and found[2].units == 0


def _lock(session, reviewer, candidacy, value: int) -> None:
    """One reviewer declares no conflict, scores every criterion and locks."""
    mine = session.scalars(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == reviewer.id
        )
    ).one()
    panel.declare_conflict(session, reviewer, candidacy, mine, has_conflict=False, details="")
    criteria = criteria_to_score(session, candidacy, mine)
    panel.save_scores(
        session,
        reviewer,
        candidacy,
        mine,
        [panel.ScoreInput(c.id, value, f"{c.code}: assessed.") for c in criteria],
    )
    panel.lock_scores(session, reviewer, candidacy, mine)


def test_visible_ratings_leave_out_candidacies_where_the_viewer_has_not_locked(session):
    people = make_people(session, members=2)
    election = make_election(session, people)
    seen = nominate(session, people, election, name="Ana Seen", state="ARG")
    hidden = nominate(session, people, election, name="Hugo Hidden", state="BRA")
    walk(session, people, seen, Stage.PAPER_SCORING)
    walk(session, people, hidden, Stage.PAPER_SCORING)
    score_all(session, people, seen, values={0: 2, 1: 3, 2: 4})
    # On the other candidacy the members lock; the chair has not locked, so the chair may not
    # see their scores one by one, and the aggregates must not use them either.
    for member in people.members:
        _lock(session, member, hidden, 1)
    # A member's unlocked draft never counts, even for a viewer who sees the candidacy. The
    # candidacies are at the paper stage: the criteria scored now are those on the papers.
    criteria = session.scalars(
        sa.select(Criterion)
        .where(Criterion.election_id == election.id, Criterion.phase == ScorePhase.PAPER)
        .order_by(Criterion.position, Criterion.id)
    ).all()
    chair_there = session.scalars(
        sa.select(Assignment).where(
            Assignment.candidacy_id == hidden.id, Assignment.reviewer_id == people.chair.id
        )
    ).one()
    panel.declare_conflict(
        session, people.chair, hidden, chair_there, has_conflict=False, details=""
    )
    panel.save_scores(
        session,
        people.chair,
        hidden,
        chair_there,
        [panel.ScoreInput(c.id, 4, "draft") for c in criteria],
    )
    found = visible_ratings(session, election.id, people.chair.id)
    assert {r.candidacy_id for r in found.ratings} == {seen.id}
    assert sorted(r.value for r in found.ratings if r.criterion_id == criteria[0].id) == [2, 3, 4]
    assert len(found.ratings) == 3 * len(criteria)
    assert found.candidacies == 1
    assert found.names[people.chair.id] == "Chris Chair"
    # A member who has locked on both candidacies gets both, without the chair's draft.
    member = visible_ratings(session, election.id, people.members[0].id)
    assert {r.candidacy_id for r in member.ratings} == {seen.id, hidden.id}
    assert {r.value for r in member.ratings if r.candidacy_id == hidden.id} == {1}
    assert len(member.ratings) == 5 * len(criteria)
