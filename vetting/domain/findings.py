"""How a finding is adopted: by consensus, or by a vote whose tally is recorded."""

from __future__ import annotations

from dataclasses import dataclass

from vetting.domain.vocabulary import DecisionMethod


@dataclass(frozen=True)
class Decision:
    method: DecisionMethod
    votes_for: int | None = None
    votes_against: int | None = None
    abstentions: int | None = None
    dissent: str = ""


def decision_problem(decision: Decision, *, voters: int) -> str | None:
    """Why the decision cannot be recorded as stated, or None. `voters` is the number of
    panel members entitled to take part (assigned, declared, not recused)."""
    tally = (decision.votes_for, decision.votes_against, decision.abstentions)
    if decision.method is DecisionMethod.CONSENSUS:
        if any(v is not None for v in tally):
            return "A finding by consensus has no tally; choose a vote to record one."
        if decision.dissent.strip():
            return "A finding with a dissent was not adopted by consensus: record the vote."
        return None
    if any(v is None or v < 0 for v in tally):
        return "A vote needs its tally: votes for, against and abstentions (0 or more each)."
    votes_for, votes_against, abstentions = (v or 0 for v in tally)
    if votes_for + votes_against + abstentions > voters:
        return (
            f"The tally counts {votes_for + votes_against + abstentions} votes but only "
            f"{voters} member(s) may take part."
        )
    if votes_for <= votes_against:
        return "A finding is adopted by a majority: more votes for than against."
    if votes_against and not decision.dissent.strip():
        return "Record the dissent in the dissenting members' own words."
    return None
