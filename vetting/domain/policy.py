"""Object-level access predicates. They take what the caller knows about the actor's
relation to a candidacy and answer yes or no; anything unknown is a no."""

from __future__ import annotations

from dataclasses import dataclass

from vetting.domain.roles import Role
from vetting.domain.vocabulary import ConflictStatus, Level


@dataclass(frozen=True)
class Relation:
    """How one actor stands to one candidacy."""

    role: Role | None
    is_own_candidacy: bool = False
    is_nominating_state: bool = False
    assignment: ConflictStatus | None = None
    locked: bool = False

    @property
    def is_recused(self) -> bool:
        return self.assignment is ConflictStatus.RECUSED

    @property
    def is_cleared_reviewer(self) -> bool:
        """Assigned, declared, and not recused: the only panel members who see a dossier."""
        return (
            self.role is not None
            and self.role.is_panel
            and self.assignment
            in (
                ConflictStatus.NONE,
                ConflictStatus.MANAGED,
            )
        )


def can_view_dossier(rel: Relation) -> bool:
    if rel.role in (Role.SECRETARIAT, Role.VETTING_OFFICER):
        return True
    return rel.is_cleared_reviewer


def can_declare_conflict(rel: Relation) -> bool:
    return (
        rel.role is not None and rel.role.is_panel and rel.assignment is ConflictStatus.UNDECLARED
    )


def can_see_level(rel: Relation, level: Level) -> bool:
    """Who sees material of a confidentiality level (domain.md, 'Confidentiality levels')."""
    if level is Level.PUBLIC:
        return True
    if rel.is_recused:
        return False
    role = rel.role
    if level is Level.STATES:
        return (
            role in (Role.SECRETARIAT, Role.VETTING_OFFICER)
            or (role is Role.FOCAL_POINT and rel.is_nominating_state)
            or rel.is_cleared_reviewer
        )
    if level is Level.PANEL:
        return role in (Role.SECRETARIAT, Role.VETTING_OFFICER) or rel.is_cleared_reviewer
    if level is Level.CANDIDATE_OWN:
        return role in (Role.SECRETARIAT, Role.VETTING_OFFICER) or (
            role is Role.CANDIDATE and rel.is_own_candidacy
        )
    if level is Level.RESTRICTED:
        return role is Role.VETTING_OFFICER
    return False


def can_score(rel: Relation) -> bool:
    return rel.is_cleared_reviewer and not rel.locked


def can_see_others_scores(rel: Relation) -> bool:
    """A reviewer sees no other reviewer's scores until their own are locked."""
    return rel.is_cleared_reviewer and rel.locked
