"""The secretariat's panel pages (members, balance, assignments by hand and automatically) and
the administrator's gender field, over HTTP."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.roles import Role
from vetting.domain.vocabulary import ConflictStatus, Gender
from vetting.models import Assignment, AuditEntry, AuditHead, PanelMembership, User
from vetting.operations import Refused, accounts, nominations, panel, panels, staffing
from vetting.scenarios import make_election, make_people, nominate


def _seq(session) -> int:
    return session.get(AuditHead, 1, populate_existing=True).seq


def _pairs(session) -> set[tuple[int, int]]:
    return set(session.execute(sa.select(Assignment.candidacy_id, Assignment.reviewer_id)).all())


def _text(html: str) -> str:
    """The page's text with tags and extra spaces removed, for phrases split by markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _world(session, *, seat_panel=True, members=3):
    people = make_people(session, members=members)
    election = make_election(session, people, seat_panel=seat_panel)
    session.commit()
    return people, election


def _secretariat(app, people):
    client = app.test_client()
    login(client, people.secretariat)
    return client


# -- The panel page -----------------------------------------------------------------------------


def test_panel_page_shows_each_member_and_the_balance_with_plain_flags(app, session):
    people, election = _world(session)
    # Chair: Iceland; members: New Zealand, Latvia, Ireland.
    staffing.set_gender(session, None, people.chair, Gender.FEMALE)
    staffing.set_gender(session, None, people.members[0], Gender.FEMALE)
    staffing.set_gender(session, None, people.members[1], Gender.FEMALE)
    session.commit()
    page = _secretariat(app, people).get(f"/secretariat/elections/{election.id}/panel")
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True))
    assert "Chris Chair Chair Iceland Western European and Other States Group Female" in text
    assert "Morgan Member 2 Member Latvia Eastern European Group Female" in text
    assert (
        "Morgan Member 3 Member Ireland Western European and Other States Group not recorded"
        in (text)
    )
    # Every group listed, zero included: WEOG 3, EEG 1, the others 0.
    assert "African Group 0" in text
    assert "Asia-Pacific Group 0" in text
    assert "Eastern European Group 1" in text
    assert "Latin American and Caribbean Group 0" in text
    assert "Western European and Other States Group 3" in text
    assert "Female 3 Male 0 Other 0 Gender not recorded 1" in text
    assert "No member from the African Group." in text
    assert "No member from the Asia-Pacific Group." in text
    assert "No member from the Latin American and Caribbean Group." in text
    assert "More than half of the members (3 of 4) come from the Western European" in text
    # 3 women of the 3 whose gender is recorded: more than two thirds.
    assert (
        "More than two thirds of one gender: 3 of the 3 members whose gender is recorded are "
        "female." in text
    )
    assert "The gender of 1 member is not recorded" in text


def test_election_page_links_to_the_panel_and_the_assignments(app, session):
    people, election = _world(session)
    page = _secretariat(app, people).get(f"/secretariat/elections/{election.id}")
    html = page.get_data(as_text=True)
    assert f"/secretariat/elections/{election.id}/panel" in html
    assert f"/secretariat/elections/{election.id}/assignments" in html


def test_seating_through_the_page_adds_the_member_and_lists_only_the_unseated(app, session):
    people, election = _world(session, seat_panel=False)
    client = _secretariat(app, people)
    page = client.get(f"/secretariat/elections/{election.id}/panel").get_data(as_text=True)
    assert "Nobody sits on this panel yet." in page
    assert f'<option value="{people.chair.id}">Chris Chair (Iceland)</option>' in page
    response = client.post(
        f"/secretariat/elections/{election.id}/panel/seat", data={"member": people.chair.id}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Chris Chair now sits on the panel." in page
    assert f'<option value="{people.chair.id}">' not in page
    assert session.scalar(sa.select(PanelMembership.member_id)) == people.chair.id


def test_seating_someone_who_is_not_on_the_panel_staff_is_refused_with_a_message(app, session):
    people, election = _world(session, seat_panel=False)
    client = _secretariat(app, people)
    seq = _seq(session)
    response = client.post(
        f"/secretariat/elections/{election.id}/panel/seat",
        data={"member": people.vetting_officer.id},
        follow_redirects=True,
    )
    assert "Val Vetting is not a panel chair or panel member" in response.get_data(as_text=True)
    assert _seq(session) == seq
    assert session.scalar(sa.select(sa.func.count()).select_from(PanelMembership)) == 0


def test_unseating_through_the_page_removes_undeclared_assignments(app, session):
    people, election = _world(session)
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    session.commit()
    member = people.members[2]
    response = _secretariat(app, people).post(
        f"/secretariat/elections/{election.id}/panel/unseat",
        data={"member": member.id},
        follow_redirects=True,
    )
    assert (
        "Morgan Member 3 no longer sits on the panel; 1 undeclared assignment was removed."
        in response.get_data(as_text=True)
    )
    assert (candidacy.id, member.id) not in _pairs(session)


def test_unseating_a_member_who_declared_is_refused_and_changes_nothing(app, session):
    people, election = _world(session)
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    member = people.members[0]
    assignment = session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == member.id
        )
    )
    panel.declare_conflict(session, member, candidacy, assignment, has_conflict=False, details="")
    session.commit()
    client = _secretariat(app, people)
    seq, pairs = _seq(session), _pairs(session)
    response = client.post(
        f"/secretariat/elections/{election.id}/panel/unseat",
        data={"member": member.id},
        follow_redirects=True,
    )
    assert "has already declared on 1 candidacy(ies)" in response.get_data(as_text=True)
    assert (_seq(session), _pairs(session)) == (seq, pairs)


