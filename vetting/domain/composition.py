"""The panel's own composition balance: who sits on it by regional group and by gender, and
the imbalances said in plain words.

The flags, and their thresholds (decided for issue 5; the panel page shows them, it does not
block anything):

- ``EMPTY``: nobody is seated. No other flag is raised for an empty panel.
- ``NO_CHAIR``: no seated member holds the chair's role.
- ``GROUP_MISSING``: one per regional group (of the five) with no member on the panel.
- ``GROUP_MAJORITY``: one regional group holds strictly more than half of the seats
  (``2 * count > size``), on a panel of two members or more.
- ``SHARED_NATIONALITY``: two or more members share a nationality (one flag per nationality).
- ``NATIONALITY_UNRECORDED``: members whose nationality (hence regional group) is not recorded;
  they are counted in no group.
- ``GENDER_OVER_TWO_THIRDS``: one gender accounts for strictly more than two thirds of the
  members whose gender is recorded (``3 * count > 2 * recorded``), once the gender of two
  members or more is recorded (``recorded >= 2``). A panel of three with two women is
  balanced; of four with three women, or of two with two men, it is not.
- ``GENDER_UNRECORDED``: members whose gender is not recorded; they are counted in no gender.

Standard library only: the web layer gathers the facts and puts the flags into words.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from vetting.domain.vocabulary import Gender, RegionalGroup


class FlagKind(enum.Enum):
    EMPTY = "empty"
    NO_CHAIR = "no_chair"
    GROUP_MISSING = "group_missing"
    GROUP_MAJORITY = "group_majority"
    SHARED_NATIONALITY = "shared_nationality"
    NATIONALITY_UNRECORDED = "nationality_unrecorded"
    GENDER_OVER_TWO_THIRDS = "gender_over_two_thirds"
    GENDER_UNRECORDED = "gender_unrecorded"


@dataclass(frozen=True)
class Seat:
    """One seated member, as far as balance is concerned."""

    nationality: str | None
    group: RegionalGroup | None
    gender: Gender | None
    chair: bool = False


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    group: RegionalGroup | None = None
    gender: Gender | None = None
    nationality: str | None = None
    # How many members the flag is about (0 where it does not apply).
    count: int = 0


@dataclass(frozen=True)
class Balance:
    size: int
    # Every regional group and every gender, in the vocabulary's order, zero included.
    by_group: dict[RegionalGroup, int] = field(default_factory=dict)
    by_gender: dict[Gender, int] = field(default_factory=dict)
    nationality_unrecorded: int = 0
    gender_unrecorded: int = 0
    flags: tuple[Flag, ...] = ()

    @property
    def balanced(self) -> bool:
        return not self.flags


def balance(seats: Iterable[Seat]) -> Balance:
    """Count the seats by regional group and gender and raise the flags of the module's
    docstring, in this order: empty, no chair, missing groups (in the vocabulary's order),
    a group's majority, shared nationalities (by code), unrecorded nationality, a gender over
    two thirds, unrecorded gender."""
    seats = list(seats)
    size = len(seats)
    groups = Counter(s.group for s in seats if s.group is not None)
    genders = Counter(s.gender for s in seats if s.gender is not None)
    by_group = {g: groups.get(g, 0) for g in RegionalGroup}
    by_gender = {g: genders.get(g, 0) for g in Gender}
    nationality_unrecorded = sum(1 for s in seats if s.group is None)
    gender_unrecorded = sum(1 for s in seats if s.gender is None)
    if size == 0:
        return Balance(
            size=0, by_group=by_group, by_gender=by_gender, flags=(Flag(FlagKind.EMPTY),)
        )
    flags: list[Flag] = []
    if not any(s.chair for s in seats):
        flags.append(Flag(FlagKind.NO_CHAIR))
    flags.extend(Flag(FlagKind.GROUP_MISSING, group=g) for g, n in by_group.items() if n == 0)
    if size >= 2:
        flags.extend(
            Flag(FlagKind.GROUP_MAJORITY, group=g, count=n)
            for g, n in by_group.items()
            if 2 * n > size
        )
    nationalities = Counter(s.nationality for s in seats if s.nationality is not None)
    flags.extend(
        Flag(FlagKind.SHARED_NATIONALITY, nationality=code, count=n)
        for code, n in sorted(nationalities.items())
        if n >= 2
    )
    if nationality_unrecorded:
        flags.append(Flag(FlagKind.NATIONALITY_UNRECORDED, count=nationality_unrecorded))
    recorded = size - gender_unrecorded
    if recorded >= 2:
        flags.extend(
            Flag(FlagKind.GENDER_OVER_TWO_THIRDS, gender=g, count=n)
            for g, n in by_gender.items()
            if 3 * n > 2 * recorded
        )
    if gender_unrecorded:
        flags.append(Flag(FlagKind.GENDER_UNRECORDED, count=gender_unrecorded))
    return Balance(
        size=size,
        by_group=by_group,
        by_gender=by_gender,
        nationality_unrecorded=nationality_unrecorded,
        gender_unrecorded=gender_unrecorded,
        flags=tuple(flags),
    )
