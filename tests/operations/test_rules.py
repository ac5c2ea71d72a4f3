"""Each rule the operations enforce: the refusal, its message, and that nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from vetting.domain.questionnaire import DECLARATION_ITEMS
from vetting.domain.stages import Action, Stage
from vetting.domain.vocabulary import (
    ConflictKind,
    ConflictStatus,
    DecisionMethod,
    Gender,
    IntegrityOutcome,
    JudgeList,
    MeritCategory,
)
from vetting.models import (
    Assignment,
    AuditEntry,
    Candidacy,
    Criterion,
    Finding,
    Notice,
    PublicSummary,
    Score,
    User,
)
from vetting.operations import (
    Refused,
    accounts,
    diligence,
    nominations,
    panel,
    publication,
    workflow,
)
from vetting.operations.questionnaires import (
    DeclarationInput,
    Incomplete,
    save_draft,
    submit_questionnaire,
)
from vetting.scenarios import (
    candidate_of,
    criteria_to_score,
    finding_data,
    make_election,
    make_people,
    nominate,
    score_all,
    walk,
)


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def world(session):
    people = make_people(session)
    election = make_election(session, people)
    session.commit()
    return people, election


def test_nomination_writes_audit_and_notices_when_registered(session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    assert candidacy.stage is Stage.NOMINATED
    actions = session.scalars(sa.select(AuditEntry.action)).all()
    assert "nomination:register" in actions
    kinds = sorted(
        session.scalars(
            sa.select(Notice.kind).where(Notice.recipient_user_id == candidacy.candidate_user_id)
        )
    )
    assert kinds == ["invitation", "nomination_received"]
    assigned = session.scalars(
        sa.select(Assignment.reviewer_id).where(Assignment.candidacy_id == candidacy.id)
    ).all()
    assert sorted(assigned) == sorted(u.id for u in people.panel)


def test_second_nomination_is_refused_when_the_state_already_nominated(session, world):
    people, election = world
    nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    before = (count(session, Candidacy), count(session, User), count(session, AuditEntry))
    with pytest.raises(Refused, match="already nominated a candidate"):
        nominate(session, people, election, name="Other", state="SEN", email="o@example.org")
    session.rollback()
    assert (count(session, Candidacy), count(session, User), count(session, AuditEntry)) == before


@pytest.mark.parametrize("code", ["USA", "ZZZ", "PHL"])
def test_nomination_is_refused_when_nationality_is_not_a_state_party(session, world, code):
    people, election = world
    with pytest.raises(Refused, match="State Party"):
        nominate(session, people, election, name="X Y", state=code)
    session.rollback()
    assert count(session, Candidacy) == 0


def test_judge_nomination_is_refused_when_no_list_is_declared(session, world):
    people, election = world
    with pytest.raises(Refused, match="List A or List B"):
        nominate(session, people, election, name="X", state="KEN", judge_list=JudgeList.NONE)


def test_invitation_works_once_when_accepted(session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    body = session.scalar(sa.select(Notice.body).where(Notice.kind == "invitation"))
    token = body.split("/invitation/")[1].split()[0]
    accounts.accept_invitation(session, token, "a long enough passphrase")
    session.commit()
    with pytest.raises(Refused, match="already used or has expired"):
        accounts.accept_invitation(session, token, "another long passphrase")
    assert candidate_of(session, candidacy).password_hash


def test_invitation_is_refused_when_expired(session, world):
    people, election = world
    nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    body = session.scalar(sa.select(Notice.body).where(Notice.kind == "invitation"))
    token = body.split("/invitation/")[1].split()[0]
    with freeze_time(timedelta(hours=73)), pytest.raises(Refused, match="expired"):
        accounts.accept_invitation(session, token, "a long enough passphrase")


def test_submission_lists_every_problem_and_changes_nothing_when_incomplete(session, world):
    people, election = world
    candidacy = walk(
        session,
        people,
        nominate(session, people, election, name="Amina Diallo", state="SEN"),
        Stage.QUESTIONNAIRE,
    )
    session.commit()
    candidate = candidate_of(session, candidacy)
    with pytest.raises(Incomplete) as refused:
        submit_questionnaire(session, candidate, candidacy, {}, declaration=DeclarationInput())
    assert "signature" in refused.value.problems
    assert len(refused.value.problems) == 3 + len(DECLARATION_ITEMS) + 1
    session.rollback()
    assert session.get(Candidacy, candidacy.id).stage is Stage.QUESTIONNAIRE


def test_draft_is_refused_when_someone_else_writes_it(session, world):
    people, election = world
    candidacy = walk(
        session,
        people,
        nominate(session, people, election, name="Amina Diallo", state="SEN"),
        Stage.QUESTIONNAIRE,
    )
    with pytest.raises(Refused, match="Only the candidate"):
        save_draft(session, people.secretariat, candidacy, {})


def _to_scoring(session, people, election, state="SEN"):
    candidacy = walk(
        session,
        people,
        nominate(session, people, election, name=f"Candidate {state}", state=state),
        Stage.PAPER_SCORING,
    )
    session.commit()
    return candidacy


def _assignment(session, candidacy, user) -> Assignment:
    return session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == user.id
        )
    )


def test_scoring_is_refused_when_conflicts_are_undeclared(session, world):
    people, election = world
    candidacy = _to_scoring(session, people, election)
    member = people.members[0]
    assignment = _assignment(session, candidacy, member)
    criterion_id = session.scalar(
        sa.select(sa.func.min(Criterion.id)).where(Criterion.election_id == election.id)
    )
    with pytest.raises(Refused, match="undeclared"):
        panel.save_scores(
            session, member, candidacy, assignment, [panel.ScoreInput(criterion_id, 3, "r")]
        )
    session.rollback()
    assert count(session, Score) == 0


def test_lock_is_refused_when_a_criterion_has_no_score(session, world):
    people, election = world
    candidacy = _to_scoring(session, people, election)
    member = people.members[0]
    assignment = _assignment(session, candidacy, member)
    panel.declare_conflict(session, member, candidacy, assignment, has_conflict=False, details="")
    with pytest.raises(Refused, match="still have no score"):
        panel.lock_scores(session, member, candidacy, assignment)


def test_score_without_rationale_or_out_of_range_is_refused_when_saved(session, world):
    people, election = world
    candidacy = _to_scoring(session, people, election)
    member = people.members[0]
    assignment = _assignment(session, candidacy, member)
    panel.declare_conflict(session, member, candidacy, assignment, has_conflict=False, details="")
    session.commit()
    criterion = session.scalar(
        sa.select(sa.func.min(Criterion.id)).where(Criterion.election_id == election.id)
    )
    for value, rationale, message in [(3, "  ", "rationale"), (5, "ok", "1 to 4")]:
        with pytest.raises(Refused, match=message):
            panel.save_scores(
                session,
                member,
                candidacy,
                assignment,
                [panel.ScoreInput(criterion, value, rationale)],
            )
        session.rollback()
    assert count(session, Score) == 0


def test_interview_is_refused_when_a_reviewer_has_not_locked(session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    walk(session, people, candidacy, Stage.PAPER_SCORING)
    diligence.record_integrity_outcome(
        session,
        people.vetting_officer,
        candidacy,
        outcome=IntegrityOutcome.NO_ADVERSE_INFORMATION,
        memo="Clear.",
    )
    for reviewer in people.panel:
        panel.declare_conflict(
            session,
            reviewer,
            candidacy,
            _assignment(session, candidacy, reviewer),
            has_conflict=False,
            details="",
        )
    session.commit()
    # Asked by someone who has not locked, the guard names their own lock, not the others'.
    refused_to_chair = "You have not locked your own scores yet"
    with pytest.raises(Refused, match=refused_to_chair):
        workflow.transition(session, people.chair, candidacy, Action.INVITE_TO_INTERVIEW)
    session.rollback()
    chair = _assignment(session, candidacy, people.chair)
    panel.save_scores(
        session,
        people.chair,
        candidacy,
        chair,
        [panel.ScoreInput(c.id, 3, "r") for c in criteria_to_score(session, candidacy, chair)],
    )
    panel.lock_scores(session, people.chair, candidacy, chair)
    session.commit()
    with pytest.raises(Refused, match="2 reviewer\\(s\\) have not locked"):
        workflow.transition(session, people.chair, candidacy, Action.INVITE_TO_INTERVIEW)
    session.rollback()
    assert session.get(Candidacy, candidacy.id).stage is Stage.PAPER_SCORING


def test_recused_reviewer_does_not_hold_up_deliberation_when_the_chair_recuses(session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    walk(session, people, candidacy, Stage.PAPER_SCORING)
    member = people.members[0]
    assignment = _assignment(session, candidacy, member)
    panel.declare_conflict(
        session,
        member,
        candidacy,
        assignment,
        has_conflict=True,
        kind=ConflictKind.PROFESSIONAL,
        details="Same nationality.",
    )
    chair_notices = session.scalars(
        sa.select(Notice.kind).where(Notice.recipient_user_id == people.chair.id)
    ).all()
    assert "conflict_declared" in chair_notices
    with pytest.raises(Refused, match="own conflict"):
        panel.decide_conflict(session, member, assignment, recuse=True, reason="x")
    panel.decide_conflict(session, people.chair, assignment, recuse=True, reason="Nationality.")
    walk(session, people, candidacy, Stage.DELIBERATION)
    session.commit()
    assert assignment.conflict_status is ConflictStatus.RECUSED
    assert assignment.locked_at is None


def test_chair_cannot_decide_on_own_conflict_when_conflicted(session, world):
    people, election = world
    candidacy = _to_scoring(session, people, election)
    assignment = _assignment(session, candidacy, people.chair)
    panel.declare_conflict(
        session,
        people.chair,
        candidacy,
        assignment,
        has_conflict=True,
        kind=ConflictKind.PROFESSIONAL,
        details="Former colleague.",
    )
    # With the chair conflicted, the members are told.
    told = session.scalars(
        sa.select(Notice.recipient_user_id).where(Notice.kind == "conflict_declared")
    ).all()
    assert sorted(told) == sorted(m.id for m in people.members)
    with pytest.raises(Refused, match="own conflict"):
        panel.decide_conflict(session, people.chair, assignment, recuse=False, reason="x")


def test_adverse_finding_is_refused_until_reply_or_expiry_when_outcome_is_adverse(session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    walk(session, people, candidacy, Stage.DELIBERATION, outcome=IntegrityOutcome.CONCERNS_NOTED)
    session.commit()
    finding = finding_data(session, people, candidacy, merit=MeritCategory.QUALIFIED)
    with pytest.raises(Refused, match="adverse notice"):
        panel.adopt_finding(session, people.chair, candidacy, finding)
    session.rollback()
    diligence.send_adverse_notice(
        session, people.chair, candidacy, summary="De-identified summary.", window_days=10
    )
    session.commit()
    assert candidacy.stage is Stage.REPLY_PENDING
    with pytest.raises(Refused, match="window is still open"):
        panel.adopt_finding(session, people.chair, candidacy, finding)
    session.rollback()
    assert count(session, Finding) == 0
    with freeze_time(timedelta(days=11)):
        notice = session.scalar(sa.select(diligence.AdverseNotice))
        with pytest.raises(Refused, match="window has closed"):
            diligence.submit_reply(
                session, candidate_of(session, candidacy), candidacy, notice, text="Late."
            )
        session.rollback()
        panel.adopt_finding(session, people.chair, candidacy, finding)
        session.commit()
    assert session.get(Candidacy, candidacy.id).stage is Stage.FINDING_ADOPTED


def test_publication_is_refused_when_the_drafter_publishes(session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    walk(session, people, candidacy, Stage.FINDING_ADOPTED)
    publication.draft_summary(
        session, people.secretariat, candidacy, publication.SummaryData(text="Qualified.")
    )
    session.commit()
    with pytest.raises(Refused, match="second secretariat member"):
        publication.approve_summary(session, people.secretariat, candidacy)
    session.rollback()
    summary = session.scalar(sa.select(PublicSummary))
    assert summary.published_at is None
    publication.approve_summary(session, people.secretariat_second, candidacy)
    session.commit()
    assert candidacy.stage is Stage.PUBLISHED and summary.published_at is not None


def test_withdrawal_is_refused_when_asked_by_someone_else(session, world):
    people, election = world
    mine = nominate(session, people, election, name="A B", state="SEN")
    other = nominate(session, people, election, name="C D", state="KEN", gender=Gender.MALE)
    session.commit()
    with pytest.raises(Refused, match="Only the candidate"):
        nominations.withdraw_candidacy(
            session, candidate_of(session, other), mine, reason="Not mine."
        )
    session.rollback()
    with pytest.raises(Refused, match="reason"):
        nominations.withdraw_candidacy(session, candidate_of(session, mine), mine, reason=" ")
    session.rollback()
    nominations.withdraw_candidacy(session, candidate_of(session, mine), mine, reason="Health.")
    session.commit()
    assert mine.stage is Stage.WITHDRAWN and mine.withdrawn_at is not None
    told = set(
        session.scalars(sa.select(Notice.recipient_user_id).where(Notice.kind == "withdrawal"))
    )
    assert {people.secretariat.id, people.chair.id} <= told


def test_integrity_outcome_is_refused_when_deliberation_has_opened(session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    walk(session, people, candidacy, Stage.DELIBERATION)
    with pytest.raises(Refused, match="no longer change"):
        diligence.record_integrity_outcome(
            session,
            people.vetting_officer,
            candidacy,
            outcome=IntegrityOutcome.CONCERNS_NOTED,
            memo="Late.",
        )


def test_scores_are_kept_per_reviewer_when_everyone_locks(session, world):
    people, election = world
    candidacy = _to_scoring(session, people, election)
    score_all(session, people, candidacy, values={0: 4, 1: 2, 2: 1})
    session.commit()
    values = sorted(set(session.scalars(sa.select(Score.value))))
    assert values == [1, 2, 4]


def test_finding_by_vote_records_the_tally_when_a_majority_adopts_it(session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    walk(session, people, candidacy, Stage.DELIBERATION)
    session.commit()
    bad = finding_data(
        session,
        people,
        candidacy,
        merit=MeritCategory.QUALIFIED,
        reasons="R.",
        method=DecisionMethod.VOTE,
        votes_for=2,
        votes_against=1,
        abstentions=0,
    )
    with pytest.raises(Refused, match="dissent"):
        panel.adopt_finding(session, people.chair, candidacy, bad)
    session.rollback()
    assert count(session, Finding) == 0
    good = finding_data(
        session,
        people,
        candidacy,
        merit=MeritCategory.QUALIFIED,
        reasons="R.",
        method=DecisionMethod.VOTE,
        votes_for=2,
        votes_against=1,
        abstentions=0,
        dissent="In my view the trial experience is insufficient.",
    )
    finding = panel.adopt_finding(session, people.chair, candidacy, good)
    session.commit()
    assert (finding.method, finding.votes_for, finding.votes_against) == (
        DecisionMethod.VOTE,
        2,
        1,
    )
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "finding:adopt"))
    assert '"tally":[2,1,0]' in entry.data
