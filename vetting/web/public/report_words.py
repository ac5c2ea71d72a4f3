"""The election report's words: timeline events, statuses and vocabularies, in the reader's
language, for the pages and the PDF alike."""

from __future__ import annotations

import enum
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from vetting.domain import reports as rules
from vetting.domain.vocabulary import JudgeList, Office, RegionalGroup, ScorePhase
from vetting.models import ElectionReport
from vetting.web.words import WORDS

STATUS_WORDS: dict[str, object] = {
    rules.PUBLISHED: _l("Assessed"),
    rules.WITHDRAWN: _l("Withdrawn"),
    rules.INELIGIBLE: _l("Did not meet an eligibility requirement"),
}


def _word(enum_cls: type[enum.Enum], value: str | None) -> str:
    if value is None:
        return ""
    try:
        return str(WORDS.get(enum_cls(value), value))
    except ValueError:
        return value


def event_text(event: dict[str, Any]) -> str:
    """A timeline entry in words, in the reader's language."""
    code, detail = event["event"], event.get("detail")
    texts = {
        rules.NOMINATION_OPENED: lambda: _("Nomination period opened"),
        rules.NOMINATION_EXTENDED: lambda: _(
            "Nomination period extended. Reason: %(reason)s", reason=detail
        ),
        rules.NOMINATION_CLOSED: lambda: _("Nomination period closed"),
        rules.CHANNEL_OPENED: lambda: _("Confidential channel for reports of misconduct opened"),
        rules.CHANNEL_CLOSED: lambda: _("Confidential channel closed"),
        rules.INTERVIEW: lambda: _("Interviews held: %(count)s", count=detail),
        rules.FINDING_ADOPTED: lambda: _("Findings adopted: %(count)s", count=detail),
        rules.REPORT_PUBLISHED: lambda: _("Report published (version %(version)s)", version=detail),
        rules.VOTE: lambda: _("Vote of the Assembly"),
    }
    text = texts.get(code)
    return text() if text is not None else code


def report_context(
    snapshot: dict[str, Any],
    *,
    report: ElectionReport,
    versions: list[ElectionReport],
    preview: bool = False,
) -> dict[str, Any]:
    """What the report's templates (and the PDF) need besides the snapshot itself."""
    return {
        "s": snapshot,
        "report": report,
        "versions": versions,
        "preview": preview,
        "event_text": event_text,
        "status_words": STATUS_WORDS,
        "office_word": lambda v: _word(Office, v),
        "group_word": lambda v: _word(RegionalGroup, v),
        "phase_word": lambda v: _word(ScorePhase, v),
        "list_word": lambda v: _word(JudgeList, v),
    }
