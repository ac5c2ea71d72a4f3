"""Carrying candidacies through the stages with the real operations.

The demo seeds its election with this, and the tests build their worlds with it, so both
exercise the same rules a user meets; nothing here writes a row directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting.domain import scoring as scoring_rules
from vetting.domain.questionnaire import DECLARATION_ITEMS, DeclarationAnswer
from vetting.domain.roles import Role
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import (
    ConflictStatus,
    EvidenceKind,
    Gender,
    IntegrityOutcome,
    InterviewMode,
    JudgeList,
    Level,
    MeritCategory,
    NominationBasis,
    Office,
    QuestionKind,
)
from vetting.models import AdverseNotice, Assignment, Candidacy, Criterion, Election, State, User
from vetting.models.base import utcnow
from vetting.operations import accounts, diligence, elections, nominations, panel, publication
from vetting.operations import scoring as panel_scoring
from vetting.operations.panels import seat_member, seatable_users
from vetting.operations.questionnaires import (
    AnswerInput,
    DeclarationInput,
    open_questionnaire,
    submit_questionnaire,
)
from vetting.operations.reference import load_states_parties
from vetting.operations.templates import questions_of

DEFAULT_PASSWORD = "correct horse battery staple"  # noqa: S105 - demo and tests only

# The stages a walk passes through, in order, for a candidacy that goes the whole way.
PATH = (
    Stage.NOMINATED,
    Stage.QUESTIONNAIRE,
    Stage.PAPER_SCORING,
    Stage.INTERVIEW,
    Stage.DELIBERATION,
    Stage.FINDING_ADOPTED,
    Stage.PUBLISHED,
    Stage.CLOSED,
)


@dataclass
class People:
    secretariat: User
    secretariat_second: User
    chair: User
    members: list[User]
    vetting_officer: User
    admin: User
    focal_points: dict[str, User] = field(default_factory=dict)

    @property
    def panel(self) -> list[User]:
        return [self.chair, *self.members]


def make_people(session: Session, *, domain: str = "example.org", members: int = 2) -> People:
    def make(role: Role, email: str, name: str, state: str | None = None) -> User:
        return accounts.create_user(
            session,
            None,
            email=f"{email}@{domain}",
            full_name=name,
            role=role,
            password=DEFAULT_PASSWORD,
            state_code=state,
        )

    if session.scalar(sa.select(sa.func.count()).select_from(State)) == 0:
        load_states_parties(session)
    return People(
        secretariat=make(Role.SECRETARIAT, "secretariat", "Sam Secretariat"),
        secretariat_second=make(Role.SECRETARIAT, "secretariat2", "Sasha Second"),
        # Panel nationalities no test nominates from, so that no conflict is detected unless
        # a test arranges one.
        chair=make(Role.PANEL_CHAIR, "chair", "Chris Chair", "ISL"),
        members=[
            make(Role.PANEL_MEMBER, f"member{i}", f"Morgan Member {i}", code)
            for i, code in zip(
                range(1, members + 1), ("NZL", "LVA", "IRL", "FIN", "URY"), strict=False
            )
        ],
        vetting_officer=make(Role.VETTING_OFFICER, "vetting", "Val Vetting"),
        admin=make(Role.ADMIN, "admin", "Ada Admin"),
    )


def add_focal_point(session: Session, people: People, state_code: str, domain: str) -> User:
    user = accounts.create_user(
        session,
        None,
        email=f"focal.{state_code.lower()}@{domain}",
        full_name=f"Focal point {state_code}",
        role=Role.FOCAL_POINT,
        password=DEFAULT_PASSWORD,
        state_code=state_code,
    )
    people.focal_points[state_code] = user
    return user


def make_election(
    session: Session,
    people: People,
    *,
    title: str = "Election of six judges",
    seat_panel: bool = True,
) -> Election:
    """An election, with every active panel chair and member seated on it (the scenario's
    panel, and any other panel account made before), unless `seat_panel` is false: its
    nominations then assign them as the skeleton's "everyone reviews" did
    (vetting.operations.panels)."""
    today = date.today()
    election = elections.create_election(
        session,
        people.secretariat,
        elections.ElectionData(
            title=title,
            office=Office.JUDGE,
            seats=6,
            nomination_opens=today - timedelta(days=60),
            nomination_closes=today + timedelta(days=30),
            vote_date=today + timedelta(days=200),
        ),
    )
    if seat_panel:
        for member in seatable_users(session, election):
            seat_member(session, people.secretariat, election, member)
    return election


def nominate(
    session: Session,
    people: People,
    election: Election,
    *,
    name: str,
    state: str,
    gender: Gender = Gender.FEMALE,
    judge_list: JudgeList = JudgeList.A,
    email: str | None = None,
    base_url: str = "http://127.0.0.1:5000",
) -> Candidacy:
    return nominations.register_nomination(
        session,
        people.secretariat,
        election,
        nominations.NominationData(
            full_name=name,
            email=email or f"{state.lower()}.candidate@example.org",
            nationality_code=state,
            nominating_state_code=state,
            gender=gender,
            judge_list=judge_list,
            statement=f"{name} is nominated by the national procedure for the highest judicial "
            "offices, with a statement of qualifications in the necessary detail.",
            nomination_basis=NominationBasis.NATIONAL_JUDICIAL
            if election.office is Office.JUDGE
            else NominationBasis.OTHER,
            national_procedure="Chosen by the national judicial council after a public call "
            "for applications and interviews.",
        ),
        base_url=base_url,
        invitation_hours=72,
    )


def candidate_of(session: Session, candidacy: Candidacy) -> User:
    user = session.get(User, candidacy.candidate_user_id)
    assert user is not None
    return user


SAMPLE_TEXTS = {
    "Why do you seek this office?": "To serve international criminal justice with independence.",
    "Describe your most relevant professional experience for this office.": (
        "Twenty years as a trial judge in complex criminal proceedings."
    ),
}


def questionnaire_answers(
    session: Session, candidacy: Candidacy, language: str = "en", **texts: str
) -> dict[int, AnswerInput]:
    """Complete answers to the candidate's questionnaire (opened now if it was not), keyed by
    question id. `texts` replaces the answer of the questions whose text starts with a key
    (underscores for spaces), e.g. Why_do_you="...". File questions are left unanswered."""
    candidate = candidate_of(session, candidacy)
    response = open_questionnaire(session, candidate, candidacy)
    answers: dict[int, AnswerInput] = {}
    for question in questions_of(session, response.template_id or 0):
        kind = question.kind
        text = SAMPLE_TEXTS.get(question.text, "An answer given in the necessary detail.")
        for start, replacement in texts.items():
            if question.text.startswith(start.replace("_", " ")):
                text = replacement
        if kind is QuestionKind.YES_NO:
            answers[question.id] = AnswerInput(choice="no", language=language)
        elif kind is QuestionKind.SINGLE_CHOICE:
            answers[question.id] = AnswerInput(choice=(question.choices or [""])[0])
        elif kind is QuestionKind.MULTIPLE_CHOICE:
            answers[question.id] = AnswerInput(choices=tuple((question.choices or [])[:1]))
        elif kind is QuestionKind.DATE:
            answers[question.id] = AnswerInput(date_value=date(2001, 9, 1))
        elif kind is not QuestionKind.FILE:
            answers[question.id] = AnswerInput(text=text, language=language)
    return answers


def declaration_input(candidacy: Candidacy, **yes: str) -> DeclarationInput:
    """The declaration answered "no" throughout, but for the items given (key=details), signed
    with the candidate's full name."""
    return DeclarationInput(
        items={
            item.key: DeclarationAnswer("yes", yes[item.key])
            if item.key in yes
            else DeclarationAnswer("no", "")
            for item in DECLARATION_ITEMS
        },
        signed_name=candidacy.full_name,
    )


