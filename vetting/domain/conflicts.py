"""Conflicts of interest: what the system detects by itself, and who may decide on one."""

from __future__ import annotations

from vetting.domain.vocabulary import ConflictKind, ConflictStatus

# A reviewer whose assignment stands in one of these has a conflict on record.
CONFLICTED = frozenset({ConflictStatus.DECLARED, ConflictStatus.MANAGED, ConflictStatus.RECUSED})


def detect(
    member_state: str | None, candidate_nationality: str, nominating_state: str
) -> tuple[ConflictKind, ...]:
    """Conflicts that follow from the facts on record, whatever the member declares.

    The candidate's nationality is the deemed one for a dual national (art. 36(7)).
    """
    if member_state is None:
        return ()
    found = []
    if member_state == candidate_nationality:
        found.append(ConflictKind.SAME_NATIONALITY)
    if member_state == nominating_state:
        found.append(ConflictKind.NOMINATING_STATE)
    return tuple(found)


def may_decide(
    *,
    decider_is_chair: bool,
    decider_is_panel: bool,
    decider_is_concerned: bool,
    decider_status: ConflictStatus | None,
    unconflicted_chair: bool,
) -> bool:
    """A chair without a conflict on the candidacy decides; when every chair has one, a
    member cleared on it (no conflict) decides instead. Nobody decides on their own
    conflict, and nobody with a conflict on the candidacy decides anyone else's."""
    if decider_is_concerned or not decider_is_panel or decider_status in CONFLICTED:
        return False
    if unconflicted_chair:
        return decider_is_chair
    return not decider_is_chair and decider_status is ConflictStatus.NONE
