"""SQLAlchemy tables: structure and constraints, no decisions."""

from vetting.models.accounts import Invitation, MemberTie, User
from vetting.models.base import Base, utcnow
from vetting.models.candidacies import Candidacy, QuestionnaireResponse, StageChange
from vetting.models.diligence import (
    AdverseNotice,
    Complaint,
    ComplaintAddition,
    EvidenceItem,
    ReplyAnswers,
    ReplyAttachment,
    StoredFile,
)
from vetting.models.elections import Criterion, Election, PanelMembership, State
from vetting.models.panel import (
    Assignment,
    Finding,
    FindingReason,
    Interview,
    InterviewAttendance,
    PublicSummary,
    Score,
    ScoreRevision,
)
from vetting.models.records import AuditEntry, AuditHead, Notice, NoticeStatus

__all__ = [
    "AdverseNotice",
    "Assignment",
    "AuditEntry",
    "AuditHead",
    "Base",
    "Candidacy",
    "Complaint",
    "ComplaintAddition",
    "Criterion",
    "Election",
    "EvidenceItem",
    "Finding",
    "FindingReason",
    "Interview",
    "InterviewAttendance",
    "Invitation",
    "MemberTie",
    "Notice",
    "NoticeStatus",
    "PanelMembership",
    "PublicSummary",
    "QuestionnaireResponse",
    "ReplyAnswers",
    "ReplyAttachment",
    "Score",
    "ScoreRevision",
    "StageChange",
    "State",
    "StoredFile",
    "User",
    "utcnow",
]