def submit_answers(session: Session, candidacy: Candidacy) -> None:
    """The candidate submits a complete questionnaire and declaration."""
    submit_questionnaire(
        session,
        candidate_of(session, candidacy),
        candidacy,
        questionnaire_answers(session, candidacy),
        declaration=declaration_input(candidacy),
    )


def criteria_to_score(
    session: Session, candidacy: Candidacy, assignment: Assignment
) -> list[Criterion]:
    """The criteria a reviewer scores now: those of the phases open at the candidacy's stage
    that the reviewer has not locked (vetting.domain.scoring)."""
    criteria = session.scalars(
        sa.select(Criterion)
        .where(Criterion.election_id == candidacy.election_id)
        .order_by(Criterion.position, Criterion.id)
    ).all()
    phases = scoring_rules.phases_to_score(
        panel_scoring.locks_of(assignment), {c.phase for c in criteria}, candidacy.stage
    )
    return [c for c in criteria if c.phase in phases]


def score_all(
    session: Session, people: People, candidacy: Candidacy, values: dict[int, int] | None = None
) -> None:
    """Every cleared reviewer declares no conflict, scores every criterion of the phases open
    at this stage (on the papers; after the interview, at the interview stage) and locks them.
    `values` gives a reviewer (by index, the chair first) one value for every criterion."""
    assignments = session.scalars(
        sa.select(Assignment).where(Assignment.candidacy_id == candidacy.id).order_by(Assignment.id)
    ).all()
    for index, assignment in enumerate(assignments):
        reviewer = session.get(User, assignment.reviewer_id)
        assert reviewer is not None
        if assignment.declared_at is None:
            panel.declare_conflict(
                session, reviewer, candidacy, assignment, has_conflict=False, details=""
            )
        if assignment.conflict_status not in (ConflictStatus.NONE, ConflictStatus.MANAGED):
            continue
        criteria = criteria_to_score(session, candidacy, assignment)
        if not criteria:
            continue
        value = (values or {}).get(index, 3)
        panel.save_scores(
            session,
            reviewer,
            candidacy,
            assignment,
            [
                panel.ScoreInput(c.id, value, f"{c.code}: assessed on the dossier.")
                for c in criteria
            ],
        )
        for phase in scoring_rules.PHASES:
            if any(c.phase is phase for c in criteria):
                panel.lock_scores(session, reviewer, candidacy, assignment, phase)


