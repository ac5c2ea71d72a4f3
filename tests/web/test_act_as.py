"""Acting as another user: an administrator sees exactly what the user sees, read-only, and the
audit log names the administrator for the start, the stop and every read in between."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.web.crawl import crawl, seeds
from tests.web.support import login
from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictKind
from vetting.extensions import db
from vetting.models import Assignment, AuditEntry, AuditHead, Candidacy, Score, User
from vetting.operations import accounts, panel
from vetting.scenarios import (
    DEFAULT_PASSWORD,
    People,
    add_focal_point,
    candidate_of,
    make_election,
    make_people,
    nominate,
    score_all,
    walk,
)
from vetting.web.accounts_loader import WriteWhileActing

REASON = "Support request 4711: the member cannot find their assignments."


@dataclass
class World:
    people: People
    visible: Candidacy
    hidden: Candidacy

    @property
    def member(self) -> User:
        return self.people.members[0]


def _assignment(session, candidacy: Candidacy, user: User) -> Assignment:
    return session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == user.id
        )
    )


@pytest.fixture
def world(session) -> World:
    people = make_people(session, members=2)
    election = make_election(session, people)
    add_focal_point(session, people, "ARG", "example.org")
    visible = nominate(session, people, election, name="Valentina Visible", state="ARG")
    hidden = nominate(session, people, election, name="Zuzanna Hidden-Name", state="POL")
    for candidacy in (visible, hidden):
        walk(session, people, candidacy, Stage.PAPER_SCORING)
    member = people.members[0]
    mine = _assignment(session, hidden, member)
    panel.declare_conflict(
        session, member, hidden, mine, has_conflict=True, kind=ConflictKind.PERSONAL, details="Kin."
    )
    panel.decide_conflict(session, people.chair, mine, recuse=True, reason="Family tie.")
    score_all(session, people, visible)
    session.commit()
    return World(people, visible, hidden)


def start(client: FlaskClient, user: User, reason: str = REASON):
    return client.post("/admin/act-as", data={"user": str(user.id), "reason": reason})


def acting_client(app: Flask, world: World, user: User) -> FlaskClient:
    client = app.test_client()
    login(client, world.people.admin)
    response = start(client, user)
    assert response.status_code == 302, response.get_data(as_text=True)
    # The first page shows the flashed confirmation; later pages show the banner only.
    assert "You now see the application as" in client.get("/me").get_data(as_text=True)
    return client


def entries(session, action: AuditAction) -> list[AuditEntry]:
    session.expire_all()
    return list(
        session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == action.value).order_by(AuditEntry.seq)
        )
    )


def head(session) -> int:
    session.expire_all()
    return session.get(AuditHead, 1).seq


def flat(html: str) -> str:
    return re.sub(r"\s+", " ", html)


# -- Starting, the banner, the effective identity ----------------------------------------------


def test_admin_sees_the_members_pages_with_a_banner_when_acting_as_them(app, world):
    client = app.test_client()
    login(client, world.people.admin)
    users = client.get("/admin/users").get_data(as_text=True)
    assert f'name="user" value="{world.member.id}"' in users
    # No "act as" form for oneself or another administrator.
    assert f'name="user" value="{world.people.admin.id}"' not in users

    assert start(client, world.member).headers["Location"].endswith("/me")
    home = flat(client.get("/me").get_data(as_text=True))
    assert "Acting as Morgan Member 1 (Panel member), read-only." in home
    assert "Signed in as Ada Admin." in home
    assert 'action="/admin/act-as/stop"' in home
    # The member's navigation and pages, not the administrator's.
    assert 'href="/panel"' in home and 'href="/admin/users"' not in home
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/panel").status_code == 200
    # The member's recusal and 404s: the hidden dossier does not exist for them.
    assert client.get(f"/panel/{world.hidden.public_id}").status_code == 404
    assert client.get(f"/panel/{world.visible.public_id}").status_code == 200
    assert "Zuzanna Hidden-Name" not in client.get("/panel").get_data(as_text=True)


def test_banner_is_absent_when_nobody_acts(app, world):
    client = app.test_client()
    login(client, world.member)
    assert "acting-banner" not in client.get("/me").get_data(as_text=True)
    login(client, world.people.admin)
    assert "acting-banner" not in client.get("/me").get_data(as_text=True)


def test_start_and_stop_are_audited_with_admin_user_and_reason_when_acting(app, world, session):
    client = acting_client(app, world, world.member)
    (started,) = entries(session, AuditAction.ACT_AS_START)
    assert started.actor_id == world.people.admin.id
    assert (started.object_type, started.object_id) == ("users", str(world.member.id))
    assert json.loads(started.data) == {
        "user": world.member.id,
        "role": "panel_member",
        "reason": REASON,
    }

    response = client.post("/admin/act-as/stop")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")
    (stopped,) = entries(session, AuditAction.ACT_AS_STOP)
    assert stopped.actor_id == world.people.admin.id
    assert json.loads(stopped.data) == {
        "user": world.member.id,
        "reason": REASON,
        "ended_by": "stop",
    }
    # Back to being the administrator, without the banner.
    page = client.get("/admin/users")
    assert page.status_code == 200 and "acting-banner" not in page.get_data(as_text=True)
    assert audit.verify(session).ok


def test_reads_while_acting_are_recorded_under_the_admin_when_pages_are_audited(
    app, world, session
):
    client = acting_client(app, world, world.member)
    before = head(session)
    assert client.get(f"/panel/{world.visible.public_id}").status_code == 200

    session.expire_all()
    written = list(session.scalars(sa.select(AuditEntry).where(AuditEntry.seq > before)))
    reads = [e for e in written if e.action == AuditAction.DOSSIER_READ.value]
    assert len(reads) == 1
    assert reads[0].actor_id == world.people.admin.id
    assert json.loads(reads[0].data)["as"] == world.member.id
    # Every entry of the page names the administrator; none claims the member read anything.
    assert written and all(e.actor_id == world.people.admin.id for e in written)
    assert all(json.loads(e.data)["as"] == world.member.id for e in written)
    # The member has locked, so the page shows the others' scores: that is the administrator's
    # exposure, not the member's, whose first sight stays unrecorded.
    assert "Morgan Member 2" in client.get(f"/panel/{world.visible.public_id}").get_data(
        as_text=True
    )
    assert _assignment(session, world.visible, world.member).first_saw_others_at is None
    assert not entries(session, AuditAction.SCORES_FIRST_SEEN)
    assert audit.verify(session).ok


def test_members_own_reads_are_still_recorded_as_theirs_when_nobody_acts(app, world, session):
    client = app.test_client()
    login(client, world.member)
    before = head(session)
    client.get(f"/panel/{world.visible.public_id}")
    session.expire_all()
    written = list(session.scalars(sa.select(AuditEntry).where(AuditEntry.seq > before)))
    assert {e.actor_id for e in written} == {world.member.id}
    assert all("as" not in json.loads(e.data) for e in written)
    assert _assignment(session, world.visible, world.member).first_saw_others_at is not None


# -- Read-only ---------------------------------------------------------------------------------


def _post_urls(app: Flask, world: World) -> list[tuple[str, str]]:
    values = {
        "public_id": world.visible.public_id,
        "election_id": world.visible.election_id,
        "assignment_id": 1,
        "notice_id": 1,
        "token": "not-a-real-token",
    }
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in ("admin.act_as_stop", "auth.logout"):
            continue
        args = {arg: values.get(arg, 1) for arg in rule.arguments}
        urls.append((rule.endpoint, adapter.build(rule.endpoint, args)))
    return urls


def test_every_unsafe_request_is_refused_with_a_message_when_acting(app, world, session):
    client = acting_client(app, world, world.member)
    before = head(session)
    scores_before = session.scalar(sa.select(sa.func.count(Score.id)))
    urls = _post_urls(app, world)
    assert {"panel.scores", "panel.lock", "panel.declare", "panel.decide", "auth.login"} <= {
        endpoint for endpoint, _ in urls
    }
    form = {"conflict": "no", "details": "", "reason": "x", "decision": "recuse"}
    for endpoint, url in urls:
        for method in (client.post, client.put, client.delete, client.patch):
            response = method(url, data=form)
            assert response.status_code == 403, f"{method.__name__} {endpoint}"
            assert "Read-only while acting as another user" in response.get_data(as_text=True)
    assert head(session) == before
    assert session.scalar(sa.select(sa.func.count(Score.id))) == scores_before
    # Still acting, and still allowed to read.
    assert client.get("/panel").status_code == 200


def test_acting_admin_cannot_score_for_the_member_when_csrf_is_on(csrf_app):
    with db.sessionmaker() as session:
        people = make_people(session, members=1)
        election = make_election(session, people)
        candidacy = nominate(session, people, election, name="Valentina Visible", state="ARG")
        walk(session, people, candidacy, Stage.PAPER_SCORING)
        member = people.members[0]
        panel.declare_conflict(
            session,
            member,
            candidacy,
            _assignment(session, candidacy, member),
            has_conflict=False,
            details="",
        )
        session.commit()
        public_id, member_id, admin_email = candidacy.public_id, member.id, people.admin.email
    client = csrf_app.test_client()

    def token(url: str) -> str:
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(url).text)
        assert found is not None
        return found[1]

    client.post(
        "/login",
        data={"email": admin_email, "password": DEFAULT_PASSWORD, "csrf_token": token("/login")},
    )
    response = client.post(
        "/admin/act-as",
        data={"user": member_id, "reason": REASON, "csrf_token": token("/admin/act-as")},
    )
    assert response.status_code == 302
    # A valid token from the member's own scoring page does not make the change possible.
    page_token = token(f"/panel/{public_id}")
    with db.sessionmaker() as session:
        before = head(session)
    response = client.post(f"/panel/{public_id}/lock", data={"csrf_token": page_token})
    assert response.status_code == 403
    with db.sessionmaker() as session:
        assert head(session) == before
    response = client.post("/admin/act-as/stop", data={"csrf_token": page_token})
    assert response.status_code == 302
    assert client.get("/admin/users").status_code == 200


def test_database_refuses_any_write_but_the_audit_log_when_acting(app, world):
    with db.sessionmaker() as session:
        session.info[audit.ACTING_KEY] = (world.people.admin.id, world.member.id)
        # Reads are audited, under the administrator.
        entry = audit.record(session, session.get(User, world.member.id), AuditAction.DOSSIER_READ)
        assert entry.actor_id == world.people.admin.id
        assert json.loads(entry.data) == {"as": world.member.id}
        member = session.get(User, world.member.id)
        member.full_name = "Changed while acting"
        with pytest.raises(WriteWhileActing, match="User"):
            session.flush()
        session.rollback()
    with db.sessionmaker() as session:
        assert session.get(User, world.member.id).full_name == "Morgan Member 1"


# -- What cannot be acted as, and by whom ------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "reason", "message"),
    [
        ("admin", REASON, "You cannot act as yourself."),
        ("other_admin", REASON, "You cannot act as another administrator."),
        ("vetting_officer", REASON, "Nobody acts as a vetting officer"),
        ("disabled", REASON, "You cannot act as a disabled account."),
        ("nobody", REASON, "There is no such user."),
        ("member", "   ", "This field is required."),
        ("member", "x" * 501, "Field cannot be longer than 500 characters."),
    ],
)
def test_starting_is_refused_and_changes_nothing_when_not_allowed(
    app, world, session, who, reason, message
):
    other_admin = accounts.create_user(
        session, None, email="admin2@example.org", full_name="Abe Admin", role=Role.ADMIN
    )
    disabled = accounts.create_user(
        session, None, email="gone@example.org", full_name="Gone", role=Role.PANEL_MEMBER
    )
    disabled.active = False
    session.commit()
    targets = {
        "admin": world.people.admin.id,
        "other_admin": other_admin.id,
        "disabled": disabled.id,
        "nobody": 9999,
        "member": world.member.id,
        "vetting_officer": world.people.vetting_officer.id,
    }
    client = app.test_client()
    login(client, world.people.admin)
    before = head(session)
    response = client.post("/admin/act-as", data={"user": str(targets[who]), "reason": reason})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert head(session) == before
    # Still the administrator.
    assert "acting-banner" not in client.get("/admin/users").get_data(as_text=True)


def test_the_form_offers_only_users_who_may_be_acted_as_when_shown(app, world, session):
    accounts.create_user(
        session, None, email="admin2@example.org", full_name="Abe Admin", role=Role.ADMIN
    )
    session.commit()
    client = app.test_client()
    login(client, world.people.admin)
    page = client.get("/admin/act-as").get_data(as_text=True)
    assert "Morgan Member 1 (Panel member, member1@example.org)" in page
    assert "Abe Admin" not in page and "Ada Admin (Administrator" not in page
    assert "Val Vetting" not in page


@pytest.mark.parametrize("role", ["secretariat", "chair", "member", "vetting_officer"])
def test_only_administrators_may_act_as_someone_when_they_try(app, world, session, role):
    user = {
        "secretariat": world.people.secretariat,
        "chair": world.people.chair,
        "member": world.member,
        "vetting_officer": world.people.vetting_officer,
    }[role]
    client = app.test_client()
    login(client, user)
    before = head(session)
    assert client.get("/admin/act-as").status_code == 403
    assert start(client, world.people.members[1]).status_code == 403
    assert head(session) == before


def test_acting_cannot_be_nested_when_already_acting(app, world, session):
    client = acting_client(app, world, world.member)
    before = head(session)
    assert client.get("/admin/act-as").status_code == 403
    assert start(client, world.people.members[1]).status_code == 403
    assert head(session) == before
    assert "Acting as Morgan Member 1" in client.get("/me").get_data(as_text=True)
    # The operation refuses it too, whatever the page does.
    from vetting.operations import acting
    from vetting.operations.errors import Refused

    with pytest.raises(Refused, match="already acting as Morgan Member 1"):
        acting.start_acting(
            session, world.people.admin, world.people.members[1], REASON, acting_as=world.member
        )


# -- How acting ends ---------------------------------------------------------------------------


def test_signing_out_ends_acting_and_only_the_admins_sessions_when_acting(app, world, session):
    client = acting_client(app, world, world.member)
    member_epoch = world.member.session_epoch
    admin_epoch = session.get(User, world.people.admin.id).session_epoch
    member_client = app.test_client()
    login(member_client, world.member)

    assert client.post("/logout").status_code == 302
    (stopped,) = entries(session, AuditAction.ACT_AS_STOP)
    assert json.loads(stopped.data)["ended_by"] == "logout"
    (logout,) = entries(session, AuditAction.LOGOUT)
    assert (logout.actor_id, logout.object_id) == (
        world.people.admin.id,
        str(world.people.admin.id),
    )
    session.expire_all()
    assert session.get(User, world.people.admin.id).session_epoch == admin_epoch + 1
    assert session.get(User, world.member.id).session_epoch == member_epoch
    # Signed out; the member's own session lives on.
    assert client.get("/me").status_code == 302
    assert member_client.get("/me").status_code == 200


def test_acting_ends_with_the_admins_session_when_its_epoch_changes(app, world, session):
    client = acting_client(app, world, world.member)
    admin = session.get(User, world.people.admin.id)
    accounts.set_password(session, admin, admin, "a new and long admin passphrase")
    session.commit()
    response = client.get("/panel")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_acting_survives_the_users_own_sign_out_elsewhere_when_only_theirs_ends(
    app, world, session
):
    member_client = app.test_client()
    login(member_client, world.member)
    client = acting_client(app, world, world.member)
    member_client.post("/logout")
    # The member's sessions ended; the administrator's, acting as them, is not theirs.
    assert member_client.get("/me").status_code == 302
    assert "Acting as Morgan Member 1" in client.get("/me").get_data(as_text=True)
    assert client.get("/panel").status_code == 200


@pytest.mark.parametrize("change", ["disabled", "made_admin"])
def test_acting_ends_and_is_recorded_when_the_user_becomes_ineligible(app, world, session, change):
    client = acting_client(app, world, world.member)
    member = session.get(User, world.member.id)
    if change == "disabled":
        member.active = False
    else:
        member.role = Role.ADMIN
    session.commit()

    page = client.get("/me").get_data(as_text=True)
    assert "acting-banner" not in page
    assert "Acting as another user has ended" in page
    (stopped,) = entries(session, AuditAction.ACT_AS_STOP)
    assert stopped.actor_id == world.people.admin.id
    assert json.loads(stopped.data)["ended_by"] == "ineligible"
    assert client.get("/admin/users").status_code == 200


def test_stop_changes_nothing_when_not_acting(app, world, session):
    client = app.test_client()
    login(client, world.member)
    before = head(session)
    response = client.post("/admin/act-as/stop")
    assert response.status_code == 302
    assert head(session) == before


def test_signing_in_again_is_refused_until_acting_stops_when_acting(app, world, session):
    client = acting_client(app, world, world.member)
    response = client.post(
        "/login", data={"email": world.people.chair.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 403
    assert "Acting as Morgan Member 1" in client.get("/me").get_data(as_text=True)
    client.post("/admin/act-as/stop")
    login(client, world.people.chair)
    page = client.get("/me").get_data(as_text=True)
    assert "acting-banner" not in page and "Signed in as Chris Chair." in page


# -- Exactly what the user sees ----------------------------------------------------------------


def _first_difference(own: str, acting: str) -> tuple[str, str]:
    at = next(
        (i for i, (a, b) in enumerate(zip(own, acting, strict=False)) if a != b),
        min(len(own), len(acting)),
    )
    return own[max(0, at - 40) : at + 80], acting[max(0, at - 40) : at + 80]


# Not the vetting officer: nobody may act as one (restricted material is theirs alone).
ROLES = ["secretariat", "chair", "member", "candidate", "focal_point"]
# Pages whose content changes with every read: the audit log lists the crawl's own reads.
VOLATILE = ("/admin/audit",)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_the_users_own_when_an_admin_acts_as_them(app, world, session, role):
    user = {
        "secretariat": world.people.secretariat,
        "chair": world.people.chair,
        "member": world.member,
        "vetting_officer": world.people.vetting_officer,
        "candidate": candidate_of(session, world.visible),
        "focal_point": world.people.focal_points["ARG"],
    }[role]
    if role == "candidate":
        accounts.set_password(session, None, user, DEFAULT_PASSWORD)
        session.commit()
    start_urls = seeds(app, session, user.role)
    # Acting first: it leaves the user's state as it was (no first exposure is recorded for
    # them), so that the user's own crawl then meets the same state.
    acting = crawl(app, acting_client(app, world, user), start_urls)
    own = app.test_client()
    login(own, user)
    theirs = crawl(app, own, start_urls)

    assert {u: p.status for u, p in acting.items()} == {u: p.status for u, p in theirs.items()}
    assert all(p.status < 500 for p in acting.values())
    assert sum(p.status == 200 for p in theirs.values()) >= 3
    different = {
        url: _first_difference(page.main, acting[url].main)
        for url, page in theirs.items()
        if page.status == 200 and not url.startswith(VOLATILE) and page.main != acting[url].main
    }
    assert different == {}
    without_banner = [
        url
        for url, p in acting.items()
        if p.status == 200 and "<html" in p.body and "acting-banner" not in p.body
    ]
    assert without_banner == []
