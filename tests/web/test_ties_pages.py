"""The member's ties page, and the flags that ties raise on the declaration page, the
assignments list and the decider's conflicts page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.vocabulary import ConflictKind, ConflictStatus, TieKind
from vetting.models import Assignment, AuditEntry, AuditHead, MemberTie, Notice
from vetting.operations import panel
from vetting.operations.ties import TieData, declare_tie
from vetting.scenarios import make_election, make_people, nominate

TODAY = date.today()


def _years_ago(years: int) -> date:
    return TODAY.replace(year=TODAY.year - years) - timedelta(days=1)


def _assignment(session, candidacy, user) -> Assignment:
    assignment = session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == user.id
        )
    )
    session.refresh(assignment)
    return assignment


def _state(session) -> tuple[object, ...]:
    session.expire_all()
    return (
        session.get(AuditHead, 1).seq,
        session.execute(sa.select(MemberTie.id, MemberTie.ends_on).order_by(MemberTie.id)).all(),
        session.execute(
            sa.select(Assignment.id, Assignment.conflict_status).order_by(Assignment.id)
        ).all(),
        session.scalar(sa.select(sa.func.count()).select_from(Notice)),
    )


@pytest.fixture
def world(session):
    people = make_people(session, members=2)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo-Ndiaye", state="SEN")
    session.commit()
    return people, election, candidacy


def test_a_member_records_a_tie_on_their_page_and_sees_it_listed(client, session, world):
    people, _, _ = world
    member = people.members[0]
    login(client, member)
    page = client.get("/panel/ties")
    assert page.status_code == 200
    assert "You have declared no tie." in page.get_data(as_text=True)
    response = client.post(
        "/panel/ties",
        data={
            "kind": "political_office",
            "state_code": "GHA",
            "description": "Member of parliament",
            "starts_on": "2012-01-07",
            "ends_on": "2016-01-06",
        },
    )
    assert response.status_code == 302
    tie = session.scalar(sa.select(MemberTie))
    assert (tie.member_id, tie.kind, tie.state_code) == (member.id, TieKind.POLITICAL_OFFICE, "GHA")
    assert (tie.starts_on, tie.ends_on) == (date(2012, 1, 7), date(2016, 1, 6))
    assert session.scalar(
        sa.select(AuditEntry.action).order_by(AuditEntry.seq.desc()).limit(1)
    ) == ("tie:declare")
    page = client.get("/panel/ties").get_data(as_text=True)
    assert "Your tie is recorded." in page
    assert "Political office in a State" in page and "Ghana" in page
    assert "Member of parliament" in page
    # Ended in January 2016: it counted for five more years.
    assert "Until 2021-01-06" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "state_employment", "description": "Adviser", "starts_on": "2020-01-01"},
         "Name the State of this employment or political office."),
        ({"kind": "family", "description": "Sister"},
         "Give the full name of the person this tie is with."),
        ({"kind": "personal", "person_name": "A B", "description": "Friend"},
         "Give the date the tie began."),
        ({"kind": "financial", "person_name": "A B", "description": "Loan",
          "starts_on": "2020-01-01", "ends_on": "2019-01-01"},
         "The end date cannot be before the start date."),
        ({"kind": "financial", "person_name": "A B", "description": "Loan",
          "starts_on": (TODAY + timedelta(days=3)).isoformat()},
         "A tie cannot start in the future"),
        ({"kind": "family", "person_name": "A B"}, "Describe the tie."),
        ({"kind": "", "person_name": "A B", "description": "x"}, "Choose the kind of tie."),
        ({"kind": "family", "person_name": "A B", "description": "x", "starts_on": "31/12/2020"},
         "Not a valid date value."),
    ],
)  # fmt: skip
def test_a_bad_tie_is_refused_with_its_message_and_changes_nothing(
    client, session, world, data, message
):
    people, _, _ = world
    login(client, people.members[0])
    before = _state(session)
    response = client.post("/panel/ties", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _state(session) == before


def test_a_member_ends_a_tie_and_nobody_else_can(app, client, session, world):
    people, _, _ = world
    member, other = people.members
    tie = declare_tie(
        session,
        member,
        TieData(TieKind.ICC_ASP_EMPLOYMENT, "Legal officer, Registry", _years_ago(3)),
    ).tie
    session.commit()
    intruder = app.test_client()
    login(intruder, other)
    login(client, member)
    before = _state(session)
    response = intruder.post(f"/panel/ties/{tie.id}/end", data={f"t{tie.id}-ends_on": "2025-01-01"})
    assert response.status_code == 404
    assert _state(session) == before
    assert "Legal officer" not in intruder.get("/panel/ties").get_data(as_text=True)

    future = (TODAY + timedelta(days=2)).isoformat()
    response = client.post(f"/panel/ties/{tie.id}/end", data={f"t{tie.id}-ends_on": future})
    assert response.status_code == 302
    assert _state(session) == before
    assert "cannot be in the future" in client.get("/panel/ties").get_data(as_text=True)

    response = client.post(f"/panel/ties/{tie.id}/end", data={})
    assert response.status_code == 302
    assert _state(session) == before
    assert "Give the date the tie ended." in client.get("/panel/ties").get_data(as_text=True)

    ended = (TODAY - timedelta(days=1)).isoformat()
    response = client.post(f"/panel/ties/{tie.id}/end", data={f"t{tie.id}-ends_on": ended})
    assert response.status_code == 302
    session.refresh(tie)
    assert tie.ends_on == TODAY - timedelta(days=1)
    page = client.get("/panel/ties").get_data(as_text=True)
    assert "The tie is ended; it stays on record." in page
    assert "Record the end" not in page


def test_the_ties_page_is_refused_outside_the_panel(client, session, world):
    people, _, _ = world
    login(client, people.secretariat)
    assert client.get("/panel/ties").status_code == 403
    assert client.post("/panel/ties", data={"kind": "family"}).status_code == 403


def test_the_declaration_page_names_the_tie_behind_each_detection(client, session, world):
    people, _, candidacy = world
    member = people.members[0]
    declare_tie(
        session,
        member,
        TieData(
            TieKind.STATE_EMPLOYMENT,
            "Adviser to the Ministry of Justice",
            _years_ago(8),
            _years_ago(2),
            state_code="SEN",
        ),
    )
    declare_tie(session, member, TieData(TieKind.ICC_ASP_EMPLOYMENT, "Registry", _years_ago(3)))
    session.commit()
    login(client, member)
    page = client.get(f"/panel/{candidacy.public_id}/declare").get_data(as_text=True)
    assert "The system found a conflict" in page
    assert "Professional relationship" in page
    assert "from your declared tie" in page
    assert "Employment by a State's government" in page and "Senegal" in page
    assert "with the nominating State" in page
    assert "Employment at the ICC or the ASP" in page
    assert "compared the 2 ties you declared" in page


def test_the_declaration_page_shows_no_warning_when_the_tie_has_expired(client, session, world):
    people, _, candidacy = world
    member = people.members[0]
    declare_tie(
        session,
        member,
        TieData(
            TieKind.STATE_EMPLOYMENT, "Adviser", _years_ago(12), _years_ago(6), state_code="SEN"
        ),
    )
    session.commit()
    login(client, member)
    page = client.get(f"/panel/{candidacy.public_id}/declare").get_data(as_text=True)
    assert "The system found a conflict" not in page


def test_the_assignments_list_flags_the_detected_conflicts(client, session, world):
    people, election, candidacy = world
    other = nominate(session, people, election, name="Kamau Otieno", state="KEN")
    member = people.members[0]
    declare_tie(
        session,
        member,
        TieData(
            TieKind.FINANCIAL, "Joint investment", _years_ago(2), person_name="amina diallo ndiaye"
        ),
    )
    session.commit()
    login(client, member)
    page = client.get("/panel").get_data(as_text=True)
    assert "Detected conflicts" in page
    row_diallo = page.split("Amina Diallo-Ndiaye")[1].split("</tr>")[0]
    row_otieno = page.split("Kamau Otieno")[1].split("</tr>")[0]
    assert "Financial interest" in row_diallo
    assert "Financial interest" not in row_otieno
    assert other.public_id in page  # its declaration link


def test_a_tie_after_declaring_none_reaches_the_chair_who_may_find_no_conflict(
    app, client, session, world
):
    people, _, candidacy = world
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
    login(client, member)
    response = client.post(
        "/panel/ties",
        data={
            "kind": "family",
            "person_name": "Amina DIALLO-NDIAYE",
            "description": "My wife's cousin",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "goes to a decision" in page
    assignment = _assignment(session, candidacy, member)
    assert assignment.conflict_status is ConflictStatus.DECLARED
    assert assignment.conflict_kind is ConflictKind.PERSONAL
    # The dossier is closed until the decision.
    assert client.get(f"/panel/{candidacy.public_id}").status_code == 404

    chair = app.test_client()
    login(chair, people.chair)
    page = chair.get("/panel/conflicts").get_data(as_text=True)
    assert "Morgan Member 1 on Amina Diallo-Ndiaye" in page
    assert "Detected by the system" in page and "Personal or family relationship" in page
    assert "from the member's declared tie" in page
    assert "Family relationship" in page and "Amina DIALLO-NDIAYE" in page
    assert "My wife&#39;s cousin" in page  # escaped, as user text is
    assert "with the candidate, by name" in page
    assert "New Zealand" in page  # the member's nationality
    assert "No conflict: the reviewer takes part" in page

    before = _state(session)
    response = chair.post(
        f"/panel/assignments/{assignment.id}/decide",
        data={f"a{assignment.id}-decision": "none", f"a{assignment.id}-reason": " "},
    )
    assert response.status_code == 302
    assert _state(session) == before

    response = chair.post(
        f"/panel/assignments/{assignment.id}/decide",
        data={
            f"a{assignment.id}-decision": "none",
            f"a{assignment.id}-reason": "A distant relative by marriage; no contact in years.",
        },
    )
    assert response.status_code == 302
    assert _assignment(session, candidacy, member).conflict_status is ConflictStatus.NONE
    assert client.get(f"/panel/{candidacy.public_id}").status_code == 200


def test_recording_a_tie_needs_the_csrf_token_when_csrf_is_on(csrf_app, session):
    people = make_people(session)
    session.commit()
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={
            "email": people.members[0].email,
            "password": "correct horse battery staple",
            "csrf_token": token,
        },
    )
    data = {"kind": "family", "person_name": "A B", "description": "Brother"}
    before = _state(session)
    assert client.post("/panel/ties", data=data).status_code in (400, 422)
    assert _state(session) == before
    page = client.get("/panel/ties").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/panel/ties", data={**data, "csrf_token": token}).status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(MemberTie)) == 1


def test_the_pages_that_flag_ties_run_the_same_statements_when_the_data_grows(app, session, world):
    from tests.web.test_query_counts import counted

    people, election, _ = world
    member = people.members[0]
    states = iter(["KEN", "GHA", "NGA", "ZAF", "BRA", "CHL", "PER", "JPN", "KOR", "POL"])

    def add(count: int) -> None:
        for _ in range(count):
            code = next(states)
            name = f"Candidate {code}"
            candidacy = nominate(session, people, election, name=name, state=code)
            declare_tie(
                session,
                member,
                TieData(TieKind.PERSONAL, f"Friend of {code}", _years_ago(1), person_name=name),
            )
            declare_tie(
                session,
                member,
                TieData(TieKind.STATE_EMPLOYMENT, "Adviser", _years_ago(3), state_code=code),
            )
            panel.declare_conflict(
                session,
                member,
                candidacy,
                _assignment(session, candidacy, member),
                has_conflict=False,
                details="",
            )
        session.commit()

    chair = app.test_client()
    login(chair, people.chair)
    mine = app.test_client()
    login(mine, member)

    def measure() -> dict[str, int]:
        counts = {}
        for who, client, url in (
            ("chair", chair, "/panel/conflicts"),
            ("member", mine, "/panel"),
            ("member", mine, "/panel/ties"),
        ):
            with counted(app) as statements:
                page = client.get(url)
            assert page.status_code == 200
            counts[f"{who} {url}"] = len(statements)
        return counts

    add(2)
    small = measure()
    page = chair.get("/panel/conflicts").get_data(as_text=True)
    assert page.count("What the system finds today:") == 2
    add(6)
    large = measure()
    page = chair.get("/panel/conflicts").get_data(as_text=True)
    assert page.count("What the system finds today:") == 8
    assert page.count("with the candidate, by name") == 8
    assert small == large


def test_the_demo_member_sees_his_tie_flagged_on_a_declaration(app, client, session):
    from vetting.demo import seed_demo
    from vetting.models import Candidacy, User

    seed_demo(app, reset=False)
    kofi = session.scalar(sa.select(User).where(User.email == "member1@demo.example.org"))
    kabore = session.scalar(sa.select(Candidacy).where(Candidacy.nominating_state_code == "BFA"))
    login(client, kofi)
    page = client.get(f"/panel/{kabore.public_id}/declare").get_data(as_text=True)
    assert "The system found a conflict" in page
    assert "from your declared tie" in page and "Burkina Faso" in page
    assert "Employment at the ICC or the ASP" in page
    listing = client.get("/panel").get_data(as_text=True)
    row = listing.split("Jean-Baptiste Kaboré")[1].split("</tr>")[0]
    assert "Professional relationship" in row