def cleared_reviewers(session: Session, candidacy: Candidacy) -> list[int]:
    """The ids of the reviewers cleared on the candidacy (no conflict, or a managed one)."""
    return list(
        session.scalars(
            sa.select(Assignment.reviewer_id)
            .where(
                Assignment.candidacy_id == candidacy.id,
                Assignment.conflict_status.in_([ConflictStatus.NONE, ConflictStatus.MANAGED]),
            )
            .order_by(Assignment.id)
        )
    )


def finding_data(
    session: Session,
    people: People,
    candidacy: Candidacy,
    *,
    merit: MeritCategory = MeritCategory.QUALIFIED,
    **overrides: Any,
) -> panel.FindingData:
    """A complete finding: reasons on every criterion of the rubric, signed by the chair."""
    criteria = session.scalars(
        sa.select(Criterion).where(Criterion.election_id == candidacy.election_id)
    ).all()
    values: dict[str, Any] = {
        "merit_category": merit,
        "reasons": "M1-M7: see the panel's reasons per criterion in the report.",
        "criterion_reasons": {
            c.id: f"{c.code}: the panel's reasons on {c.title.lower()}, from the dossier."
            for c in criteria
        },
        "signed_name": people.chair.full_name,
        **overrides,
    }
    return panel.FindingData(**values)


