"""Loading a candidacy as a reviewer sees it, and running operations that return nothing."""

from __future__ import annotations

from flask import abort

from vetting.domain.policy import Relation, can_view_dossier
from vetting.models import Assignment, Candidacy
from vetting.operations.panel import relation_of
from vetting.web.helpers import actor, assignment_of, candidacy_or_404


def reviewer_view(public_id: str) -> tuple[Candidacy, Assignment, Relation]:
    """The candidacy, my assignment and my relation to it; 404 when I am not assigned or am
    recused, so that a recused reviewer learns nothing, not even that the page exists."""
    candidacy = candidacy_or_404(public_id)
    user = actor()
    assignment = assignment_of(candidacy, user)
    if assignment is None:
        abort(404)
    rel = relation_of(user, candidacy, assignment)
    if rel.is_recused:
        abort(404)
    return candidacy, assignment, rel


def cleared_view(public_id: str) -> tuple[Candidacy, Assignment, Relation]:
    """As reviewer_view, and only for a reviewer cleared to see the dossier."""
    candidacy, assignment, rel = reviewer_view(public_id)
    if not can_view_dossier(rel):
        abort(404)
    return candidacy, assignment, rel