# -- The assignment page --------------------------------------------------------------------------


def test_a_detected_conflict_is_shown_before_and_after_a_hand_assignment(app, session):
    people, election = _world(session)
    member = people.members[0]  # New Zealand
    candidacy = nominate(session, people, election, name="Aroha Ngata", state="NZL")
    session.commit()
    client = _secretariat(app, people)
    url = f"/secretariat/elections/{election.id}/assignments"
    before = client.get(url).get_data(as_text=True)
    # The member was left out at nomination; the cell offers the assignment, with the flag.
    assert (candidacy.id, member.id) not in _pairs(session)
    cell = _cell(before, candidacy.public_id, member)
    assert "Detected: Same nationality as the candidate" in cell
    assert f'name="member" value="{member.id}"' in cell
    response = client.post(
        f"{url}/new",
        data={"candidacy": candidacy.public_id, "member": member.id},
        follow_redirects=True,
    )
    after = response.get_data(as_text=True)
    assert "Morgan Member 1 is assigned to Aroha Ngata. A conflict is detected" in after
    assert (candidacy.id, member.id) in _pairs(session)
    cell = _cell(after, candidacy.public_id, member)
    assert "Not declared yet" in cell
    assert "Detected: Same nationality as the candidate" in cell
    assert "Detected: My State nominated the candidate" in cell


def _cell(html: str, public_id: str, member: User) -> str:
    """The grid cell of one candidacy (row) and one member (column)."""
    row = html.split(f"/secretariat/candidacies/{public_id}")[1].split("</tr>")[0]
    header = html.split('id="assignment-grid"')[1].split("</thead>")[0]
    names = [n.strip() for n in re.findall(r'<th scope="col">([^<]+)', header)]
    column = names.index(member.full_name) - 2  # after "Candidacy" and "Reviewers"
    cells = row.split("<td>")[2:]
    return cells[column]


def test_removing_an_undeclared_assignment_through_the_page(app, session):
    people, election = _world(session)
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    session.commit()
    assignment_id = session.scalar(
        sa.select(Assignment.id).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == people.chair.id
        )
    )
    response = _secretariat(app, people).post(
        f"/secretariat/elections/{election.id}/assignments/remove",
        data={"assignment": assignment_id},
        follow_redirects=True,
    )
    assert "Chris Chair is no longer assigned to A B." in response.get_data(as_text=True)
    assert (candidacy.id, people.chair.id) not in _pairs(session)
    entry = session.scalar(sa.select(AuditEntry).order_by(AuditEntry.seq.desc()))
    assert entry.action == "assignment:remove"


def test_an_assignment_of_another_election_cannot_be_removed_from_this_page(app, session):
    people, election = _world(session)
    other = make_election(session, people, title="Other")
    candidacy = nominate(session, people, other, name="A B", state="SEN")
    session.commit()
    assignment_id = session.scalar(
        sa.select(Assignment.id).where(Assignment.candidacy_id == candidacy.id)
    )
    client = _secretariat(app, people)
    seq = _seq(session)
    response = client.post(
        f"/secretariat/elections/{election.id}/assignments/remove",
        data={"assignment": assignment_id},
        follow_redirects=True,
    )
    assert "This assignment does not exist in this election." in response.get_data(as_text=True)
    assert _seq(session) == seq


