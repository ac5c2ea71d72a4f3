"""The panel's composition balance, against hand-counted panels."""

from __future__ import annotations

from vetting.domain.composition import Flag, FlagKind, Seat, balance
from vetting.domain.vocabulary import Gender, RegionalGroup

AF = RegionalGroup.AFRICAN
AP = RegionalGroup.ASIA_PACIFIC
EE = RegionalGroup.EASTERN_EUROPEAN
LA = RegionalGroup.LATIN_AMERICAN_CARIBBEAN
WE = RegionalGroup.WESTERN_EUROPEAN_OTHER
F, M = Gender.FEMALE, Gender.MALE


def seat(code, group, gender, chair=False) -> Seat:
    return Seat(nationality=code, group=group, gender=gender, chair=chair)


def test_an_empty_panel_has_one_flag_and_every_count_at_zero():
    result = balance([])
    assert result.size == 0
    assert result.by_group == {g: 0 for g in RegionalGroup}
    assert result.by_gender == {g: 0 for g in Gender}
    assert result.flags == (Flag(FlagKind.EMPTY),)


def test_a_panel_of_five_groups_two_women_and_three_men_is_balanced():
    result = balance(
        [
            seat("NOR", WE, F, chair=True),
            seat("GHA", AF, M),
            seat("CHL", LA, F),
            seat("POL", EE, M),
            seat("JPN", AP, M),
        ]
    )
    assert result.by_group == {g: 1 for g in RegionalGroup}
    assert result.by_gender == {F: 2, M: 3, Gender.OTHER: 0}
    # 3 men of 5: 3 * 3 = 9 is not more than 2 * 5 = 10.
    assert result.flags == ()
    assert result.balanced


def test_the_demo_panel_lacks_the_asia_pacific_group_only():
    result = balance(
        [seat("NOR", WE, F, True), seat("GHA", AF, M), seat("CHL", LA, F), seat("POL", EE, M)]
    )
    assert result.by_group[AP] == 0
    assert result.flags == (Flag(FlagKind.GROUP_MISSING, group=AP),)


def test_three_of_four_of_one_gender_is_more_than_two_thirds():
    result = balance(
        [seat("NOR", WE, F, True), seat("GHA", AF, F), seat("CHL", LA, F), seat("POL", EE, M)]
    )
    # 3 * 3 = 9 > 2 * 4 = 8.
    assert Flag(FlagKind.GENDER_OVER_TWO_THIRDS, gender=F, count=3) in result.flags


def test_two_of_three_is_exactly_two_thirds_and_not_flagged():
    result = balance([seat("NOR", WE, F, True), seat("GHA", AF, F), seat("CHL", LA, M)])
    assert not [f for f in result.flags if f.kind is FlagKind.GENDER_OVER_TWO_THIRDS]


def test_unrecorded_genders_are_left_out_of_the_two_thirds_and_flagged_with_their_count():
    result = balance(
        [seat("NOR", WE, M, True), seat("GHA", AF, M), seat("CHL", LA, None), seat("POL", EE, None)]
    )
    # Recorded: 2, both men: 3 * 2 = 6 > 2 * 2 = 4.
    assert Flag(FlagKind.GENDER_OVER_TWO_THIRDS, gender=M, count=2) in result.flags
    assert Flag(FlagKind.GENDER_UNRECORDED, count=2) in result.flags
    assert result.gender_unrecorded == 2
    assert result.by_gender[M] == 2


def test_one_recorded_gender_is_not_enough_to_judge_the_proportion():
    result = balance([seat("NOR", WE, M, True), seat("GHA", AF, None)])
    assert not [f for f in result.flags if f.kind is FlagKind.GENDER_OVER_TWO_THIRDS]


def test_a_group_holding_more_than_half_the_seats_is_flagged_and_half_is_not():
    majority = balance(
        [seat("NOR", WE, F, True), seat("NLD", WE, M), seat("IRL", WE, F), seat("GHA", AF, M)]
    )
    assert Flag(FlagKind.GROUP_MAJORITY, group=WE, count=3) in majority.flags
    half = balance(
        [seat("NOR", WE, F, True), seat("NLD", WE, M), seat("GHA", AF, F), seat("KEN", AF, M)]
    )
    assert not [f for f in half.flags if f.kind is FlagKind.GROUP_MAJORITY]


def test_shared_nationality_missing_nationality_and_no_chair_are_flagged_in_order():
    result = balance([seat("NOR", WE, F), seat("NOR", WE, M), seat(None, None, F)])
    assert result.nationality_unrecorded == 1
    assert result.by_group[WE] == 2
    assert result.flags == (
        Flag(FlagKind.NO_CHAIR),
        Flag(FlagKind.GROUP_MISSING, group=AF),
        Flag(FlagKind.GROUP_MISSING, group=AP),
        Flag(FlagKind.GROUP_MISSING, group=EE),
        Flag(FlagKind.GROUP_MISSING, group=LA),
        Flag(FlagKind.GROUP_MAJORITY, group=WE, count=2),
        Flag(FlagKind.SHARED_NATIONALITY, nationality="NOR", count=2),
        Flag(FlagKind.NATIONALITY_UNRECORDED, count=1),
        # 2 women of 3 recorded: exactly two thirds, not more.
    )
