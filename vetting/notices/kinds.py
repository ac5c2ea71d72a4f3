from __future__ import annotations

import enum


class NoticeKind(enum.Enum):
    """Each kind has templates/notices/<value>/{subject,body}.txt, in English and French."""

    INVITATION = "invitation"
    NOMINATION_RECEIVED = "nomination_received"
    # An extension of an election's nomination window, to the States and the secretariat.
    NOMINATION_WINDOW_EXTENDED = "nomination_window_extended"
    ELIGIBILITY_RESULT = "eligibility_result"
    QUESTIONNAIRE_SUBMITTED = "questionnaire_submitted"
    # The questionnaire's deadline: reminders, an extension, and an amended declaration.
    QUESTIONNAIRE_DUE = "questionnaire_due"
    DEADLINE_EXTENDED = "deadline_extended"
    DECLARATION_AMENDED = "declaration_amended"
    REVIEWER_ASSIGNED = "reviewer_assigned"
    CONFLICT_DECLARED = "conflict_declared"
    ALL_LOCKED = "all_locked"
    INTERVIEW_INVITATION = "interview_invitation"
    ADVERSE_NOTICE = "adverse_notice"
    REPLY_RECEIVED = "reply_received"
    FINDING_ADOPTED = "finding_adopted"
    SUMMARY_PUBLISHED = "summary_published"
    # A corrected version of a published summary, with its corrigendum and release moment.
    SUMMARY_CORRECTED = "summary_corrected"
    # An approved election report, to every State's focal points, with its release moment.
    REPORT_PUBLISHED = "report_published"
    WITHDRAWAL = "withdrawal"
    DELIVERY_FAILED = "delivery_failed"
    # The confidential channel: its window announced to the States; a report acknowledged to
    # its reporter (the address is withheld from staff: vetting.notices.confidential).
    CHANNEL_OPEN = "channel_open"
    # Fourteen days before the window's last day, to the States (operations.channel).
    CHANNEL_CLOSING = "channel_closing"
    COMPLAINT_RECEIVED = "complaint_received"
