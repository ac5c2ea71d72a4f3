from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import questionnaire
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.stages import Action, Stage
from vetting.models import Candidacy, QuestionnaireResponse, User
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused
from vetting.operations.nominations import staff_with_role
from vetting.operations.workflow import transition


class Incomplete(Refused):
    """Submission refused; `problems` lists every field at once."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(f"{len(problems)} answer(s) need attention before you can submit.")
        self.problems = problems


FIELDS = tuple(
    [q.key for q in questionnaire.QUESTIONS]
    + [f"{q.key}_choice" for q in questionnaire.QUESTIONS if q.yes_no]
    + ["declaration", "signature"]
)


def response_for(session: Session, candidacy: Candidacy) -> QuestionnaireResponse:
    response = session.scalar(
        sa.select(QuestionnaireResponse).where(QuestionnaireResponse.candidacy_id == candidacy.id)
    )
    if response is None:
        response = QuestionnaireResponse(candidacy_id=candidacy.id, answers={})
        session.add(response)
        session.flush()
    return response


def _own_open_questionnaire(actor: User, candidacy: Candidacy) -> None:
    if actor.role is not Role.CANDIDATE or actor.id != candidacy.candidate_user_id:
        raise Refused("Only the candidate answers their questionnaire.")
    if candidacy.stage is not Stage.QUESTIONNAIRE:
        raise Refused("The questionnaire is not open: it was submitted or is not yet available.")


def save_draft(
    session: Session, actor: User, candidacy: Candidacy, answers: dict[str, str], language: str
) -> QuestionnaireResponse:
    _own_open_questionnaire(actor, candidacy)
    cleaned = {k: str(answers.get(k) or "") for k in FIELDS}
    problems = questionnaire.validate(cleaned, full_name=candidacy.full_name, for_submission=False)
    if problems:
        raise Incomplete(problems)
    response = response_for(session, candidacy)
    if response.submitted_at is not None:
        raise Refused("The questionnaire was already submitted; its answers are locked.")
    response.answers = cleaned
    response.language = language if language in ("en", "fr") else "en"
    response.updated_at = utcnow()
    audit.record(session, actor, AuditAction.QUESTIONNAIRE_SAVE, response)
    return response


def submit_questionnaire(
    session: Session, actor: User, candidacy: Candidacy, answers: dict[str, str], language: str
) -> QuestionnaireResponse:
    response = save_draft(session, actor, candidacy, answers, language)
    problems = questionnaire.validate(
        response.answers, full_name=candidacy.full_name, for_submission=True
    )
    if problems:
        raise Incomplete(problems)
    response.submitted_at = utcnow()
    transition(session, actor, candidacy, Action.SUBMIT_QUESTIONNAIRE)
    audit.record(session, actor, AuditAction.QUESTIONNAIRE_SUBMIT, response)
    queue_notice(
        session,
        NoticeKind.QUESTIONNAIRE_SUBMITTED,
        to=actor,
        context={"candidate": candidacy.full_name},
    )
    for user in staff_with_role(session, Role.SECRETARIAT):
        queue_notice(
            session,
            NoticeKind.QUESTIONNAIRE_SUBMITTED,
            to=user,
            context={"candidate": candidacy.full_name},
        )
    return response
