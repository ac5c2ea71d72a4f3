"""Conflict detection and who decides, over every combination."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from vetting.domain.conflicts import (
    CONFLICTED,
    WINDOW_YEARS,
    Detection,
    Tie,
    counts_until,
    detect,
    detect_all,
    detect_ties,
    is_within_window,
    kinds_of,
    may_decide,
    normalise_name,
    shown_to_decider,
    years_before,
)
from vetting.domain.vocabulary import ConflictKind, ConflictStatus, TieKind


@pytest.mark.parametrize(
    ("member", "nationality", "nominating", "expected"),
    [
        (None, "SEN", "SEN", ()),
        ("KEN", "SEN", "SEN", ()),
        ("SEN", "SEN", "SEN", (ConflictKind.SAME_NATIONALITY, ConflictKind.NOMINATING_STATE)),
        ("SEN", "SEN", "FRA", (ConflictKind.SAME_NATIONALITY,)),
        ("FRA", "SEN", "FRA", (ConflictKind.NOMINATING_STATE,)),
    ],
)
def test_conflicts_are_detected_from_nationality_and_nominating_state(
    member, nationality, nominating, expected
):
    assert detect(member, nationality, nominating) == expected


STATUSES = [None, *ConflictStatus]


@pytest.mark.parametrize(
    ("is_chair", "is_panel", "concerned", "status", "unconflicted_chair"),
    list(itertools.product([False, True], [False, True], [False, True], STATUSES, [False, True])),
)
def test_who_decides_follows_the_rule_for_every_combination(
    is_chair, is_panel, concerned, status, unconflicted_chair
):
    decided = may_decide(
        decider_is_chair=is_chair,
        decider_is_panel=is_panel,
        decider_is_concerned=concerned,
        decider_status=status,
        unconflicted_chair=unconflicted_chair,
    )
    if concerned or not is_panel or status in CONFLICTED:
        assert decided is False
    elif unconflicted_chair:
        assert decided is is_chair
    else:
        assert decided is (not is_chair and status is ConflictStatus.NONE)


def test_nobody_decides_their_own_conflict_even_as_the_only_chair():
    assert not may_decide(
        decider_is_chair=True,
        decider_is_panel=True,
        decider_is_concerned=True,
        decider_status=ConflictStatus.DECLARED,
        unconflicted_chair=False,
    )


# Ties: every kind, inside and outside its window, with a fixed reference date.
ON = date(2026, 11, 30)
CANDIDATE = {
    "candidate_name": "Aminata Diallo-Ndiaye",
    "candidate_nationality": "SEN",
    "nominating_state": "GMB",
}


def _found(*ties: Tie, on: date = ON) -> tuple[Detection, ...]:
    return detect_ties(ties, on=on, **CANDIDATE)


@pytest.mark.parametrize(
    ("state", "matched"),
    [("GMB", "nominating_state"), ("SEN", "nationality"), ("KEN", None)],
)
@pytest.mark.parametrize("kind", [TieKind.STATE_EMPLOYMENT, TieKind.POLITICAL_OFFICE])
def test_a_state_tie_is_a_professional_conflict_when_its_state_nominated_or_is_the_nationality(
    kind, state, matched
):
    tie = Tie(1, kind, state_code=state, starts_on=date(2015, 1, 1))
    expected = (Detection(ConflictKind.PROFESSIONAL, tie, matched),) if matched else ()
    assert _found(tie) == expected


def test_a_state_tie_with_a_state_that_is_both_counts_once_as_the_nominating_state():
    tie = Tie(1, TieKind.STATE_EMPLOYMENT, state_code="SEN", starts_on=date(2015, 1, 1))
    found = detect_ties([tie], on=ON, **{**CANDIDATE, "nominating_state": "SEN"})
    assert found == (Detection(ConflictKind.PROFESSIONAL, tie, "nominating_state"),)


@pytest.mark.parametrize(
    ("kind", "ends_on", "counts"),
    [
        # Five years for employment by a State and political office: 2021-11-30 is the edge.
        (TieKind.STATE_EMPLOYMENT, None, True),
        (TieKind.STATE_EMPLOYMENT, date(2021, 11, 30), True),
        (TieKind.STATE_EMPLOYMENT, date(2021, 11, 29), False),
        (TieKind.POLITICAL_OFFICE, date(2021, 11, 30), True),
        (TieKind.POLITICAL_OFFICE, date(2021, 11, 29), False),
        # Three years for personal and financial ties: 2023-11-30 is the edge.
        (TieKind.PERSONAL, None, True),
        (TieKind.PERSONAL, date(2023, 11, 30), True),
        (TieKind.PERSONAL, date(2023, 11, 29), False),
        (TieKind.FINANCIAL, date(2023, 11, 30), True),
        (TieKind.FINANCIAL, date(2023, 11, 29), False),
        # Family counts however long ago it ended.
        (TieKind.FAMILY, None, True),
        (TieKind.FAMILY, date(1990, 1, 1), True),
    ],
)
def test_a_tie_counts_when_it_holds_or_ended_within_its_window(kind, ends_on, counts):
    tie = Tie(
        7,
        kind,
        state_code="GMB" if kind in (TieKind.STATE_EMPLOYMENT, TieKind.POLITICAL_OFFICE) else None,
        person_name=None
        if kind.name.endswith(("EMPLOYMENT", "OFFICE"))
        else "Aminata Diallo-Ndiaye",
        starts_on=date(1985, 1, 1),
        ends_on=ends_on,
    )
    assert is_within_window(tie, ON) is counts
    assert bool(_found(tie)) is counts


def test_the_windows_are_the_ones_documented():
    assert WINDOW_YEARS == {
        TieKind.STATE_EMPLOYMENT: 5,
        TieKind.POLITICAL_OFFICE: 5,
        TieKind.ICC_ASP_EMPLOYMENT: 5,
        TieKind.FAMILY: None,
        TieKind.PERSONAL: 3,
        TieKind.FINANCIAL: 3,
    }


def test_a_tie_that_begins_after_the_reference_date_does_not_count():
    tie = Tie(1, TieKind.STATE_EMPLOYMENT, state_code="GMB", starts_on=date(2027, 1, 1))
    assert _found(tie) == ()
    assert _found(tie, on=date(2027, 1, 1)) != ()


def test_the_window_moves_with_the_reference_date():
    tie = Tie(
        1,
        TieKind.POLITICAL_OFFICE,
        state_code="GMB",
        starts_on=date(2010, 1, 1),
        ends_on=date(2020, 6, 30),
    )
    assert _found(tie, on=date(2025, 6, 30)) != ()
    assert _found(tie, on=date(2025, 7, 1)) == ()


def test_years_before_turns_the_29th_of_february_into_the_28th():
    assert years_before(date(2028, 2, 29), 5) == date(2023, 2, 28)
    assert years_before(date(2026, 11, 30), 3) == date(2023, 11, 30)


@pytest.mark.parametrize(
    ("kind", "conflict"),
    [
        (TieKind.FAMILY, ConflictKind.PERSONAL),
        (TieKind.PERSONAL, ConflictKind.PERSONAL),
        (TieKind.FINANCIAL, ConflictKind.FINANCIAL),
    ],
)
def test_a_person_tie_with_the_candidate_is_a_conflict_of_its_kind(kind, conflict):
    tie = Tie(3, kind, person_name="Aminata Diallo-Ndiaye", starts_on=date(2020, 1, 1))
    assert _found(tie) == (Detection(conflict, tie, "name"),)
    other = Tie(4, kind, person_name="Aminata Diallo", starts_on=date(2020, 1, 1))
    assert _found(other) == ()


@pytest.mark.parametrize(
    "written",
    [
        "Aminata Diallo-Ndiaye",
        "aminata diallo-ndiaye",
        "AMINATA  DIALLO NDIAYE",
        "  Aminata\tDiallo-Ndiaye ",
        "Âminata Diallo-Ndiayé",
        "Diallo-Ndiaye Aminata",
    ],
)
def test_a_name_matches_whatever_its_case_accents_spacing_hyphens_and_order(written):
    assert normalise_name(written) == normalise_name("Aminata Diallo-Ndiaye")
    tie = Tie(1, TieKind.FINANCIAL, person_name=written, starts_on=date(2024, 1, 1))
    assert kinds_of(_found(tie)) == (ConflictKind.FINANCIAL,)


@pytest.mark.parametrize(
    "written", ["Aminata Diallo", "Aminata Diallo-Ndiaye Fall", "Amina Diallo-Ndiaye", ""]
)
def test_a_name_does_not_match_when_a_word_differs_or_is_missing(written):
    assert normalise_name(written) != normalise_name("Aminata Diallo-Ndiaye")


def test_normalise_name_removes_accents_and_case_as_expected():
    assert normalise_name("  Seo-yeon  PARK ") == "park seo yeon"
    assert normalise_name("Ríos Mendoza, Valentina") == "mendoza rios valentina"


def test_icc_or_asp_employment_detects_nothing_but_is_shown_to_the_decider_within_its_window():
    current = Tie(1, TieKind.ICC_ASP_EMPLOYMENT, starts_on=date(2019, 1, 1))
    recent = Tie(
        2, TieKind.ICC_ASP_EMPLOYMENT, starts_on=date(2010, 1, 1), ends_on=date(2022, 1, 1)
    )
    old = Tie(3, TieKind.ICC_ASP_EMPLOYMENT, starts_on=date(2001, 1, 1), ends_on=date(2010, 1, 1))
    assert _found(current, recent, old) == ()
    assert shown_to_decider([current, recent, old], ON) == (current, recent)


def test_detect_all_puts_nationality_first_then_the_ties_and_kinds_are_distinct():
    family = Tie(1, TieKind.FAMILY, person_name="Aminata Diallo-Ndiaye")
    personal = Tie(2, TieKind.PERSONAL, person_name="Aminata Diallo Ndiaye", starts_on=ON)
    found = detect_all("SEN", [family, personal], on=ON, **CANDIDATE)
    assert found == (
        Detection(ConflictKind.SAME_NATIONALITY),
        Detection(ConflictKind.PERSONAL, family, "name"),
        Detection(ConflictKind.PERSONAL, personal, "name"),
    )
    assert kinds_of(found) == (ConflictKind.SAME_NATIONALITY, ConflictKind.PERSONAL)
    assert detect_all(None, [], on=ON, **CANDIDATE) == ()


@pytest.mark.parametrize(
    ("kind", "ends_on", "until"),
    [
        (TieKind.STATE_EMPLOYMENT, None, None),
        (TieKind.STATE_EMPLOYMENT, date(2020, 3, 1), date(2025, 3, 1)),
        (TieKind.FINANCIAL, date(2024, 2, 29), date(2027, 2, 28)),
        (TieKind.FAMILY, date(2000, 1, 1), None),
    ],
)
def test_an_ended_tie_counts_until_the_end_of_its_window(kind, ends_on, until):
    tie = Tie(1, kind, starts_on=date(1990, 1, 1), ends_on=ends_on)
    assert counts_until(tie) == until
    if until is not None:
        assert is_within_window(tie, until)
        assert not is_within_window(tie, until + timedelta(days=1))
