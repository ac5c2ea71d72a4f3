"""Evidence with files, the adverse notice (drafted, approved by a cleared chair), the candidate's
reply with files and answered items, the panel's record of reading it, and the adoption guard.
Every refusal leaves the database, the audit log and the files directory as they were."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import TEST_DATA_KEY
from tests.operations.test_files import EXE_BYTES, PDF_BYTES, PNG_BYTES
from vetting.domain import stages
from vetting.domain.events import AuditAction
from vetting.domain.stages import Action, Stage
from vetting.domain.vocabulary import ConflictStatus, EvidenceKind, IntegrityOutcome, Level
from vetting.models import (
    AdverseNotice,
    Assignment,
    AuditEntry,
    AuditHead,
    Candidacy,
    EvidenceItem,
    Notice,
    ReplyAnswers,
    ReplyAttachment,
    StoredFile,
)
from vetting.models.base import utcnow
from vetting.operations import Refused, diligence
from vetting.operations.files import FileStore, Upload
from vetting.operations.workflow import gather_facts
from vetting.scenarios import candidate_of, make_election, make_people, nominate, walk
from vetting.sealing import Sealer

CONCERNS = IntegrityOutcome.CONCERNS_NOTED
SUMMARY = "A former colleague reports conduct towards junior staff (2017-2019)."


@pytest.fixture
def store(app: Flask) -> FileStore:
    return FileStore(Sealer(TEST_DATA_KEY), str(app.config["FILES_DIR"]), 1024 * 1024)


@pytest.fixture
def world(session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.DELIBERATION, outcome=CONCERNS)
    session.commit()
    return people, candidacy


def snapshot(session, store: FileStore) -> tuple:
    """Everything a refusal must leave alone."""
    session.expire_all()

    def count(model) -> int:
        return session.scalar(sa.select(sa.func.count()).select_from(model))

    notice = session.scalar(sa.select(AdverseNotice))
    files = sorted(os.listdir(store.files_dir)) if Path(store.files_dir).exists() else []
    return (
        session.get(AuditHead, 1).seq,
        count(StoredFile),
        count(EvidenceItem),
        count(ReplyAttachment),
        count(ReplyAnswers),
        count(Notice),
        None
        if notice is None
        else (
            notice.summary,
            notice.approved_by_id,
            notice.reply_text,
            notice.reply_read_at,
        ),
        tuple(session.scalars(sa.select(Candidacy.stage).order_by(Candidacy.id))),
        tuple(
            session.execute(
                sa.select(EvidenceItem.verified, EvidenceItem.relied_on).order_by(EvidenceItem.id)
            )
        ),
        tuple(files),
    )


def refused(session, files, message, operation, /, *args, **kwargs) -> None:
    before = snapshot(session, files)
    with pytest.raises(Refused, match=message):
        operation(session, *args, **kwargs)
    session.rollback()
    assert snapshot(session, files) == before


def actions(session) -> list[str]:
    return list(session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.seq)))


def own_item(session, people, candidacy, **extra) -> EvidenceItem:
    item = diligence.record_evidence(
        session,
        people.vetting_officer,
        candidacy,
        diligence.EvidenceData(
            kind=EvidenceKind.COMPLAINT_SUMMARY,
            source="De-identified summary of a report through the channel",
            obtained_on=date.today(),
            summary="Conduct towards junior staff, 2017-2019.",
            level=Level.CANDIDATE_OWN,
        ),
        **extra,
    )
    session.commit()
    return item


def chair_assignment(session, people, candidacy) -> Assignment:
    return session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == people.chair.id
        )
    )


def approved(session, people, candidacy) -> AdverseNotice:
    diligence.draft_adverse_notice(session, people.vetting_officer, candidacy, summary=SUMMARY)
    notice = diligence.approve_adverse_notice(session, people.chair, candidacy, window_days=10)
    session.commit()
    return notice


# --- evidence with files ---


def test_evidence_with_a_file_records_the_file_and_its_fingerprint(session, world, store):
    people, candidacy = world
    item = own_item(session, people, candidacy, upload=Upload("letter.pdf", PDF_BYTES), store=store)
    stored = session.get(StoredFile, item.file_id)
    assert stored.original_name == "letter.pdf"
    assert stored.uploaded_by_id == people.vetting_officer.id
    assert store.read(stored) == PDF_BYTES
    entry = session.scalar(
        sa.select(AuditEntry)
        .where(AuditEntry.action == AuditAction.EVIDENCE_CREATE.value)
        .order_by(AuditEntry.seq.desc())
    )
    assert stored.sha256 in entry.data and "letter" not in entry.data


def test_evidence_with_a_renamed_executable_is_refused_whole(session, world, store):
    people, candidacy = world
    data = diligence.EvidenceData(
        kind=EvidenceKind.REFERENCE,
        source="A referee",
        obtained_on=date.today(),
        summary="Reference letter.",
        level=Level.PANEL,
    )
    refused(
        session,
        store,
        "not a type of file we accept",
        diligence.record_evidence,
        people.vetting_officer,
        candidacy,
        data,
        upload=Upload("reference.pdf", EXE_BYTES),
        store=store,
    )


def test_only_a_vetting_officer_records_evidence(session, world, store):
    people, candidacy = world
    data = diligence.EvidenceData(
        kind=EvidenceKind.REFERENCE,
        source="A referee",
        obtained_on=date.today(),
        summary="Reference letter.",
        level=Level.PANEL,
    )
    refused(
        session,
        store,
        "Only a vetting officer",
        diligence.record_evidence,
        people.chair,
        candidacy,
        data,
    )


def test_status_update_is_audited_with_before_and_after(session, world, store):
    people, candidacy = world
    item = own_item(session, people, candidacy)
    diligence.update_evidence_status(
        session, people.vetting_officer, item, verified=True, relied_on=True
    )
    session.commit()
    assert (item.verified, item.relied_on) == (True, True)
    entry = session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == AuditAction.EVIDENCE_UPDATE.value)
    )
    assert entry.object_id == str(item.id)
    assert '"before":{"relied_on":false,"verified":false}' in entry.data


def test_status_update_refusals_change_nothing(session, world, store):
    people, candidacy = world
    item = own_item(session, people, candidacy)
    refused(
        session,
        store,
        "Nothing changed",
        diligence.update_evidence_status,
        people.vetting_officer,
        item,
        verified=False,
        relied_on=False,
    )
    refused(
        session,
        store,
        "Only a vetting officer",
        diligence.update_evidence_status,
        people.secretariat,
        item,
        verified=True,
        relied_on=False,
    )


def test_relied_on_is_frozen_once_the_finding_is_adopted(session, store):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Kamau Otieno", state="KEN")
    walk(session, people, candidacy, Stage.FINDING_ADOPTED)
    session.commit()
    item = session.scalar(sa.select(EvidenceItem))
    refused(
        session,
        store,
        "can no longer change",
        diligence.update_evidence_status,
        people.vetting_officer,
        item,
        verified=item.verified,
        relied_on=not item.relied_on,
    )
    # Verification may still be corrected.
    diligence.update_evidence_status(
        session, people.vetting_officer, item, verified=not item.verified, relied_on=item.relied_on
    )


# --- downloads ---


def test_downloads_follow_the_item_level_and_are_audited(session, world, store):
    people, candidacy = world
    item = own_item(session, people, candidacy, upload=Upload("a.pdf", PDF_BYTES), store=store)
    candidate = candidate_of(session, candidacy)
    for who in (people.vetting_officer, people.secretariat, candidate):
        download = diligence.download_evidence_file(session, who, item, store)
        assert download.data == PDF_BYTES
    # Candidate-own material is not the panel's, nor another candidate's.
    for who in (people.chair, *people.members, people.admin):
        with pytest.raises(Refused, match="may not see"):
            diligence.download_evidence_file(session, who, item, store)
    session.commit()
    downloads = session.scalars(
        sa.select(AuditEntry.actor_id)
        .where(AuditEntry.action == AuditAction.FILE_DOWNLOAD.value)
        .order_by(AuditEntry.seq)
    ).all()
    assert downloads == [people.vetting_officer.id, people.secretariat.id, candidate.id]


def test_a_tampered_file_is_not_served_and_the_attempt_is_audited(session, world, store):
    people, candidacy = world
    item = own_item(session, people, candidacy, upload=Upload("a.pdf", PDF_BYTES), store=store)
    stored = session.get(StoredFile, item.file_id)
    path = Path(store.files_dir) / stored.storage_key
    path.write_bytes(store.sealer.seal_bytes(PDF_BYTES + b"% appended"))
    download = diligence.download_evidence_file(session, people.vetting_officer, item, store)
    assert download.data is None
    assert "does not match its recorded SHA-256" in download.problem
    session.commit()
    assert actions(session)[-1] == AuditAction.FILE_TAMPERED.value
    path.unlink()
    download = diligence.download_evidence_file(session, people.vetting_officer, item, store)
    assert download.data is None and "missing" in download.problem


# --- the adverse notice ---


def test_a_drafted_notice_reaches_nobody_until_the_chair_approves(session, world, store):
    people, candidacy = world
    notice = diligence.draft_adverse_notice(
        session, people.vetting_officer, candidacy, summary=SUMMARY
    )
    session.commit()
    assert notice.approved_by_id is None
    assert candidacy.stage is Stage.DELIBERATION
    candidate = candidate_of(session, candidacy)
    assert not session.scalar(
        sa.select(sa.func.count(Notice.id)).where(
            Notice.kind == "adverse_notice", Notice.recipient_user_id == candidate.id
        )
    )
    facts = gather_facts(session, candidacy)
    assert not facts.adverse_notice_sent
    refused(
        session,
        store,
        "No adverse notice has been sent",
        diligence.submit_reply,
        candidate,
        candidacy,
        notice,
        text="A reply to a draft.",
    )
    before = utcnow()
    diligence.approve_adverse_notice(session, people.chair, candidacy, window_days=10)
    session.commit()
    assert notice.approved_by_id == people.chair.id
    assert candidacy.stage is Stage.REPLY_PENDING
    assert timedelta(days=10) <= notice.reply_due_at - before < timedelta(days=10, minutes=1)
    assert (
        session.scalar(
            sa.select(sa.func.count(Notice.id)).where(
                Notice.kind == "adverse_notice", Notice.recipient_user_id == candidate.id
            )
        )
        == 1
    )
    assert actions(session)[-2:] == [
        AuditAction.CANDIDACY_TRANSITION.value,
        AuditAction.ADVERSE_NOTICE_APPROVE.value,
    ]


def test_drafting_refusals_change_nothing(session, world, store):
    people, candidacy = world
    for who, message in (
        (people.members[0], "Only a vetting officer or the panel chair"),
        (people.secretariat, "Only a vetting officer or the panel chair"),
    ):
        refused(
            session, store, message, diligence.draft_adverse_notice, who, candidacy, summary=SUMMARY
        )
    refused(
        session,
        store,
        "Write the de-identified summary",
        diligence.draft_adverse_notice,
        people.vetting_officer,
        candidacy,
        summary="   ",
    )


def test_no_notice_without_an_adverse_outcome(session, store):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Kamau Otieno", state="KEN")
    walk(session, people, candidacy, Stage.DELIBERATION)
    session.commit()
    refused(
        session,
        store,
        "needs an adverse integrity outcome",
        diligence.draft_adverse_notice,
        people.vetting_officer,
        candidacy,
        summary=SUMMARY,
    )


def test_the_chair_cannot_approve_while_conflicted(session, world, store):
    people, candidacy = world
    diligence.draft_adverse_notice(session, people.vetting_officer, candidacy, summary=SUMMARY)
    session.commit()
    assignment = chair_assignment(session, people, candidacy)
    for status in (ConflictStatus.DECLARED, ConflictStatus.RECUSED):
        assignment.conflict_status = status
        session.commit()
        refused(
            session,
            store,
            "not cleared on this candidacy",
            diligence.approve_adverse_notice,
            people.chair,
            candidacy,
            window_days=10,
        )
    # A managed conflict leaves the chair cleared.
    assignment.conflict_status = ConflictStatus.MANAGED
    session.commit()
    diligence.approve_adverse_notice(session, people.chair, candidacy, window_days=10)


def test_approval_refusals_change_nothing(session, world, store):
    people, candidacy = world
    refused(
        session,
        store,
        "No summary is drafted",
        diligence.approve_adverse_notice,
        people.chair,
        candidacy,
        window_days=10,
    )
    diligence.draft_adverse_notice(session, people.vetting_officer, candidacy, summary=SUMMARY)
    session.commit()
    for days in (4, 61):
        refused(
            session,
            store,
            "between 5 and 60 days",
            diligence.approve_adverse_notice,
            people.chair,
            candidacy,
            window_days=days,
        )
    refused(
        session,
        store,
        "Only the panel chair",
        diligence.approve_adverse_notice,
        people.vetting_officer,
        candidacy,
        window_days=10,
    )
    diligence.approve_adverse_notice(session, people.chair, candidacy, window_days=10)
    session.commit()
    refused(
        session,
        store,
        "already approved",
        diligence.approve_adverse_notice,
        people.chair,
        candidacy,
        window_days=10,
    )
    refused(
        session,
        store,
        "can no longer",
        diligence.draft_adverse_notice,
        people.vetting_officer,
        candidacy,
        summary="Another summary.",
    )


def test_the_chair_may_revise_the_officers_draft_when_approving(session, world, store):
    people, candidacy = world
    diligence.draft_adverse_notice(session, people.vetting_officer, candidacy, summary=SUMMARY)
    notice = diligence.send_adverse_notice(
        session, people.chair, candidacy, summary="A shorter summary.", window_days=14
    )
    session.commit()
    assert notice.summary == "A shorter summary."
    assert notice.approved_by_id == people.chair.id
    assert session.scalar(sa.select(sa.func.count(AdverseNotice.id))) == 1


# --- the reply ---


def test_the_reply_carries_text_files_and_the_items_it_answers(session, world, store):
    people, candidacy = world
    item = own_item(session, people, candidacy)
    notice = approved(session, people, candidacy)
    candidate = candidate_of(session, candidacy)
    diligence.submit_reply(
        session,
        candidate,
        candidacy,
        notice,
        text="The matter was closed in 2020; I attach the decision.",
        answers=[item.id],
        uploads=[Upload("decision.pdf", PDF_BYTES), Upload("photo.png", PNG_BYTES)],
        store=store,
    )
    session.commit()
    assert candidacy.stage is Stage.DELIBERATION
    assert notice.replied_at is not None
    assert session.scalars(sa.select(ReplyAnswers.evidence_item_id)).all() == [item.id]
    files = session.scalars(
        sa.select(StoredFile)
        .join(ReplyAttachment, ReplyAttachment.file_id == StoredFile.id)
        .order_by(StoredFile.id)
    ).all()
    assert [(f.original_name, f.content_type, f.uploaded_by_id) for f in files] == [
        ("decision.pdf", "application/pdf", candidate.id),
        ("photo.png", "image/png", candidate.id),
    ]
    assert [store.read(f) for f in files] == [PDF_BYTES, PNG_BYTES]
    assert len(os.listdir(store.files_dir)) == 2


def told_of_replies(session) -> list[Notice]:
    return list(
        session.scalars(
            sa.select(Notice).where(Notice.kind == "reply_received").order_by(Notice.id)
        )
    )


def test_the_cleared_chair_is_told_when_the_reply_arrives(session, world, store):
    people, candidacy = world
    notice = approved(session, people, candidacy)
    assert told_of_replies(session) == []
    diligence.submit_reply(session, candidate_of(session, candidacy), candidacy, notice, text="No.")
    session.commit()
    (told,) = told_of_replies(session)
    assert told.recipient_user_id == people.chair.id
    assert told.candidacy_id == candidacy.id
    assert "Amina Diallo" in told.subject and "No." not in told.body


def test_the_secretariat_is_told_of_the_reply_when_the_chair_is_recused(session, world, store):
    people, candidacy = world
    notice = approved(session, people, candidacy)
    chair_assignment(session, people, candidacy).conflict_status = ConflictStatus.RECUSED
    session.commit()
    diligence.submit_reply(session, candidate_of(session, candidacy), candidacy, notice, text="No.")
    session.commit()
    recipients = [n.recipient_user_id for n in told_of_replies(session)]
    assert people.chair.id not in recipients
    assert sorted(recipients) == sorted([people.secretariat.id, people.secretariat_second.id])


def test_reply_refusals_change_nothing_not_even_the_files_dir(session, world, store):
    people, candidacy = world
    own = own_item(session, people, candidacy)
    panel_item = session.scalar(sa.select(EvidenceItem).where(EvidenceItem.level == Level.PANEL))
    notice = approved(session, people, candidacy)
    candidate = candidate_of(session, candidacy)

    def reply(message, who=candidate, **kwargs):
        kwargs.setdefault("text", "My reply.")
        refused(session, store, message, diligence.submit_reply, who, candidacy, notice, **kwargs)

    reply("Only the candidate", who=people.chair)
    reply("Write your reply", text="  ")
    reply("only the evidence items shown to you", answers=[panel_item.id])
    reply("only the evidence items shown to you", answers=[own.id, 10_000])
    reply(
        "not a type of file we accept",
        uploads=[Upload("ok.pdf", PDF_BYTES), Upload("evil.pdf", EXE_BYTES)],
        store=store,
    )
    reply("at most 5 files", uploads=[Upload(f"{i}.pdf", PDF_BYTES) for i in range(6)], store=store)
    notice.reply_due_at = utcnow() - timedelta(minutes=1)
    session.commit()
    reply("window has closed")


def test_a_second_reply_is_refused(session, world, store):
    people, candidacy = world
    notice = approved(session, people, candidacy)
    candidate = candidate_of(session, candidacy)
    diligence.submit_reply(session, candidate, candidacy, notice, text="First.")
    session.commit()
    refused(
        session,
        store,
        "already received",
        diligence.submit_reply,
        candidate,
        candidacy,
        notice,
        text="Second.",
    )


def test_reply_files_download_for_the_candidate_and_panel_level_readers(session, world, store):
    people, candidacy = world
    notice = approved(session, people, candidacy)
    candidate = candidate_of(session, candidacy)
    diligence.submit_reply(
        session,
        candidate,
        candidacy,
        notice,
        text="See the file.",
        uploads=[Upload("d.pdf", PDF_BYTES)],
        store=store,
    )
    session.commit()
    attachment = session.scalar(sa.select(ReplyAttachment))
    for who in (
        candidate,
        people.chair,
        *people.members,
        people.secretariat,
        people.vetting_officer,
    ):
        assert diligence.download_reply_file(session, who, attachment, store).data == PDF_BYTES
    with pytest.raises(Refused, match="may not see"):
        diligence.download_reply_file(session, people.admin, attachment, store)
    assignment = session.scalar(
        sa.select(Assignment).where(Assignment.reviewer_id == people.members[0].id)
    )
    assignment.conflict_status = ConflictStatus.RECUSED
    session.commit()
    with pytest.raises(Refused, match="may not see"):
        diligence.download_reply_file(session, people.members[0], attachment, store)


# --- the panel reads the reply; the adoption guard ---


def may_adopt(session, candidacy) -> str | None:
    try:
        stages.check_transition(
            candidacy.stage,
            Action.ADOPT_FINDING,
            stages.Role.PANEL_CHAIR,
            gather_facts(session, candidacy),
        )
    except stages.TransitionRefused as refusal:
        return str(refusal)
    return None


def test_adopting_an_adverse_finding_waits_for_the_read_reply(session, world, store):
    people, candidacy = world
    assert "must first receive an adverse notice" in may_adopt(session, candidacy)
    diligence.draft_adverse_notice(session, people.vetting_officer, candidacy, summary=SUMMARY)
    session.commit()
    assert "must first receive an adverse notice" in may_adopt(session, candidacy)
    notice = diligence.approve_adverse_notice(session, people.chair, candidacy, window_days=10)
    session.commit()
    assert "window is still open" in may_adopt(session, candidacy)
    refused(
        session,
        store,
        "no reply to record",
        diligence.record_reply_read,
        people.chair,
        candidacy,
        notice,
    )
    diligence.submit_reply(session, candidate_of(session, candidacy), candidacy, notice, text="No.")
    session.commit()
    assert "must record that it has read the reply" in may_adopt(session, candidacy)
    # Even once the window has passed, a reply that came in must be read.
    notice.reply_due_at = utcnow() - timedelta(days=1)
    session.commit()
    assert "must record that it has read the reply" in may_adopt(session, candidacy)
    refused(
        session,
        store,
        "Only the panel chair",
        diligence.record_reply_read,
        people.members[0],
        candidacy,
        notice,
    )
    diligence.record_reply_read(session, people.chair, candidacy, notice)
    session.commit()
    assert notice.reply_read_by_id == people.chair.id and notice.reply_read_at is not None
    assert actions(session)[-1] == AuditAction.REPLY_READ_RECORD.value
    assert may_adopt(session, candidacy) is None
    refused(
        session,
        store,
        "already on record",
        diligence.record_reply_read,
        people.chair,
        candidacy,
        notice,
    )
    walk(session, people, candidacy, Stage.FINDING_ADOPTED, outcome=CONCERNS)
    assert candidacy.stage is Stage.FINDING_ADOPTED


def test_without_a_reply_the_finding_waits_for_the_window_to_close(session, world, store):
    people, candidacy = world
    notice = approved(session, people, candidacy)
    assert "window is still open" in may_adopt(session, candidacy)
    notice.reply_due_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert may_adopt(session, candidacy) is None


def test_a_conflicted_chair_cannot_record_the_reading(session, world, store):
    people, candidacy = world
    notice = approved(session, people, candidacy)
    diligence.submit_reply(session, candidate_of(session, candidacy), candidacy, notice, text="No.")
    session.commit()
    assignment = chair_assignment(session, people, candidacy)
    assignment.conflict_status = ConflictStatus.RECUSED
    session.commit()
    refused(
        session,
        store,
        "not cleared",
        diligence.record_reply_read,
        people.chair,
        candidacy,
        notice,
    )