def test_a_withdrawn_candidacy_offers_no_assignment_and_refuses_one(app, session):
    people, election = _world(session, seat_panel=False)
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    nominations.withdraw_candidacy(
        session, people.secretariat, candidacy, reason="The State withdrew it."
    )
    panels.seat_member(session, people.secretariat, election, people.chair)
    session.commit()
    client = _secretariat(app, people)
    url = f"/secretariat/elections/{election.id}/assignments"
    cell = _cell(client.get(url).get_data(as_text=True), candidacy.public_id, people.chair)
    assert "Assign" not in cell
    seq = _seq(session)
    response = client.post(
        f"{url}/new",
        data={"candidacy": candidacy.public_id, "member": people.chair.id},
        follow_redirects=True,
    )
    assert "The candidacy of A B is withdrawn: it takes no new reviewer." in response.get_data(
        as_text=True
    )
    assert _seq(session) == seq
    assert _pairs(session) == set()


def test_automatic_assignment_everyone_then_balanced_through_the_page(app, session):
    people, election = _world(session, seat_panel=False)
    sen = nominate(session, people, election, name="A Senegal", state="SEN")
    nzl = nominate(session, people, election, name="B Zealand", state="NZL")
    for member in people.panel:
        panels.seat_member(session, people.secretariat, election, member)
    session.commit()
    client = _secretariat(app, people)
    url = f"/secretariat/elections/{election.id}/assignments/automatic"
    response = client.post(url, data={"mode": "balanced", "reviewers": 4, "cap": 2})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # 4 members x cap 2 = 8 places; Senegal gets 4; New Zealand 3 (member 1 is a national).
    assert "7 assignments made over 2 candidacies open for assignment." in page
    assert "1 member x candidacy pair was left out for a detected conflict." in page
    assert (
        "B Zealand has 3 reviewer(s) of the 4 wanted: only 3 seated members may review it (the "
        "others have a detected conflict or are recused)." in page
    )
    assert (nzl.id, people.members[0].id) not in _pairs(session)
    assert len([p for p in _pairs(session) if p[0] == sen.id]) == 4
    # Everyone mode afterwards: nothing left to make.
    response = client.post(url, data={"mode": "everyone"}, follow_redirects=True)
    assert "0 assignments made over 2 candidacies" in response.get_data(as_text=True)


def test_balanced_mode_without_a_cap_is_refused_with_a_message_and_changes_nothing(app, session):
    people, election = _world(session, seat_panel=False)
    nominate(session, people, election, name="A Senegal", state="SEN")
    panels.seat_member(session, people.secretariat, election, people.chair)
    session.commit()
    client = _secretariat(app, people)
    seq = _seq(session)
    response = client.post(
        f"/secretariat/elections/{election.id}/assignments/automatic",
        data={"mode": "balanced", "reviewers": 2},
        follow_redirects=True,
    )
    assert "Give the most assignments a member may carry" in response.get_data(as_text=True)
    assert _seq(session) == seq
    assert _pairs(session) == set()


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(csrf_app, session):
    people, election = _world(session, seat_panel=False)
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/login",
        data={
            "email": people.secretariat.email,
            "password": "correct horse battery staple",
            "csrf_token": token,
        },
    )
    seq = _seq(session)
    response = client.post(
        f"/secretariat/elections/{election.id}/panel/seat", data={"member": people.chair.id}
    )
    assert response.status_code == 400
    assert _seq(session) == seq
    page = client.get(f"/secretariat/elections/{election.id}/panel").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/secretariat/elections/{election.id}/panel/seat",
        data={"member": people.chair.id, "csrf_token": token},
    )
    assert response.status_code == 302
    assert session.scalar(sa.select(PanelMembership.member_id)) == people.chair.id


# -- The administrator records genders ------------------------------------------------------------


def test_inviting_a_panel_member_records_the_gender(app, session):
    people = make_people(session)
    session.commit()
    client = app.test_client()
    login(client, people.admin)
    response = client.post(
        "/admin/users/new",
        data={
            "email": "new.member@example.org",
            "full_name": "Nia New",
            "role": "panel_member",
            "state_code": "GHA",
            "gender": "female",
            "language": "en",
        },
    )
    assert response.status_code == 302
    user = session.scalar(sa.select(User).where(User.email == "new.member@example.org"))
    assert user.gender is Gender.FEMALE
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account:gender_set"))
    assert entry.object_id == str(user.id)


