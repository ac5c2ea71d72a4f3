"""Scoring: the two phases and their locks, "not applicable", changes after a lock, and the
aggregates of the scores. Pure, no database.

The rules, as the panel's pages state them:

- A criterion is scored in one phase: on the papers (stage paper scoring, and still during the
  interview stage by a reviewer who has not locked that phase yet) or after the interview
  (stage interview). Each phase has its own lock, taken once every criterion of the phase has a
  score with a rationale.
- A reviewer sees the other reviewers' scores of a phase only once their own scores of that
  phase are locked, and only the scores of reviewers who have locked that phase too.
- "Not applicable" is a score without a value, allowed only where the criterion allows it, and
  with a rationale like any other. It takes no part in any figure: means, medians, spreads,
  outliers, leniency, agreement, weighted means.
- Before its lock a phase's scores are drafts, changed freely. After the lock a score may still
  be revised while the candidacy is being scored or deliberated, with a reason; the earlier
  version is kept, and when its author had already seen the others' scores the change is
  flagged as made after exposure.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ScorePhase

SCALE_POINTS = (1, 2, 3, 4)
PHASES = (ScorePhase.PAPER, ScorePhase.POST_INTERVIEW)

_SCORING_STAGES = {
    ScorePhase.PAPER: frozenset({Stage.PAPER_SCORING, Stage.INTERVIEW}),
    ScorePhase.POST_INTERVIEW: frozenset({Stage.INTERVIEW}),
}
# After the lock, until the finding: the scoring stages of the phase and deliberation (a reply
# to an adverse notice may be a reason to revise, so the wait for it counts as deliberation).
_DELIBERATING = frozenset({Stage.DELIBERATION, Stage.REPLY_PENDING})
_REVISION_STAGES = {phase: stages | _DELIBERATING for phase, stages in _SCORING_STAGES.items()}


def is_scoring_open(phase: ScorePhase, stage: Stage) -> bool:
    """Whether a reviewer who has not locked the phase may score it at this stage."""
    return stage in _SCORING_STAGES[phase]


def is_revision_open(phase: ScorePhase, stage: Stage) -> bool:
    """Whether a locked score of the phase may still be revised (with a reason) at this stage."""
    return stage in _REVISION_STAGES[phase]


@dataclass(frozen=True)
class Locks:
    """Which of one reviewer's phases are locked."""

    paper: bool = False
    post_interview: bool = False

    def has(self, phase: ScorePhase) -> bool:
        return self.paper if phase is ScorePhase.PAPER else self.post_interview


def visible_phases(locks: Locks, present: Iterable[ScorePhase]) -> list[ScorePhase]:
    """The phases of the rubric whose scores by others the reviewer may see: those locked."""
    found = set(present)
    return [phase for phase in PHASES if phase in found and locks.has(phase)]


def phases_to_score(locks: Locks, present: Iterable[ScorePhase], stage: Stage) -> list[ScorePhase]:
    """The phases the reviewer scores now: in the rubric, open at this stage, not locked."""
    found = set(present)
    return [
        phase
        for phase in PHASES
        if phase in found and not locks.has(phase) and is_scoring_open(phase, stage)
    ]


def score_problem(value: int | None, rationale: str, *, allows_na: bool, code: str) -> str | None:
    """What is wrong with one score, or None. `value` None means "not applicable"."""
    if value is None:
        if not allows_na:
            return f"{code} cannot be scored as not applicable: choose a value from 1 to 4."
    elif value not in SCALE_POINTS:
        return "Scores are whole numbers from 1 to 4."
    if not rationale.strip():
        return "Every score needs a rationale, a score of not applicable included."
    return None


@dataclass(frozen=True)
class CriterionSummary:
    criterion_id: int
    values: tuple[int, ...]
    mean: float | None
    median: float | None
    spread: int | None
    not_applicable: int = 0  # scores of "not applicable", left out of every figure


def summarise(
    criterion_ids: Iterable[int], scores: Iterable[tuple[int, int | None]]
) -> list[CriterionSummary]:
    """scores: (criterion_id, value) pairs, value None for "not applicable"; one summary per
    criterion, in order."""
    by_criterion: dict[int, list[int]] = {cid: [] for cid in criterion_ids}
    na: dict[int, int] = dict.fromkeys(by_criterion, 0)
    for criterion_id, value in scores:
        if criterion_id not in by_criterion:
            continue
        if value is None:
            na[criterion_id] += 1
        else:
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
                na[cid],
            )
        )
    return result


def weighted_mean(
    scores: Mapping[int, int | float | None], weights: Mapping[int, int]
) -> float | None:
    """Weighted mean of one reviewer's (or the panel's mean) scores over the criteria. Criteria
    scored "not applicable" (None) are left out and the other weights re-normalised, so that a
    criterion that does not apply neither lowers nor raises the result."""
    counted = {c: v for c, v in scores.items() if v is not None and c in weights}
    total_weight = sum(weights[c] for c in counted)
    if not total_weight:
        return None
    return round(sum(v * weights[c] for c, v in counted.items()) / total_weight, 2)


@dataclass(frozen=True)
class Version:
    """An earlier version of a score, kept when the score was revised after its lock."""

    value: int | None
    rationale: str
    reason: str  # why it was replaced by the next version
    after_exposure: bool
    revised_at: datetime


@dataclass(frozen=True)
class Change:
    """One revision of a locked score: from which value to which, and why."""

    before: int | None
    after: int | None
    reason: str
    after_exposure: bool
    revised_at: datetime


def changes(current: int | None, versions: Sequence[Version]) -> list[Change]:
    """The revisions of a score, oldest first, from its earlier versions (oldest first) and its
    current value: each version was replaced by the next one, the last by the current score."""
    if not versions:
        return []
    afters = [v.value for v in versions[1:]] + [current]
    return [
        Change(version.value, after, version.reason, version.after_exposure, version.revised_at)
        for version, after in zip(versions, afters, strict=True)
    ]
