"""The catalogue of audit actions, `subject:verb`. Code always names them through this enum."""

from __future__ import annotations

import enum


class AuditAction(enum.Enum):
    LOGIN_SUCCESS = "account:login_success"
    LOGIN_FAILURE = "account:login_failure"
    LOGOUT = "account:logout"
    USER_CREATE = "account:create"
    INVITATION_ACCEPT = "account:invitation_accept"
    PASSWORD_SET = "account:password_set"  # noqa: S105 - an audit action, not a password
    # A signed-in user confirms it is them again before a high-risk action (web/stepup.py).
    REAUTH_SUCCESS = "account:reauth_success"
    REAUTH_FAILURE = "account:reauth_failure"
    USER_GENDER_SET = "account:gender_set"
    # An administrator sees the application as another user, read-only (web/admin/act_as.py).
    ACT_AS_START = "account:act_as_start"
    ACT_AS_STOP = "account:act_as_stop"
    ELECTION_CREATE = "election:create"
    # The secretariat edits an election's rubric, until its first score (operations/rubric.py).
    RUBRIC_ADD = "rubric:add"
    RUBRIC_EDIT = "rubric:edit"
    RUBRIC_MOVE = "rubric:move"
    RUBRIC_REMOVE = "rubric:remove"
    NOMINATION_REGISTER = "nomination:register"
    # Nominations in depth (operations/elections.py, eligibility.py; issue 3: H8).
    NOMINATION_WINDOW_EXTEND = "election:nomination_extend"
    VOTING_REQUIREMENT_SET = "election:voting_requirement"
    JUDGE_IN_OFFICE_ADD = "judge_in_office:add"
    JUDGE_IN_OFFICE_REMOVE = "judge_in_office:remove"
    ELIGIBILITY_GATE_RECORD = "eligibility:gate"
    CANDIDACY_TRANSITION = "candidacy:transition"
    QUESTIONNAIRE_SAVE = "questionnaire:save"
    QUESTIONNAIRE_SUBMIT = "questionnaire:submit"
    # Questionnaire templates, answering, the declaration and the deadline (issue 3: H9).
    QUESTIONNAIRE_OPEN = "questionnaire:open"
    QUESTIONNAIRE_READ = "questionnaire:read"
    TEMPLATE_CREATE = "questionnaire_template:create"
    TEMPLATE_EDIT = "questionnaire_template:edit"
    TEMPLATE_FREEZE = "questionnaire_template:freeze"
    DECLARATION_SIGN = "declaration:sign"
    DECLARATION_AMEND = "declaration:amend"
    DEADLINE_SET = "deadline:set"
    DEADLINE_EXTEND = "deadline:extend"
    DEADLINE_REMIND = "deadline:remind"
    EVIDENCE_CREATE = "evidence:create"
    EVIDENCE_READ = "evidence:read"
    COMPLAINT_RECEIVE = "complaint:receive"
    COMPLAINT_READ = "complaint:read"
    # The confidential channel (operations/channel.py): a reporter adds to their report, an
    # officer triages it, the secretariat sets the window.
    COMPLAINT_ADD = "complaint:add"
    COMPLAINT_TRIAGE = "complaint:triage"
    CHANNEL_WINDOW_SET = "election:channel_window"
    CHANNEL_CLOSING_ANNOUNCE = "election:channel_closing"
    INTEGRITY_RECORD = "integrity:record"
    INTEGRITY_MEMO_READ = "integrity:memo_read"
    ASSIGNMENT_CREATE = "assignment:create"
    ASSIGNMENT_REMOVE = "assignment:remove"
    PANEL_SEAT = "panel:seat"
    PANEL_UNSEAT = "panel:unseat"
    CONFLICT_DECLARE = "conflict:declare"
    CONFLICT_DECIDE = "conflict:decide"
    CONFLICT_REOPEN = "conflict:reopen"
    TIE_DECLARE = "tie:declare"
    TIE_END = "tie:end"
    SCORE_SAVE = "score:save"
    SCORE_LOCK = "score:lock"
    SCORES_FIRST_SEEN = "score:first_seen"
    SCORE_REVISE = "score:revise"
    DOSSIER_READ = "dossier:read"
    INTERVIEW_SCHEDULE = "interview:schedule"
    INTERVIEW_NOTES = "interview:notes"
    ADVERSE_NOTICE_SEND = "adverse_notice:send"
    # The right of reply (operations/diligence.py): a de-identified summary is drafted, the chair
    # approves it (and so sends it), the candidate replies, the panel records that it read it.
    ADVERSE_NOTICE_DRAFT = "adverse_notice:draft"
    ADVERSE_NOTICE_APPROVE = "adverse_notice:approve"
    REPLY_SUBMIT = "reply:submit"
    REPLY_READ = "reply:read"
    REPLY_READ_RECORD = "reply:read_recorded"
    # Evidence files (operations/files.py): who changed an item's status, who downloaded a file,
    # and every stored file found missing or altered.
    EVIDENCE_UPDATE = "evidence:update"
    FILE_DOWNLOAD = "file:download"
    FILE_TAMPERED = "file:tampered"
    FINDING_ADOPT = "finding:adopt"
    SUMMARY_DRAFT = "summary:draft"
    SUMMARY_PUBLISH = "summary:publish"
    # The published election report (operations/reports.py); REPORT_PUBLISH carries the
    # frozen snapshot's SHA-256.
    REPORT_DRAFT = "report:draft"
    REPORT_PUBLISH = "report:publish"
    NOTICE_DEAD = "notice:dead"
    AUDIT_VERIFY = "audit:verify"
