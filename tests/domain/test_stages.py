"""The transition table, exhaustively: every stage x action x role."""

from __future__ import annotations

import itertools

import pytest

from vetting.domain.roles import Role
from vetting.domain.stages import (
    TRANSITIONS,
    Action,
    CandidacyFacts,
    Stage,
    TransitionRefused,
    available_actions,
    check_transition,
    find_transition,
)

READY = CandidacyFacts(
    assigned_reviewers=3,
    due_diligence_closed=True,
    summary_drafted=True,
    adverse_notice_sent=False,
)

EXPECTED = {
    (Stage.NOMINATED, Action.PASS_ELIGIBILITY): Stage.QUESTIONNAIRE,
    (Stage.NOMINATED, Action.FAIL_ELIGIBILITY): Stage.CLOSED,
    (Stage.QUESTIONNAIRE, Action.SUBMIT_QUESTIONNAIRE): Stage.PAPER_SCORING,
    (Stage.PAPER_SCORING, Action.INVITE_TO_INTERVIEW): Stage.INTERVIEW,
    (Stage.PAPER_SCORING, Action.OPEN_DELIBERATION): Stage.DELIBERATION,
    (Stage.INTERVIEW, Action.OPEN_DELIBERATION): Stage.DELIBERATION,
    (Stage.DELIBERATION, Action.SEND_ADVERSE_NOTICE): Stage.REPLY_PENDING,
    (Stage.REPLY_PENDING, Action.RECORD_REPLY): Stage.DELIBERATION,
    (Stage.DELIBERATION, Action.ADOPT_FINDING): Stage.FINDING_ADOPTED,
    (Stage.REPLY_PENDING, Action.ADOPT_FINDING): Stage.FINDING_ADOPTED,
    (Stage.FINDING_ADOPTED, Action.PUBLISH): Stage.PUBLISHED,
    (Stage.PUBLISHED, Action.CLOSE): Stage.CLOSED,
    **{
        (stage, Action.WITHDRAW): Stage.WITHDRAWN
        for stage in Stage
        if stage not in (Stage.CLOSED, Stage.WITHDRAWN)
    },
}


def test_table_is_exactly_the_expected_transitions_when_read_whole():
    assert {(t.source, t.action): t.target for t in TRANSITIONS} == EXPECTED
    assert len(TRANSITIONS) == len(EXPECTED)  # no duplicate (stage, action) rows


@pytest.mark.parametrize(("stage", "action"), list(itertools.product(Stage, Action)))
def test_every_stage_action_pair_is_allowed_only_when_in_the_table(stage, action):
    transition = find_transition(stage, action)
    if (stage, action) not in EXPECTED:
        assert transition is None
        for role in Role:
            with pytest.raises(TransitionRefused, match="not possible"):
                check_transition(stage, action, role, READY)
        return
    assert transition is not None
    for role in Role:
        facts = CandidacyFacts(
            assigned_reviewers=3,
            due_diligence_closed=True,
            summary_drafted=True,
            integrity_adverse=action is Action.SEND_ADVERSE_NOTICE,
            adverse_notice_sent=action is Action.RECORD_REPLY,
        )
        if role in transition.roles:
            assert check_transition(stage, action, role, facts) is EXPECTED[(stage, action)]
        else:
            with pytest.raises(TransitionRefused, match="may not"):
                check_transition(stage, action, role, facts)


def test_terminal_stages_have_no_way_out():
    for stage in (Stage.CLOSED, Stage.WITHDRAWN):
        for role in Role:
            assert available_actions(stage, role) == []


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (CandidacyFacts(due_diligence_closed=True), "No reviewer"),
        (
            CandidacyFacts(due_diligence_closed=True, assigned_reviewers=2, undeclared_reviewers=1),
            "not declared their conflicts",
        ),
        (
            CandidacyFacts(due_diligence_closed=True, assigned_reviewers=2, unlocked_reviewers=1),
            "not locked",
        ),
        (CandidacyFacts(assigned_reviewers=2), "Due diligence is not closed"),
    ],
)
def test_deliberation_is_refused_when_scoring_or_due_diligence_is_incomplete(facts, message):
    with pytest.raises(TransitionRefused, match=message):
        check_transition(Stage.PAPER_SCORING, Action.OPEN_DELIBERATION, Role.PANEL_CHAIR, facts)


def test_interview_invitation_is_refused_when_a_reviewer_has_not_declared():
    facts = CandidacyFacts(assigned_reviewers=2, undeclared_reviewers=1)
    with pytest.raises(TransitionRefused, match="declared"):
        check_transition(Stage.PAPER_SCORING, Action.INVITE_TO_INTERVIEW, Role.PANEL_CHAIR, facts)


@pytest.mark.parametrize(
    ("facts", "allowed"),
    [
        (CandidacyFacts(integrity_adverse=False), True),
        (CandidacyFacts(integrity_adverse=True), False),
        (CandidacyFacts(integrity_adverse=True, adverse_notice_sent=True), False),
        (
            CandidacyFacts(integrity_adverse=True, adverse_notice_sent=True, reply_received=True),
            False,
        ),
        (
            CandidacyFacts(
                integrity_adverse=True,
                adverse_notice_sent=True,
                reply_received=True,
                reply_read=True,
            ),
            True,
        ),
        (
            # A reply that came in must be read, even once the window has closed.
            CandidacyFacts(
                integrity_adverse=True,
                adverse_notice_sent=True,
                reply_received=True,
                reply_window_expired=True,
            ),
            False,
        ),
        (
            CandidacyFacts(
                integrity_adverse=True, adverse_notice_sent=True, reply_window_expired=True
            ),
            True,
        ),
    ],
)
def test_adverse_finding_needs_notice_and_reply_or_expiry_when_adopted(facts, allowed):
    if allowed:
        assert (
            check_transition(Stage.DELIBERATION, Action.ADOPT_FINDING, Role.PANEL_CHAIR, facts)
            is Stage.FINDING_ADOPTED
        )
    else:
        with pytest.raises(TransitionRefused):
            check_transition(Stage.DELIBERATION, Action.ADOPT_FINDING, Role.PANEL_CHAIR, facts)


def test_adverse_notice_is_refused_when_outcome_is_not_adverse_or_already_sent():
    with pytest.raises(TransitionRefused, match="needs an adverse"):
        check_transition(
            Stage.DELIBERATION, Action.SEND_ADVERSE_NOTICE, Role.PANEL_CHAIR, CandidacyFacts()
        )
    with pytest.raises(TransitionRefused, match="already sent"):
        check_transition(
            Stage.DELIBERATION,
            Action.SEND_ADVERSE_NOTICE,
            Role.PANEL_CHAIR,
            CandidacyFacts(integrity_adverse=True, adverse_notice_sent=True),
        )


def test_publication_is_refused_when_no_summary_is_drafted():
    with pytest.raises(TransitionRefused, match="No public summary"):
        check_transition(Stage.FINDING_ADOPTED, Action.PUBLISH, Role.SECRETARIAT, CandidacyFacts())
