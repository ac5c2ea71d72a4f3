from __future__ import annotations

import pytest

from vetting.domain.findings import (
    Decision,
    decision_problem,
    missing_reasons,
    normalise_name,
    reasons_problem,
    signature_problem,
)
from vetting.domain.vocabulary import DecisionMethod

C, V = DecisionMethod.CONSENSUS, DecisionMethod.VOTE


@pytest.mark.parametrize(
    ("decision", "voters", "problem"),
    [
        (Decision(C), 3, None),
        (Decision(C, dissent="I disagree."), 3, "not adopted by consensus"),
        (Decision(C, 2, 1, 0), 3, "no tally"),
        (Decision(V, 3, 0, 0), 3, None),
        (Decision(V, 2, 1, 0, "I would find her only formally qualified."), 3, None),
        (Decision(V, 2, 1, 0), 3, "dissent"),
        (Decision(V, 2, None, 0), 3, "needs its tally"),
        (Decision(V, 2, -1, 0), 3, "needs its tally"),
        (Decision(V, 3, 1, 0, "No."), 3, "only 3 member"),
        (Decision(V, 1, 1, 1, "No."), 3, "majority"),
        (Decision(V, 1, 0, 2), 3, None),
    ],
)
def test_decision_is_checked_against_its_method_when_recorded(decision, voters, problem):
    found = decision_problem(decision, voters=voters)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


# --- reasons per criterion and the chair's signature -----------------------------------------

CRITERIA = [(11, "M1"), (12, "M2"), (13, "M3")]


@pytest.mark.parametrize(
    ("reasons", "problem"),
    [
        ({11: "a", 12: "b", 13: "c"}, None),
        ({11: "a", 12: "b"}, "none given for: M3."),
        ({11: "a", 12: "  ", 13: ""}, "none given for: M2, M3."),
        ({}, "none given for: M1, M2, M3."),
        ({11: "a", 12: "b", 13: "c", 99: "d"}, "not in this election's rubric"),
        ({11: "a", 12: "x" * 11, 13: "c"}, "The reasons on M2 are longer than 10 characters."),
    ],
)
def test_reasons_are_required_on_every_criterion_when_recorded(reasons, problem):
    found = reasons_problem(CRITERIA, reasons, max_chars=10)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_missing_reasons_are_listed_in_rubric_order():
    assert missing_reasons([(3, "M3"), (1, "M1"), (2, "M2")], {1: "ok"}) == ["M3", "M2"]


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        ("Ingrid Halvorsen", True),
        ("  ingrid   HALVORSEN ", True),
        ("INGRID\tHalvorsen", True),
        ("Ingrid Halvorsen-Berg", False),
        ("Ingrid", False),
        ("I. Halvorsen", False),
        ("", False),
        ("   ", False),
    ],
)
def test_signature_must_match_the_chairs_account_name_except_case_and_spaces(typed, ok):
    problem = signature_problem(typed, "Ingrid Halvorsen")
    assert (problem is None) is ok


def test_signature_keeps_accents_but_not_their_encoding():
    decomposed = "Rios Mendoza".replace("i", "i\u0301", 1)  # i + combining acute
    assert signature_problem("Ríos Mendoza", "Ri\u0301os Mendoza") is None
    assert signature_problem("Rios Mendoza", "Ríos Mendoza") is not None
    assert normalise_name(decomposed) == normalise_name("Ríos Mendoza")


def test_signature_refusal_says_why_when_empty_or_wrong():
    assert signature_problem("", "A B") == "Sign the finding: type your full name."
    assert "does not match" in (signature_problem("B A", "A B") or "")
