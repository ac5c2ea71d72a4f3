"""Done-when for the confidential channel (issue 4): restricted material never leaves the
vetting officers' views.

A report goes through the public page with canary values (text, email contact, a file), the
reporter comes back with the receipt code and adds to it, a vetting officer triages it with
canary reasons. Then every role, and an anonymous visitor, walks every GET page and download
it can reach: the routes come from app.url_map with each argument filled with every object of
its kind, and every same-site link the pages show is followed. The canaries (and the receipt
code, in any spelling) must appear on no page but a vetting officer's, and the vetting
officer's walk must find them, so that the crawl is known to reach the material.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import deque
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import Rule

from tests.web.support import login
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictKind, MisconductCategory, TriageOutcome
from vetting.models import (
    Assignment,
    Candidacy,
    Complaint,
    ComplaintAddition,
    Election,
    Notice,
    StoredFile,
    User,
)
from vetting.models.base import utcnow
from vetting.operations import accounts, channel, panel
from vetting.scenarios import add_focal_point, candidate_of, make_election, make_people, nominate
from vetting.scenarios import walk as walk_to
from vetting.web.policy import EXTENSION_PUBLIC

CANARY_TEXT = "CANARYTEXT-b7e2 the candidate demanded favours from a junior clerk"
CANARY_CONTACT = "canary.reporter.b7e2@example.net"
CANARY_FILE = "CANARYFILE-b7e2 a witness statement"
CANARY_ADDITION = "CANARYADD-b7e2 a second witness came forward"
CANARY_REASON = "CANARYREASON-b7e2 two consistent first-hand accounts"
CANDIDATE_PASSWORD = "the candidate's own passphrase"  # noqa: S105
HREF = re.compile(r'href="([^"#]*)')
CODE = re.compile(r'id="receipt-code"[^>]*>([A-Z0-9-]+)<')
PAGES_PER_ROLE = 600
# Integer arguments that name rows of these tables; others are swept over the first ids.
TABLES = {
    "election_id": Election,
    "notice_id": Notice,
    "assignment_id": Assignment,
    "report_id": Complaint,
    "addition_id": ComplaintAddition,
    "user_id": User,
    "file_id": StoredFile,
}


@pytest.fixture
def world(app, session):
    people = make_people(session, members=2)
    election = make_election(session, people)
    focal = add_focal_point(session, people, "SEN", "example.org")
    own = nominate(session, people, election, name="Amina Diallo", state="SEN")
    nominate(session, people, election, name="Kamau Otieno", state="KEN")
    walk_to(session, people, own, Stage.PAPER_SCORING)
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
        session, people.chair, assignments[recused.id], recuse=True, reason="Colleague."
    )
    today = utcnow().date()
    channel.set_channel_window(
        session,
        people.secretariat,
        election,
        opens=today - timedelta(days=1),
        closes=today + timedelta(days=20),
        today=today,
        report_link="http://localhost/report",
    )
    candidate = candidate_of(session, own)
    invitation = session.scalar(
        sa.select(Notice.body).where(
            Notice.kind == "invitation", Notice.recipient_user_id == candidate.id
        )
    )
    accounts.accept_invitation(
        session, invitation.split("/invitation/")[1].split()[0], CANDIDATE_PASSWORD
    )
    session.commit()

    reporter = app.test_client()
    sent = reporter.post(
        f"/elections/{election.id}/report",
        data={
            "candidacy": own.public_id,
            "category": MisconductCategory.ABUSE_OF_AUTHORITY.value,
            "text": CANARY_TEXT,
            "contact_kind": "email",
            "contact": CANARY_CONTACT,
            "files": (io.BytesIO(CANARY_FILE.encode()), "statement.txt"),
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 200
    code = CODE.search(sent.get_data(as_text=True)).group(1)
    added = reporter.post("/channel/receipt/add", data={"code": code, "text": CANARY_ADDITION})
    assert added.status_code == 200
    complaint = session.scalars(sa.select(Complaint)).one()
    channel.triage_report(
        session,
        channel.sealer_of(session),
        people.vetting_officer,
        complaint,
        outcome=TriageOutcome.CREDIBLE_CONCERN,
        reason=CANARY_REASON,
    )
    session.commit()
    users = {
        "secretariat": people.secretariat,
        "chair": people.chair,
        "member_cleared": cleared,
        "member_recused": recused,
        "vetting_officer": people.vetting_officer,
        "admin": people.admin,
        "candidate": candidate,
        "focal_point": focal,
    }
    return users, code


def _canaries(code: str) -> list[str]:
    plain = code.replace("-", "")
    return [CANARY_TEXT, CANARY_CONTACT, CANARY_FILE, CANARY_ADDITION, CANARY_REASON, code, plain]


def _values(app: Flask, session, rule: Rule) -> list[dict[str, object]]:
    choices: list[list[tuple[str, object]]] = []
    for arg in sorted(rule.arguments):
        if arg == "public_id":
            found = list(session.scalars(sa.select(Candidacy.public_id)))
        elif arg in TABLES:
            model = TABLES[arg]
            found = list(session.scalars(sa.select(model.id))) or [1]
        elif arg == "token":
            found = ["not-a-real-token"]
        else:
            found = list(range(1, 6))
        choices.append([(arg, value) for value in found])
    return [dict(combo) for combo in itertools.product(*choices)]


def _seeds(app: Flask, session) -> list[str]:
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in EXTENSION_PUBLIC or "GET" not in rule.methods:
            continue
        for values in _values(app, session, rule):
            urls.append(adapter.build(rule.endpoint, values))
    return urls


def _crawl(app: Flask, session, who: str | None, users) -> dict[str, str]:
    client = app.test_client()
    if who is not None:
        login(client, users[who], *([CANDIDATE_PASSWORD] if who == "candidate" else []))
    pages: dict[str, str] = {}
    queue = deque(_seeds(app, session))
    seen = set(queue)
    while queue and len(pages) < PAGES_PER_ROLE:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code < 500, f"{url} as {who}: {response.status_code}"
        body = response.get_data().decode("utf-8", errors="replace")
        response.close()
        pages[url] = body
        targets = HREF.findall(body)
        if response.status_code in (301, 302, 303) and "Location" in response.headers:
            targets.append(response.headers["Location"])
        for target in targets:
            parts = urlsplit(target.replace("&amp;", "&"))
            if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
                continue
            if "/static/" in parts.path or "lang=" in parts.query:
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


WHO = [
    None,
    "secretariat",
    "chair",
    "member_cleared",
    "member_recused",
    "admin",
    "candidate",
    "focal_point",
]


@pytest.mark.parametrize("who", WHO)
def test_restricted_channel_material_never_appears_when_not_a_vetting_officer(
    app, session, world, who
):
    users, code = world
    pages = _crawl(app, session, who, users)
    assert len(pages) > 20
    leaks = [
        f"{url}: {canary[:24]}"
        for url, body in pages.items()
        for canary in _canaries(code)
        if canary in body or canary.lower() in body.lower()
    ]
    assert leaks == []


def test_vetting_officer_crawl_reaches_every_canary_when_walking_the_same_pages(
    app, session, world
):
    """The crawl is able to find the material: the vetting officer's walk shows every canary
    but the receipt code, which nobody ever sees again."""
    users, code = world
    pages = _crawl(app, session, "vetting_officer", users)
    everything = "\n".join(pages.values())
    for canary in (CANARY_TEXT, CANARY_FILE, CANARY_ADDITION, CANARY_REASON):
        assert canary in everything, canary
    # The contact is shown on request only (a POST), so no GET page carries it.
    assert CANARY_CONTACT not in everything
    assert code not in everything and code.replace("-", "") not in everything
