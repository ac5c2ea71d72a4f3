"""Aggregating locked scores. One pass, no database."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CriterionSummary:
    criterion_id: int
    values: tuple[int, ...]
    mean: float | None
    median: float | None
    spread: int | None


def summarise(
    criterion_ids: Iterable[int], scores: Iterable[tuple[int, int]]
) -> list[CriterionSummary]:
    """scores: (criterion_id, value) pairs; returns one summary per criterion, in order."""
    by_criterion: dict[int, list[int]] = {cid: [] for cid in criterion_ids}
    for criterion_id, value in scores:
        if criterion_id in by_criterion:
            by_criterion[criterion_id].append(value)
    result = []
    for cid, values in by_criterion.items():
        ordered = tuple(sorted(values))
        result.append(
            CriterionSummary(
                cid,
                ordered,
                round(statistics.fmean(ordered), 2) if ordered else None,
                statistics.median(ordered) if ordered else None,
                (ordered[-1] - ordered[0]) if ordered else None,
            )
        )
    return result


def weighted_mean(scores: dict[int, int], weights: dict[int, int]) -> float | None:
    """Weighted mean of one reviewer's (or the panel's mean) scores over the criteria."""
    total_weight = sum(weights[c] for c in scores if c in weights)
    if not total_weight:
        return None
    return round(sum(scores[c] * weights[c] for c in scores if c in weights) / total_weight, 2)
