"""The finding: adopted by consensus, or by a vote whose tally is recorded; reasons on every
criterion of the rubric; signed by the chair, who types their full name."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
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


def missing_reasons(criteria: Sequence[tuple[int, str]], reasons: Mapping[int, str]) -> list[str]:
    """The codes of the rubric's criteria (id, code), in rubric order, on which the finding
    states no reasons. Every criterion needs its own, a not-applicable one included (say why)."""
    return [code for criterion_id, code in criteria if not reasons.get(criterion_id, "").strip()]


def reasons_problem(
    criteria: Sequence[tuple[int, str]], reasons: Mapping[int, str], *, max_chars: int
) -> str | None:
    """Why the reasons per criterion cannot be recorded as they stand, or None."""
    known = {criterion_id for criterion_id, _code in criteria}
    if set(reasons) - known:
        return "Reasons were given for a criterion that is not in this election's rubric."
    if missing := missing_reasons(criteria, reasons):
        return (
            "A finding states its reasons on every criterion of the rubric; none given for: "
            f"{', '.join(missing)}."
        )
    long = [code for criterion_id, code in criteria if len(reasons[criterion_id]) > max_chars]
    if long:
        return f"The reasons on {', '.join(long)} are longer than {max_chars} characters."
    return None


def normalise_name(name: str) -> str:
    """A name as a signature is compared: Unicode-composed, case-folded, single-spaced."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def signature_problem(typed: str, account_name: str) -> str | None:
    """The chair signs by typing their full name as their account records it; case and spacing
    do not matter, spelling (accents included) does."""
    if not typed.strip():
        return "Sign the finding: type your full name."
    if normalise_name(typed) != normalise_name(account_name):
        return (
            "The signature does not match the name on your account: type your full name as "
            "it is registered."
        )
    return None
