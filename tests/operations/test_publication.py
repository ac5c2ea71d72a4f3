"""Publishing the summary: two persons, embargo, lead time, dead notices, corrigenda (AC-5)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from vetting.audit import decode
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.stages import Stage
from vetting.models import AuditCheckpoint, AuditEntry, AuditHead, Notice, PublicSummary
from vetting.models.records import NoticeStatus
from vetting.operations import Refused, accounts, nominations, publication
from vetting.operations.published import current_summaries, summary_versions
from vetting.scenarios import (
    DEFAULT_PASSWORD,
    add_focal_point,
    candidate_of,
    make_election,
    make_people,
    nominate,
    walk,
)

# Monday 1 March 2027, 09:00 UTC: the finding is adopted (and its notices queued) then.
ADOPTED = "2027-03-01 09:00:00"


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2027, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def world(session):
    with freeze_time(ADOPTED):
        people = make_people(session)
        election = make_election(session, people)
        add_focal_point(session, people, "SEN", "example.org")
        candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
        walk(session, people, candidacy, Stage.FINDING_ADOPTED)
        session.commit()
    return people, candidacy


def draft(session, actor, candidacy, text="Found qualified.", *, now=None, **data):
    return publication.draft_summary(
        session, actor, candidacy, publication.SummaryData(text=text, **data), now=now or at(2)
    )


def third_member(session):
    return accounts.create_user(
        session,
        None,
        email="secretariat3@example.org",
        full_name="Tess Third",
        role=Role.SECRETARIAT,
        password=DEFAULT_PASSWORD,
    )


def audit_rows(session, action: AuditAction) -> list[AuditEntry]:
    return list(
        session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == action.value).order_by(AuditEntry.seq)
        )
    )


def notices_of(session, kind: str) -> list[Notice]:
    return list(session.scalars(sa.select(Notice).where(Notice.kind == kind).order_by(Notice.id)))


# -- Drafting -----------------------------------------------------------------------------------


def test_draft_creates_version_one_with_its_audit_entry_when_the_finding_is_adopted(session, world):
    people, candidacy = world
    summary = draft(session, people.secretariat, candidacy, "  Found qualified.  ")
    session.commit()
    assert (summary.version, summary.text, summary.corrigendum) == (1, "Found qualified.", None)
    assert summary.drafted_by_id == people.secretariat.id
    assert summary.approved_at is None and summary.published_at is None
    [entry] = audit_rows(session, AuditAction.SUMMARY_DRAFT)
    assert entry.actor_id == people.secretariat.id
    assert entry.object_id == str(summary.id)
    assert decode(entry) == {
        "version": 1,
        "edit": False,
        "embargo_until": None,
        "corrigendum": False,
    }
    assert notices_of(session, "summary_published") == []


def test_draft_is_edited_in_place_when_saved_again_before_approval(session, world):
    people, candidacy = world
    first = draft(session, people.secretariat, candidacy, "First wording.")
    second = draft(session, people.secretariat_second, candidacy, "Second wording.")
    session.commit()
    assert first.id == second.id
    assert session.scalar(sa.select(sa.func.count()).select_from(PublicSummary)) == 1
    assert second.text == "Second wording." and second.drafted_by_id == people.secretariat.id
    entries = audit_rows(session, AuditAction.SUMMARY_DRAFT)
    assert [(e.actor_id, decode(e)["edit"]) for e in entries] == [
        (people.secretariat.id, False),
        (people.secretariat_second.id, True),
    ]


@pytest.mark.parametrize(
    ("text", "data", "message"),
    [
        ("   ", {}, "cannot be empty"),
        ("Text.", {"embargo_until": at(2, 8)}, "embargo date is in the past"),
    ],
)
def test_draft_is_refused_and_nothing_saved_when_the_input_is_wrong(
    session, world, text, data, message
):
    people, candidacy = world
    with pytest.raises(Refused, match=message):
        draft(session, people.secretariat, candidacy, text, now=at(2, 9), **data)
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(PublicSummary)) == 0
    assert audit_rows(session, AuditAction.SUMMARY_DRAFT) == []


def test_draft_is_refused_when_the_finding_is_not_adopted(session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.QUESTIONNAIRE)
    session.commit()
    with pytest.raises(Refused, match="once the finding is adopted"):
        draft(session, people.secretariat, candidacy, now=datetime.now(UTC))
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(PublicSummary)) == 0


def test_draft_is_refused_when_the_candidacy_is_withdrawn(session, world):
    people, candidacy = world
    nominations.withdraw_candidacy(session, people.secretariat, candidacy, reason="Withdrawn.")
    session.commit()
    with pytest.raises(Refused, match="withdrawn"):
        draft(session, people.secretariat, candidacy)
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(PublicSummary)) == 0


def test_draft_is_refused_when_a_role_without_the_permission_drafts(session, world):
    people, candidacy = world
    with pytest.raises(Refused, match="Only the secretariat"):
        draft(session, people.chair, candidacy)
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(PublicSummary)) == 0


# -- The two-person rule (AC-5) -----------------------------------------------------------------


def test_approval_is_refused_when_the_drafter_approves_their_own_version(session, world):
    people, candidacy = world
    draft(session, people.secretariat, candidacy)
    session.commit()
    with pytest.raises(Refused, match="second secretariat member"):
        publication.approve_summary(session, people.secretariat, candidacy, now=at(2))
    session.rollback()
    summary = session.scalar(sa.select(PublicSummary))
    assert summary.approved_at is None and summary.published_at is None
    assert candidacy.stage is Stage.FINDING_ADOPTED
    assert audit_rows(session, AuditAction.SUMMARY_PUBLISH) == []
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint)) == 0


def test_approval_is_refused_when_the_approver_edited_the_draft(session, world):
    people, candidacy = world
    draft(session, people.secretariat, candidacy, "First wording.")
    draft(session, people.secretariat_second, candidacy, "Edited wording.")
    session.commit()
    # The recorded drafter is the first member; the edit is known from the audit entries.
    assert session.scalar(sa.select(PublicSummary)).drafted_by_id == people.secretariat.id
    with pytest.raises(Refused, match="drafted or edited"):
        publication.approve_summary(session, people.secretariat_second, candidacy, now=at(2))
    session.rollback()
    assert session.scalar(sa.select(PublicSummary)).approved_at is None
    third = third_member(session)
    session.commit()
    publication.approve_summary(session, third, candidacy, now=at(2))
    session.commit()
    assert session.scalar(sa.select(PublicSummary)).published_by_id == third.id


def test_approval_is_refused_when_the_same_member_approves_twice(session, world):
    people, candidacy = world
    draft(session, people.secretariat, candidacy)
    publication.approve_summary(session, people.secretariat_second, candidacy, now=at(2))
    session.commit()
    with pytest.raises(Refused, match="no draft awaiting approval"):
        publication.approve_summary(session, people.secretariat_second, candidacy, now=at(2))
    session.rollback()
    assert len(audit_rows(session, AuditAction.SUMMARY_PUBLISH)) == 1


def test_one_approval_leaves_it_unpublished_and_a_second_member_publishes_when_ac5_is_checked(
    session, world
):
    people, candidacy = world
    draft(session, people.secretariat, candidacy)  # the first person's act
    session.commit()
    assert summary_versions(session, candidacy.id, now=at(30)) == []
    publication.approve_summary(session, people.secretariat_second, candidacy, now=at(2))
    session.commit()
    [version] = summary_versions(session, candidacy.id, now=at(30))
    assert version.published_by_id == people.secretariat_second.id


def test_approval_is_refused_when_the_draft_changed_after_the_preview(session, world):
    people, candidacy = world
    summary = draft(session, people.secretariat, candidacy, "As previewed.")
    seen = publication.digest_of(summary)
    draft(session, people.secretariat, candidacy, "Changed after the preview.")
    session.commit()
    with pytest.raises(Refused, match="changed after you opened the preview"):
        publication.approve_summary(
            session, people.secretariat_second, candidacy, seen=seen, now=at(2)
        )
    session.rollback()
    assert session.scalar(sa.select(PublicSummary)).approved_at is None


def test_approval_is_refused_when_there_is_no_draft(session, world):
    people, candidacy = world
    with pytest.raises(Refused, match="no draft"):
        publication.approve_summary(session, people.secretariat_second, candidacy, now=at(2))
    session.rollback()
    assert candidacy.stage is Stage.FINDING_ADOPTED


# -- Approval: state, audit, checkpoint, notices --------------------------------------------------


def test_approval_publishes_with_audit_checkpoint_and_notices_when_a_second_member_approves(
    session, world
):
    people, candidacy = world
    draft(session, people.secretariat, candidacy)
    summary = publication.approve_summary(session, people.secretariat_second, candidacy, now=at(2))
    session.commit()
    assert candidacy.stage is Stage.PUBLISHED
    assert summary.published_by_id == people.secretariat_second.id
    assert summary.approved_at == at(2)
    assert summary.published_at == at(8)  # Monday + 5 working days
    [entry] = audit_rows(session, AuditAction.SUMMARY_PUBLISH)
    assert entry.actor_id == people.secretariat_second.id
    assert decode(entry) == {"version": 1, "release": at(8).isoformat(), "corrigendum": False}
    checkpoint = session.get(AuditCheckpoint, summary.checkpoint_id)
    assert checkpoint.seq == entry.seq
    assert checkpoint.head_hash == entry.hash
    assert session.get(AuditHead, 1).seq == entry.seq  # nothing appended after it
    notices = notices_of(session, "summary_published")
    candidate = candidate_of(session, candidacy)
    assert {n.recipient_user_id for n in notices} == {
        candidate.id,
        people.focal_points["SEN"].id,
    }
    assert all(n.candidacy_id == candidacy.id for n in notices)
    assert all("2027-03-08 09:00 UTC" in n.body for n in notices)


# -- Lead time and embargo -----------------------------------------------------------------------


def test_release_waits_five_working_days_after_the_notice_when_approved_a_day_later(session, world):
    people, candidacy = world
    draft(session, people.secretariat, candidacy)
    publication.approve_summary(session, people.secretariat_second, candidacy, now=at(2))
    session.commit()
    assert summary_versions(session, candidacy.id, now=at(8, 8)) == []
    assert len(summary_versions(session, candidacy.id, now=at(8, 9))) == 1


def test_release_skips_the_weekend_when_the_finding_was_notified_on_a_friday(session):
    with freeze_time("2027-03-05 17:30:00"):  # a Friday evening
        people = make_people(session)
        election = make_election(session, people)
        candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
        walk(session, people, candidacy, Stage.FINDING_ADOPTED)
        session.commit()
    draft(session, people.secretariat, candidacy, now=at(6))
    summary = publication.approve_summary(
        session, people.secretariat_second, candidacy, now=at(6, 10)
    )
    session.commit()
    assert summary.published_at == datetime(2027, 3, 12, 17, 30, tzinfo=UTC)


def test_release_skips_the_installations_holidays_when_they_fall_in_the_lead_time(session, world):
    people, candidacy = world
    # Thursday 4 and Friday 5 March 2027 declared holidays: Monday's notice + 5 working days
    # is Wednesday 10, not Monday 8.
    session.info[publication.HOLIDAYS_KEY] = frozenset({date(2027, 3, 4), date(2027, 3, 5)})
    draft(session, people.secretariat, candidacy)
    summary = publication.approve_summary(session, people.secretariat_second, candidacy, now=at(2))
    session.commit()
    assert summary.published_at == at(10)
    assert summary_versions(session, candidacy.id, now=at(9, 23)) == []


def test_embargo_holds_the_version_back_when_later_than_the_lead_time(session, world):
    people, candidacy = world
    embargo = at(20, 12)
    draft(session, people.secretariat, candidacy, embargo_until=embargo)
    summary = publication.approve_summary(session, people.secretariat_second, candidacy, now=at(2))
    session.commit()
    assert summary.published_at == embargo
    assert summary_versions(session, candidacy.id, now=at(15)) == []
    assert current_summaries(session, [candidacy.id], now=at(20, 11)) == {}
    assert [v.id for v in summary_versions(session, candidacy.id, now=embargo)] == [summary.id]
    assert decode(audit_rows(session, AuditAction.SUMMARY_DRAFT)[0])["embargo_until"] == (
        embargo.isoformat()
    )


def test_embargo_earlier_than_the_lead_time_does_not_shorten_it_when_approved(session, world):
    people, candidacy = world
    draft(session, people.secretariat, candidacy, embargo_until=at(3))
    summary = publication.approve_summary(session, people.secretariat_second, candidacy, now=at(2))
    session.commit()
    assert summary.published_at == at(8)


def test_release_is_the_approval_when_the_lead_time_has_run(session, world):
    people, candidacy = world
    draft(session, people.secretariat, candidacy, now=at(15))
    summary = publication.approve_summary(session, people.secretariat_second, candidacy, now=at(15))
    session.commit()
    assert summary.published_at == at(15)
    assert len(summary_versions(session, candidacy.id, now=at(15))) == 1


# -- The finding notices -------------------------------------------------------------------------


def test_approval_is_refused_and_names_who_was_not_reached_when_a_finding_notice_is_dead(
    session, world
):
    people, candidacy = world
    focal = people.focal_points["SEN"]
    dead = session.scalar(
        sa.select(Notice).where(
            Notice.kind == "finding_adopted", Notice.recipient_user_id == focal.id
        )
    )
    dead.status = NoticeStatus.DEAD
    draft(session, people.secretariat, candidacy)
    session.commit()
    with pytest.raises(Refused, match=f"did not reach {focal.email}.*resent first"):
        publication.approve_summary(session, people.secretariat_second, candidacy, now=at(2))
    session.rollback()
    assert candidacy.stage is Stage.FINDING_ADOPTED
    assert session.scalar(sa.select(PublicSummary)).approved_at is None
    assert notices_of(session, "summary_published") == []


def test_approval_is_refused_when_no_finding_notice_was_queued(session, world):
    people, candidacy = world
    for notice in notices_of(session, "finding_adopted"):
        notice.candidacy_id = None  # as if adopted before notices carried their candidacy
    draft(session, people.secretariat, candidacy)
    session.commit()
    with pytest.raises(Refused, match="was not sent to the candidate"):
        publication.approve_summary(session, people.secretariat_second, candidacy, now=at(2))
    session.rollback()
    assert session.scalar(sa.select(PublicSummary)).approved_at is None


def test_release_counts_from_the_latest_finding_notice_when_one_was_queued_later(session, world):
    people, candidacy = world
    later = notices_of(session, "finding_adopted")[-1]
    later.created_at = at(3)  # Wednesday: released the next Wednesday
    draft(session, people.secretariat, candidacy)
    summary = publication.approve_summary(session, people.secretariat_second, candidacy, now=at(3))
    session.commit()
    assert summary.published_at == at(10)


# -- Corrigenda ----------------------------------------------------------------------------------


def _published(session, world):
    people, candidacy = world
    draft(session, people.secretariat, candidacy, "The first wording.")
    publication.approve_summary(session, people.secretariat_second, candidacy, now=at(2))
    session.commit()
    return people, candidacy


def test_corrigendum_creates_version_two_and_version_one_stays_readable_when_approved(
    session, world
):
    people, candidacy = _published(session, world)
    corrected = draft(
        session,
        people.secretariat_second,
        candidacy,
        "The corrected wording.",
        corrigendum="The office was misnamed.",
        now=at(15),
    )
    summary = publication.approve_summary(session, people.secretariat, candidacy, now=at(15))
    session.commit()
    assert summary.id == corrected.id
    assert (summary.version, summary.corrigendum) == (2, "The office was misnamed.")
    assert summary.published_at == at(15)  # no lead time for a corrigendum
    assert candidacy.stage is Stage.PUBLISHED
    versions = summary_versions(session, candidacy.id, now=at(15))
    assert [(v.version, v.text) for v in versions] == [
        (1, "The first wording."),
        (2, "The corrected wording."),
    ]
    assert current_summaries(session, [candidacy.id], now=at(15))[candidacy.id].version == 2
    entries = audit_rows(session, AuditAction.SUMMARY_PUBLISH)
    assert [decode(e)["corrigendum"] for e in entries] == [False, True]
    assert session.get(AuditCheckpoint, summary.checkpoint_id).seq == entries[-1].seq
    corrected_notices = notices_of(session, "summary_corrected")
    assert len(corrected_notices) == 2
    assert all("The office was misnamed." in n.body for n in corrected_notices)
    assert all(n.candidacy_id == candidacy.id for n in corrected_notices)


def test_corrigendum_is_refused_when_its_reason_is_missing(session, world):
    people, candidacy = _published(session, world)
    with pytest.raises(Refused, match="needs a corrigendum"):
        draft(session, people.secretariat, candidacy, "Corrected.", now=at(15))
    session.rollback()
    assert [s.version for s in session.scalars(sa.select(PublicSummary))] == [1]


def test_corrigendum_waits_for_its_embargo_when_one_is_set(session, world):
    people, candidacy = _published(session, world)
    draft(
        session,
        people.secretariat,
        candidacy,
        "Corrected.",
        corrigendum="A date was wrong.",
        embargo_until=at(20),
        now=at(15),
    )
    publication.approve_summary(session, people.secretariat_second, candidacy, now=at(15))
    session.commit()
    assert [v.version for v in summary_versions(session, candidacy.id, now=at(19))] == [1]
    assert [v.version for v in summary_versions(session, candidacy.id, now=at(20))] == [1, 2]


def test_corrigendum_is_allowed_when_the_candidacy_is_closed(session, world):
    people, candidacy = _published(session, world)
    publication.close_candidacy(session, people.secretariat, candidacy)
    draft(session, people.secretariat, candidacy, "Corrected.", corrigendum="Typo.", now=at(15))
    summary = publication.approve_summary(session, people.secretariat_second, candidacy, now=at(15))
    session.commit()
    assert candidacy.stage is Stage.CLOSED and summary.version == 2
