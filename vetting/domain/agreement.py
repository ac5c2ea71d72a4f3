"""How far the panel agrees: outlier flags, each member's leniency and the plain reading of
Krippendorff's alpha. Pure and standard-library only; the alpha itself is computed by the
maintained `krippendorff` package in `vetting.operations.agreement` (decision 0005).

The definitions, as the deliberation page states them:

- Outlier: a member's score on a criterion is flagged when it differs by `OUTLIER_DISTANCE`
  (2) points or more, on the 1-4 scale, from the median of the *other* members' scores on
  that criterion and candidacy. It needs at least two other scores: with two scores in all,
  neither is more of an outlier than the other. In a panel split evenly between 1 and 4,
  every score is flagged; a flag is a prompt to discuss, not a verdict.
- "Not applicable" is no score on the scale: it is never flagged, is not among the other
  members' scores, and takes no part in leniency or alpha (the ratings carry values only).
- Leniency: over every (candidacy, criterion) a member scored together with at least one
  other member, the mean of (the member's score minus the panel's mean on that item, the
  member included). Positive means the member scores higher than the panel; in a panel where
  everyone scored everything, the members' leniencies add up to zero.
- Alpha: undefined when fewer than `MIN_UNITS` candidacies have two or more scores on the
  criterion, or when all those scores are the same (no variation: the agreement cannot be
  told apart from chance). Otherwise read with Krippendorff's customary thresholds: 0.800
  and above reliable, 0.667 up to 0.800 tentative, below 0.667 low, below zero systematic
  disagreement.
"""

from __future__ import annotations

import enum
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SCALE_POINTS = (1, 2, 3, 4)
OUTLIER_DISTANCE = 2
# Alpha over one or two candidacies rests on a handful of pairs; three is the floor below which
# the page says "too few" rather than print a number that would be read as meaningful.
MIN_UNITS = 3
RELIABLE = 0.800
TENTATIVE = 0.667


def distribution(values: Iterable[int | None]) -> dict[int, int]:
    """How many scores fell on each point of the scale, every point present (zero or more).
    "Not applicable" (None) falls on no point."""
    counts = dict.fromkeys(SCALE_POINTS, 0)
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    return counts


def outlier_flags(values: Sequence[int | None]) -> list[bool]:
    """One flag per score, in the order given (see the module's definition). A score of "not
    applicable" (None) is never flagged and does not count among the others."""
    flags = []
    for index, value in enumerate(values):
        if value is None:
            flags.append(False)
            continue
        others = [v for i, v in enumerate(values) if i != index and v is not None]
        flags.append(
            len(others) >= 2 and abs(value - statistics.median(others)) >= OUTLIER_DISTANCE
        )
    return flags


@dataclass(frozen=True)
class Rating:
    """One locked score: a reviewer's value for a criterion of a candidacy."""

    candidacy_id: int
    reviewer_id: int
    criterion_id: int
    value: int


@dataclass(frozen=True)
class Leniency:
    reviewer_id: int
    value: float
    items: int  # (candidacy, criterion) pairs the figure rests on


def leniency(ratings: Iterable[Rating]) -> dict[int, Leniency]:
    """Each reviewer's mean deviation from the panel's mean per item (module definition)."""
    by_item: dict[tuple[int, int], list[Rating]] = defaultdict(list)
    for rating in ratings:
        by_item[(rating.candidacy_id, rating.criterion_id)].append(rating)
    deviations: dict[int, list[float]] = defaultdict(list)
    for item in by_item.values():
        if len(item) < 2:
            continue  # alone on an item there is no panel to be lenient relative to
        mean = statistics.fmean(r.value for r in item)
        for rating in item:
            deviations[rating.reviewer_id].append(rating.value - mean)
    return {
        # Adding 0.0 turns a rounded -0.0 into 0.0, which reads "+0.00", not "-0.00".
        reviewer: Leniency(reviewer, round(statistics.fmean(values), 2) + 0.0, len(values))
        for reviewer, values in deviations.items()
    }


class AlphaReading(enum.Enum):
    RELIABLE = "reliable"
    TENTATIVE = "tentative"
    LOW = "low"
    SYSTEMATIC_DISAGREEMENT = "systematic_disagreement"
    NO_VARIATION = "no_variation"
    TOO_FEW_CANDIDACIES = "too_few_candidacies"

    @property
    def is_defined(self) -> bool:
        return self not in (AlphaReading.NO_VARIATION, AlphaReading.TOO_FEW_CANDIDACIES)


def pairable_units(units: Iterable[Sequence[int]]) -> list[Sequence[int]]:
    """The units (candidacies, as their lists of scores) with at least two scores: only these
    carry agreement."""
    return [values for values in units if len(values) >= 2]


def undefined_reading(units: Iterable[Sequence[int]]) -> AlphaReading | None:
    """Why alpha cannot be computed for these units' scores, or None when it can."""
    pairable = pairable_units(units)
    if len(pairable) < MIN_UNITS:
        return AlphaReading.TOO_FEW_CANDIDACIES
    if len({value for values in pairable for value in values}) < 2:
        return AlphaReading.NO_VARIATION
    return None


def read_alpha(alpha: float) -> AlphaReading:
    """Krippendorff's customary thresholds, applied to the value as shown (3 decimals)."""
    shown = round(alpha, 3)
    if shown >= RELIABLE:
        return AlphaReading.RELIABLE
    if shown >= TENTATIVE:
        return AlphaReading.TENTATIVE
    if shown >= 0:
        return AlphaReading.LOW
    return AlphaReading.SYSTEMATIC_DISAGREEMENT
