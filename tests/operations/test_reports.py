"""The published election report: drafted by one secretariat member, approved by another, only
once every standing candidacy has an approved summary; frozen as a snapshot with its hash,
released no earlier than the summaries it shows, signed, and announced to the States."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa

from vetting.audit import canonical
from vetting.domain.events import AuditAction
from vetting.domain.reports import snapshot_problems
from vetting.domain.roles import Role
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Gate, Gender
from vetting.models import (
    AuditCheckpoint,
    AuditEntry,
    Candidacy,
    Election,
    ElectionReport,
    Notice,
    PublicSummary,
    User,
)
from vetting.models.base import utcnow
from vetting.operations import Refused, accounts, eligibility, nominations, published, reports
from vetting.scenarios import (
    DEFAULT_PASSWORD,
    People,
    add_focal_point,
    make_election,
    make_people,
    nominate,
    walk,
)

METHOD = "The panel assessed each candidacy on the papers and in an interview."
OBSERVATIONS = "The pool was balanced by region; two nominations came late."


@dataclass
class ReportWorld:
    people: People
    election: Election
    published: list[Candidacy]
    withdrawn: Candidacy
    ineligible: Candidacy
    focal_points: list[User]


def report_world(session, *, standing: int = 2) -> ReportWorld:
    """An election whose standing candidacies all have approved summaries, with one withdrawn
    and one ineligible (a failed gate). Committed, so a refusal's rollback keeps it."""
    people = make_people(session)
    for member in (people.chair, *people.members):
        member.gender = Gender.FEMALE if member is people.chair else Gender.MALE
    election = make_election(session, people, title="Election of the Registrar, 2023")
    focal = [add_focal_point(session, people, s, "example.org") for s in ("SEN", "POL")]
    names = [("Łukasz Żółć", "POL"), ("Zoë Ødegård", "NOR"), ("Amina Diallo", "SEN")]
    names += [(f"Candidate {i}", code) for i, code in enumerate(("FIN", "URY", "MEX", "PER"))]
    done = []
    for name, state in names[:standing]:
        candidacy = nominate(session, people, election, name=name, state=state)
        done.append(walk(session, people, candidacy, Stage.PUBLISHED))
    withdrawn = nominate(session, people, election, name="Kamau Otieno", state="KEN")
    walk(session, people, withdrawn, Stage.PAPER_SCORING)
    nominations.withdraw_candidacy(
        session, people.secretariat, withdrawn, reason="Appointed to national office."
    )
    ineligible = nominate(session, people, election, name="Ana Lima", state="BRA")
    eligibility.record_gate(
        session,
        people.secretariat,
        ineligible,
        Gate.G2,
        passed=False,
        reason="Not qualified for the office.",
    )
    session.commit()
    return ReportWorld(people, election, done, withdrawn, ineligible, focal)


def draft(session, world: ReportWorld, actor=None, **changes) -> ElectionReport:
    data = reports.ReportData(
        method=changes.pop("method", METHOD),
        observations=changes.pop("observations", OBSERVATIONS),
        **changes,
    )
    return reports.draft_report(session, actor or world.people.secretariat, world.election, data)


def approve(session, world: ReportWorld, actor=None, **kw) -> ElectionReport:
    return reports.approve_report(
        session, actor or world.people.secretariat_second, world.election, **kw
    )


def latest_summary_release(session, world: ReportWorld):
    return session.scalar(
        sa.select(sa.func.max(PublicSummary.published_at)).where(
            PublicSummary.candidacy_id.in_([c.id for c in world.published])
        )
    )


@pytest.fixture
def world(session) -> ReportWorld:
    return report_world(session)


