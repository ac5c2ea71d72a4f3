"""The eligibility gates (G1-G5 of domain.md), recorded one by one by the secretariat, each with
its result and reason. Only the gates of the office apply (vetting.domain.offices). When every
applicable gate has passed, the candidacy moves on to the questionnaire; a failed gate stops it,
and the candidate and the nominating State's focal points are told which gate and why.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import stages
from vetting.domain.events import AuditAction
from vetting.domain.offices import rules_for
from vetting.domain.stages import Action, CandidacyFacts
from vetting.domain.vocabulary import Gate
from vetting.models import Candidacy, Election, EligibilityCheck, State, User
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused
from vetting.operations.nominations import clashing_judge, focal_points
from vetting.operations.workflow import transition

GATE_NAMES = {
    Gate.G1: "G1 (national of a State Party, no nationality clash)",
    Gate.G2: "G2 (qualified for the office)",
    Gate.G3: "G3 (List A/B competence matches the declared list)",
    Gate.G4: "G4 (excellent knowledge of English or French)",
    Gate.G5: "G5 (nominated through the required procedure, with a statement)",
}


def applicable_gates(election: Election) -> tuple[Gate, ...]:
    return rules_for(election.office).gates


def checks_of(session: Session, candidacy: Candidacy) -> dict[Gate, EligibilityCheck]:
    rows = session.scalars(
        sa.select(EligibilityCheck).where(EligibilityCheck.candidacy_id == candidacy.id)
    )
    return {row.gate: row for row in rows}


def check_stage(candidacy: Candidacy, actor: User) -> None:
    """Gates are recorded while the candidacy is at the eligibility check (its first stage)."""
    try:
        stages.check_transition(
            candidacy.stage, Action.PASS_ELIGIBILITY, actor.role, CandidacyFacts()
        )
    except stages.TransitionRefused as refused:
        raise Refused(str(refused)) from refused


@dataclass(frozen=True)
class G1Facts:
    """What the records say about gate G1, to pre-fill the secretariat's form: the secretariat
    still records the result."""

    state_party: bool
    clash: str | None

    @property
    def suggests_pass(self) -> bool:
        return self.state_party and self.clash is None

    @property
    def summary(self) -> str:
        if not self.state_party:
            return "The candidate's nationality is not that of a State Party."
        if self.clash is not None:
            return self.clash
        return "National of a State Party; no judge in office of that nationality."


def g1_facts(session: Session, candidacy: Candidacy, election: Election) -> G1Facts:
    nationality = session.get(State, candidacy.nationality_code)
    clash = None
    if rules_for(election.office).checks_judges_in_office:
        judge = clashing_judge(session, election, candidacy.nationality_code)
        if judge is not None:
            clash = (
                f"{judge.full_name}, a judge of the same nationality, is in office until "
                f"{judge.term_ends_on.isoformat()}."
            )
    return G1Facts(state_party=nationality is not None and nationality.is_party, clash=clash)


def _notify(
    session: Session, candidacy: Candidacy, *, passed: bool, reason: str, gate: str
) -> None:
    candidate = session.get(User, candidacy.candidate_user_id)
    assert candidate is not None
    context = {"candidate": candidacy.full_name, "passed": passed, "reason": reason, "gate": gate}
    queue_notice(session, NoticeKind.ELIGIBILITY_RESULT, to=candidate, context=context)
    for focal_point in focal_points(session, candidacy.nominating_state_code):
        queue_notice(session, NoticeKind.ELIGIBILITY_RESULT, to=focal_point, context=context)


def _record(
    session: Session, actor: User, candidacy: Candidacy, gate: Gate, passed: bool, reason: str
) -> EligibilityCheck:
    check = EligibilityCheck(
        candidacy_id=candidacy.id, gate=gate, passed=passed, reason=reason, recorded_by_id=actor.id
    )
    session.add(check)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.ELIGIBILITY_GATE_RECORD,
        candidacy,
        {"gate": gate.value, "passed": passed, "reason": reason},
    )
    return check


def _conclude(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    election: Election,
    recorded: dict[Gate, EligibilityCheck],
) -> None:
    """Move the candidacy on when every applicable gate has passed."""
    gates = applicable_gates(election)
    if not all(g in recorded and recorded[g].passed for g in gates):
        return
    reasons = {recorded[g].reason for g in gates}
    # One reason given for every gate at once is stated once.
    reason = (
        reasons.pop()
        if len(reasons) == 1
        else "; ".join(f"{g.name}: {recorded[g].reason}" for g in gates)
    )
    transition(session, actor, candidacy, Action.PASS_ELIGIBILITY, reason=reason)
    candidacy.eligibility_reason = reason
    _notify(session, candidacy, passed=True, reason=reason, gate="")


def record_gate(
    session: Session, actor: User, candidacy: Candidacy, gate: Gate, *, passed: bool, reason: str
) -> EligibilityCheck:
    reason = reason.strip()
    check_stage(candidacy, actor)
    election = session.get(Election, candidacy.election_id)
    assert election is not None
    if gate not in applicable_gates(election):
        raise Refused(f"Gate {gate.name} does not apply to this office.")
    if not reason:
        raise Refused(f"Give the reason for the result of gate {gate.name}.")
    recorded = checks_of(session, candidacy)
    if gate in recorded:
        raise Refused(f"Gate {gate.name} is already recorded for this candidacy.")
    check = _record(session, actor, candidacy, gate, passed, reason)
    recorded[gate] = check
    if not passed:
        # A failed gate stops the candidacy: it leaves the pool and every queue.
        stated = f"{gate.name}: {reason}"
        transition(session, actor, candidacy, Action.FAIL_ELIGIBILITY, reason=stated)
        candidacy.eligibility_reason = stated
        _notify(session, candidacy, passed=False, reason=reason, gate=GATE_NAMES[gate])
        return check
    _conclude(session, actor, candidacy, election, recorded)
    return check


def pass_remaining_gates(
    session: Session, actor: User, candidacy: Candidacy, *, reason: str
) -> list[EligibilityCheck]:
    """Record every applicable gate not yet recorded as passed, with one reason."""
    reason = reason.strip()
    check_stage(candidacy, actor)
    if not reason:
        raise Refused("Give the reason for the eligibility result.")
    election = session.get(Election, candidacy.election_id)
    assert election is not None
    recorded = checks_of(session, candidacy)
    made = []
    for gate in applicable_gates(election):
        if gate not in recorded:
            recorded[gate] = _record(session, actor, candidacy, gate, True, reason)
            made.append(recorded[gate])
    _conclude(session, actor, candidacy, election, recorded)
    return made
