from __future__ import annotations

import pytest

from vetting.domain.findings import Decision, decision_problem
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