def _count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def _refused(session, call, message: str) -> None:
    """The refusal says why, and nothing changed: no report row written or approved, no audit
    entry, no checkpoint, no notice."""

    def state():
        return (
            _count(session, AuditEntry),
            _count(session, AuditCheckpoint),
            _count(session, Notice),
            session.scalar(
                sa.select(sa.func.count())
                .select_from(ElectionReport)
                .where(ElectionReport.approved_at.is_not(None))
            ),
            _count(session, ElectionReport),
        )

    before = state()
    with pytest.raises(Refused) as refused:
        call()
    assert message in str(refused.value)
    session.rollback()
    assert state() == before


def _entries(session, action: AuditAction) -> list[AuditEntry]:
    return session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == action.value).order_by(AuditEntry.seq)
    ).all()


def test_draft_is_version_one_and_audited_when_first_written(session, world):
    report = draft(session, world)
    assert (report.version, report.method, report.observations) == (1, METHOD, OBSERVATIONS)
    assert report.approved_at is None and report.published_at is None
    (entry,) = _entries(session, AuditAction.REPORT_DRAFT)
    assert entry.actor_id == world.people.secretariat.id
    assert json.loads(entry.data)["version"] == 1
    assert published.current_report(session, world.election.id) is None


def test_saving_again_edits_the_same_draft_when_not_yet_approved(session, world):
    first = draft(session, world)
    again = draft(session, world, observations="Revised observations.")
    assert again.id == first.id and again.version == 1
    assert _count(session, ElectionReport) == 1
    assert len(_entries(session, AuditAction.REPORT_DRAFT)) == 2


def test_draft_is_refused_when_the_observations_are_empty(session, world):
    _refused(session, lambda: draft(session, world, observations="  "), "observations")


def test_draft_is_refused_when_not_by_the_secretariat(session, world):
    _refused(
        session,
        lambda: draft(session, world, actor=world.people.chair),
        "Only the secretariat",
    )


def test_approval_is_refused_when_the_approver_drafted_the_version(session, world):
    draft(session, world)
    session.commit()
    _refused(
        session,
        lambda: approve(session, world, actor=world.people.secretariat),
        "second secretariat member",
    )


def test_approval_is_refused_when_the_approver_edited_the_version(session, world):
    draft(session, world)
    draft(session, world, actor=world.people.secretariat_second, observations="Edited.")
    session.commit()
    for member in (world.people.secretariat, world.people.secretariat_second):
        _refused(session, lambda m=member: approve(session, world, actor=m), "second secretariat")
    third = accounts.create_user(
        session,
        None,
        email="secretariat3@example.org",
        full_name="Third Member",
        role=Role.SECRETARIAT,
        password=DEFAULT_PASSWORD,
    )
    assert approve(session, world, actor=third).approved_at is not None


def test_approval_is_refused_when_there_is_no_draft(session, world):
    _refused(session, lambda: approve(session, world), "no draft")


def test_approval_is_refused_when_a_standing_candidacy_has_no_approved_summary(session, world):
    pending = nominate(session, world.people, world.election, name="Olu Adeyemi", state="NGA")
    walk(session, world.people, pending, Stage.FINDING_ADOPTED)
    draft(session, world)
    session.commit()
    _refused(session, lambda: approve(session, world), "Olu Adeyemi")


def test_approval_is_refused_when_the_draft_changed_after_the_preview(session, world):
    report = draft(session, world)
    seen = reports.digest_of(report)
    draft(session, world, observations="Changed after the preview was opened.")
    session.commit()
    _refused(session, lambda: approve(session, world, seen=seen), "changed after")


