"""What the panel's pages read. Each function runs a fixed number of statements whatever the
size of the panel or of the list; recused reviewers never contribute a row."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import url_for

from vetting.domain.conflicts import CONFLICTED
from vetting.domain.policy import Relation, can_see_level
from vetting.domain.questionnaire import DECLARATION_ITEMS, DeclarationItem
from vetting.domain.roles import Role
from vetting.domain.scoring import (
    Change,
    CriterionSummary,
    Version,
    changes,
    summarise,
    visible_phases,
)
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictStatus, Level
from vetting.extensions import db
from vetting.models import (
    AdverseNotice,
    Assignment,
    Candidacy,
    Criterion,
    Declaration,
    EvidenceItem,
    Finding,
    Interview,
    QuestionnaireResponse,
    Score,
    ScoreRevision,
    State,
    User,
)
from vetting.operations import questionnaires
from vetting.operations import scoring as scoring_rules
from vetting.operations.agreement import phase_locked
from vetting.web.words import LANGUAGE_WORDS

PER_PAGE = 50
CLEARED = (ConflictStatus.NONE, ConflictStatus.MANAGED)


@dataclass(frozen=True)
class Slice:
    """One page of a list: the rows, and whether there is a page before or after."""

    rows: list[Any]
    page: int
    has_next: bool


def page_of(stmt: sa.Select[Any], page: int) -> Slice:
    page = max(page, 1)
    rows = list(db.session.execute(stmt.limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)))
    return Slice(rows[:PER_PAGE], page, len(rows) > PER_PAGE)


def my_assignments(reviewer: User, page: int) -> Slice:
    """Recused assignments are not listed at all, nor are withdrawn candidacies."""
    return page_of(
        sa.select(Assignment, Candidacy)
        .join(Candidacy, Candidacy.id == Assignment.candidacy_id)
        .where(
            Assignment.reviewer_id == reviewer.id,
            Assignment.conflict_status != ConflictStatus.RECUSED,
            Candidacy.stage != Stage.WITHDRAWN,
        )
        .order_by(Candidacy.full_name, Candidacy.id),
        page,
    )


def conflicts_awaiting(user: User, page: int) -> Slice:
    """Declared conflicts this user may decide (vetting.domain.conflicts.may_decide): the
    chair's, except on candidacies where the chair has a conflict; there, a cleared member's.
    Never one's own, and nothing about a candidacy on which the user is recused."""
    my_conflicts = sa.select(Assignment.candidacy_id).where(
        Assignment.reviewer_id == user.id, Assignment.conflict_status.in_(list(CONFLICTED))
    )
    if user.role is Role.PANEL_CHAIR:
        mine = Candidacy.id.not_in(my_conflicts)
    else:
        unconflicted_chair = (
            sa.select(Assignment.candidacy_id)
            .join(User, User.id == Assignment.reviewer_id)
            .where(
                User.role == Role.PANEL_CHAIR,
                Assignment.conflict_status.not_in(list(CONFLICTED)),
            )
        )
        cleared = sa.select(Assignment.candidacy_id).where(
            Assignment.reviewer_id == user.id,
            Assignment.conflict_status == ConflictStatus.NONE,
        )
        mine = sa.and_(Candidacy.id.not_in(unconflicted_chair), Candidacy.id.in_(cleared))
    return page_of(
        sa.select(Assignment, Candidacy, User)
        .join(Candidacy, Candidacy.id == Assignment.candidacy_id)
        .join(User, User.id == Assignment.reviewer_id)
        .where(
            Assignment.conflict_status == ConflictStatus.DECLARED,
            Assignment.reviewer_id != user.id,
            mine,
            Candidacy.stage.not_in([Stage.CLOSED, Stage.WITHDRAWN]),
        )
        .order_by(Assignment.declared_at, Assignment.id),
        page,
    )