def test_a_gender_for_a_role_off_the_panel_is_refused_and_nobody_is_created(app, session):
    people = make_people(session)
    session.commit()
    client = app.test_client()
    login(client, people.admin)
    seq = _seq(session)
    response = client.post(
        "/admin/users/new",
        data={
            "email": "sec@example.org",
            "full_name": "Sol Sec",
            "role": "secretariat",
            "gender": "male",
            "language": "en",
        },
    )
    assert "A gender is recorded only for panel chairs and members" in response.get_data(
        as_text=True
    )
    assert session.scalar(sa.select(User).where(User.email == "sec@example.org")) is None
    assert _seq(session) == seq


def test_the_gender_of_a_panel_member_can_be_changed_later_from_the_users_list(app, session):
    people = make_people(session)
    session.commit()
    member = people.members[0]
    client = app.test_client()
    login(client, people.admin)
    users = client.get("/admin/users").get_data(as_text=True)
    assert f'id="gender-{member.id}"' in users
    assert f'id="gender-{people.secretariat.id}"' not in users
    response = client.post("/admin/users/gender", data={"user": member.id, "gender": "male"})
    assert response.status_code == 302
    session.refresh(member)
    assert member.gender is Gender.MALE
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Gender: Male" in page
    seq = _seq(session)
    page = client.post(
        "/admin/users/gender",
        data={"user": people.secretariat.id, "gender": "male"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "A gender is recorded only for panel chairs and members" in page
    assert _seq(session) == seq


def test_only_an_administrator_records_a_gender(session):
    people = make_people(session)
    with pytest.raises(Refused, match="Only an administrator"):
        staffing.set_gender(session, people.secretariat, people.chair, Gender.MALE)
    assert people.chair.gender is None


def test_a_hand_assignment_appears_in_the_reviewers_own_list(app, session):
    people, election = _world(session)
    newcomer = accounts.create_user(
        session,
        None,
        email="late@example.org",
        full_name="Lee Late",
        role=Role.PANEL_MEMBER,
        password="correct horse battery staple",
        state_code="CAN",
    )
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    session.commit()
    client = app.test_client()
    login(client, newcomer)
    assert "A B" not in client.get("/panel").get_data(as_text=True)
    panels.seat_member(session, people.secretariat, election, newcomer)
    panels.assign(session, people.secretariat, candidacy, newcomer)
    session.commit()
    assert "A B" in client.get("/panel").get_data(as_text=True)
    status = session.scalar(
        sa.select(Assignment.conflict_status).where(Assignment.reviewer_id == newcomer.id)
    )
    assert status is ConflictStatus.UNDECLARED


def test_the_demo_election_has_a_seated_panel_with_genders_and_its_balance_shown(app, session):
    from vetting.demo import DOMAIN, seed_demo

    seed_demo(app, reset=False)
    secretariat = session.scalar(sa.select(User).where(User.email == f"secretariat@{DOMAIN}"))
    election_id = session.scalar(sa.select(PanelMembership.election_id))
    client = app.test_client()
    login(client, secretariat)
    html = client.get(f"/secretariat/elections/{election_id}/panel").get_data(as_text=True)
    text = _text(html)
    # Norway, Ghana, Chile, Poland seated; two women, two men; Japan (Aiko Morimoto) not yet.
    assert "Female 2 Male 2 Other 0" in text
    assert html.count('<input type="hidden" name="member"') == 4
    assert "No member from the Asia-Pacific Group." in text
    assert "Aiko Morimoto (Japan)" in text
    member4 = session.scalar(sa.select(User).where(User.email == f"member4@{DOMAIN}"))
    response = client.post(
        f"/secretariat/elections/{election_id}/panel/seat",
        data={"member": member4.id},
        follow_redirects=True,
    )
    text = _text(response.get_data(as_text=True))
    assert "Asia-Pacific Group 1" in text
    assert "No member from" not in text


def test_the_panel_page_and_its_flags_are_in_french_when_french_is_chosen(app, session):
    people, election = _world(session)
    client = _secretariat(app, people)
    page = client.get(f"/secretariat/elections/{election.id}/panel?lang=fr")
    text = _text(page.get_data(as_text=True))
    assert "Le comité de cette élection" in text
    assert "Aucun membre du Groupe des États d’Afrique." in text
    assert "Groupe des États d’Europe orientale 1" in text
