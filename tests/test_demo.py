"""The demo seed: one judicial election, twelve candidacies over every stage, real operations."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from vetting import audit
from vetting.demo import (
    CANDIDATES,
    DOMAIN,
    ELECTION_TITLE,
    REPORT_CANDIDATES,
    REPORT_ELECTION_TITLE,
    seed_demo,
)
from vetting.domain.roles import Role
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictStatus, IntegrityOutcome, JudgeList, TriageOutcome
from vetting.models import (
    AdverseNotice,
    Answer,
    Assignment,
    AuditEntry,
    Candidacy,
    Complaint,
    Criterion,
    Election,
    Invitation,
    Notice,
    QuestionnaireResponse,
    State,
    User,
)
from vetting.operations import Refused, accounts
from vetting.scenarios import DEFAULT_PASSWORD, make_people

# The judicial election's twelve, and the completed election's three and one withdrawn.
ALL_CANDIDACIES = len(CANDIDATES) + len(REPORT_CANDIDATES) + 1


def _by_name(session) -> dict[str, Candidacy]:
    return {c.full_name: c for c in session.scalars(sa.select(Candidacy))}


def _name_of(plan: str) -> str:
    return next(c.name for c in CANDIDATES if c.plan == plan)


def test_seed_creates_one_election_with_twelve_candidacies_when_database_is_empty(app, session):
    message = seed_demo(app, reset=False)

    # The judicial election over every stage, and the completed one with its report.
    elections = session.scalars(sa.select(Election).order_by(Election.id)).all()
    assert [e.title for e in elections] == [ELECTION_TITLE, REPORT_ELECTION_TITLE]
    assert elections[0].seats == 6
    assert session.scalar(sa.select(sa.func.count()).select_from(Criterion)) > 0
    candidacies = session.scalars(
        sa.select(Candidacy).where(Candidacy.election_id == elections[0].id)
    ).all()
    assert len(candidacies) == 12
    assert {c.stage for c in candidacies} == set(Stage)
    assert len({c.nominating_state_code for c in candidacies}) == 12
    groups = session.scalars(
        sa.select(State.regional_group).join(
            Candidacy, Candidacy.nominating_state_code == State.code
        )
    ).all()
    assert len(set(groups)) == 5
    assert {c.gender.value for c in candidacies} == {"female", "male"}
    assert {c.judge_list for c in candidacies} == {JudgeList.A, JudgeList.B}
    assert "Demo seeded" in message
    assert "http://127.0.0.1:5000/login" in message
    assert DEFAULT_PASSWORD in message


def test_seed_places_each_candidacy_as_the_demo_needs_when_seeded(app, session):
    seed_demo(app, reset=False)
    named = _by_name(session)

    draft_of = named[_name_of("questionnaire_draft")]
    draft = session.scalar(
        sa.select(QuestionnaireResponse).where(QuestionnaireResponse.candidacy_id == draft_of.id)
    )
    assert draft_of.stage is Stage.QUESTIONNAIRE
    assert draft is not None and draft.submitted_at is None
    written = session.scalars(sa.select(Answer.text).where(Answer.response_id == draft.id)).all()
    assert any(text.strip() for text in written)

    partial = named[_name_of("paper_scoring_partial")]
    assignments = session.scalars(
        sa.select(Assignment).where(Assignment.candidacy_id == partial.id)
    ).all()
    locked = [a for a in assignments if a.locked_at is not None]
    assert partial.stage is Stage.PAPER_SCORING
    assert 0 < len(locked) < len(assignments)
    assert ConflictStatus.DECLARED in {a.conflict_status for a in assignments}

    complained = named[_name_of("paper_scoring_complaint")]
    complaints = session.scalars(
        sa.select(Complaint).where(Complaint.candidacy_id == complained.id)
    ).all()
    assert len(complaints) == 1
    assert complained.integrity_outcome is None
    # Through the confidential channel: a receipt code was issued, the officer triaged it,
    # and the reporter's email received the acknowledgement.
    (report,) = complaints
    assert report.receipt_hash is not None
    assert report.triage is TriageOutcome.CREDIBLE_CONCERN and report.reporter_contact
    assert "former.clerk" not in report.reporter_contact  # sealed
    election = session.get(Election, complained.election_id)
    assert election.channel_opens <= date.today() <= election.channel_closes
    assert (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Notice)
            .where(Notice.kind == "complaint_received")
        )
        == 1
    )

    pending = named[_name_of("reply_pending")]
    notice = session.scalar(
        sa.select(AdverseNotice).where(AdverseNotice.candidacy_id == pending.id)
    )
    assert pending.stage is Stage.REPLY_PENDING
    assert pending.integrity_outcome is IntegrityOutcome.CONCERNS_NOTED
    assert notice is not None and notice.replied_at is None

    replied = named[_name_of("reply_received")]
    reply = session.scalar(sa.select(AdverseNotice).where(AdverseNotice.candidacy_id == replied.id))
    assert replied.stage is Stage.DELIBERATION
    assert replied.integrity_outcome is IntegrityOutcome.CONCERNS_NOTED
    assert reply is not None and reply.replied_at is not None and reply.reply_text
    from vetting.models import EvidenceItem, ReplyAnswers, ReplyAttachment, StoredFile
    from vetting.operations.files import FileStore
    from vetting.sealing import SEALER_KEY

    # The right of reply in full: approved by the chair, answered with a file and an answered
    # item (itself with a file), and read by the panel.
    assert reply.approved_by_id is not None and reply.reply_read_at is not None
    attachment = session.scalars(
        sa.select(ReplyAttachment).where(ReplyAttachment.notice_id == reply.id)
    ).one()
    answered = session.scalars(
        sa.select(EvidenceItem)
        .join(ReplyAnswers, ReplyAnswers.evidence_item_id == EvidenceItem.id)
        .where(ReplyAnswers.notice_id == reply.id)
    ).one()
    assert answered.file_id is not None
    store = FileStore(app.extensions[SEALER_KEY], app.config["FILES_DIR"], 10**7)
    for file_id in (attachment.file_id, answered.file_id):
        assert store.read(session.get(StoredFile, file_id)).startswith(b"%PDF-")

    withdrawn = named[_name_of("withdrawn")]
    assert withdrawn.stage is Stage.WITHDRAWN
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawal_reason


def test_seed_leaves_an_intact_audit_chain_and_notices_when_seeded(app, session):
    seed_demo(app, reset=False)

    result = audit.verify(session)
    assert result.ok, result.problem
    assert result.entries > 100
    kinds = set(session.scalars(sa.select(Notice.kind)))
    assert {"invitation", "adverse_notice", "finding_adopted", "summary_published"} <= kinds
    assert {"withdrawal", "conflict_declared"} <= kinds


def test_seed_gives_every_role_an_account_that_signs_in_when_seeded(app, session):
    message = seed_demo(app, reset=False)

    roles = set(session.scalars(sa.select(User.role)))
    assert roles == set(Role)
    secretariat = session.scalars(sa.select(User).where(User.role == Role.SECRETARIAT)).all()
    assert len(secretariat) == 2
    signing_in = session.scalars(
        sa.select(User).where(User.password_hash.is_not(None)).order_by(User.id)
    ).all()
    for user in signing_in:
        assert user.email in message
        assert accounts.authenticate(session, user.email, DEFAULT_PASSWORD) is not None
    candidates = [u for u in signing_in if u.role is Role.CANDIDATE]
    assert 0 < len(candidates) < 12
    # The others start, as a real candidate does, from their invitation link.
    assert session.scalar(
        sa.select(User.id).where(User.role == Role.CANDIDATE, User.password_hash.is_(None))
    )


def test_seed_changes_nothing_when_an_election_already_exists(app, session):
    seed_demo(app, reset=False)
    before = session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))

    message = seed_demo(app, reset=False)

    assert "already exists" in message
    assert f"secretariat@{DOMAIN}" in message
    assert session.scalar(sa.select(sa.func.count()).select_from(Candidacy)) == ALL_CANDIDACIES
    assert session.scalar(sa.select(sa.func.count()).select_from(Election)) == 2
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before


def test_seed_refuses_and_lists_no_demo_accounts_when_another_election_exists(app, session):
    from vetting.scenarios import make_election

    people = make_people(session)
    make_election(session, people)
    session.commit()

    message = seed_demo(app, reset=False)

    assert "already exists" in message
    assert DOMAIN not in message
    assert session.scalar(sa.select(sa.func.count()).select_from(Candidacy)) == 0


def test_reset_replaces_everything_with_a_fresh_demo_when_data_exists(app, session):
    seed_demo(app, reset=False)
    old_ids = set(session.scalars(sa.select(Candidacy.public_id)))
    accounts.create_user(
        session, None, email="stray@example.org", full_name="Stray", role=Role.ADMIN
    )
    session.commit()

    message = seed_demo(app, reset=True)
    session.expire_all()

    assert "Demo seeded" in message
    new_ids = set(session.scalars(sa.select(Candidacy.public_id)))
    assert len(new_ids) == ALL_CANDIDACIES
    assert not (new_ids & old_ids)
    assert session.scalar(sa.select(User.id).where(User.email == "stray@example.org")) is None
    assert session.scalar(sa.select(sa.func.count()).select_from(Election)) == 2
    assert audit.verify(session).ok


def test_demo_command_seeds_then_reports_when_run_twice(app, session):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["vetting", "demo"])
    second = runner.invoke(args=["vetting", "demo"])

    assert first.exit_code == 0, first.output
    assert "Demo seeded" in first.output
    assert second.exit_code == 0, second.output
    assert "already exists" in second.output
    assert session.scalar(sa.select(sa.func.count()).select_from(Candidacy)) == ALL_CANDIDACIES


# set_password: the small operation the demo needs to give candidates a known password.


def test_set_password_lets_the_user_sign_in_and_closes_invitations_when_set(session):
    people = make_people(session)
    user = accounts.create_user(
        session, people.admin, email="new@example.org", full_name="New", role=Role.CANDIDATE
    )
    link = accounts.issue_invitation(session, people.admin, user, base_url="http://x", hours=1)
    session.commit()

    accounts.set_password(session, people.admin, user, DEFAULT_PASSWORD)
    session.commit()

    assert accounts.authenticate(session, user.email, DEFAULT_PASSWORD) is not None
    assert accounts.find_invitation(session, link.rsplit("/", 1)[1]) is None
    assert session.scalar(sa.select(Invitation.used_at).where(Invitation.user_id == user.id))
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account:password_set"))
    assert entry is not None
    assert entry.actor_id == people.admin.id and entry.object_id == str(user.id)


def test_set_password_is_refused_and_changes_nothing_when_actor_is_someone_else(session):
    people = make_people(session)
    session.commit()
    target = people.members[0]
    before = target.password_hash

    with pytest.raises(Refused, match="administrator"):
        accounts.set_password(session, people.secretariat, target, "another long password")
    session.rollback()

    assert session.get(User, target.id).password_hash == before
    assert (
        session.scalar(sa.select(AuditEntry.seq).where(AuditEntry.action == "account:password_set"))
        is None
    )


def test_set_password_is_refused_when_password_is_too_short(session):
    people = make_people(session)
    session.commit()

    before = people.admin.password_hash

    with pytest.raises(Refused, match="at least"):
        accounts.set_password(session, None, people.admin, "short")
    session.rollback()

    assert session.get(User, people.admin.id).password_hash == before


def test_demo_pool_misses_a_minimum_and_the_window_is_extended_once_when_seeded(
    app, session, client
):
    from tests.web.support import login
    from vetting.demo import EXTENSION_REASON, GRULAC_MINIMUM
    from vetting.models import NominationExtension
    from vetting.operations import elections as election_ops

    seed_demo(app, reset=False)
    election = session.scalars(sa.select(Election).where(Election.title == ELECTION_TITLE)).one()
    extensions = session.scalars(sa.select(NominationExtension)).all()
    assert [(x.number, x.reason) for x in extensions] == [(1, EXTENSION_REASON)]
    assert (extensions[0].new_closes - extensions[0].previous_closes).days == 14
    assert election.nomination_closes == extensions[0].new_closes
    # The pool: Peru and Brazil are the only GRULAC candidates (neither withdrawn nor failed).
    statuses = {
        s.requirement.value: s
        for s in election_ops.requirement_statuses(session, election)
        if s.requirement.dimension.value == "regional_group"
    }
    grulac = statuses["latin_american_caribbean"]
    assert (grulac.requirement.minimum, grulac.in_pool, grulac.met) == (GRULAC_MINIMUM, 2, False)
    assert all(s.met for code, s in statuses.items() if code != "latin_american_caribbean")
    public = client.get(f"/elections/{election.id}").get_data(as_text=True)
    assert "not met: 1 short" in public
    secretariat = session.scalar(sa.select(User).where(User.role == Role.SECRETARIAT))
    login(client, secretariat)
    page = client.get(f"/secretariat/elections/{election.id}").get_data(as_text=True)
    assert "not met: 1 short" in page and EXTENSION_REASON in page.replace("&#39;", "'")


def test_demo_nominations_carry_basis_procedure_and_statement_when_seeded(app, session):
    seed_demo(app, reset=False)
    for candidacy in session.scalars(sa.select(Candidacy)):
        assert candidacy.nomination_basis is not None, candidacy.full_name
        assert candidacy.national_procedure.strip(), candidacy.full_name
        assert candidacy.statement.strip(), candidacy.full_name


def test_demo_shows_one_published_election_report_when_seeded(app, client, session):
    from vetting.demo import REPORT_WITHDRAWN
    from vetting.models import ElectionReport
    from vetting.operations import published

    seed_demo(app, reset=False)
    election = session.scalars(
        sa.select(Election).where(Election.title == REPORT_ELECTION_TITLE)
    ).one()
    report = published.current_report(session, election.id)
    assert report is not None and report.version == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(ElectionReport)) == 1
    page = client.get(f"/elections/{election.id}/vetting-report")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for name, *_ in REPORT_CANDIDATES:
        assert name in body
    assert REPORT_WITHDRAWN[0] in body and "Withdrawn on" in body
    assert "Interviews held: 3" in body
    assert client.get(f"/elections/{election.id}/vetting-report.pdf").status_code == 200
    assert audit.verify(session).ok
