"""The right of reply over HTTP: the vetting officer drafts, the chair approves (and so sends),
the candidate replies with text, answered items and files, the panel's reading is recorded; each
page that shows the reply leaves a read on record."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.operations.test_files import EXE_BYTES, PDF_BYTES
from tests.web.support import login
from vetting.domain.events import AuditAction
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictStatus, EvidenceKind, IntegrityOutcome, Level
from vetting.models import (
    AdverseNotice,
    Assignment,
    AuditEntry,
    AuditHead,
    EvidenceItem,
    Notice,
    ReplyAnswers,
    ReplyAttachment,
    StoredFile,
)
from vetting.operations import diligence
from vetting.operations.accounts import set_password
from vetting.scenarios import (
    DEFAULT_PASSWORD,
    candidate_of,
    make_election,
    make_people,
    nominate,
    walk,
)

SUMMARY = "A former colleague reports conduct towards junior staff (2017-2019)."


@pytest.fixture
def world(app, session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    candidate = candidate_of(session, candidacy)
    set_password(session, None, candidate, DEFAULT_PASSWORD)
    walk(session, people, candidacy, Stage.DELIBERATION, outcome=IntegrityOutcome.CONCERNS_NOTED)
    shared = diligence.record_evidence(
        session,
        people.vetting_officer,
        candidacy,
        diligence.EvidenceData(
            kind=EvidenceKind.COMPLAINT_SUMMARY,
            source="De-identified summary of a report",
            obtained_on=date.today(),
            summary="Conduct towards junior staff, 2017-2019.",
            level=Level.CANDIDATE_OWN,
        ),
    )
    session.commit()
    return people, candidacy, candidate, shared


def client_of(app, user):
    client = app.test_client()
    login(client, user)
    return client


def reads(session, action: AuditAction) -> list[int]:
    session.expire_all()
    return list(
        session.scalars(sa.select(AuditEntry.actor_id).where(AuditEntry.action == action.value))
    )


def draft_and_approve(app, people, candidacy) -> None:
    officer = client_of(app, people.vetting_officer)
    response = officer.post(
        f"/diligence/{candidacy.public_id}/adverse-notice", data={"summary": SUMMARY}
    )
    assert response.status_code == 302
    chair = client_of(app, people.chair)
    response = chair.post(
        f"/panel/{candidacy.public_id}/adverse-notice",
        data={"summary": SUMMARY, "window_days": "10"},
    )
    assert response.status_code == 302


def test_the_candidate_sees_nothing_until_the_chair_approves(app, session, world):
    people, candidacy, candidate, _shared = world
    officer = client_of(app, people.vetting_officer)
    officer.post(f"/diligence/{candidacy.public_id}/adverse-notice", data={"summary": SUMMARY})
    notice = session.scalar(sa.select(AdverseNotice))
    assert notice.summary == SUMMARY and notice.approved_by_id is None
    me = client_of(app, candidate)
    assert me.get(f"/candidate/{candidacy.public_id}/reply").status_code == 404
    assert SUMMARY not in me.get("/candidate").get_data(as_text=True)
    # The chair sees the draft on the deliberation page, in the approval form.
    chair = client_of(app, people.chair)
    page = chair.get(f"/panel/{candidacy.public_id}/deliberation").get_data(as_text=True)
    assert SUMMARY in page and "Approve and send the adverse notice" in page
    chair.post(
        f"/panel/{candidacy.public_id}/adverse-notice",
        data={"summary": SUMMARY, "window_days": "10"},
    )
    session.expire_all()
    assert notice.approved_by_id == people.chair.id
    assert (
        session.scalar(
            sa.select(sa.func.count(Notice.id)).where(
                Notice.kind == "adverse_notice", Notice.recipient_user_id == candidate.id
            )
        )
        == 1
    )
    page = me.get(f"/candidate/{candidacy.public_id}/reply")
    assert page.status_code == 200 and SUMMARY in page.get_data(as_text=True)


def test_an_empty_draft_is_refused_and_nothing_is_written(app, session, world):
    people, candidacy, _candidate, _shared = world
    officer = client_of(app, people.vetting_officer)
    session.expire_all()
    seq = session.get(AuditHead, 1).seq
    response = officer.post(f"/diligence/{candidacy.public_id}/adverse-notice", data={})
    assert response.status_code == 302
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count(AdverseNotice.id))) == 0
    assert session.get(AuditHead, 1).seq == seq
    page = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Write the summary." in page


def test_a_window_outside_the_bounds_is_refused_and_nothing_sent(app, session, world):
    people, candidacy, _candidate, _shared = world
    chair = client_of(app, people.chair)
    response = chair.post(
        f"/panel/{candidacy.public_id}/adverse-notice",
        data={"summary": SUMMARY, "window_days": "2"},
    )
    assert response.status_code == 422
    assert "between 5 and 60 days" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(AdverseNotice.id))) == 0
    assert candidacy.stage is Stage.DELIBERATION


def test_the_candidate_replies_with_text_items_and_files(app, session, world):
    people, candidacy, candidate, shared = world
    draft_and_approve(app, people, candidacy)
    me = client_of(app, candidate)
    page = me.get(f"/candidate/{candidacy.public_id}/reply").get_data(as_text=True)
    assert shared.source in page  # the item shared with the candidate may be answered
    assert "Former employer" not in page  # the panel-level item is not shown
    response = me.post(
        f"/candidate/{candidacy.public_id}/reply",
        data={
            "reply": "The matter was closed in 2020; I attach the decision.",
            "answers": [str(shared.id)],
            "files": [(io.BytesIO(PDF_BYTES), "Decision 2020.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session.expire_all()
    notice = session.scalar(sa.select(AdverseNotice))
    assert notice.replied_at is not None
    assert session.scalars(sa.select(ReplyAnswers.evidence_item_id)).all() == [shared.id]
    attachment = session.scalar(sa.select(ReplyAttachment))
    stored = session.get(StoredFile, attachment.file_id)
    assert stored.original_name == "Decision 2020.pdf"
    page = me.get(f"/candidate/{candidacy.public_id}/reply").get_data(as_text=True)
    assert stored.sha256 in page
    download = me.get(f"/candidacies/{candidacy.public_id}/reply/files/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF_BYTES
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_a_reply_with_a_disguised_file_is_refused_whole(app, session, world):
    people, candidacy, candidate, shared = world
    draft_and_approve(app, people, candidacy)
    files_dir = Path(app.config["FILES_DIR"])
    before_files = set(os.listdir(files_dir)) if files_dir.exists() else set()
    me = client_of(app, candidate)
    session.expire_all()
    seq = session.get(AuditHead, 1).seq
    response = me.post(
        f"/candidate/{candidacy.public_id}/reply",
        data={
            "reply": "My reply, with a good and a bad file.",
            "answers": [str(shared.id)],
            "files": [
                (io.BytesIO(PDF_BYTES), "good.pdf"),
                (io.BytesIO(EXE_BYTES), "decision.pdf"),
            ],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "not a type of file we accept" in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(sa.select(AdverseNotice.replied_at)) is None
    assert session.scalar(sa.select(sa.func.count(StoredFile.id))) == 0
    assert session.scalar(sa.select(sa.func.count(ReplyAnswers.id))) == 0
    assert (set(os.listdir(files_dir)) if files_dir.exists() else set()) == before_files
    written = set(session.scalars(sa.select(AuditEntry.action).where(AuditEntry.seq > seq)))
    assert written <= {AuditAction.EVIDENCE_READ.value}


def test_the_panel_reads_the_reply_and_records_it(app, session, world):
    people, candidacy, candidate, _shared = world
    draft_and_approve(app, people, candidacy)
    client_of(app, candidate).post(
        f"/candidate/{candidacy.public_id}/reply", data={"reply": "REPLY-CANARY: I contest it."}
    )
    chair = client_of(app, people.chair)
    page = chair.get(f"/panel/{candidacy.public_id}/deliberation").get_data(as_text=True)
    assert "REPLY-CANARY" in page
    assert "Record that the panel has read the reply" in page
    assert reads(session, AuditAction.REPLY_READ) == [people.chair.id]
    officer_page = client_of(app, people.vetting_officer).get(f"/diligence/{candidacy.public_id}")
    assert "REPLY-CANARY" in officer_page.get_data(as_text=True)
    assert reads(session, AuditAction.REPLY_READ) == [people.chair.id, people.vetting_officer.id]
    # Without the confirmation nothing is recorded.
    chair.post(f"/panel/{candidacy.public_id}/reply-read", data={})
    session.expire_all()
    assert session.scalar(sa.select(AdverseNotice.reply_read_at)) is None
    response = chair.post(f"/panel/{candidacy.public_id}/reply-read", data={"confirm": "y"})
    assert response.status_code == 302
    session.expire_all()
    notice = session.scalar(sa.select(AdverseNotice))
    assert notice.reply_read_by_id == people.chair.id
    assert reads(session, AuditAction.REPLY_READ_RECORD) == [people.chair.id]
    page = chair.get(f"/panel/{candidacy.public_id}/deliberation").get_data(as_text=True)
    assert "The panel&#39;s reading of the reply was recorded" in page or (
        "reading of the reply was recorded" in page
    )


def test_a_recused_chair_reaches_neither_the_reply_nor_its_record(app, session, world):
    people, candidacy, candidate, _shared = world
    draft_and_approve(app, people, candidacy)
    client_of(app, candidate).post(
        f"/candidate/{candidacy.public_id}/reply",
        data={"reply": "See the file.", "files": [(io.BytesIO(PDF_BYTES), "d.pdf")]},
        content_type="multipart/form-data",
    )
    assignment = session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == people.chair.id
        )
    )
    assignment.conflict_status = ConflictStatus.RECUSED
    session.commit()
    attachment = session.scalar(sa.select(ReplyAttachment))
    chair = client_of(app, people.chair)
    assert (
        chair.post(f"/panel/{candidacy.public_id}/reply-read", data={"confirm": "y"}).status_code
        == 404
    )
    assert (
        chair.get(f"/candidacies/{candidacy.public_id}/reply/files/{attachment.id}").status_code
        == 404
    )
    session.expire_all()
    assert session.scalar(sa.select(AdverseNotice.reply_read_at)) is None


def test_the_candidate_cannot_answer_an_item_not_shared_with_them(app, session, world):
    people, candidacy, candidate, _shared = world
    draft_and_approve(app, people, candidacy)
    hidden = session.scalar(sa.select(EvidenceItem).where(EvidenceItem.level == Level.PANEL))
    response = client_of(app, candidate).post(
        f"/candidate/{candidacy.public_id}/reply",
        data={"reply": "My reply.", "answers": [str(hidden.id)]},
    )
    assert response.status_code == 422
    assert "only the evidence items shown to you" in response.get_data(as_text=True)
    assert session.scalar(sa.select(AdverseNotice.replied_at)) is None
