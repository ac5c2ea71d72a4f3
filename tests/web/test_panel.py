"""The panel's pages: conflicts before access, recusal removes everything, scores hidden until
locked, the chair's deliberation, and complaint material never reaching the panel."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.rubric import SCALE
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import (
    ConflictKind,
    ConflictStatus,
    EvidenceKind,
    IntegrityOutcome,
    Level,
    MisconductCategory,
)
from vetting.extensions import db
from vetting.models import (
    AdverseNotice,
    Assignment,
    AuditEntry,
    Candidacy,
    Criterion,
    Finding,
    Notice,
    Score,
    User,
)
from vetting.operations import accounts, diligence, panel
from vetting.scenarios import (
    DEFAULT_PASSWORD,
    People,
    criteria_to_score,
    make_election,
    make_people,
    nominate,
    score_all,
    walk,
)
from vetting.web.words import SCALE_WORDS

COMPLAINT_CANARY = "CANARY-complaint-7f3a: the reporter saw the candidate shred files"
CONTACT_CANARY = "canary-reporter-91@example.net"
RESTRICTED_CANARY = "CANARY-restricted-security-check-55"
MEMO = "Former employers confirm service; one concern was not substantiated."


@dataclass
class World:
    people: People
    candidacy: Candidacy
    cochair: User  # a second chair, recused on the candidacy
    outsider_member: User  # created after the nomination: not assigned
    outsider_chair: User

    @property
    def member(self) -> User:
        return self.people.members[0]

    @property
    def recused_member(self) -> User:
        return self.people.members[1]


def _user(session, role: Role, email: str, name: str) -> User:
    return accounts.create_user(
        session,
        None,
        email=email,
        full_name=name,
        role=role,
        password=DEFAULT_PASSWORD,
    )


def assignment(session, candidacy: Candidacy, user: User) -> Assignment:
    return session.scalars(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == user.id
        )
    ).one()


def interview_form(days: int = 14, present: tuple[int, ...] = ()) -> dict[str, object]:
    when = (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")
    return {
        "interview-scheduled_at": when,
        "interview-mode": "video",
        "interview-purpose": "To discuss trial experience.",
        "interview-present": [str(member_id) for member_id in present],
    }


def finding_fields(session, candidacy, signed_name: str = "Chris Chair") -> dict[str, str]:
    """The reasons on every criterion of the rubric, and the chair's signature."""
    criteria = session.scalars(
        sa.select(Criterion.id).where(Criterion.election_id == candidacy.election_id)
    ).all()
    return {
        **{f"reason_{criterion_id}": "Reasons on this criterion." for criterion_id in criteria},
        "signed_name": signed_name,
    }


def declare(session, candidacy, user, *, conflict=False, details=""):
    panel.declare_conflict(
        session,
        user,
        candidacy,
        assignment(session, candidacy, user),
        has_conflict=conflict,
        details=details,
        kind=ConflictKind.PERSONAL if conflict else None,
    )


def recuse(session, people, candidacy, user):
    declare(session, candidacy, user, conflict=True, details="Same nominating State.")
    panel.decide_conflict(
        session, people.chair, assignment(session, candidacy, user), recuse=True, reason="Clear."
    )


def score(session, candidacy, user, rationale="assessed", value=3, lock=False):
    """Score (and lock) the criteria the reviewer scores now: the phases open at this stage."""
    mine = assignment(session, candidacy, user)
    criteria = criteria_to_score(session, candidacy, mine)
    panel.save_scores(
        session,
        user,
        candidacy,
        mine,
        [panel.ScoreInput(c.id, value, f"{c.code} {rationale}") for c in criteria],
    )
    if lock:
        panel.lock_scores(session, user, candidacy, mine)


