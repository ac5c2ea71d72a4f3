"""Inter-rater agreement across an election: Krippendorff's alpha per criterion (units are the
candidacies, raters the panel members, ordinal level of measurement), computed by the maintained
`krippendorff` package (decision 0005), and the locked scores it rests on, read in one statement.

Only scores a viewer could see one by one enter the figures: scores of cleared reviewers who
have locked their phase (on the papers, or after the interview), on candidacies where the viewer
is cleared and has locked that phase too. A chair recused on a candidacy thus learns nothing
about it from the aggregates either, nor a reviewer about a phase they have not locked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import krippendorff
import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.util import AliasedClass

from vetting.domain.agreement import (
    SCALE_POINTS,
    AlphaReading,
    Rating,
    distribution,
    pairable_units,
    read_alpha,
    undefined_reading,
)
from vetting.domain.vocabulary import ConflictStatus, ScorePhase
from vetting.models import Assignment, Candidacy, Criterion, Score, User

CLEARED = (ConflictStatus.NONE, ConflictStatus.MANAGED)


@dataclass(frozen=True)
class Agreement:
    criterion_id: int
    alpha: float | None  # rounded to 3 decimals; None when undefined
    reading: AlphaReading
    units: int  # candidacies with two or more scores on the criterion


@dataclass
class ElectionRatings:
    ratings: list[Rating] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)

    @property
    def candidacies(self) -> int:
        return len({r.candidacy_id for r in self.ratings})


def phase_locked(
    assignment: type[Assignment] | AliasedClass[Assignment],
) -> sa.ColumnElement[bool]:
    """An assignment (the entity or an alias of it) has locked the phase of the joined
    Criterion: a score is seen per phase, once its phase is locked."""
    return sa.or_(
        sa.and_(Criterion.phase == ScorePhase.PAPER, assignment.locked_at.is_not(None)),
        sa.and_(
            Criterion.phase == ScorePhase.POST_INTERVIEW,
            assignment.interview_locked_at.is_not(None),
        ),
    )


def visible_ratings(session: Session, election_id: int, viewer_id: int) -> ElectionRatings:
    """Every locked, cleared score of the election that the viewer may see: one statement. A
    score counts when its author has locked its phase and the viewer, cleared on the same
    candidacy, has locked that phase too."""
    mine = aliased(Assignment)
    rows = session.execute(
        sa.select(
            Assignment.candidacy_id,
            Assignment.reviewer_id,
            Score.criterion_id,
            Score.value,
            User.full_name,
        )
        .join(Assignment, Assignment.id == Score.assignment_id)
        .join(Candidacy, Candidacy.id == Assignment.candidacy_id)
        .join(Criterion, Criterion.id == Score.criterion_id)
        .join(User, User.id == Assignment.reviewer_id)
        .join(
            mine,
            sa.and_(
                mine.candidacy_id == Assignment.candidacy_id,
                mine.reviewer_id == viewer_id,
                mine.conflict_status.in_(CLEARED),
            ),
        )
        .where(
            Candidacy.election_id == election_id,
            Assignment.conflict_status.in_(CLEARED),
            phase_locked(Assignment),
            phase_locked(mine),
            # "Not applicable" is no rating: it takes no part in the statistics.
            Score.value.is_not(None),
        )
        .order_by(Assignment.candidacy_id, Assignment.reviewer_id, Score.criterion_id)
    ).all()
    result = ElectionRatings()
    for candidacy_id, reviewer_id, criterion_id, value, name in rows:
        if value is None:
            continue
        result.ratings.append(Rating(candidacy_id, reviewer_id, criterion_id, value))
        result.names[reviewer_id] = name
    return result


def ordinal_alpha(units: Sequence[Sequence[int]]) -> float:
    """Krippendorff's alpha, ordinal, over units given as their lists of scores on the 1-4
    scale. The caller has made sure it is defined (see `undefined_reading`)."""
    counts = [list(distribution(values).values()) for values in units]
    return float(
        krippendorff.alpha(
            value_counts=counts, value_domain=list(SCALE_POINTS), level_of_measurement="ordinal"
        )
    )


def agreement_by_criterion(
    ratings: Iterable[Rating], criterion_ids: Iterable[int]
) -> dict[int, Agreement]:
    by_criterion: dict[int, dict[int, list[int]]] = {
        cid: defaultdict(list) for cid in criterion_ids
    }
    for rating in ratings:
        if rating.criterion_id in by_criterion:
            by_criterion[rating.criterion_id][rating.candidacy_id].append(rating.value)
    result = {}
    for cid, values_by_unit in by_criterion.items():
        units = pairable_units(values_by_unit.values())
        undefined = undefined_reading(units)
        if undefined is not None:
            result[cid] = Agreement(cid, None, undefined, len(units))
            continue
        alpha = round(ordinal_alpha(units), 3)
        result[cid] = Agreement(cid, alpha, read_alpha(alpha), len(units))
    return result
