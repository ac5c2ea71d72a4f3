from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from vetting.domain import reports as r

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("version", "text", "problem"),
    [
        (1, r.DraftText("Method.", "Observations."), None),
        (1, r.DraftText("  ", "Observations."), "method"),
        (1, r.DraftText("Method.", " \n "), "observations"),
        (2, r.DraftText("Method.", "Observations."), "corrigendum"),
        (2, r.DraftText("Method.", "Observations.", "Corrects a date."), None),
        (1, r.DraftText("Method.", "Observations.", "Not needed but kept."), None),
    ],
)
def test_draft_is_refused_only_for_the_missing_part_when_checked(version, text, problem):
    found = r.draft_problem(version, text)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found.lower()


def test_release_is_now_when_nothing_holds_it_back():
    assert (
        r.release_moment(NOW, embargo_until=None, summary_releases=[], previous_release=None) == NOW
    )


@pytest.mark.parametrize("which", ["embargo", "summary", "previous"])
def test_release_waits_for_the_latest_hold_when_one_is_later_than_now(which):
    later = NOW + timedelta(days=4)
    earlier = NOW - timedelta(days=4)
    got = r.release_moment(
        NOW,
        embargo_until=later if which == "embargo" else earlier,
        summary_releases=[earlier, later] if which == "summary" else [earlier],
        previous_release=later if which == "previous" else None,
    )
    assert got == later


@pytest.mark.parametrize(
    ("withdrawn", "ineligible", "status"),
    [
        (False, False, "published"),
        (True, False, "withdrawn"),
        (False, True, "ineligible"),
        (True, True, "withdrawn"),
    ],
)
def test_status_names_the_candidacys_place_in_the_report_when_composed(
    withdrawn, ineligible, status
):
    assert r.candidacy_status(withdrawn=withdrawn, ineligible=ineligible) == status


def test_only_standing_candidacies_without_an_approved_summary_are_missing_when_checked():
    got = r.missing_summaries(
        [
            r.Standing("Zoë Ødegård", withdrawn=False, ineligible=False, summary_approved=False),
            r.Standing("Amina Diallo", withdrawn=False, ineligible=False, summary_approved=True),
            r.Standing("Kamau Otieno", withdrawn=True, ineligible=False, summary_approved=False),
            r.Standing("Ana Lima", withdrawn=False, ineligible=True, summary_approved=False),
            r.Standing("Łukasz Żółć", withdrawn=False, ineligible=False, summary_approved=False),
        ]
    )
    assert got == ["Zoë Ødegård", "Łukasz Żółć"]


@pytest.mark.parametrize(
    ("genders", "expected"),
    [
        (["female", "male", "female", None], {"women": 2, "members": 4}),
        (["female", "other"], {"women": 1, "members": 2}),
        (["other", "other", "other", "female"], {"women": 1, "members": 4}),
        ([], {"women": 0, "members": 0}),
    ],
)
def test_panel_gender_gives_only_the_women_among_the_members_when_composed(genders, expected):
    assert r.panel_gender(genders) == expected


@pytest.mark.parametrize("last", ["male", "other", None])
def test_panel_gender_says_nothing_of_a_member_who_is_not_a_woman_when_composed(last):
    # Four named members whose genders a reader knows, and a fifth: whether the fifth is a
    # man, of another gender or of none recorded, the report reads the same.
    assert r.panel_gender(["female", "female", "male", "male", last]) == {
        "women": 2,
        "members": 5,
    }


def test_timeline_is_ordered_by_date_with_counts_and_no_names_when_composed():
    facts = r.TimelineFacts(
        nomination_opens=date(2026, 1, 5),
        nomination_closes=date(2026, 3, 16),
        extensions=((date(2026, 2, 27), "Too few nominations from the Eastern European group."),),
        channel_opens=date(2026, 1, 5),
        channel_closes=date(2026, 5, 1),
        interview_dates=(date(2026, 5, 12), date(2026, 5, 12), date(2026, 5, 13)),
        finding_dates=(date(2026, 6, 1), date(2026, 6, 1)),
        report_releases=((date(2026, 6, 15), 1),),
        vote_date=date(2026, 12, 7),
    )
    got = r.timeline(facts)
    assert [(e["date"], e["event"], e["detail"]) for e in got] == [
        ("2026-01-05", "nomination_opened", None),
        ("2026-01-05", "channel_opened", None),
        (
            "2026-02-27",
            "nomination_extended",
            "Too few nominations from the Eastern European group.",
        ),
        ("2026-03-16", "nomination_closed", None),
        ("2026-05-01", "channel_closed", None),
        ("2026-05-12", "interview", "2"),
        ("2026-05-13", "interview", "1"),
        ("2026-06-01", "finding_adopted", "2"),
        ("2026-06-15", "report_published", "1"),
        ("2026-12-07", "vote", None),
    ]


def test_timeline_leaves_out_what_did_not_happen_when_composed():
    got = r.timeline(r.TimelineFacts(date(2026, 1, 5), date(2026, 3, 16)))
    assert [e["event"] for e in got] == ["nomination_opened", "nomination_closed"]


def _snapshot() -> dict:
    return {
        "format": 2,
        "election": {
            "id": 1,
            "title": "T",
            "office": "judge",
            "seats": 6,
            "nomination_opens": "2026-01-05",
            "nomination_closes": "2026-03-16",
            "vote_date": None,
        },
        "method": "M",
        "observations": "O",
        "rubric": [
            {
                "code": "M1",
                "title": "Legal expertise",
                "weight": 2,
                "phase": "paper",
                "allows_na": False,
                "descriptors": ["a", "b", "c", "d"],
            }
        ],
        "panel": [{"name": "N", "nationality": "NOR", "regional_group": "x", "chair": True}],
        "panel_gender": {"women": 1, "members": 1},
        "timeline": [{"date": "2026-01-05", "event": "nomination_opened", "detail": None}],
        "candidacies": [
            {
                "public_id": "p",
                "name": "Zoë Ødegård",
                "nationality": "NOR",
                "nominating_state": "NOR",
                "list": "a",
                "status": "published",
                "withdrawn_on": None,
                "summary": {
                    "version": 1,
                    "text": "S",
                    "published_at": "2026-06-01T09:00:00+00:00",
                    "corrigendum": None,
                },
            }
        ],
    }


def test_a_well_formed_snapshot_has_no_problems_when_checked():
    assert r.snapshot_problems(_snapshot()) == []


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (lambda s: s.pop("method"), "missing ['method']"),
        (lambda s: s["panel"][0].update(gender="female"), "gender is never shown"),
        (lambda s: s["timeline"][0].update(event="party"), "unknown event"),
        (lambda s: s["candidacies"][0].update(summary=None), "without its summary"),
        (lambda s: s["candidacies"][0].update(status="pending"), "unknown status"),
        (lambda s: s["rubric"][0].update(descriptors=["a"]), "four descriptors"),
        (lambda s: s.update(format=1), "format 1"),
        (lambda s: s["panel_gender"].update(men=0), "unexpected ['men']"),
        (lambda s: s["panel_gender"].update(members=2), "number of members listed"),
    ],
)
def test_a_spoilt_snapshot_is_named_when_checked(spoil, problem):
    snapshot = _snapshot()
    spoil(snapshot)
    assert any(problem in p for p in r.snapshot_problems(snapshot))
