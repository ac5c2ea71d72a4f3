"""The authorization matrix: every route x every role x every object kind (security AC-1, AC-2).

Routes are discovered from app.url_map, so a new route is covered the moment it exists: one
without a policy fails here, and every role is tried against it with its own candidacy, another's,
one on which the reviewer is recused, and anonymously.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.web.support import login
from vetting.domain.events import AuditAction
from vetting.domain.roles import Permission, has_permission
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictKind, MisconductCategory, TieKind
from vetting.models import (
    Assignment,
    AuditEntry,
    AuditHead,
    Criterion,
    Notice,
    TemplateQuestion,
    TemplateSection,
    User,
)
from vetting.operations import accounts, diligence, panel, ties
from vetting.scenarios import (
    add_focal_point,
    candidate_of,
    make_election,
    make_people,
    nominate,
    walk,
)
from vetting.web.policy import AUTHENTICATED, EXTENSION_PUBLIC, PUBLIC, policy_of

CANARY_TEXT = "CANARY-COMPLAINT-7f3a9c"
CANARY_CONTACT = "canary.reporter.7f3a9c@example.org"
CANDIDATE_PASSWORD = "the candidate's own passphrase"  # noqa: S105
# POSTs that may legitimately write an audit entry with an empty form.
WRITES_ON_EMPTY_POST = {"admin.audit_verify"}
# POSTs whose typed text an ended session must not lose (web/candidate/questionnaire_views.py):
# anonymous, they are answered 401 with the text kept, not sent to sign in.
KEEPS_ANONYMOUS_POSTS = {"candidate.questionnaire"}
# Re-rendering a page after a refused form records the reads it shows; those are not changes.
READ_ACTIONS = {
    AuditAction.EVIDENCE_READ.value,
    AuditAction.COMPLAINT_READ.value,
    AuditAction.INTEGRITY_MEMO_READ.value,
    AuditAction.DOSSIER_READ.value,
    AuditAction.SCORES_FIRST_SEEN.value,
    AuditAction.REPLY_READ.value,
}


@dataclass
class World:
    users: dict[str, User]
    own: str  # public_id of the candidacy that the candidate, focal point and panel relate to
    other: str  # public_id of a candidacy of another State
    election_id: int
    notice_id: int
    assignment_id: int
    # An evidence item with a file (panel level, own) and a reply file (on the other candidacy).
    item_id: int = 0
    attachment_id: int = 0
    # A criterion of the election's rubric (the revision of a locked score names one).
    criterion_id: int = 0
    # A tie of the cleared member (ICC/ASP employment: it reopens nothing).
    tie_id: int = 0
    # The canary report through the confidential channel (restricted: vetting officers only).
    report_id: int = 0
    # A question and a section of the election's questionnaire template.
    question_id: int = 0
    section_id: int = 0


def _accept_invitation(session, candidate: User) -> None:
    body = session.scalar(
        sa.select(Notice.body).where(
            Notice.kind == "invitation", Notice.recipient_user_id == candidate.id
        )
    )
    token = body.split("/invitation/")[1].split()[0]
    accounts.accept_invitation(session, token, CANDIDATE_PASSWORD)


@pytest.fixture
def world(app, session) -> World:
    people = make_people(session, members=2)
    election = make_election(session, people)
    focal = add_focal_point(session, people, "SEN", "example.org")
    own = nominate(session, people, election, name="Amina Diallo", state="SEN")
    other = nominate(session, people, election, name="Kamau Otieno", state="KEN")
    walk(session, people, own, Stage.PAPER_SCORING)
    cleared, recused = people.members
    assignments = {
        a.reviewer_id: a
        for a in session.scalars(sa.select(Assignment).where(Assignment.candidacy_id == own.id))
    }
    panel.declare_conflict(
        session, cleared, own, assignments[cleared.id], has_conflict=False, details=""
    )
    panel.declare_conflict(
        session,
        recused,
        own,
        assignments[recused.id],
        has_conflict=True,
        kind=ConflictKind.PROFESSIONAL,
        details="Colleague.",
    )
    panel.decide_conflict(
        session, people.chair, assignments[recused.id], recuse=True, reason="Close colleague."
    )
    complaint = diligence.receive_complaint(
        session,
        own,
        category=MisconductCategory.ABUSE_OF_AUTHORITY,
        text=CANARY_TEXT,
        reporter_contact=CANARY_CONTACT,
    )
    candidate = candidate_of(session, own)
    _accept_invitation(session, candidate)
    notice_id = session.scalar(
        sa.select(sa.func.min(Notice.id)).where(Notice.recipient_user_id == candidate.id)
    )
    tie = ties.declare_tie(
        session,
        cleared,
        ties.TieData(TieKind.ICC_ASP_EMPLOYMENT, "Legal officer, Registry", date(2015, 1, 5)),
    ).tie
    item_id, attachment_id = _files(app, session, people, own, other)
    session.commit()
    return World(
        users={
            "secretariat": people.secretariat,
            "chair": people.chair,
            "member_cleared": cleared,
            "member_recused": recused,
            "vetting_officer": people.vetting_officer,
            "admin": people.admin,
            "candidate": candidate,
            "focal_point": focal,
        },
        own=own.public_id,
        other=other.public_id,
        election_id=election.id,
        notice_id=notice_id,
        assignment_id=assignments[recused.id].id,
        item_id=item_id,
        attachment_id=attachment_id,
        criterion_id=session.scalar(
            sa.select(sa.func.min(Criterion.id)).where(Criterion.election_id == election.id)
        ),
        report_id=complaint.id,
        tie_id=tie.id,
        question_id=session.scalar(sa.select(sa.func.min(TemplateQuestion.id))),
        section_id=session.scalar(sa.select(sa.func.min(TemplateSection.id))),
    )


def _files(app, session, people, own, other) -> tuple[int, int]:
    """A panel-level evidence file on the own candidacy; an adverse notice, approved by the
    chair, answered with a file on the other one (whose candidate is not in the matrix)."""
    from datetime import date as _date

    from tests.conftest import TEST_DATA_KEY
    from vetting.domain.vocabulary import EvidenceKind, IntegrityOutcome, Level
    from vetting.models import AdverseNotice, ReplyAttachment
    from vetting.operations.files import FileStore, Upload
    from vetting.sealing import Sealer

    store = FileStore(Sealer(TEST_DATA_KEY), app.config["FILES_DIR"], 1024 * 1024)
    item = diligence.record_evidence(
        session,
        people.vetting_officer,
        own,
        diligence.EvidenceData(
            kind=EvidenceKind.REFERENCE,
            source="A referee",
            obtained_on=_date.today(),
            summary="Reference letter.",
            level=Level.PANEL,
        ),
        upload=Upload("reference.pdf", b"%PDF-1.7\n%%EOF\n"),
        store=store,
    )
    walk(session, people, other, Stage.REPLY_PENDING, outcome=IntegrityOutcome.CONCERNS_NOTED)
    notice = session.scalar(sa.select(AdverseNotice).where(AdverseNotice.candidacy_id == other.id))
    diligence.submit_reply(
        session,
        candidate_of(session, other),
        other,
        notice,
        text="My reply.",
        uploads=[Upload("reply.pdf", b"%PDF-1.7\n%%EOF\n")],
        store=store,
    )
    return item.id, session.scalar(sa.select(ReplyAttachment.id))


def _rules(app: Flask) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint not in EXTENSION_PUBLIC),
        key=lambda r: r.rule,
    )


def _url(app: Flask, rule: Rule, world: World, public_id: str) -> str:
    values: dict[str, object] = {}
    for arg in rule.arguments:
        if arg == "public_id":
            values[arg] = public_id
        elif arg == "election_id":
            values[arg] = world.election_id
        elif arg == "notice_id":
            values[arg] = world.notice_id
        elif arg == "assignment_id":
            values[arg] = world.assignment_id
        elif arg == "token":
            values[arg] = "not-a-real-token"
        elif arg == "item_id":
            values[arg] = world.item_id
        elif arg == "attachment_id":
            values[arg] = world.attachment_id
        elif arg == "criterion_id":
            values[arg] = world.criterion_id
        elif arg == "tie_id":
            values[arg] = world.tie_id
        elif arg == "report_id":
            values[arg] = world.report_id
        elif arg == "question_id":
            values[arg] = world.question_id
        elif arg == "section_id":
            values[arg] = world.section_id
        elif arg == "judge_id":
            values[arg] = 1  # none exists: the secretariat gets 404, everyone else is refused
        elif arg == "addition_id":
            values[arg] = 1  # none exists: officers get 404, everyone else is refused first
        elif arg == "checkpoint_id":
            values[arg] = 1  # none is public: 404 for everyone (the page is public)
        elif arg == "version":
            values[arg] = 1  # no report is published in this world: 404 (the pages are public)
        elif arg == "dataset":
            values[arg] = "candidates"  # an open data schema (public)
        else:
            pytest.fail(f"{rule.endpoint}: teach the matrix a value for <{arg}>")
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def _client(app: Flask, world: World, who: str | None) -> FlaskClient:
    client = app.test_client()
    if who is not None:
        user = world.users[who]
        password = CANDIDATE_PASSWORD if who == "candidate" else None
        login(client, user, *([password] if password else []))
    return client


def test_every_route_declares_an_access_policy(app):
    missing = [r.endpoint for r in _rules(app) if policy_of(app, r.endpoint) is None]
    assert missing == []


WHO = [
    None,
    "secretariat",
    "chair",
    "member_cleared",
    "member_recused",
    "vetting_officer",
    "admin",
    "candidate",
    "focal_point",
]


@pytest.mark.parametrize("who", WHO)
def test_every_get_route_answers_as_its_policy_says_for_each_role(app, world, who):
    client = _client(app, world, who)
    role = world.users[who].role if who else None
    problems = []
    for rule in _rules(app):
        if "GET" not in rule.methods:
            continue
        policy = policy_of(app, rule.endpoint)
        for which, public_id in (("own", world.own), ("other", world.other)):
            response = client.get(_url(app, rule, world, public_id))
            status = response.status_code
            body = response.get_data(as_text=True)
            where = f"{rule.endpoint} [{which}] as {who or 'anonymous'}: {status}"
            if status >= 500:
                problems.append(f"{where} (server error)")
                continue
            if who != "vetting_officer" and (CANARY_TEXT in body or CANARY_CONTACT in body):
                problems.append(f"{where} shows restricted complaint material")
            if policy == PUBLIC:
                if status == 403:
                    problems.append(f"{where} (public route refused)")
                continue
            if who is None:
                if status != 302 or "/login" not in response.headers.get("Location", ""):
                    problems.append(f"{where} (anonymous not sent to sign in)")
                continue
            lacks = isinstance(policy, Permission) and not has_permission(role, policy)
            if policy != AUTHENTICATED and lacks:
                if status != 403:
                    problems.append(f"{where} (role lacks {policy.value} but not refused)")
                continue
            if status == 403:
                problems.append(f"{where} (role holds the permission but was refused)")
            if "public_id" in rule.arguments and status == 200:
                if who == "member_recused" and which == "own":
                    problems.append(f"{where} (recused reviewer sees the candidacy)")
                if who in ("candidate", "focal_point") and which == "other":
                    problems.append(f"{where} (sees another's candidacy)")
    assert problems == []


@pytest.mark.parametrize("who", WHO)
def test_every_post_route_refuses_or_changes_nothing_when_the_form_is_empty(app, world, who):
    client = _client(app, world, who)
    role = world.users[who].role if who else None
    problems = []
    for rule in _rules(app):
        if "POST" not in rule.methods or rule.endpoint == "auth.logout":
            continue
        policy = policy_of(app, rule.endpoint)
        for which, public_id in (("own", world.own), ("other", world.other)):
            with app.app_context():
                from vetting.extensions import db

                before = db.session.get(AuditHead, 1).seq
            response = client.post(_url(app, rule, world, public_id), data={})
            status = response.status_code
            where = f"POST {rule.endpoint} [{which}] as {who or 'anonymous'}: {status}"
            with app.app_context():
                from vetting.extensions import db

                written = set(
                    db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.seq > before))
                )
            if status >= 500:
                problems.append(f"{where} (server error)")
            if written - READ_ACTIONS and rule.endpoint not in WRITES_ON_EMPTY_POST:
                problems.append(f"{where} (an empty form changed something: {sorted(written)})")
            if policy == PUBLIC:
                continue
            if who is None:
                if rule.endpoint in KEEPS_ANONYMOUS_POSTS:
                    # Shown back on a page that signs in again and saves it (never lost).
                    if status != 401:
                        problems.append(f"{where} (an ended session's draft not kept)")
                    continue
                if status != 302:
                    problems.append(f"{where} (anonymous not sent to sign in)")
                continue
            lacks = isinstance(policy, Permission) and not has_permission(role, policy)
            if lacks and status != 403:
                problems.append(f"{where} (role lacks {policy.value} but not refused)")
    assert problems == []