def states_of(candidacy: Candidacy) -> dict[str, State]:
    codes = {candidacy.nationality_code, candidacy.nominating_state_code}
    return {s.code: s for s in db.session.scalars(sa.select(State).where(State.code.in_(codes)))}


def criteria_of(candidacy: Candidacy) -> list[Criterion]:
    return list(
        db.session.scalars(
            sa.select(Criterion)
            .where(Criterion.election_id == candidacy.election_id)
            .order_by(Criterion.position, Criterion.id)
        )
    )


@dataclass(frozen=True)
class ReviewerScore:
    reviewer: str
    is_me: bool
    value: int | None  # None: not applicable
    rationale: str
    changed_after_exposure: bool = False
    # The score's revisions after its lock, oldest first (from, to, reason, after exposure),
    # and the earlier versions they replaced.
    changes: tuple[Change, ...] = ()
    versions: tuple[Version, ...] = ()


@dataclass
class Scoresheet:
    """Locked scores of the cleared reviewers, per criterion, with the panel's summary: only
    the criteria of the phases the viewer has locked, and per phase only the reviewers who have
    locked it."""

    criteria: list[Criterion] = field(default_factory=list)
    by_criterion: dict[int, list[ReviewerScore]] = field(default_factory=dict)
    summaries: dict[int, CriterionSummary] = field(default_factory=dict)
    locked_reviewers: int = 0
    # Whether any other reviewer's score is on the sheet: the moment a reviewer first sees one
    # is recorded (scoring.note_first_exposure).
    others_shown: bool = False

    def __bool__(self) -> bool:
        return bool(self.criteria)

    @property
    def flagged(self) -> list[tuple[Criterion, ReviewerScore]]:
        """The scores changed after their authors had seen others' scores, by criterion."""
        return [
            (criterion, row)
            for criterion in self.criteria
            for row in self.by_criterion.get(criterion.id, [])
            if row.changed_after_exposure
        ]


def locked_scores(
    candidacy: Candidacy, me: User, criteria: list[Criterion], mine: Assignment
) -> Scoresheet:
    """Only reviewers who are cleared and have locked the phase: drafts stay private to their
    authors. Two statements whatever the panel size: the scores, and their earlier versions.
    `mine` is the viewer's assignment: its locks decide which phases are shown at all."""
    phases = visible_phases(scoring_rules.locks_of(mine), {c.phase for c in criteria})
    shown = [c for c in criteria if c.phase in phases]
    rows = db.session.execute(
        sa.select(
            Score.id,
            Score.criterion_id,
            Score.value,
            Score.rationale,
            Score.changed_after_exposure,
            User.id,
            User.full_name,
        )
        .join(Assignment, Assignment.id == Score.assignment_id)
        .join(Criterion, Criterion.id == Score.criterion_id)
        .join(User, User.id == Assignment.reviewer_id)
        .where(
            Assignment.candidacy_id == candidacy.id,
            Assignment.conflict_status.in_(CLEARED),
            phase_locked(Assignment),
            Criterion.phase.in_(phases),
        )
        .order_by(User.full_name, User.id)
    ).all()
    earlier: dict[int, list[Version]] = defaultdict(list)
    for revision in db.session.scalars(
        sa.select(ScoreRevision)
        .where(ScoreRevision.score_id.in_([row[0] for row in rows]))
        .order_by(ScoreRevision.score_id, ScoreRevision.revised_at, ScoreRevision.id)
    ):
        earlier[revision.score_id].append(
            Version(
                revision.value,
                revision.rationale,
                revision.reason,
                revision.after_exposure,
                revision.revised_at,
            )
        )
    sheet = Scoresheet(criteria=shown)
    grouped: dict[int, list[ReviewerScore]] = defaultdict(list)
    reviewers = set()
    for score_id, criterion_id, value, rationale, flagged, user_id, name in rows:
        versions = tuple(earlier.get(score_id, ()))
        grouped[criterion_id].append(
            ReviewerScore(
                name,
                user_id == me.id,
                value,
                rationale,
                flagged,
                tuple(changes(value, versions)),
                versions,
            )
        )
        reviewers.add(user_id)
    ids = [c.id for c in shown]
    sheet.by_criterion = {cid: grouped.get(cid, []) for cid in ids}
    sheet.summaries = {s.criterion_id: s for s in summarise(ids, [(r[1], r[2]) for r in rows])}
    sheet.locked_reviewers = len(reviewers)
    sheet.others_shown = bool(reviewers - {me.id})
    return sheet


