"""SQLAlchemy tables: structure and constraints, no decisions."""

from vetting.models.accounts import Invitation, User
from vetting.models.base import Base, utcnow
from vetting.models.candidacies import Candidacy, QuestionnaireResponse, StageChange
from vetting.models.diligence import AdverseNotice, Complaint, EvidenceItem
from vetting.models.elections import Criterion, Election, State
from vetting.models.panel import Assignment, Finding, Interview, PublicSummary, Score
from vetting.models.records import AuditEntry, AuditHead, Notice, NoticeStatus

__all__ = [
    "AdverseNotice",
    "Assignment",
    "AuditEntry",
    "AuditHead",
    "Base",
    "Candidacy",
    "Complaint",
    "Criterion",
    "Election",
    "EvidenceItem",
    "Finding",
    "Interview",
    "Invitation",
    "Notice",
    "NoticeStatus",
    "PublicSummary",
    "QuestionnaireResponse",
    "Score",
    "StageChange",
    "State",
    "User",
    "utcnow",
]
