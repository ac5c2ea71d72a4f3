"""Recording what a panel member read on the panel's pages, in one call per page view.

Reads change nothing but the audit log (and, once, the moment a reviewer first sees the other
reviewers' scores); the view commits after rendering, so a failure here fails the page closed.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from vetting import audit
from vetting.models import Assignment, Candidacy, EvidenceItem, User
from vetting.operations import diligence, panel, reads


def note_panel_read(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    assignment: Assignment,
    *,
    evidence: Sequence[EvidenceItem] = (),
    memo_shown: bool,
    others_scores_shown: bool,
) -> None:
    """The dossier or the deliberation page was shown to a cleared reviewer."""
    reads.note_dossier_read(session, actor, candidacy, memo_shown=memo_shown)
    diligence.note_evidence_read(session, actor, list(evidence))
    # An administrator acting as the reviewer is not the reviewer seeing the scores: the
    # reviewer's first exposure stays unrecorded (the reads above name the administrator).
    if others_scores_shown and audit.acting_admin_id(session) is None:
        panel.note_first_exposure(session, actor, assignment)