def make_world(session, *, members: int = 2, diligence_done: bool = True) -> World:
    people = make_people(session, members=members)
    cochair = _user(session, Role.PANEL_CHAIR, "cochair@example.org", "Casey Cochair")
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.PAPER_SCORING)
    outsider_member = _user(session, Role.PANEL_MEMBER, "late@example.org", "Lee Late")
    outsider_chair = _user(session, Role.PANEL_CHAIR, "latechair@example.org", "Lou Latechair")
    declare(session, candidacy, people.chair)
    declare(session, candidacy, people.members[0])
    recuse(session, people, candidacy, people.members[1])
    recuse(session, people, candidacy, cochair)
    for extra in people.members[2:]:
        declare(session, candidacy, extra)
    diligence.receive_complaint(
        session,
        candidacy,
        category=MisconductCategory.ABUSE_OF_AUTHORITY,
        text=COMPLAINT_CANARY,
        reporter_contact=CONTACT_CANARY,
    )
    for level, summary in (
        (Level.PANEL, "Registry confirms service."),
        (Level.RESTRICTED, RESTRICTED_CANARY),
    ):
        diligence.record_evidence(
            session,
            people.vetting_officer,
            candidacy,
            diligence.EvidenceData(
                kind=EvidenceKind.SECURITY_CHECK,
                source="National registry",
                obtained_on=date.today() - timedelta(days=2),
                summary=summary,
                level=level,
            ),
        )
    if diligence_done:
        diligence.record_integrity_outcome(
            session,
            people.vetting_officer,
            candidacy,
            outcome=IntegrityOutcome.NO_ADVERSE_INFORMATION,
            memo=MEMO,
        )
    session.commit()
    return World(people, candidacy, cochair, outsider_member, outsider_chair)


def audit_actions(session, actor: User) -> list[str]:
    session.expire_all()
    return list(
        session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.actor_id == actor.id)
            .order_by(AuditEntry.seq)
        )
    )


@contextmanager
def counting_statements(app) -> Iterator[list[int]]:
    """Count the statements of what runs inside, in a fresh application context: in
    production every request has its own session, while test requests would otherwise share
    the fixture's context and its identity map."""
    count = [0]

    def before(*_args: object, **_kwargs: object) -> None:
        count[0] += 1

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield count
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)


# -- access on every candidacy-scoped route ------------------------------------------------

MEMBER_ROUTES = [
    ("get", "/panel/{id}"),
    ("get", "/panel/{id}/declare"),
    ("post", "/panel/{id}/scores"),
    ("post", "/panel/{id}/lock"),
]
CHAIR_ROUTES = [
    ("get", "/panel/{id}/deliberation"),
    ("post", "/panel/{id}/interview"),
    ("post", "/panel/{id}/deliberation/open"),
    ("post", "/panel/{id}/adverse-notice"),
    ("post", "/panel/{id}/finding"),
]


@pytest.mark.parametrize(("method", "path"), MEMBER_ROUTES + CHAIR_ROUTES)
def test_route_answers_404_when_reviewer_is_recused_or_not_assigned(app, session, method, path):
    world = make_world(session)
    chair_route = (method, path) in CHAIR_ROUTES
    url = path.format(id=world.candidacy.public_id)
    for user in (
        (world.cochair, world.outsider_chair)
        if chair_route
        else (world.recused_member, world.outsider_member)
    ):
        client = app.test_client()
        login(client, user)
        response = getattr(client, method)(url)
        assert response.status_code == 404, (user.email, url)
        assert b"Amina Diallo" not in response.data


@pytest.mark.parametrize(("method", "path"), MEMBER_ROUTES + CHAIR_ROUTES)
def test_route_redirects_to_login_when_anonymous(client, session, method, path):
    world = make_world(session)
    response = getattr(client, method)(path.format(id=world.candidacy.public_id))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "path"), MEMBER_ROUTES + CHAIR_ROUTES)
def test_route_admits_cleared_reviewer_when_assigned_and_cleared(app, session, method, path):
    world = make_world(session)
    score(session, world.candidacy, world.people.chair, lock=True)
    session.commit()
    client = app.test_client()
    login(client, world.people.chair)
    response = getattr(client, method)(path.format(id=world.candidacy.public_id))
    # GETs render; POSTs answer with a redirect (or a page explaining a refused form).
    assert response.status_code in ((200, 302) if method == "get" else (302, 422))
    assert response.status_code != 404


