"""Independent scoring: a reviewer's scores in two phases (on the papers, after the interview),
each phase's lock, revisions after a lock, and the moment a reviewer first sees others' scores.
The rules are in `vetting.domain.scoring`."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import scoring
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.scoring import Locks
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictStatus, ScorePhase
from vetting.models import Assignment, Candidacy, Criterion, Score, ScoreRevision, User
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.conflicts import own_assignment, relation_of
from vetting.operations.errors import Refused

PHASE_WORDS = {
    ScorePhase.PAPER: "on the papers",
    ScorePhase.POST_INTERVIEW: "after the interview",
}


@dataclass(frozen=True)
class ScoreInput:
    criterion_id: int
    value: int | None  # None: not applicable, where the criterion allows it
    rationale: str


def locks_of(assignment: Assignment) -> Locks:
    return Locks(
        paper=assignment.locked_at is not None,
        post_interview=assignment.interview_locked_at is not None,
    )


def _cleared(actor: User, candidacy: Candidacy, assignment: Assignment) -> None:
    own_assignment(actor, assignment)
    if not relation_of(actor, candidacy, assignment).is_cleared_reviewer:
        raise Refused(
            "You cannot score this candidacy (conflicts undeclared or undecided, or recused)."
        )


def _criteria(session: Session, candidacy: Candidacy) -> dict[int, Criterion]:
    return {
        c.id: c
        for c in session.scalars(
            sa.select(Criterion).where(Criterion.election_id == candidacy.election_id)
        )
    }


def save_scores(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    assignment: Assignment,
    inputs: list[ScoreInput],
) -> None:
    """Save drafts of the phases open to the reviewer; anything wrong refuses the whole set."""
    _cleared(actor, candidacy, assignment)
    if candidacy.stage not in (Stage.PAPER_SCORING, Stage.INTERVIEW):
        raise Refused("Scoring is not open for this candidacy.")
    if not inputs:
        raise Refused("Score at least one criterion.")
    criteria = _criteria(session, candidacy)
    locks = locks_of(assignment)
    problems = []
    if len({i.criterion_id for i in inputs}) != len(inputs):
        problems.append("A criterion is scored twice.")
    for item in inputs:
        criterion = criteria.get(item.criterion_id)
        if criterion is None:
            problems.append("A score names a criterion outside this election's rubric.")
        elif locks.has(criterion.phase):
            problems.append(
                f"{criterion.code} is locked: revise it with a reason instead of saving it again."
            )
        elif not scoring.is_scoring_open(criterion.phase, candidacy.stage):
            problems.append(
                f"{criterion.code} is scored {PHASE_WORDS[criterion.phase]}, not at this stage."
            )
        elif problem := scoring.score_problem(
            item.value, item.rationale, allows_na=criterion.allows_na, code=criterion.code
        ):
            problems.append(problem)
    if problems:
        raise Refused(" ".join(sorted(set(problems))))
    existing = {
        s.criterion_id: s
        for s in session.scalars(sa.select(Score).where(Score.assignment_id == assignment.id))
    }
    for item in inputs:
        score = existing.get(item.criterion_id)
        if score is None:
            score = Score(assignment_id=assignment.id, criterion_id=item.criterion_id)
            session.add(score)
        score.value = item.value
        score.rationale = item.rationale.strip()
        score.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.SCORE_SAVE,
        assignment,
        {
            "criteria": sorted(i.criterion_id for i in inputs),
            "not_applicable": sorted(i.criterion_id for i in inputs if i.value is None),
        },
    )


def lock_scores(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    assignment: Assignment,
    phase: ScorePhase | None = None,
) -> ScorePhase:
    """Lock one phase of the reviewer's scores (by default the first one due now). Returns the
    phase locked."""
    _cleared(actor, candidacy, assignment)
    if candidacy.stage not in (Stage.PAPER_SCORING, Stage.INTERVIEW):
        raise Refused("Scoring is not open for this candidacy.")
    criteria = _criteria(session, candidacy)
    present = {c.phase for c in criteria.values()}
    locks = locks_of(assignment)
    if phase is None:
        due = scoring.phases_to_score(locks, present, candidacy.stage)
        if not due:
            raise Refused("You have nothing left to lock at this stage.")
        phase = due[0]
    elif phase not in present:
        raise Refused(f"This rubric has no criteria scored {PHASE_WORDS[phase]}.")
    elif locks.has(phase):
        raise Refused(f"Your scores {PHASE_WORDS[phase]} are already locked.")
    elif not scoring.is_scoring_open(phase, candidacy.stage):
        raise Refused(f"Scores {PHASE_WORDS[phase]} are not open at this stage.")
    scored = set(
        session.scalars(sa.select(Score.criterion_id).where(Score.assignment_id == assignment.id))
    )
    missing = sorted(
        (c for c in criteria.values() if c.phase is phase and c.id not in scored),
        key=lambda c: (c.position, c.id),
    )
    if missing:
        codes = ", ".join(c.code for c in missing)
        raise Refused(
            f"{len(missing)} criterion(s) still have no score ({codes}); score every criterion "
            f"{PHASE_WORDS[phase]} first."
        )
    if phase is ScorePhase.PAPER:
        assignment.locked_at = utcnow()
    else:
        assignment.interview_locked_at = utcnow()
    audit.record(session, actor, AuditAction.SCORE_LOCK, assignment, {"phase": phase.value})
    _notify_when_all_locked(session, candidacy, present, phase)
    return phase


def _notify_when_all_locked(
    session: Session, candidacy: Candidacy, present: set[ScorePhase], phase: ScorePhase
) -> None:
    """The chairs assigned to the candidacy (never one recused) hear when scoring no longer
    holds the next step up: when every reviewer not recused has locked the papers and the
    rubric scores criteria after the interview (the interview may be scheduled), and when they
    have locked every phase (deliberation may open)."""
    paper_open, later_open = session.execute(
        sa.select(
            sa.func.count(Assignment.id).filter(Assignment.locked_at.is_(None)),
            sa.func.count(Assignment.id).filter(Assignment.interview_locked_at.is_(None)),
        ).where(
            Assignment.candidacy_id == candidacy.id,
            Assignment.conflict_status != ConflictStatus.RECUSED,
        )
    ).one()
    paper_done = ScorePhase.PAPER not in present or not paper_open
    later_done = ScorePhase.POST_INTERVIEW not in present or not later_open
    if paper_done and later_done:
        context = {"candidate": candidacy.full_name, "phase": "all"}
    elif paper_done and phase is ScorePhase.PAPER:
        context = {"candidate": candidacy.full_name, "phase": ScorePhase.PAPER.value}
    else:
        return
    chairs = session.scalars(
        sa.select(User)
        .join(Assignment, Assignment.reviewer_id == User.id)
        .where(
            Assignment.candidacy_id == candidacy.id,
            Assignment.conflict_status != ConflictStatus.RECUSED,
            User.role == Role.PANEL_CHAIR,
            User.active,
        )
        .order_by(User.id)
    )
    for chair in chairs:
        queue_notice(session, NoticeKind.ALL_LOCKED, to=chair, context=context)


def revise_score(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    assignment: Assignment,
    change: ScoreInput,
    *,
    reason: str,
) -> ScoreRevision:
    """Change a locked score, with a reason; the earlier version is kept. When the reviewer had
    already seen others' scores, the change is flagged as made after exposure."""
    _cleared(actor, candidacy, assignment)
    criterion = _criteria(session, candidacy).get(change.criterion_id)
    if criterion is None:
        raise Refused("A score names a criterion outside this election's rubric.")
    if not locks_of(assignment).has(criterion.phase):
        raise Refused(
            f"Your scores {PHASE_WORDS[criterion.phase]} are not locked: change {criterion.code} "
            "on the scoring form."
        )
    if not scoring.is_revision_open(criterion.phase, candidacy.stage):
        raise Refused("Scores can no longer be changed at this stage.")
    score = session.scalar(
        sa.select(Score).where(
            Score.assignment_id == assignment.id, Score.criterion_id == criterion.id
        )
    )
    if score is None:  # a lock needs every score of its phase, so this is a broken record
        raise Refused(f"You have no score on {criterion.code} to revise.")
    problems = []
    if problem := scoring.score_problem(
        change.value, change.rationale, allows_na=criterion.allows_na, code=criterion.code
    ):
        problems.append(problem)
    if not reason.strip():
        problems.append("Give the reason for the change.")
    if problems:
        raise Refused(" ".join(problems))
    rationale = change.rationale.strip()
    if change.value == score.value and rationale == score.rationale:
        raise Refused("Nothing changed: the value and the rationale are the ones on record.")
    now = utcnow()
    # The moment is recorded when the page showing others' scores is read, so it is set only
    # once the reviewer has seen them: set means before this change.
    after_exposure = assignment.first_saw_others_at is not None
    revision = ScoreRevision(
        score_id=score.id,
        value=score.value,
        rationale=score.rationale,
        reason=reason.strip(),
        after_exposure=after_exposure,
        revised_by_id=actor.id,
        revised_at=now,
    )
    session.add(revision)
    score.value = change.value
    score.rationale = rationale
    score.updated_at = now
    if after_exposure:
        score.changed_after_exposure = True
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.SCORE_REVISE,
        assignment,
        {
            "criterion": criterion.id,
            "revision": revision.id,
            "phase": criterion.phase.value,
            "after_exposure": after_exposure,
        },
    )
    return revision


def note_first_exposure(session: Session, actor: User, assignment: Assignment) -> None:
    """The moment a reviewer first sees others' scores is recorded once."""
    if assignment.first_saw_others_at is None:
        assignment.first_saw_others_at = utcnow()
        audit.record(session, actor, AuditAction.SCORES_FIRST_SEEN, assignment)
