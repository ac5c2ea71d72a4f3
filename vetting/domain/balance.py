"""The balance of an election's candidate pool, as the public sees it: by regional group, gender
and list, how many were nominated, how many are still standing (not withdrawn, not found
ineligible), the minimum voting requirement, and whether the pool meets it.

Small-group suppression (docs/architecture.md, "Publication"). The individual list shows each
candidate's nationality, nominating State and list; regional group and list counts are therefore
public already and are shown exactly. Gender is published in these counts only, because the
minimum voting requirements count women and men; no public page shows a candidate's gender
individually, since a blank beside one name among "female" and "male" would single that person
out. A gender recorded as OTHER is protected with a threshold of K = 3:

- every count of OTHER below K (nominated or standing; 0 included once anyone is OTHER) is shown
  as "fewer than 3", never as a number;
- complementary suppression: the totals are public (the candidate list can be counted, and the
  regional groups add up to the standing total), so female + male + other = total would give the
  hidden count back. More cells are withheld ("not shown") until an auditor finds that nothing
  published, totals and the rule itself included, pins down the number of OTHER candidates
  nominated, standing, or out of the pool (the last would point at a named withdrawal);
- a pool of fewer than K candidates shows no gender count at all; nor does a pool where no
  pattern protects the OTHER counts (for instance when the only withdrawal is the OTHER
  candidate's). That a table says "not shown" may then itself hint at why: a residual risk,
  accepted for these rare pools, and stated in docs/architecture.md;
- gender is never cross-tabulated with anything (group, list, status), so no cell of a
  cross-tabulation can single anyone out.

Pure and deterministic: the same pool always gives the same table.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vetting.domain.requirements import Requirement
from vetting.domain.vocabulary import Gender, JudgeList, RegionalGroup, RequirementDimension

K = 3

_FEMALE, _MALE, _OTHER = Gender.FEMALE.value, Gender.MALE.value, Gender.OTHER.value
_GENDERS = (_FEMALE, _MALE, _OTHER)
_NOMINATED, _STANDING = "nominated", "standing"
Cell = tuple[str, str]  # (column, gender)


class Shown(enum.Enum):
    EXACT = "exact"
    FEWER_THAN_K = "fewer_than_k"
    WITHHELD = "withheld"


@dataclass(frozen=True)
class Count:
    """A published count: `value` is None whenever it is not shown, so the true number of a
    suppressed cell never leaves this module."""

    value: int | None
    shown: Shown = Shown.EXACT


class Status(enum.Enum):
    MET = "met"
    SHORT = "short"
    NOT_SHOWN = "not_shown"
    NO_MINIMUM = "no_minimum"


@dataclass(frozen=True)
class Member:
    """What the balance counts of one candidacy (enum values); `standing` per
    vetting.domain.requirements.in_pool."""

    regional_group: str
    gender: str
    judge_list: str
    standing: bool


@dataclass(frozen=True)
class BalanceRow:
    dimension: RequirementDimension
    value: str
    nominated: Count
    standing: Count
    minimum: int | None

    @property
    def status(self) -> Status:
        if self.minimum is None:
            return Status.NO_MINIMUM
        if self.standing.value is None:
            return Status.NOT_SHOWN
        return Status.MET if self.standing.value >= self.minimum else Status.SHORT

    @property
    def shortfall(self) -> int:
        if self.minimum is None or self.standing.value is None:
            return 0
        return max(0, self.minimum - self.standing.value)


@dataclass(frozen=True)
class Balance:
    rows: list[BalanceRow]
    nominated: int
    standing: int
    # True when the gender counts could not be protected and are not shown at all.
    gender_withheld: bool

    @property
    def chart_max(self) -> int:
        """The longest bar or minimum, for the chart's scale (at least 1)."""
        values = [r.standing.value or 0 for r in self.rows] + [r.minimum or 0 for r in self.rows]
        return max([1, *values])


def balance(members: Sequence[Member], requirements: Iterable[Requirement]) -> Balance:
    """The public balance table of a pool: every regional group, female and male (and OTHER
    when anyone is, or a minimum names it), lists A and B when the election uses lists."""
    minimums = {(r.dimension, r.value): r.minimum for r in requirements}
    rows: list[BalanceRow] = []

    def exact_rows(dimension: RequirementDimension, values: Iterable[str]) -> None:
        for value in values:
            chosen = [m for m in members if _value_of(m, dimension) == value]
            rows.append(
                BalanceRow(
                    dimension,
                    value,
                    Count(len(chosen)),
                    Count(sum(1 for m in chosen if m.standing)),
                    minimums.get((dimension, value)),
                )
            )

    exact_rows(RequirementDimension.REGIONAL_GROUP, [g.value for g in RegionalGroup])

    nominated = {g: sum(1 for m in members if m.gender == g) for g in _GENDERS}
    standing = {g: sum(1 for m in members if m.gender == g and m.standing) for g in _GENDERS}
    # A pool smaller than K shows no gender count at all, whoever is in it, so that not showing
    # them says nothing about anyone.
    shown = protect_gender(nominated, standing) if len(members) >= K else None
    genders = [_FEMALE, _MALE]
    other_row = nominated[_OTHER] and shown is not None
    if other_row or (RequirementDimension.GENDER, _OTHER) in minimums:
        genders.append(_OTHER)
    for g in genders:
        rows.append(
            BalanceRow(
                RequirementDimension.GENDER,
                g,
                _count(nominated[g], shown.get((_NOMINATED, g)) if shown else Shown.WITHHELD),
                _count(standing[g], shown.get((_STANDING, g)) if shown else Shown.WITHHELD),
                minimums.get((RequirementDimension.GENDER, g)),
            )
        )

    uses_lists = any(m.judge_list != JudgeList.NONE.value for m in members) or any(
        d is RequirementDimension.LIST for d, _ in minimums
    )
    if uses_lists:
        exact_rows(RequirementDimension.LIST, [JudgeList.A.value, JudgeList.B.value])
    return Balance(
        rows,
        nominated=len(members),
        standing=sum(1 for m in members if m.standing),
        gender_withheld=shown is None,
    )