def test_member_is_refused_chair_routes_when_not_chair(app, session):
    world = make_world(session)
    client = app.test_client()
    login(client, world.member)
    for _method, path in CHAIR_ROUTES:
        url = path.format(id=world.candidacy.public_id)
        assert client.get(url).status_code in (403, 405)
    # Members open the conflicts page too (they decide when every chair is conflicted);
    # with no such case, it lists nothing.
    assert "No declared conflict" in client.get("/panel/conflicts").get_data(as_text=True)


def test_secretariat_sees_no_panel_dossier_when_not_a_reviewer(app, session):
    world = make_world(session)
    client = app.test_client()
    login(client, world.people.secretariat)
    response = client.get(f"/panel/{world.candidacy.public_id}")
    assert response.status_code == 404
    assert COMPLAINT_CANARY.encode() not in response.data


# -- assignments and declarations ---------------------------------------------------------


def test_assignments_hide_recused_candidacy_when_reviewer_is_recused(app, session):
    world = make_world(session)
    client = app.test_client()
    login(client, world.recused_member)
    page = client.get("/panel")
    assert page.status_code == 200
    assert b"Amina Diallo" not in page.data
    assert world.candidacy.public_id.encode() not in page.data


def test_assignments_link_only_to_declaration_when_undeclared(app, session):
    world = make_world(session)
    other = nominate(session, world.people, _election(session, world), name="Bo Chen", state="CHL")
    session.commit()
    client = app.test_client()
    login(client, world.member)
    page = client.get("/panel").get_data(as_text=True)
    assert f"/panel/{other.public_id}/declare" in page
    assert f'href="/panel/{other.public_id}"' not in page
    assert f'href="/panel/{world.candidacy.public_id}"' in page
    assert "Bo Chen" in page and "Not declared yet" in page


def _election(session, world):
    from vetting.models import Election

    return session.get(Election, world.candidacy.election_id)


def test_dossier_redirects_to_declaration_when_undeclared(app, session):
    world = make_world(session)
    other = nominate(session, world.people, _election(session, world), name="Bo Chen", state="CHL")
    session.commit()
    client = app.test_client()
    login(client, world.member)
    response = client.get(f"/panel/{other.public_id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/panel/{other.public_id}/declare")
    page = client.get(f"/panel/{other.public_id}/declare")
    assert page.status_code == 200
    assert b"Bo Chen" in page.data and b"Chile" in page.data
    assert other.statement.encode() not in page.data


