"""Roles, permissions and which role holds which permission."""

from __future__ import annotations

import enum


class Role(enum.Enum):
    ADMIN = "admin"
    SECRETARIAT = "secretariat"
    PANEL_CHAIR = "panel_chair"
    PANEL_MEMBER = "panel_member"
    VETTING_OFFICER = "vetting_officer"
    CANDIDATE = "candidate"
    FOCAL_POINT = "focal_point"

    @property
    def is_staff(self) -> bool:
        return self not in (Role.CANDIDATE, Role.FOCAL_POINT)

    @property
    def is_panel(self) -> bool:
        return self in (Role.PANEL_CHAIR, Role.PANEL_MEMBER)


class Permission(enum.Enum):
    """`resource:action`; every route declares one of these or is explicitly public."""

    ELECTION_MANAGE = "election:manage"
    NOMINATION_REGISTER = "nomination:register"
    NOMINATION_SUBMIT = "nomination:submit"
    ELIGIBILITY_RECORD = "eligibility:record"
    CANDIDACY_LIST = "candidacy:list"
    CANDIDACY_VIEW = "candidacy:view"
    CANDIDACY_WITHDRAW = "candidacy:withdraw"
    QUESTIONNAIRE_ANSWER = "questionnaire:answer"
    OWN_CANDIDACY_VIEW = "candidacy:view_own"
    REPLY_SUBMIT = "reply:submit"
    STATE_CANDIDACIES_VIEW = "state:view_candidacies"
    EVIDENCE_RECORD = "evidence:record"
    EVIDENCE_READ = "evidence:read"
    INTEGRITY_RECORD = "integrity:record"
    COMPLAINT_TRIAGE = "complaint:triage"
    CONFLICT_DECLARE = "conflict:declare"
    CONFLICT_DECIDE = "conflict:decide"
    SCORE_SUBMIT = "score:submit"
    DELIBERATION_RUN = "deliberation:run"
    FINDING_ADOPT = "finding:adopt"
    SUMMARY_DRAFT = "summary:draft"
    SUMMARY_PUBLISH = "summary:publish"
    # The published election report (operations/reports.py): drafting, and the second
    # secretariat member's approval.
    REPORT_DRAFT = "report:draft"
    REPORT_PUBLISH = "report:publish"
    AUDIT_VIEW = "audit:view"
    MAIL_VIEW = "mail:view"
    USER_MANAGE = "user:manage"
    USER_ACT_AS = "user:act_as"
    INBOX_READ = "inbox:read"
    ACCOUNT_USE = "account:use"


P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        {P.AUDIT_VIEW, P.MAIL_VIEW, P.USER_MANAGE, P.USER_ACT_AS, P.INBOX_READ, P.ACCOUNT_USE}
    ),
    Role.SECRETARIAT: frozenset(
        {
            P.ELECTION_MANAGE,
            P.NOMINATION_REGISTER,
            P.ELIGIBILITY_RECORD,
            P.CANDIDACY_LIST,
            P.CANDIDACY_VIEW,
            P.CANDIDACY_WITHDRAW,
            P.SUMMARY_DRAFT,
            P.SUMMARY_PUBLISH,
            P.REPORT_DRAFT,
            P.REPORT_PUBLISH,
            P.AUDIT_VIEW,
            P.MAIL_VIEW,
            P.INBOX_READ,
            P.ACCOUNT_USE,
        }
    ),
    Role.PANEL_CHAIR: frozenset(
        {
            P.CANDIDACY_VIEW,
            P.CONFLICT_DECLARE,
            P.CONFLICT_DECIDE,
            P.SCORE_SUBMIT,
            P.DELIBERATION_RUN,
            P.FINDING_ADOPT,
            P.INBOX_READ,
            P.ACCOUNT_USE,
        }
    ),
    Role.PANEL_MEMBER: frozenset(
        {
            P.CANDIDACY_VIEW,
            P.CONFLICT_DECLARE,
            P.CONFLICT_DECIDE,
            P.SCORE_SUBMIT,
            P.INBOX_READ,
            P.ACCOUNT_USE,
        }
    ),
    Role.VETTING_OFFICER: frozenset(
        {
            P.CANDIDACY_VIEW,
            P.EVIDENCE_RECORD,
            P.EVIDENCE_READ,
            P.INTEGRITY_RECORD,
            P.COMPLAINT_TRIAGE,
            P.INBOX_READ,
            P.ACCOUNT_USE,
        }
    ),
    Role.CANDIDATE: frozenset(
        {
            P.OWN_CANDIDACY_VIEW,
            P.QUESTIONNAIRE_ANSWER,
            P.REPLY_SUBMIT,
            P.CANDIDACY_WITHDRAW,
            P.INBOX_READ,
            P.ACCOUNT_USE,
        }
    ),
    Role.FOCAL_POINT: frozenset(
        {
            P.STATE_CANDIDACIES_VIEW,
            P.NOMINATION_SUBMIT,
            P.CANDIDACY_WITHDRAW,
            P.INBOX_READ,
            P.ACCOUNT_USE,
        }
    ),
}


def has_permission(role: Role | None, permission: Permission) -> bool:
    """Deny by default: no role, or a role without the permission, is refused."""
    if role is None:
        return False
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