def _value_of(member: Member, dimension: RequirementDimension) -> str:
    if dimension is RequirementDimension.REGIONAL_GROUP:
        return member.regional_group
    if dimension is RequirementDimension.GENDER:
        return member.gender
    return member.judge_list


def _count(value: int, shown: Shown | None) -> Count:
    shown = shown or Shown.EXACT
    return Count(value if shown is Shown.EXACT else None, shown)


# -- Suppression of the OTHER gender ----------------------------------------------------------


def protect_gender(nominated: dict[str, int], standing: dict[str, int]) -> dict[Cell, Shown] | None:
    """How each gender cell is shown; None when no pattern protects the OTHER counts (then no
    gender count is shown). Cells are (column, gender), column "nominated" or "standing".

    Every count of OTHER below K is shown as "fewer than K". Then the cheapest set of further
    cells to withhold is chosen (standing women and men cost most, as the minimums are measured
    on them; smaller cells before larger) such that `is_protected` holds."""
    values: dict[Cell, int] = {}
    for g in _GENDERS:
        values[(_NOMINATED, g)] = nominated.get(g, 0)
        values[(_STANDING, g)] = standing.get(g, 0)
    exact = dict.fromkeys(values, Shown.EXACT)
    if values[(_NOMINATED, _OTHER)] == 0:
        return exact
    primary = {c for c in values if c[1] == _OTHER and values[c] < K}
    optional = [c for c in values if c not in primary]

    def cost(cells: tuple[Cell, ...]) -> tuple[int, int, list[Cell]]:
        weight = {_OTHER: 1, _FEMALE: 2, _MALE: 2}
        total = sum(weight[g] * (2 if column == _STANDING else 1) for column, g in cells)
        return (total, sum(values[c] for c in cells), sorted(cells))

    subsets = [s for n in range(len(optional) + 1) for s in itertools.combinations(optional, n)]
    for extra in sorted(subsets, key=cost):
        shown = dict(exact)
        for cell in primary:
            shown[cell] = Shown.FEWER_THAN_K
        for cell in extra:
            shown[cell] = Shown.WITHHELD
        if is_protected(values, shown):
            return shown
    return None


def is_protected(values: dict[Cell, int], shown: dict[Cell, Shown]) -> bool:
    """Whether a reader who knows the totals, the published cells and this module's rule can
    pin down the number of OTHER candidates nominated, standing, or out of the pool, when that
    number is between 1 and K - 1. Protected means at least two values remain possible."""
    total_nominated = sum(values[(_NOMINATED, g)] for g in _GENDERS)
    total_standing = sum(values[(_STANDING, g)] for g in _GENDERS)
    ranges = {c: _range(c, values[c], shown[c], total_nominated) for c in values}
    n_o, s_o = values[(_NOMINATED, _OTHER)], values[(_STANDING, _OTHER)]
    truth = {"nominated": n_o, "standing": s_o, "out": n_o - s_o}
    sensitive = {name for name, v in truth.items() if 1 <= v < K}
    if not sensitive:
        return True
    seen: dict[str, set[int]] = {name: set() for name in sensitive}
    for n in ranges[(_NOMINATED, _OTHER)]:
        for s in ranges[(_STANDING, _OTHER)]:
            if s > n or not _rest_feasible(ranges, n, s, total_nominated, total_standing):
                continue
            possible = {"nominated": n, "standing": s, "out": n - s}
            for name in sensitive:
                seen[name].add(possible[name])
            if all(len(v) >= 2 for v in seen.values()):
                return True
    return False


def _range(cell: Cell, value: int, shown: Shown, total: int) -> range:
    """What a reader knows of a cell. "Fewer than K" of nominated OTHER is at least 1 (a zero
    is shown as such); a withheld OTHER cell is at least K (a smaller one would read "fewer")."""
    if shown is Shown.EXACT:
        return range(value, value + 1)
    if shown is Shown.FEWER_THAN_K:
        return range(1 if cell == (_NOMINATED, _OTHER) else 0, K)
    return range(K if cell[1] == _OTHER else 0, total + 1)


def _rest_feasible(
    ranges: dict[Cell, range], n_other: int, s_other: int, total_n: int, total_s: int
) -> bool:
    """Whether women and men counts exist within what is published, once OTHER is fixed."""
    women_men = total_n - n_other
    standing = total_s - s_other
    if women_men < 0 or standing < 0:
        return False
    n_f_range, n_m_range = ranges[(_NOMINATED, _FEMALE)], ranges[(_NOMINATED, _MALE)]
    s_f_range, s_m_range = ranges[(_STANDING, _FEMALE)], ranges[(_STANDING, _MALE)]
    low = max(n_f_range.start, women_men - (n_m_range.stop - 1))
    high = min(n_f_range.stop - 1, women_men - n_m_range.start)
    for n_f in range(low, high + 1):
        n_m = women_men - n_f
        # s_f within its range and [0, n_f]; s_m = standing - s_f within its range and [0, n_m].
        s_low = max(s_f_range.start, standing - min(s_m_range.stop - 1, n_m))
        s_high = min(s_f_range.stop - 1, n_f, standing - s_m_range.start)
        if s_low <= s_high:
            return True
    return False
