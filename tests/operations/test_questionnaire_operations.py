"""Templates (versioning, freezing), drafts, submission, the declaration's amendments, the
deadline with its reminders (frozen time) and extensions: state, audit and notices together."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from vetting.domain.questionnaire import DECLARATION_ITEMS, DeclarationAnswer
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Level, QuestionKind, ReminderKind
from vetting.models import (
    Answer,
    AuditEntry,
    Candidacy,
    DeadlineExtension,
    Declaration,
    Notice,
    QuestionnaireResponse,
    QuestionnaireTemplate,
    ReminderSent,
    TemplateQuestion,
)
from vetting.operations import Refused, reminders, templates
from vetting.operations.questionnaires import (
    AnswerInput,
    DeclarationInput,
    Incomplete,
    amend_declaration,
    declarations_of,
    open_questionnaire,
    save_draft,
    submit_questionnaire,
)
from vetting.scenarios import (
    candidate_of,
    declaration_input,
    make_election,
    make_people,
    nominate,
    questionnaire_answers,
    submit_answers,
    walk,
)

CHOICE = templates.QuestionData(
    kind=QuestionKind.SINGLE_CHOICE,
    text="Which working language do you master best?",
    choices=("English", "French"),
    visibility=Level.PUBLIC,
)


def counts(session) -> tuple[int, ...]:
    """Rows that a refused operation must leave untouched."""
    return tuple(
        session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (
            AuditEntry,
            Answer,
            Declaration,
            QuestionnaireTemplate,
            TemplateQuestion,
            Notice,
            DeadlineExtension,
            ReminderSent,
        )
    )


@pytest.fixture
def world(session):
    people = make_people(session)
    election = make_election(session, people)
    first = nominate(session, people, election, name="Amina Diallo", state="SEN")
    second = nominate(session, people, election, name="Kamau Otieno", state="KEN")
    walk(session, people, first, Stage.QUESTIONNAIRE)
    walk(session, people, second, Stage.QUESTIONNAIRE)
    session.commit()
    return people, election, first, second


def test_template_freezes_on_first_open_and_an_edit_makes_a_version_when_a_candidate_has_it(
    session, world
):
    people, election, first, second = world
    response = open_questionnaire(session, candidate_of(session, first), first)
    v1 = session.get(QuestionnaireTemplate, response.template_id)
    assert v1.version == 1 and v1.frozen_at is not None
    section = templates.contents_of(session, v1.id)[0].section

    added = templates.add_question(session, people.secretariat, election, section.id, CHOICE)
    v2 = templates.latest_template(session, election.id)
    assert v2.version == 2 and v2.frozen_at is None
    old = [q.text for q in templates.questions_of(session, v1.id)]
    new = [q.text for q in templates.questions_of(session, v2.id)]
    assert len(old) == 3 and CHOICE.text not in old
    assert new == [*old[:2], CHOICE.text, old[2]]  # at the end of the first section
    assert added.text == CHOICE.text
    actions = session.scalars(sa.select(AuditEntry.action)).all()
    assert {"questionnaire_template:freeze", "questionnaire_template:create"} <= set(actions)

    # A second edit of the unopened version 2 changes it in place.
    templates.add_section(session, people.secretariat, election, title="Languages")
    assert templates.latest_template(session, election.id).version == 2

    # The candidate keeps version 1; the one who opens now gets version 2.
    assert open_questionnaire(session, candidate_of(session, first), first).template_id == v1.id
    other = open_questionnaire(session, candidate_of(session, second), second)
    assert other.template_id == v2.id
    assert CHOICE.text in [q.text for q in templates.questions_of(session, other.template_id)]


def test_template_edits_are_refused_and_change_nothing_when_badly_defined_or_not_secretariat(
    session, world
):
    people, election, first, _ = world
    template = templates.current_template(session, election.id)
    section = templates.contents_of(session, template.id)[0].section
    session.commit()
    before = counts(session)
    bad = templates.QuestionData(kind=QuestionKind.MULTIPLE_CHOICE, text="Which?", choices=("A",))
    with pytest.raises(templates.InvalidQuestion, match="at least two options"):
        templates.add_question(session, people.secretariat, election, section.id, bad)
    with pytest.raises(Refused, match="Only the secretariat"):
        templates.add_question(session, people.chair, election, section.id, CHOICE)
    with pytest.raises(Refused, match="Give the section a title"):
        templates.add_section(session, people.secretariat, election, title="  ")
    with pytest.raises(Refused, match="Remove or move the section's questions first"):
        templates.remove_section(session, people.secretariat, election, section.id)
    session.rollback()
    assert counts(session) == before


def test_draft_is_kept_across_sessions_and_each_answer_keeps_its_language_when_saved(
    session, world
):
    _, _, candidacy, _ = world
    candidate = candidate_of(session, candidacy)
    answers = questionnaire_answers(session, candidacy)
    first, second, _ = list(answers)
    save_draft(
        session,
        candidate,
        candidacy,
        {
            first: AnswerInput(text="Servir la justice.", language="fr"),
            second: AnswerInput(text="Trial judge.", language="en"),
        },
        declaration=DeclarationInput(
            items={"criminal": DeclarationAnswer("yes", "A withdrawn charge.")}
        ),
    )
    session.commit()
    candidacy_id = candidacy.id
    session.expunge_all()
    rows = {a.question_id: a for a in session.scalars(sa.select(Answer))}
    assert (rows[first].text, rows[first].language) == ("Servir la justice.", "fr")
    assert (rows[second].text, rows[second].language) == ("Trial judge.", "en")
    draft = session.scalar(sa.select(Declaration))
    assert draft.version == 0 and draft.items["criminal"]["details"] == "A withdrawn charge."
    assert declarations_of(session, candidacy_id) == []


def test_draft_is_refused_and_changes_nothing_when_an_answer_cannot_be_stored(session, world):
    _, _, candidacy, _ = world
    candidate = candidate_of(session, candidacy)
    answers = questionnaire_answers(session, candidacy)
    session.commit()
    before = counts(session)
    first = next(iter(answers))
    with pytest.raises(Incomplete) as refused:
        save_draft(session, candidate, candidacy, {first: AnswerInput(text="x" * 20001)})
    assert refused.value.problems == {f"q{first}": "This answer is longer than 20000 characters."}
    with pytest.raises(Refused, match="not in your questionnaire"):
        save_draft(session, candidate, candidacy, {999999: AnswerInput(text="x")})
    session.rollback()
    assert counts(session) == before


def test_submission_lists_every_problem_then_locks_and_signs_version_1_when_complete(
    session, world
):
    people, _, candidacy, _ = world
    candidate = candidate_of(session, candidacy)
    answers = questionnaire_answers(session, candidacy)
    session.commit()
    with pytest.raises(Incomplete) as refused:
        submit_questionnaire(
            session,
            candidate,
            candidacy,
            {},
            declaration=DeclarationInput(signed_name="Someone Else"),
        )
    assert len(refused.value.problems) == 3 + len(DECLARATION_ITEMS) + 1
    session.rollback()

    submit_questionnaire(
        session, candidate, candidacy, answers, declaration=declaration_input(candidacy)
    )
    session.commit()
    assert candidacy.stage is Stage.PAPER_SCORING
    (signed,) = declarations_of(session, candidacy.id)
    assert signed.version == 1 and signed.signed_name == "Amina Diallo"
    assert signed.wording_version == "2026-1"
    before = counts(session)
    with pytest.raises(Refused, match="not open"):
        save_draft(session, candidate, candidacy, {next(iter(answers)): AnswerInput(text="x")})
    session.rollback()
    assert counts(session) == before


def test_amendment_adds_a_version_keeps_the_history_and_tells_the_secretariat_when_filed(
    session, world
):
    people, _, candidacy, _ = world
    submit_answers(session, candidacy)
    candidate = candidate_of(session, candidacy)
    session.commit()
    before = counts(session)
    with pytest.raises(Incomplete) as refused:
        amend_declaration(session, candidate, candidacy, declaration_input(candidacy), reason="  ")
    assert refused.value.problems == {"reason": "Say why you amend the declaration."}
    session.rollback()
    assert counts(session) == before

    amended = amend_declaration(
        session,
        candidate,
        candidacy,
        declaration_input(candidacy, pending="A complaint filed in May, under inquiry."),
        reason="A complaint was filed after I submitted.",
    )
    session.commit()
    history = declarations_of(session, candidacy.id)
    assert [d.version for d in history] == [1, 2] and amended.version == 2
    assert history[0].items["pending"]["answer"] == "no"
    assert history[1].items["pending"]["answer"] == "yes"
    notices = session.scalars(sa.select(Notice).where(Notice.kind == "declaration_amended")).all()
    assert {n.recipient_user_id for n in notices} == {
        people.secretariat.id,
        people.secretariat_second.id,
    }
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "declaration:amend"))
    assert json.loads(entry.data)["version"] == 2
    with pytest.raises(Refused, match="Only the candidate"):
        amend_declaration(
            session, people.secretariat, candidacy, declaration_input(candidacy), reason="R"
        )


def _reminders(session, candidacy) -> list[str]:
    return list(
        session.scalars(
            sa.select(ReminderSent.kind)
            .where(ReminderSent.candidacy_id == candidacy.id)
            .order_by(ReminderSent.id)
        )
    )


def test_reminders_go_14_and_3_days_before_and_1_after_once_each_when_time_passes(session):
    with freeze_time("2027-03-01 09:00:00"):
        people = make_people(session)
        election = make_election(session, people)
        candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
        walk(session, people, candidacy, Stage.QUESTIONNAIRE)
        session.commit()
    assert candidacy.questionnaire_due_on == date(2027, 3, 31)
    schedule = {
        "2027-03-16": [],
        "2027-03-17": [ReminderKind.DAYS_14_BEFORE],
        "2027-03-18": [ReminderKind.DAYS_14_BEFORE],
        "2027-03-28": [ReminderKind.DAYS_14_BEFORE, ReminderKind.DAYS_3_BEFORE],
        "2027-03-31": [ReminderKind.DAYS_14_BEFORE, ReminderKind.DAYS_3_BEFORE],
        "2027-04-01": [
            ReminderKind.DAYS_14_BEFORE,
            ReminderKind.DAYS_3_BEFORE,
            ReminderKind.DAY_1_OVERDUE,
        ],
        "2027-04-05": [
            ReminderKind.DAYS_14_BEFORE,
            ReminderKind.DAYS_3_BEFORE,
            ReminderKind.DAY_1_OVERDUE,
        ],
    }
    for day, expected in schedule.items():
        with freeze_time(f"{day} 08:00:00"):
            reminders.send_due_reminders(session)
            reminders.send_due_reminders(session)  # twice: still once each
            session.commit()
        assert _reminders(session, candidacy) == expected, day
    notices = session.scalars(
        sa.select(Notice).where(Notice.kind == "questionnaire_due").order_by(Notice.id)
    ).all()
    assert len(notices) == 3
    assert "in 14 days" in notices[0].body and "in 3 days" in notices[1].body
    assert "has not been submitted" in notices[2].body


def test_no_reminder_goes_when_the_questionnaire_is_submitted_or_withdrawn(session):
    with freeze_time("2027-03-01 09:00:00"):
        people = make_people(session)
        election = make_election(session, people)
        done = nominate(session, people, election, name="Amina Diallo", state="SEN")
        walk(session, people, done, Stage.QUESTIONNAIRE)
        session.commit()
    with freeze_time("2027-03-10 09:00:00"):
        submit_answers(session, done)
        session.commit()
    with freeze_time("2027-03-17 08:00:00"):
        assert reminders.send_due_reminders(session) == 0
        # A job planned before the submission does nothing when it runs.
        assert not reminders.send_reminder(
            session, done.id, ReminderKind.DAYS_14_BEFORE, date(2027, 3, 31)
        )
        session.commit()
    assert _reminders(session, done) == []


def test_an_extension_replans_the_reminders_and_makes_stale_ones_do_nothing(session):
    with freeze_time("2027-03-01 09:00:00"):
        people = make_people(session)
        election = make_election(session, people)
        candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
        walk(session, people, candidacy, Stage.QUESTIONNAIRE)
        session.commit()
    with freeze_time("2027-03-17 08:00:00"):
        assert reminders.send_due_reminders(session) == 1
        reminders.extend_deadline(
            session,
            people.secretariat,
            candidacy,
            new_due_on=date(2027, 4, 30),
            reason="Medical leave, certificate on file.",
        )
        session.commit()
    notice = session.scalar(sa.select(Notice).where(Notice.kind == "deadline_extended"))
    assert notice.recipient_user_id == candidacy.candidate_user_id
    assert "2027-04-30" in notice.subject
    with freeze_time("2027-03-28 08:00:00"):
        # The old deadline's 3-days reminder is stale: its job does nothing, nor the sweep.
        assert not reminders.send_reminder(
            session, candidacy.id, ReminderKind.DAYS_3_BEFORE, date(2027, 3, 31)
        )
        assert reminders.send_due_reminders(session) == 0
    with freeze_time("2027-04-01 08:00:00"):
        assert reminders.send_due_reminders(session) == 0  # not overdue any more
    with freeze_time("2027-04-16 08:00:00"):
        assert reminders.send_reminder(
            session, candidacy.id, ReminderKind.DAYS_14_BEFORE, date(2027, 4, 30)
        )
        session.commit()
    rows = session.execute(
        sa.select(ReminderSent.kind, ReminderSent.due_on).order_by(ReminderSent.id)
    ).all()
    assert rows == [
        (ReminderKind.DAYS_14_BEFORE, date(2027, 3, 31)),
        (ReminderKind.DAYS_14_BEFORE, date(2027, 4, 30)),
    ]


def test_extension_is_refused_and_changes_nothing_when_date_reason_or_actor_is_wrong(
    session, world
):
    people, _, candidacy, _ = world
    before = counts(session)
    due = candidacy.questionnaire_due_on
    cases = [
        (people.secretariat, due - timedelta(days=1), "Illness.", "after the current one"),
        (people.secretariat, due + timedelta(days=7), " ", "Give the reason"),
        (people.secretariat, None, "Illness.", "Give the new deadline"),
        (people.chair, due + timedelta(days=7), "Illness.", "Only the secretariat"),
    ]
    for user, new, reason, message in cases:
        with pytest.raises(Refused, match=message):
            reminders.extend_deadline(session, user, candidacy, new_due_on=new, reason=reason)
        session.rollback()
    assert counts(session) == before
    assert session.get(Candidacy, candidacy.id).questionnaire_due_on == due


def test_overdue_list_shows_days_overdue_most_overdue_first_when_deadlines_pass(session):
    with freeze_time("2027-03-01 09:00:00"):
        people = make_people(session)
        election = make_election(session, people)
        early = nominate(session, people, election, name="Amina Diallo", state="SEN")
        walk(session, people, early, Stage.QUESTIONNAIRE)
        session.commit()
    with freeze_time("2027-03-05 09:00:00"):
        late = nominate(session, people, election, name="Kamau Otieno", state="KEN")
        walk(session, people, late, Stage.QUESTIONNAIRE)
        done = nominate(session, people, election, name="Li Wei", state="GHA")
        walk(session, people, done, Stage.PAPER_SCORING)
        session.commit()
    rows = reminders.deadlines(session, date(2027, 4, 6))
    assert [(r.candidacy.full_name, r.days_overdue) for r in rows] == [
        ("Amina Diallo", 6),
        ("Kamau Otieno", 2),
    ]
    assert session.scalar(
        sa.select(QuestionnaireResponse.submitted_at).where(
            QuestionnaireResponse.candidacy_id == done.id
        )
    )
