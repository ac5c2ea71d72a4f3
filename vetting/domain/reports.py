"""The published election report: what a draft must hold, when an approved version is
released, and the parts of its snapshot composed from the record (the timeline, the panel's
gender balance, each candidacy's status).

The report follows the Advisory Committee on Nominations' reports: the method, the rubric, the
panel's composition, the timeline, general observations, and per candidacy the summary finding.
Everything here is pure: the operation gathers the facts in a constant number of queries and
these functions shape them into the frozen snapshot (format 1, documented in
docs/architecture.md and checked by `snapshot_problems`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

# Format 2: the panel's gender is the number of women among the members, nothing else.
SNAPSHOT_FORMAT = 2

# Timeline event codes, in the order events of one day are listed.
NOMINATION_OPENED = "nomination_opened"
NOMINATION_EXTENDED = "nomination_extended"
NOMINATION_CLOSED = "nomination_closed"
CHANNEL_OPENED = "channel_opened"
CHANNEL_CLOSED = "channel_closed"
INTERVIEW = "interview"
FINDING_ADOPTED = "finding_adopted"
REPORT_PUBLISHED = "report_published"
VOTE = "vote"
EVENTS: tuple[str, ...] = (
    NOMINATION_OPENED,
    NOMINATION_EXTENDED,
    NOMINATION_CLOSED,
    CHANNEL_OPENED,
    CHANNEL_CLOSED,
    INTERVIEW,
    FINDING_ADOPTED,
    REPORT_PUBLISHED,
    VOTE,
)

# A candidacy's place in the report.
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
INELIGIBLE = "ineligible"
STATUSES: tuple[str, ...] = (PUBLISHED, WITHDRAWN, INELIGIBLE)


@dataclass(frozen=True)
class DraftText:
    """What the secretariat writes for one version of the report."""

    method: str
    observations: str
    corrigendum: str = ""


def draft_problem(version: int, text: DraftText) -> str | None:
    """Why a draft of this version cannot be saved, or None when it can."""
    if not text.method.strip():
        return "Describe the vetting method: the report opens with it."
    if not text.observations.strip():
        return "The general observations cannot be empty."
    if version >= 2 and not text.corrigendum.strip():
        return "A new version of a published report is a corrigendum: say what changed and why."
    return None


def release_moment(
    now: datetime,
    *,
    embargo_until: datetime | None,
    summary_releases: Iterable[datetime],
    previous_release: datetime | None,
) -> datetime:
    """When an approved version becomes public: not before now, its embargo, the release of
    every summary it shows (so the report never shows a summary before it is public) and the
    release of the version it corrects (so versions come out in order)."""
    moments = [now, *summary_releases]
    if embargo_until is not None:
        moments.append(embargo_until)
    if previous_release is not None:
        moments.append(previous_release)
    return max(moments)


def candidacy_status(*, withdrawn: bool, ineligible: bool) -> str:
    if withdrawn:
        return WITHDRAWN
    if ineligible:
        return INELIGIBLE
    return PUBLISHED


@dataclass(frozen=True)
class Standing:
    """A candidacy as the approval sees it."""

    name: str
    withdrawn: bool
    ineligible: bool
    summary_approved: bool

    @property
    def needs_summary(self) -> bool:
        return not self.withdrawn and not self.ineligible


def missing_summaries(candidacies: Iterable[Standing]) -> list[str]:
    """The names of the standing candidacies (neither withdrawn nor ineligible) whose summary
    has not been approved: the report cannot be approved while there is any."""
    return sorted(c.name for c in candidacies if c.needs_summary and not c.summary_approved)


def panel_gender(genders: Iterable[str | None]) -> dict[str, int]:
    """The panel's gender balance as the report gives it: how many of its members are women,
    and how many members there are; never a member's gender on its own.

    The members are named in the report, so the number of members is public. Counting men too
    would give the number of members of another gender (or of none recorded) by subtraction,
    and a count that appeared only when someone is of another gender would say so by itself:
    with a handful of named, well-known members, either could point at one person. The count
    of women, which the Assembly's gender-balance practice asks for, says nothing about anyone
    else."""
    listed = list(genders)
    return {"women": sum(1 for g in listed if g == "female"), "members": len(listed)}


@dataclass(frozen=True)
class TimelineFacts:
    nomination_opens: date
    nomination_closes: date
    # (the day the window was extended, the reason), one per extension.
    extensions: tuple[tuple[date, str], ...] = ()
    channel_opens: date | None = None
    channel_closes: date | None = None
    interview_dates: tuple[date, ...] = ()
    finding_dates: tuple[date, ...] = ()
    # (release day, version) of each published version of the report, this one included.
    report_releases: tuple[tuple[date, int], ...] = ()
    vote_date: date | None = None


def _event(day: date, code: str, detail: str | None = None) -> dict[str, Any]:
    return {"date": day.isoformat(), "event": code, "detail": detail}


def timeline(facts: TimelineFacts) -> list[dict[str, Any]]:
    """The election's timeline, by date. Interviews and findings are one entry per day with
    their number, never a name."""
    events = [
        _event(facts.nomination_opens, NOMINATION_OPENED),
        *(_event(day, NOMINATION_EXTENDED, reason) for day, reason in facts.extensions),
        _event(facts.nomination_closes, NOMINATION_CLOSED),
    ]
    if facts.channel_opens is not None:
        events.append(_event(facts.channel_opens, CHANNEL_OPENED))
    if facts.channel_closes is not None:
        events.append(_event(facts.channel_closes, CHANNEL_CLOSED))
    for code, days in ((INTERVIEW, facts.interview_dates), (FINDING_ADOPTED, facts.finding_dates)):
        for day, count in sorted(Counter(days).items()):
            events.append(_event(day, code, str(count)))
    for day, version in facts.report_releases:
        events.append(_event(day, REPORT_PUBLISHED, str(version)))
    if facts.vote_date is not None:
        events.append(_event(facts.vote_date, VOTE))
    order = {code: i for i, code in enumerate(EVENTS)}
    return sorted(events, key=lambda e: (e["date"], order[e["event"]]))


# The snapshot's keys, for the check below (and for the people writing its JSON Schema).
TOP_KEYS = frozenset(
    {
        "format",
        "election",
        "method",
        "observations",
        "rubric",
        "panel",
        "panel_gender",
        "timeline",
        "candidacies",
    }
)
ELECTION_KEYS = frozenset(
    {"id", "title", "office", "seats", "nomination_opens", "nomination_closes", "vote_date"}
)
CRITERION_KEYS = frozenset({"code", "title", "weight", "phase", "allows_na", "descriptors"})
MEMBER_KEYS = frozenset({"name", "nationality", "regional_group", "chair"})
CANDIDACY_KEYS = frozenset(
    {
        "public_id",
        "name",
        "nationality",
        "nominating_state",
        "list",
        "status",
        "withdrawn_on",
        "summary",
    }
)
SUMMARY_KEYS = frozenset({"version", "text", "published_at", "corrigendum"})


def _keys(where: str, value: object, expected: frozenset[str]) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"{where}: not an object"]
    keys = set(value)
    problems = []
    if missing := expected - keys:
        problems.append(f"{where}: missing {sorted(missing)}")
    if extra := keys - expected:
        problems.append(f"{where}: unexpected {sorted(extra)}")
    return problems


def snapshot_problems(snapshot: Mapping[str, Any]) -> list[str]:
    """What is wrong with a snapshot's shape (an empty list when nothing is)."""
    problems = _keys("snapshot", snapshot, TOP_KEYS)
    if problems:
        return problems
    if snapshot["format"] != SNAPSHOT_FORMAT:
        problems.append(f"format {snapshot['format']!r} is not {SNAPSHOT_FORMAT}")
    problems += _keys("election", snapshot["election"], ELECTION_KEYS)
    for i, criterion in enumerate(snapshot["rubric"]):
        problems += _keys(f"rubric[{i}]", criterion, CRITERION_KEYS)
        if isinstance(criterion, Mapping) and len(criterion.get("descriptors", [])) != 4:
            problems.append(f"rubric[{i}]: four descriptors expected")
    for i, member in enumerate(snapshot["panel"]):
        problems += _keys(f"panel[{i}]", member, MEMBER_KEYS)
        if isinstance(member, Mapping) and "gender" in member:
            problems.append(f"panel[{i}]: a member's gender is never shown")
    gender = snapshot["panel_gender"]
    problems += _keys("panel_gender", gender, frozenset({"women", "members"}))
    if isinstance(gender, Mapping) and gender.get("members") != len(snapshot["panel"]):
        problems.append("panel_gender: members is not the number of members listed")
    for i, event in enumerate(snapshot["timeline"]):
        problems += _keys(f"timeline[{i}]", event, frozenset({"date", "event", "detail"}))
        if isinstance(event, Mapping) and event.get("event") not in EVENTS:
            problems.append(f"timeline[{i}]: unknown event {event.get('event')!r}")
    for i, candidacy in enumerate(snapshot["candidacies"]):
        problems += _keys(f"candidacies[{i}]", candidacy, CANDIDACY_KEYS)
        if not isinstance(candidacy, Mapping):
            continue
        if candidacy.get("status") not in STATUSES:
            problems.append(f"candidacies[{i}]: unknown status {candidacy.get('status')!r}")
        if candidacy.get("summary") is not None:
            problems += _keys(f"candidacies[{i}].summary", candidacy["summary"], SUMMARY_KEYS)
        elif candidacy.get("status") == PUBLISHED:
            problems.append(f"candidacies[{i}]: a standing candidacy without its summary")
    return problems
