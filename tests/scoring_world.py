"""A scoring world for the tests of both phases: a judicial election whose rubric is shaped
explicitly (M7 scored after the interview, M5 open to "not applicable", the rest on the papers),
whatever the defaults are, and helpers that score, lock and snapshot what a refusal must leave
unchanged."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.stages import Action, Stage
from vetting.domain.vocabulary import ConflictKind, IntegrityOutcome, ScorePhase
from vetting.models import (
    Assignment,
    AuditEntry,
    AuditHead,
    Candidacy,
    Criterion,
    Notice,
    Score,
    ScoreRevision,
    User,
)
from vetting.operations import accounts, diligence, panel, workflow
from vetting.scenarios import (
    DEFAULT_PASSWORD,
    People,
    criteria_to_score,
    make_election,
    make_people,
    nominate,
    walk,
)

AFTER_INTERVIEW = ("M7",)
MAY_BE_NA = ("M5",)


@dataclass
class World:
    people: People
    candidacy: Candidacy
    criteria: dict[str, Criterion]  # by code

    @property
    def chair(self) -> User:
        return self.people.chair

    @property
    def members(self) -> list[User]:
        return self.people.members

    @property
    def reviewers(self) -> list[User]:
        return self.people.panel


def shape_rubric(
    session,
    election_id: int,
    *,
    later: tuple[str, ...] = AFTER_INTERVIEW,
    na: tuple[str, ...] = MAY_BE_NA,
    descriptors: dict[str, tuple[str, str, str, str]] | None = None,
) -> dict[str, Criterion]:
    """Set each criterion's phase, N/A and (optionally) descriptors, before anyone scores."""
    criteria = session.scalars(
        sa.select(Criterion)
        .where(Criterion.election_id == election_id)
        .order_by(Criterion.position, Criterion.id)
    ).all()
    for criterion in criteria:
        criterion.phase = ScorePhase.POST_INTERVIEW if criterion.code in later else ScorePhase.PAPER
        criterion.allows_na = criterion.code in na
        for level, text in enumerate((descriptors or {}).get(criterion.code, ("",) * 4), 1):
            setattr(criterion, f"descriptor_{level}", text)
    session.flush()
    return {c.code: c for c in criteria}


def make_world(
    session,
    *,
    members: int = 2,
    recused_chair: bool = False,
    domain: str = "example.org",
    **rubric,
) -> World:
    """A candidacy at paper scoring, due diligence closed, every reviewer declared (none has a
    conflict). With `recused_chair`, a second chair is assigned and recused."""
    people = make_people(session, members=members, domain=domain)
    cochair = None
    if recused_chair:
        cochair = accounts.create_user(
            session,
            None,
            email=f"cochair@{domain}",
            full_name="Casey Cochair",
            role=Role.PANEL_CHAIR,
            password=DEFAULT_PASSWORD,
        )
    # make_election seats every active panel account, the second chair included.
    election = make_election(session, people, title=f"Election of six judges ({domain})")
    criteria = shape_rubric(session, election.id, **rubric)
    candidacy = nominate(
        session, people, election, name="Amina Diallo", state="SEN", email=f"amina@{domain}"
    )
    walk(session, people, candidacy, Stage.PAPER_SCORING)
    diligence.record_integrity_outcome(
        session,
        people.vetting_officer,
        candidacy,
        outcome=IntegrityOutcome.NO_ADVERSE_INFORMATION,
        memo="Former employers confirm service.",
    )
    for reviewer in people.panel:
        panel.declare_conflict(
            session,
            reviewer,
            candidacy,
            assignment_of(session, candidacy, reviewer),
            has_conflict=False,
            details="",
        )
    if cochair is not None:
        mine = assignment_of(session, candidacy, cochair)
        panel.declare_conflict(
            session,
            cochair,
            candidacy,
            mine,
            has_conflict=True,
            kind=ConflictKind.PERSONAL,
            details="A close friend of the candidate.",
        )
        panel.decide_conflict(session, people.chair, mine, recuse=True, reason="Friendship.")
    session.commit()
    return World(people, candidacy, criteria)


def assignment_of(session, candidacy: Candidacy, user: User, *, required: bool = True):
    found = session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == user.id
        )
    )
    assert found is not None or not required, f"{user.full_name} is not assigned"
    return found


def score_now(
    session,
    world: World,
    user: User,
    *,
    value: int | None = 3,
    values: dict[str, int | None] | None = None,
    rationale: str = "assessed",
    lock: bool = False,
) -> None:
    """Score every criterion the reviewer scores now (the open, unlocked phases), and lock."""
    mine = assignment_of(session, world.candidacy, user)
    criteria = criteria_to_score(session, world.candidacy, mine)
    panel.save_scores(
        session,
        user,
        world.candidacy,
        mine,
        [
            panel.ScoreInput(c.id, (values or {}).get(c.code, value), f"{c.code} {rationale}")
            for c in criteria
        ],
    )
    if lock:
        for phase in ScorePhase:
            if any(c.phase is phase for c in criteria):
                panel.lock_scores(session, user, world.candidacy, mine, phase)


def to_interview(session, world: World) -> None:
    """Everyone scores and locks the papers; the chair invites (the transition alone)."""
    for reviewer in world.reviewers:
        if assignment_of(session, world.candidacy, reviewer).locked_at is None:
            score_now(session, world, reviewer, lock=True)
    workflow.transition(session, world.chair, world.candidacy, Action.INVITE_TO_INTERVIEW)
    session.commit()


def expose(session, world: World, user: User) -> None:
    """The reviewer is shown others' scores (as the dossier does once they are on the page)."""
    panel.note_first_exposure(session, user, assignment_of(session, world.candidacy, user))
    session.commit()


def snapshot(session) -> tuple:
    """What a refused scoring operation must leave as it was (read through the session, so
    anything the operation changed, even unflushed, would show)."""
    return (
        session.execute(
            sa.select(
                Score.id, Score.value, Score.rationale, Score.changed_after_exposure
            ).order_by(Score.id)
        ).all(),
        session.execute(sa.select(ScoreRevision.id).order_by(ScoreRevision.id)).all(),
        session.execute(
            sa.select(
                Assignment.id,
                Assignment.locked_at,
                Assignment.interview_locked_at,
                Assignment.first_saw_others_at,
            ).order_by(Assignment.id)
        ).all(),
        session.get(AuditHead, 1).seq,
        session.scalar(sa.select(sa.func.count(Notice.id))),
        session.get(Candidacy, session.scalar(sa.select(sa.func.min(Candidacy.id)))).stage,
    )


def audit_data(session, action: AuditAction) -> list[str]:
    return list(
        session.scalars(
            sa.select(AuditEntry.data)
            .where(AuditEntry.action == action.value)
            .order_by(AuditEntry.seq)
        )
    )