def test_declaration_records_no_conflict_and_opens_dossier_when_none(app, session):
    world = make_world(session)
    other = nominate(session, world.people, _election(session, world), name="Bo Chen", state="CHL")
    session.commit()
    client = app.test_client()
    login(client, world.member)
    response = client.post(f"/panel/{other.public_id}/declare", data={"conflict": "no"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/panel/{other.public_id}")
    session.expire_all()
    assert assignment(session, other, world.member).conflict_status is ConflictStatus.NONE
    assert AuditAction.CONFLICT_DECLARE.value in audit_actions(session, world.member)


def test_declaration_is_refused_and_changes_nothing_when_conflict_has_no_details(app, session):
    world = make_world(session)
    other = nominate(session, world.people, _election(session, world), name="Bo Chen", state="CHL")
    session.commit()
    notices_before = session.scalar(sa.select(sa.func.count(Notice.id)))
    client = app.test_client()
    login(client, world.member)
    response = client.post(
        f"/panel/{other.public_id}/declare", data={"conflict": "yes", "details": " "}
    )
    assert response.status_code == 422
    assert b"Describe the conflict" in response.data
    session.expire_all()
    assert assignment(session, other, world.member).conflict_status is ConflictStatus.UNDECLARED
    assert session.scalar(sa.select(sa.func.count(Notice.id))) == notices_before


def test_declared_conflict_notifies_chair_and_closes_dossier_when_declared(app, session):
    world = make_world(session)
    other = nominate(session, world.people, _election(session, world), name="Bo Chen", state="CHL")
    session.commit()
    client = app.test_client()
    login(client, world.member)
    response = client.post(
        f"/panel/{other.public_id}/declare",
        data={
            "conflict": "yes",
            "kind": "professional",
            "details": "I served with the candidate in 2020.",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/panel")
    assert session.scalar(
        sa.select(sa.func.count(Notice.id)).where(
            Notice.kind == "conflict_declared", Notice.recipient_user_id == world.people.chair.id
        )
    )
    assert client.get(f"/panel/{other.public_id}").status_code == 404


# -- the dossier --------------------------------------------------------------------------


def test_dossier_shows_panel_material_and_audits_reads_when_cleared(app, session):
    world = make_world(session)
    client = app.test_client()
    login(client, world.member)
    page = client.get(f"/panel/{world.candidacy.public_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert world.candidacy.statement in text
    assert "Twenty years as a trial judge" in text  # a questionnaire answer
    assert MEMO in text and "No adverse information" in text
    assert "Registry confirms service." in text
    assert SCALE[4] in text  # the scale's descriptors beside the values
    actions = audit_actions(session, world.member)
    assert AuditAction.DOSSIER_READ.value in actions
    assert AuditAction.INTEGRITY_MEMO_READ.value in actions
    assert AuditAction.EVIDENCE_READ.value in actions


def test_dossier_never_shows_complaints_or_restricted_evidence_when_viewed_by_panel(app, session):
    world = make_world(session)
    score(session, world.candidacy, world.people.chair, lock=True)
    score(session, world.candidacy, world.member, lock=True)
    session.commit()
    pages = []
    for user in (world.people.chair, world.member):
        client = app.test_client()
        login(client, user)
        pages += [
            client.get("/panel"),
            client.get(f"/panel/{world.candidacy.public_id}"),
        ]
        if user is world.people.chair:
            pages += [
                client.get("/panel/conflicts"),
                client.get(f"/panel/{world.candidacy.public_id}/deliberation"),
            ]
    assert all(p.status_code == 200 for p in pages)
    for page in pages:
        for canary in (COMPLAINT_CANARY, CONTACT_CANARY, RESTRICTED_CANARY):
            assert canary.encode() not in page.data


def test_scores_are_saved_and_audited_when_every_value_has_a_rationale(app, session):
    world = make_world(session)
    criteria = session.scalars(sa.select(Criterion).order_by(Criterion.position)).all()
    client = app.test_client()
    login(client, world.member)
    data = {f"value_{criteria[0].id}": "4", f"rationale_{criteria[0].id}": "Outstanding record."}
    response = client.post(f"/panel/{world.candidacy.public_id}/scores", data=data)
    assert response.status_code == 302
    saved = session.scalars(sa.select(Score)).all()
    assert [(s.criterion_id, s.value, s.rationale) for s in saved] == [
        (criteria[0].id, 4, "Outstanding record.")
    ]
    assert AuditAction.SCORE_SAVE.value in audit_actions(session, world.member)


@pytest.mark.parametrize(
    ("value", "rationale", "message"),
    [
        ("3", "", "Every score needs a rationale."),
        ("7", "Good.", "Not a valid choice"),
        ("", "Rationale alone.", "Choose a value for this rationale."),
        ("", "", "Score at least one criterion."),
    ],
)
def test_scores_are_refused_and_nothing_saved_when_input_is_bad(
    app, session, value, rationale, message
):
    world = make_world(session)
    criterion = session.scalars(sa.select(Criterion).order_by(Criterion.position)).first()
    client = app.test_client()
    login(client, world.member)
    response = client.post(
        f"/panel/{world.candidacy.public_id}/scores",
        data={f"value_{criterion.id}": value, f"rationale_{criterion.id}": rationale},
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Score.id))) == 0


def test_lock_is_refused_when_a_criterion_is_unscored(app, session):
    world = make_world(session)
    client = app.test_client()
    login(client, world.member)
    response = client.post(f"/panel/{world.candidacy.public_id}/lock", follow_redirects=True)
    assert b"still have no score" in response.data
    session.expire_all()
    assert assignment(session, world.candidacy, world.member).locked_at is None


def test_lock_records_and_notifies_chair_when_last_reviewer_locks(app, session):
    world = make_world(session)
    score(session, world.candidacy, world.people.chair, lock=True)
    score(session, world.candidacy, world.member)
    session.commit()
    client = app.test_client()
    login(client, world.member)
    response = client.post(f"/panel/{world.candidacy.public_id}/lock")
    assert response.status_code == 302
    session.expire_all()
    assert assignment(session, world.candidacy, world.member).locked_at is not None
    assert AuditAction.SCORE_LOCK.value in audit_actions(session, world.member)
    assert session.scalar(
        sa.select(sa.func.count(Notice.id)).where(
            Notice.kind == "all_locked", Notice.recipient_user_id == world.people.chair.id
        )
    )


def test_dossier_hides_other_rationales_when_my_scores_are_not_locked(app, session):
    world = make_world(session)
    score(session, world.candidacy, world.member, rationale="CANARY-member-rationale", lock=True)
    score(session, world.candidacy, world.people.chair, rationale="my own draft")
    session.commit()
    client = app.test_client()
    login(client, world.people.chair)
    page = client.get(f"/panel/{world.candidacy.public_id}").get_data(as_text=True)
    assert "my own draft" in page
    assert "CANARY-member-rationale" not in page
    # No sheet of the panel's scores (the interview invitation lists the members, not scores).
    assert 'id="panel-scores-h"' not in page
    session.expire_all()
    assert assignment(session, world.candidacy, world.people.chair).first_saw_others_at is None
    assert AuditAction.SCORES_FIRST_SEEN.value not in audit_actions(session, world.people.chair)


def test_dossier_hides_unlocked_drafts_of_others_when_my_scores_are_locked(app, session):
    world = make_world(session)
    score(session, world.candidacy, world.member, rationale="CANARY-member-draft")
    score(session, world.candidacy, world.people.chair, lock=True)
    session.commit()
    client = app.test_client()
    login(client, world.people.chair)
    page = client.get(f"/panel/{world.candidacy.public_id}").get_data(as_text=True)
    assert "CANARY-member-draft" not in page


def test_dossier_shows_everyones_scores_and_records_first_exposure_once_when_locked(app, session):
    world = make_world(session)
    score(
        session,
        world.candidacy,
        world.member,
        rationale="CANARY-member-rationale",
        value=2,
        lock=True,
    )
    score(session, world.candidacy, world.people.chair, value=4, lock=True)
    session.commit()
    client = app.test_client()
    login(client, world.people.chair)
    page = client.get(f"/panel/{world.candidacy.public_id}").get_data(as_text=True)
    assert "CANARY-member-rationale" in page
    assert "Mean 3.0, median 3.0, spread 2" in page
    client.get(f"/panel/{world.candidacy.public_id}")
    session.expire_all()
    assert assignment(session, world.candidacy, world.people.chair).first_saw_others_at is not None
    assert (
        audit_actions(session, world.people.chair).count(AuditAction.SCORES_FIRST_SEEN.value) == 1
    )


def test_scale_words_match_rubric_when_translated_catalogue_is_english(app):
    with app.test_request_context():
        assert {k: str(v) for k, v in SCALE_WORDS.items()} == SCALE


# -- the chair ----------------------------------------------------------------------------


def test_conflicts_go_to_an_unconflicted_chair_when_the_chair_is_conflicted(app, session):
    world = make_world(session)
    other = nominate(session, world.people, _election(session, world), name="Bo Chen", state="CHL")
    declare(session, other, world.member, conflict=True, details="CANARY-member-details")
    declare(session, other, world.people.chair, conflict=True, details="CANARY-chair-own")
    session.commit()
    # The chair has a conflict on this candidacy: they decide neither their own nor another's.
    client = app.test_client()
    login(client, world.people.chair)
    page = client.get("/panel/conflicts").get_data(as_text=True)
    assert "CANARY-member-details" not in page and "CANARY-chair-own" not in page
    # The co-chair, assigned and without a conflict on it, decides both.
    cochair = app.test_client()
    login(cochair, world.cochair)
    page = cochair.get("/panel/conflicts").get_data(as_text=True)
    assert "CANARY-member-details" in page and "CANARY-chair-own" in page and "Bo Chen" in page
    # Decided declarations (the recusals of the world) are no longer awaiting.
    assert "Same nominating State." not in page


def test_decide_recuses_reviewer_and_audits_when_chair_decides(app, session):
    world = make_world(session)
    other = nominate(session, world.people, _election(session, world), name="Bo Chen", state="CHL")
    declare(session, other, world.member, conflict=True, details="Former colleague.")
    session.commit()
    target = assignment(session, other, world.member)
    client = app.test_client()
    login(client, world.people.chair)
    response = client.post(
        f"/panel/assignments/{target.id}/decide",
        data={f"a{target.id}-decision": "recuse", f"a{target.id}-reason": "Close colleague."},
    )
    assert response.status_code == 302
    session.expire_all()
    assert assignment(session, other, world.member).conflict_status is ConflictStatus.RECUSED
    assert AuditAction.CONFLICT_DECIDE.value in audit_actions(session, world.people.chair)
    member = app.test_client()
    login(member, world.member)
    assert member.get(f"/panel/{other.public_id}").status_code == 404
    assert b"Bo Chen" not in member.get("/panel").data


def test_decide_is_refused_and_changes_nothing_when_reason_is_missing(app, session):
    world = make_world(session)
    other = nominate(session, world.people, _election(session, world), name="Bo Chen", state="CHL")
    declare(session, other, world.member, conflict=True, details="Former colleague.")
    session.commit()
    target = assignment(session, other, world.member)
    client = app.test_client()
    login(client, world.people.chair)
    response = client.post(
        f"/panel/assignments/{target.id}/decide",
        data={f"a{target.id}-decision": "manage", f"a{target.id}-reason": ""},
        follow_redirects=True,
    )
    assert b"Give the reasons." in response.data
    session.expire_all()
    assert assignment(session, other, world.member).conflict_status is ConflictStatus.DECLARED


def test_decide_answers_404_when_chair_is_recused_on_the_candidacy(app, session):
    world = make_world(session)
    # The co-chair is recused on the candidacy; a member's declaration there is not theirs.
    other_member = world.people.members[0]
    other = nominate(session, world.people, _election(session, world), name="Bo Chen", state="CHL")
    declare(session, other, other_member, conflict=True, details="Former colleague.")
    session.commit()
    pending = assignment(session, other, other_member)
    recused_case = assignment(session, world.candidacy, world.recused_member)
    client = app.test_client()
    login(client, world.cochair)
    assert b"Bo Chen" in client.get("/panel/conflicts").data
    assert b"Amina Diallo" not in client.get("/panel/conflicts").data
    response = client.post(
        f"/panel/assignments/{recused_case.id}/decide",
        data={f"a{recused_case.id}-decision": "manage", f"a{recused_case.id}-reason": "x"},
    )
    assert response.status_code == 404
    assert pending.id != recused_case.id


def test_interview_is_refused_with_reason_when_a_reviewer_has_not_locked(app, session):
    world = make_world(session)
    score(session, world.candidacy, world.people.chair, lock=True)
    session.commit()
    client = app.test_client()
    login(client, world.people.chair)
    response = client.post(
        f"/panel/{world.candidacy.public_id}/interview",
        data=interview_form(present=(world.people.chair.id,)),
        follow_redirects=True,
    )
    assert b"have not locked their scores" in response.data
    session.expire_all()
    assert session.get(Candidacy, world.candidacy.id).stage is Stage.PAPER_SCORING


def test_deliberation_open_is_refused_with_reason_when_due_diligence_is_open(app, session):
    world = make_world(session, diligence_done=False)
    score_all(session, world.people, world.candidacy)
    session.commit()
    client = app.test_client()
    login(client, world.people.chair)
    page = client.get(f"/panel/{world.candidacy.public_id}").get_data(as_text=True)
    assert "Open deliberation" in page
    response = client.post(
        f"/panel/{world.candidacy.public_id}/deliberation/open", follow_redirects=True
    )
    assert b"Due diligence is not closed" in response.data
    session.expire_all()
    assert session.get(Candidacy, world.candidacy.id).stage is Stage.PAPER_SCORING


def test_interview_and_deliberation_move_the_stage_when_everyone_has_locked(app, session):
    world = make_world(session)
    score_all(session, world.people, world.candidacy)
    session.commit()
    client = app.test_client()
    login(client, world.people.chair)
    assert (
        client.post(
            f"/panel/{world.candidacy.public_id}/interview",
            data=interview_form(present=(world.people.chair.id,)),
        ).status_code
        == 302
    )
    session.expire_all()
    assert session.get(Candidacy, world.candidacy.id).stage is Stage.INTERVIEW
    assert session.scalar(
        sa.select(sa.func.count(Notice.id)).where(Notice.kind == "interview_invitation")
    )
    score_all(session, world.people, world.candidacy)  # the criteria scored after the interview
    session.commit()
    response = client.post(f"/panel/{world.candidacy.public_id}/deliberation/open")
    assert response.headers["Location"].endswith(f"/panel/{world.candidacy.public_id}/deliberation")
    session.expire_all()
    assert session.get(Candidacy, world.candidacy.id).stage is Stage.DELIBERATION


def test_deliberation_redirects_to_dossier_when_chair_has_not_locked(app, session):
    world = make_world(session)
    score(session, world.candidacy, world.member, rationale="CANARY-member-rationale", lock=True)
    session.commit()
    client = app.test_client()
    login(client, world.people.chair)
    response = client.get(f"/panel/{world.candidacy.public_id}/deliberation")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/panel/{world.candidacy.public_id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lock your own scores" in page
    assert "CANARY-member-rationale" not in page


def _deliberating_world(session, *, members=2, outcome=IntegrityOutcome.NO_ADVERSE_INFORMATION):
    world = make_world(session, members=members, diligence_done=False)
    diligence.record_integrity_outcome(
        session, world.people.vetting_officer, world.candidacy, outcome=outcome, memo=MEMO
    )
    # Through the interview when the rubric scores criteria after it; straight otherwise.
    walk(session, world.people, world.candidacy, Stage.DELIBERATION)
    session.commit()
    return world


def test_deliberation_shows_scores_summary_and_memo_and_audits_when_chair(app, session):
    world = _deliberating_world(session)
    client = app.test_client()
    login(client, world.people.chair)
    page = client.get(f"/panel/{world.candidacy.public_id}/deliberation")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Morgan Member 1" in text and "M1: assessed on the dossier." in text
    assert "Mean 3.0, median 3.0, spread 0" in text
    assert MEMO in text
    assert "Casey Cochair" not in text and "Morgan Member 2" not in text  # recused
    actions = audit_actions(session, world.people.chair)
    assert AuditAction.DOSSIER_READ.value in actions
    assert AuditAction.INTEGRITY_MEMO_READ.value in actions


def test_finding_is_adopted_and_notified_when_outcome_is_not_adverse(app, session):
    world = _deliberating_world(session)
    client = app.test_client()
    login(client, world.people.chair)
    response = client.post(
        f"/panel/{world.candidacy.public_id}/finding",
        data={
            "merit_category": "highly_qualified",
            "reasons": "M1-M7 strong.",
            "dissent": "",
            **finding_fields(session, world.candidacy),
        },
    )
    assert response.status_code == 302
    session.expire_all()
    finding = session.scalars(sa.select(Finding)).one()
    assert finding.merit_category.value == "highly_qualified"
    assert session.get(Candidacy, world.candidacy.id).stage is Stage.FINDING_ADOPTED
    assert session.scalar(
        sa.select(sa.func.count(Notice.id)).where(Notice.kind == "finding_adopted")
    )
    page = client.get(f"/panel/{world.candidacy.public_id}/deliberation").get_data(as_text=True)
    assert "M1-M7 strong." in page and "Highly qualified" in page


def test_finding_is_refused_and_nothing_adopted_when_merit_category_is_unknown(app, session):
    world = _deliberating_world(session)
    client = app.test_client()
    login(client, world.people.chair)
    response = client.post(
        f"/panel/{world.candidacy.public_id}/finding",
        data={"merit_category": "superb", "reasons": "x"},
    )
    assert response.status_code == 422
    assert b"Not a valid choice" in response.data
    assert session.scalar(sa.select(sa.func.count(Finding.id))) == 0


def test_adverse_notice_then_finding_refused_while_reply_window_is_open(app, session):
    world = _deliberating_world(session, outcome=IntegrityOutcome.CONCERNS_NOTED)
    client = app.test_client()
    login(client, world.people.chair)
    page = client.get(f"/panel/{world.candidacy.public_id}/deliberation").get_data(as_text=True)
    assert 'value="10"' in page  # the configured reply window is the default
    response = client.post(
        f"/panel/{world.candidacy.public_id}/adverse-notice",
        data={"summary": "A concern about conduct towards staff.", "window_days": "10"},
    )
    assert response.status_code == 302
    notice = session.scalars(sa.select(AdverseNotice)).one()
    assert notice.summary == "A concern about conduct towards staff."
    assert session.scalar(
        sa.select(sa.func.count(Notice.id)).where(Notice.kind == "adverse_notice")
    )
    refused = client.post(
        f"/panel/{world.candidacy.public_id}/finding",
        data={
            "merit_category": "qualified",
            "reasons": "Reasons.",
            **finding_fields(session, world.candidacy),
        },
    )
    assert refused.status_code == 422
    assert b"reply window is still open" in refused.data
    assert session.scalar(sa.select(sa.func.count(Finding.id))) == 0


def test_adverse_notice_is_refused_and_nothing_sent_when_summary_is_empty(app, session):
    world = _deliberating_world(session, outcome=IntegrityOutcome.CONCERNS_NOTED)
    client = app.test_client()
    login(client, world.people.chair)
    response = client.post(
        f"/panel/{world.candidacy.public_id}/adverse-notice",
        data={"summary": "", "window_days": "10"},
    )
    assert response.status_code == 422
    assert b"Write the summary." in response.data
    assert session.scalar(sa.select(sa.func.count(AdverseNotice.id))) == 0


def test_deliberation_runs_the_same_number_of_queries_when_the_panel_grows(app, session):
    small = _deliberating_world(session, members=2)
    small_client = app.test_client()
    login(small_client, small.people.chair)
    # URLs are built before counting: reading an expired test object would add a statement.
    url = f"/panel/{small.candidacy.public_id}/deliberation"
    with counting_statements(app) as small_count:
        assert small_client.get(url).status_code == 200
    # A second, larger world in the same database: its own people, election and candidacy.
    people = make_people(session, domain="large.example.org", members=5)
    election = make_election(session, people, title="Election of the Prosecutor")
    large = nominate(session, people, election, name="Carla Ruiz", state="POL")
    walk(session, people, large, Stage.DELIBERATION)
    session.commit()
    reviewers = session.scalar(
        sa.select(sa.func.count(Assignment.id)).where(Assignment.candidacy_id == large.id)
    )
    assert reviewers > 2 * 3
    large_client = app.test_client()
    login(large_client, people.chair)
    url = f"/panel/{large.public_id}/deliberation"
    with counting_statements(app) as large_count:
        assert large_client.get(url).status_code == 200
    assert large_count[0] == small_count[0]