def walk(
    session: Session,
    people: People,
    candidacy: Candidacy,
    target: Stage,
    *,
    outcome: IntegrityOutcome = IntegrityOutcome.NO_ADVERSE_INFORMATION,
    merit: MeritCategory = MeritCategory.QUALIFIED,
) -> Candidacy:
    """Carry a candidacy forward along PATH until it reaches `target`."""
    while candidacy.stage is not target:
        stage = candidacy.stage
        if stage is Stage.NOMINATED:
            nominations.record_eligibility(
                session,
                people.secretariat,
                candidacy,
                passed=True,
                reason="G1-G5 met: national of a State Party, List A, French and English.",
            )
        elif stage is Stage.QUESTIONNAIRE:
            submit_answers(session, candidacy)
        elif stage is Stage.PAPER_SCORING:
            if candidacy.integrity_outcome is None:
                diligence.record_evidence(
                    session,
                    people.vetting_officer,
                    candidacy,
                    diligence.EvidenceData(
                        kind=EvidenceKind.FORMER_EMPLOYER_CHECK,
                        source="Former employer: national supreme court registry",
                        obtained_on=date.today() - timedelta(days=3),
                        summary="Confirms service and the absence of disciplinary records.",
                        level=Level.PANEL,
                        verified=True,
                        relied_on=True,
                    ),
                )
                diligence.record_integrity_outcome(
                    session,
                    people.vetting_officer,
                    candidacy,
                    outcome=outcome,
                    memo="Checks with former employers and open sources are complete."
                    if not outcome.is_adverse
                    else "A credible concern about conduct towards staff was substantiated "
                    "in part; see the de-identified summary.",
                )
            score_all(session, people, candidacy)
            panel.invite_to_interview(
                session,
                people.chair,
                candidacy,
                panel.InterviewData(
                    scheduled_at=utcnow() + timedelta(days=14),
                    mode=InterviewMode.VIDEO,
                    purpose="To discuss the candidate's trial experience and the criteria M1-M7.",
                    present=cleared_reviewers(session, candidacy),
                ),
            )
        elif stage is Stage.INTERVIEW:
            score_all(session, people, candidacy)  # the criteria scored after the interview
            panel.open_deliberation(session, people.chair, candidacy)
        elif stage is Stage.DELIBERATION:
            notice = session.scalar(
                sa.select(AdverseNotice).where(AdverseNotice.candidacy_id == candidacy.id)
            )
            if (
                candidacy.integrity_outcome
                and candidacy.integrity_outcome.is_adverse
                and (notice is None or notice.approved_by_id is None)
            ):
                diligence.send_adverse_notice(
                    session,
                    people.chair,
                    candidacy,
                    summary="A former colleague reports conduct towards junior staff that "
                    "may amount to abuse of authority.",
                    window_days=10,
                )
                continue
            if notice is not None and notice.replied_at and notice.reply_read_at is None:
                diligence.record_reply_read(session, people.chair, candidacy, notice)
                continue
            panel.adopt_finding(
                session,
                people.chair,
                candidacy,
                finding_data(session, people, candidacy, merit=merit),
            )
        elif stage is Stage.REPLY_PENDING:
            notice = session.scalar(
                sa.select(AdverseNotice).where(AdverseNotice.candidacy_id == candidacy.id)
            )
            assert notice is not None
            diligence.submit_reply(
                session,
                candidate_of(session, candidacy),
                candidacy,
                notice,
                text="I contest the account; the internal review of 2019 cleared me.",
            )
        elif stage is Stage.FINDING_ADOPTED:
            # Drafted by one member, approved by another. The version is public only once
            # the lead time after the finding notices has run (pass `now=` to read it).
            if publication.open_draft(session, candidacy) is None:
                publication.draft_summary(
                    session,
                    people.secretariat,
                    candidacy,
                    publication.SummaryData(
                        text=f"The panel found {candidacy.full_name} "
                        f"{merit.value.replace('_', ' ')}."
                    ),
                )
            publication.approve_summary(session, people.secretariat_second, candidacy)
        elif stage is Stage.PUBLISHED:
            publication.close_candidacy(session, people.secretariat, candidacy)
        else:
            raise ValueError(f"cannot walk from {stage.value} to {target.value}")
    return candidacy
