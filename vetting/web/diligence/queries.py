"""What the vetting officer's pages read, in a fixed number of statements."""

from __future__ import annotations

import sqlalchemy as sa

from vetting.domain.stages import Stage
from vetting.extensions import db
from vetting.models import Candidacy, Complaint, Election, EvidenceItem
from vetting.web.panel.queries import Slice, page_of


def open_candidacies(page: int) -> Slice:
    """Candidacies not closed or withdrawn, with their evidence and complaint counts."""
    evidence = (
        sa.select(sa.func.count(EvidenceItem.id))
        .where(EvidenceItem.candidacy_id == Candidacy.id)
        .correlate(Candidacy)
        .scalar_subquery()
    )
    complaints = (
        sa.select(sa.func.count(Complaint.id))
        .where(Complaint.candidacy_id == Candidacy.id)
        .correlate(Candidacy)
        .scalar_subquery()
    )
    return page_of(
        sa.select(
            Candidacy,
            Election.title,
            evidence.label("evidence_count"),
            complaints.label("complaint_count"),
        )
        .join(Election, Election.id == Candidacy.election_id)
        .where(Candidacy.stage.not_in([Stage.CLOSED, Stage.WITHDRAWN]))
        # Open due diligence first: that is the officer's work.
        .order_by(Candidacy.integrity_outcome.is_not(None), Candidacy.full_name, Candidacy.id),
        page,
    )


def evidence_of(candidacy: Candidacy) -> list[EvidenceItem]:
    return list(
        db.session.scalars(
            sa.select(EvidenceItem)
            .where(EvidenceItem.candidacy_id == candidacy.id)
            .order_by(EvidenceItem.obtained_on, EvidenceItem.id)
        )
    )


def complaints_of(candidacy: Candidacy) -> list[Complaint]:
    return list(
        db.session.scalars(
            sa.select(Complaint)
            .where(Complaint.candidacy_id == candidacy.id)
            .order_by(Complaint.received_at, Complaint.id)
        )
    )