def my_scores(assignment: Assignment) -> dict[int, Score]:
    return {
        s.criterion_id: s
        for s in db.session.scalars(sa.select(Score).where(Score.assignment_id == assignment.id))
    }


def visible_evidence(candidacy: Candidacy, rel: Relation) -> list[EvidenceItem]:
    """Evidence at the levels the reviewer may see: never restricted, never candidate-own."""
    levels = [level for level in Level if can_see_level(rel, level)]
    return list(
        db.session.scalars(
            sa.select(EvidenceItem)
            .where(EvidenceItem.candidacy_id == candidacy.id, EvidenceItem.level.in_(levels))
            .order_by(EvidenceItem.obtained_on, EvidenceItem.id)
        )
    )


@dataclass(frozen=True)
class SubmittedQuestionnaire:
    """What the panel reads of a submitted questionnaire: every answer (public and panel-only
    questions) with its language, and every signed version of the declaration."""

    response: QuestionnaireResponse
    sheet: questionnaires.AnswerSheet | None
    declarations: list[Declaration]
    items: tuple[DeclarationItem, ...] = DECLARATION_ITEMS
    languages: dict[str, Any] = field(default_factory=lambda: dict(LANGUAGE_WORDS))

    public_id: str = ""

    @property
    def submitted_at(self) -> Any:
        return self.response.submitted_at

    def file_url(self, question_id: int) -> str:
        return url_for(
            "secretariat.questionnaire_file", public_id=self.public_id, question_id=question_id
        )


def questionnaire_of(candidacy: Candidacy) -> SubmittedQuestionnaire | None:
    """Only a submitted questionnaire reaches the panel; drafts are the candidate's own."""
    response = db.session.scalar(
        sa.select(QuestionnaireResponse).where(
            QuestionnaireResponse.candidacy_id == candidacy.id,
            QuestionnaireResponse.submitted_at.is_not(None),
        )
    )
    if response is None:
        return None
    return SubmittedQuestionnaire(
        response=response,
        sheet=questionnaires.answer_sheet(
            db.session, response, levels=frozenset({Level.PUBLIC, Level.PANEL})
        ),
        declarations=questionnaires.declarations_of(db.session, candidacy.id),
        public_id=candidacy.public_id,
    )


def adverse_notice_of(candidacy: Candidacy) -> AdverseNotice | None:
    return db.session.scalar(
        sa.select(AdverseNotice).where(AdverseNotice.candidacy_id == candidacy.id)
    )


def finding_of(candidacy: Candidacy) -> Finding | None:
    return db.session.scalar(sa.select(Finding).where(Finding.candidacy_id == candidacy.id))


def recused_candidacy_ids(user: User) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Assignment.candidacy_id).where(
                Assignment.reviewer_id == user.id,
                Assignment.conflict_status == ConflictStatus.RECUSED,
            )
        )
    )


def interview_of(candidacy: Candidacy) -> Interview | None:
    return db.session.scalar(sa.select(Interview).where(Interview.candidacy_id == candidacy.id))


def states_named(codes: set[str | None]) -> dict[str, State]:
    """The States among these codes, in one statement whatever their number (none included)."""
    wanted = sorted(code for code in codes if code)
    return {s.code: s for s in db.session.scalars(sa.select(State).where(State.code.in_(wanted)))}
