"""Every role x permission, and the object-level predicates over every relation."""

from __future__ import annotations

import itertools

import pytest

from vetting.domain.policy import (
    Relation,
    can_declare_conflict,
    can_score,
    can_see_level,
    can_see_others_scores,
    can_view_dossier,
)
from vetting.domain.roles import ROLE_PERMISSIONS, Permission, Role, has_permission
from vetting.domain.vocabulary import ConflictStatus, Level


@pytest.mark.parametrize(("role", "permission"), list(itertools.product(Role, Permission)))
def test_permission_is_granted_only_when_the_table_says_so(role, permission):
    assert has_permission(role, permission) is (permission in ROLE_PERMISSIONS[role])


def test_nobody_is_granted_anything_when_anonymous():
    assert not any(has_permission(None, p) for p in Permission)


def test_every_role_has_a_row_in_the_table():
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_admin_cannot_read_dossiers_or_score_when_acting_as_admin():
    for permission in (
        Permission.CANDIDACY_VIEW,
        Permission.SCORE_SUBMIT,
        Permission.EVIDENCE_READ,
        Permission.FINDING_ADOPT,
    ):
        assert not has_permission(Role.ADMIN, permission)


PANEL_STATES = [None, *ConflictStatus]


@pytest.mark.parametrize(
    ("role", "status", "locked"),
    list(itertools.product(Role, PANEL_STATES, [False, True])),
)
def test_dossier_and_scores_follow_declaration_and_recusal_when_any_relation(role, status, locked):
    rel = Relation(role=role, assignment=status, locked=locked)
    cleared = role.is_panel and status in (ConflictStatus.NONE, ConflictStatus.MANAGED)
    expected_dossier = role in (Role.SECRETARIAT, Role.VETTING_OFFICER) or cleared
    assert can_view_dossier(rel) is expected_dossier
    assert can_score(rel) is (cleared and not locked)
    assert can_see_others_scores(rel) is (cleared and locked)
    assert can_declare_conflict(rel) is (role.is_panel and status is ConflictStatus.UNDECLARED)


def test_recused_reviewer_sees_nothing_above_public_when_recused():
    rel = Relation(role=Role.PANEL_MEMBER, assignment=ConflictStatus.RECUSED)
    assert can_see_level(rel, Level.PUBLIC)
    for level in (Level.STATES, Level.PANEL, Level.CANDIDATE_OWN, Level.RESTRICTED):
        assert not can_see_level(rel, level)


@pytest.mark.parametrize("role", list(Role))
def test_restricted_material_reaches_only_vetting_officers_whatever_the_relation(role):
    for own, state, status in itertools.product([False, True], [False, True], PANEL_STATES):
        rel = Relation(
            role=role, is_own_candidacy=own, is_nominating_state=state, assignment=status
        )
        # A recusal, should one ever be recorded against anyone, hides everything.
        expected = role is Role.VETTING_OFFICER and status is not ConflictStatus.RECUSED
        assert can_see_level(rel, Level.RESTRICTED) is expected


def test_candidate_sees_own_material_only_when_it_is_their_candidacy():
    assert can_see_level(Relation(Role.CANDIDATE, is_own_candidacy=True), Level.CANDIDATE_OWN)
    assert not can_see_level(Relation(Role.CANDIDATE), Level.CANDIDATE_OWN)
    assert not can_see_level(Relation(Role.CANDIDATE, is_own_candidacy=True), Level.PANEL)


def test_states_level_reaches_the_nominating_state_only_when_it_nominated():
    assert can_see_level(Relation(Role.FOCAL_POINT, is_nominating_state=True), Level.STATES)
    assert not can_see_level(Relation(Role.FOCAL_POINT), Level.STATES)
    assert not can_see_level(Relation(Role.FOCAL_POINT, is_nominating_state=True), Level.PANEL)


def test_nobody_sees_anything_above_public_when_anonymous():
    rel = Relation(role=None)
    assert [lvl for lvl in Level if can_see_level(rel, lvl)] == [Level.PUBLIC]
