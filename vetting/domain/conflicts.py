"""Conflicts of interest: what the system detects by itself, and who may decide on one.

Two sources of detection, both about one panel member and one candidacy:

- the member's nationality against the candidate's (deemed) nationality and the nominating
  State (`detect`);
- the ties the member has declared about themselves (`detect_ties`), each counted only within
  its time window (`WINDOW_YEARS`) before a reference date that the caller passes, so that the
  same facts give the same answer on any day they are examined.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from vetting.domain.vocabulary import ConflictKind, ConflictStatus, TieKind

# A reviewer whose assignment stands in one of these has a conflict on record.
CONFLICTED = frozenset({ConflictStatus.DECLARED, ConflictStatus.MANAGED, ConflictStatus.RECUSED})

# Ties with a State (its government employed the member, or the member held political office
# in it): compared with the candidacy's nominating State and the candidate's nationality.
STATE_TIES = frozenset({TieKind.STATE_EMPLOYMENT, TieKind.POLITICAL_OFFICE})
# Ties with a person: compared with the candidate's full name.
PERSON_TIES = frozenset({TieKind.FAMILY, TieKind.PERSONAL, TieKind.FINANCIAL})

# How long after its end a tie still counts, in whole years; None: however long ago it ended.
# Employment by a State and political office in it: five years, the cooling-off period most
# often applied to former officials. Personal and financial ties: three years, as the review
# tools' collaborator rules do. Family: always (a former spouse or in-law still counts).
# ICC or ASP employment: five years, shown to the decider; it is compared with no candidacy.
WINDOW_YEARS: dict[TieKind, int | None] = {
    TieKind.STATE_EMPLOYMENT: 5,
    TieKind.POLITICAL_OFFICE: 5,
    TieKind.ICC_ASP_EMPLOYMENT: 5,
    TieKind.FAMILY: None,
    TieKind.PERSONAL: 3,
    TieKind.FINANCIAL: 3,
}

# The kind of conflict a matching tie amounts to.
TIE_CONFLICT: dict[TieKind, ConflictKind] = {
    TieKind.STATE_EMPLOYMENT: ConflictKind.PROFESSIONAL,
    TieKind.POLITICAL_OFFICE: ConflictKind.PROFESSIONAL,
    TieKind.FAMILY: ConflictKind.PERSONAL,
    TieKind.PERSONAL: ConflictKind.PERSONAL,
    TieKind.FINANCIAL: ConflictKind.FINANCIAL,
}


@dataclass(frozen=True)
class Tie:
    """What detection needs to know of a declared tie (vetting.models.MemberTie)."""

    id: int
    kind: TieKind
    state_code: str | None = None
    person_name: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    description: str = ""


@dataclass(frozen=True)
class Detection:
    """One conflict found from the facts on record, and the declared tie behind it, if any.

    `matched` says what the tie matched: "nominating_state", "nationality" or "name".
    """

    kind: ConflictKind
    tie: Tie | None = None
    matched: str | None = None


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


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def is_within_window(tie: Tie, on: date) -> bool:
    """The tie held at some point in the window: it had begun by `on`, and it still holds or
    ended no earlier than the window's start."""
    if tie.starts_on is not None and tie.starts_on > on:
        return False
    if tie.ends_on is None:
        return True
    years = WINDOW_YEARS[tie.kind]
    return years is None or tie.ends_on >= years_before(on, years)


def counts_until(tie: Tie) -> date | None:
    """The last day on which an ended tie still counts; None while it holds, or when it
    counts for ever (family)."""
    years = WINDOW_YEARS[tie.kind]
    if tie.ends_on is None or years is None:
        return None
    try:
        return tie.ends_on.replace(year=tie.ends_on.year + years)
    except ValueError:
        return tie.ends_on.replace(year=tie.ends_on.year + years, day=28)


def normalise_name(name: str) -> str:
    """A name as compared: accents and case removed, punctuation (hyphens, apostrophes, dots)
    read as spaces, runs of spaces collapsed, and the words sorted, since the order of given
    and family names varies between cultures ("Park Seo-yeon" is "Seo-yeon Park")."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = "".join(c if c.isalnum() else " " for c in bare).split()
    return " ".join(sorted(words))


def detect_ties(
    ties: Iterable[Tie],
    *,
    candidate_name: str,
    candidate_nationality: str,
    nominating_state: str,
    on: date,
) -> tuple[Detection, ...]:
    """Conflicts that follow from the member's declared ties, counted within their windows.

    - Employment by a State or political office in it: a conflict (professional) when the
      State nominated the candidate or is the candidate's nationality.
    - Family, personal or financial tie: a conflict (personal, personal, financial) when the
      person named is the candidate (normalise_name).
    - ICC or ASP employment: nothing we hold about a candidacy can be compared with it, so it
      detects nothing here; the pages show it to the decider (`shown_to_decider`).
    """
    wanted = normalise_name(candidate_name)
    found: list[Detection] = []
    for tie in ties:
        if not is_within_window(tie, on):
            continue
        kind = TIE_CONFLICT.get(tie.kind)
        if kind is None:
            continue
        if tie.kind in STATE_TIES:
            if tie.state_code == nominating_state:
                found.append(Detection(kind, tie, "nominating_state"))
            elif tie.state_code == candidate_nationality:
                found.append(Detection(kind, tie, "nationality"))
        elif tie.person_name and normalise_name(tie.person_name) == wanted:
            found.append(Detection(kind, tie, "name"))
    return tuple(found)


def detect_all(
    member_state: str | None,
    ties: Iterable[Tie],
    *,
    candidate_name: str,
    candidate_nationality: str,
    nominating_state: str,
    on: date,
) -> tuple[Detection, ...]:
    """Both sources together: nationality first, then the declared ties."""
    by_nationality = tuple(
        Detection(kind) for kind in detect(member_state, candidate_nationality, nominating_state)
    )
    return by_nationality + detect_ties(
        ties,
        candidate_name=candidate_name,
        candidate_nationality=candidate_nationality,
        nominating_state=nominating_state,
        on=on,
    )


def kinds_of(detections: Iterable[Detection]) -> tuple[ConflictKind, ...]:
    """The distinct kinds, in the order first found."""
    return tuple(dict.fromkeys(d.kind for d in detections))


def shown_to_decider(ties: Iterable[Tie], on: date) -> tuple[Tie, ...]:
    """Ties that detect nothing per candidacy but that whoever decides should see: ICC or ASP
    employment within its window."""
    return tuple(
        t for t in ties if t.kind is TieKind.ICC_ASP_EMPLOYMENT and is_within_window(t, on)
    )


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