def test_approval_freezes_the_snapshot_signs_and_tells_the_states_when_it_goes_through(
    session, world
):
    draft(session, world)
    now = utcnow()
    report = approve(session, world, now=now, base_url="http://localhost")
    # State: approved now, released with the latest summary it shows, never before.
    assert report.approved_at == now
    assert report.published_by_id == world.people.secretariat_second.id
    assert report.published_at == latest_summary_release(session, world)
    assert report.published_at > now
    assert report.snapshot_sha256 == hashlib.sha256(report.snapshot.encode()).hexdigest()
    snapshot = json.loads(report.snapshot)
    assert canonical(snapshot) == report.snapshot
    assert snapshot_problems(snapshot) == []
    by_name = {c["name"]: c for c in snapshot["candidacies"]}
    assert by_name["Kamau Otieno"]["status"] == "withdrawn"
    assert (
        by_name["Kamau Otieno"]["withdrawn_on"] == world.withdrawn.withdrawn_at.date().isoformat()
    )
    assert by_name["Ana Lima"]["status"] == "ineligible"
    assert by_name["Ana Lima"]["summary"] is None
    assert by_name["Łukasz Żółć"]["status"] == "published"
    assert by_name["Łukasz Żółć"]["summary"]["text"].startswith("The panel found Łukasz Żółć")
    assert [m["chair"] for m in snapshot["panel"]] == [True, False, False]
    assert snapshot["panel_gender"] == {"women": 1, "members": 3}
    assert "gender" not in json.dumps(snapshot["panel"])
    assert len(snapshot["rubric"]) >= 1
    events = [e["event"] for e in snapshot["timeline"]]
    assert {"nomination_opened", "nomination_closed", "finding_adopted"} <= set(events)
    assert ("report_published", "1") in [(e["event"], e["detail"]) for e in snapshot["timeline"]]
    # Audit: the publication names the snapshot's hash; the checkpoint signs a head at or
    # after that entry.
    (entry,) = _entries(session, AuditAction.REPORT_PUBLISH)
    assert json.loads(entry.data)["snapshot_sha256"] == report.snapshot_sha256
    checkpoint = session.get(AuditCheckpoint, report.checkpoint_id)
    assert checkpoint is not None and checkpoint.seq >= entry.seq
    # Notices: every State's focal points, with the link and the release.
    notices = session.scalars(sa.select(Notice).where(Notice.kind == "report_published")).all()
    assert sorted(n.recipient_user_id for n in notices) == sorted(u.id for u in world.focal_points)
    assert all("http://localhost/elections/" in n.body for n in notices)


def test_report_is_public_only_from_its_release_when_approved(session, world):
    draft(session, world)
    report = approve(session, world)
    release = report.published_at
    assert published.current_report(session, world.election.id, now=release - timedelta(1)) is None
    assert published.current_report(session, world.election.id, now=release).id == report.id


def test_release_waits_for_the_embargo_when_it_is_later(session, world):
    embargo = utcnow() + timedelta(days=40)
    draft(session, world, embargo_until=embargo)
    assert approve(session, world).published_at == embargo


def test_a_second_version_needs_a_corrigendum_and_keeps_the_first_when_approved(session, world):
    draft(session, world)
    first = approve(session, world)
    session.commit()
    _refused(session, lambda: draft(session, world), "corrigendum")
    second = draft(session, world, corrigendum="The vote date was wrong.", observations="New.")
    assert second.version == 2
    approved = approve(session, world)
    assert approved.published_at >= first.published_at
    versions = published.report_versions(session, world.election.id, now=approved.published_at)
    assert [v.version for v in versions] == [1, 2]
    assert json.loads(first.snapshot)["observations"] == OBSERVATIONS
    snapshot = json.loads(approved.snapshot)
    assert snapshot["observations"] == "New."
    assert [e["detail"] for e in snapshot["timeline"] if e["event"] == "report_published"] == [
        "1",
        "2",
    ]


def _statements(session, call) -> int:
    engine = session.get_bind()
    seen: list[str] = []

    def count(*_args, **_kw):
        seen.append("x")

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_approval_runs_as_many_statements_whatever_the_number_of_candidacies(session):
    from tests.conftest import _empty_tables

    engine = session.get_bind()
    counts = []
    for standing in (1, 3):
        world = report_world(session, standing=standing)
        draft(session, world)
        session.commit()
        counts.append(_statements(session, lambda w=world: approve(session, w)))
        session.rollback()
        session.close()
        _empty_tables(engine)
    assert counts[0] == counts[1]
