"""The confidential channel's rules: its window, the reporter's receipt code and contact, and
what a reporter is told about their report.

A report is restricted material (domain.md, "Confidentiality levels"): the reporter learns only
whether it was received, is under review, or is closed, never the triage reasons nor anything
of the candidate's file.
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
from datetime import date, timedelta

from vetting.domain.vocabulary import TriageOutcome

TEXT_MAX = 20000
REASON_MAX = 4000
CONTACT_MAX = 254
# Files a reporter may attach to one report or one addition.
FILES_MAX = 5


# domain.md, "Notices": the States are told when the channel opens and when it is closing in
# 14 days.
CLOSING_NOTICE_DAYS = 14


def closing_notice_due(opens: date | None, closes: date | None, today: date) -> bool:
    """Whether the "closing in 14 days" notice is due today: from 14 days before the last day
    until that day. A window of 14 days or fewer has none: the opening notice, which gives the
    last day, is sent when the window is set, and a second one at once would only repeat it."""
    if opens is None or closes is None:
        return False
    if closes - opens <= timedelta(days=CLOSING_NOTICE_DAYS):
        return False
    return closes - timedelta(days=CLOSING_NOTICE_DAYS) <= today <= closes


class WindowState(enum.Enum):
    NOT_SET = "not_set"
    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"


def window_state(opens: date | None, closes: date | None, today: date) -> WindowState:
    """Both dates are inclusive: the channel is open from the first day to the last."""
    if opens is None or closes is None:
        return WindowState.NOT_SET
    if today < opens:
        return WindowState.NOT_YET_OPEN
    if today > closes:
        return WindowState.CLOSED
    return WindowState.OPEN


def window_problem(
    opens: date | None, closes: date | None, *, today: date, vote_date: date | None
) -> str | None:
    """Why a channel window cannot be set as given; None when it can. No dates at all is a
    valid choice: the channel is then closed."""
    if (opens is None) != (closes is None):
        return "Give both dates of the channel window, or neither to close the channel."
    if opens is None or closes is None:
        return None
    if closes < opens:
        return "The channel must close on or after the day it opens."
    if closes < today:
        return "The channel would close before today; choose a closing date from today on."
    if vote_date is not None and closes >= vote_date:
        return "The channel must close before the day of the vote."
    return None


# --- Receipt codes ---------------------------------------------------------------------------

# Crockford's base32: no I, L, O or U, so that a code read aloud or copied by hand survives.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 32  # 32 symbols of 5 bits: 160 bits of randomness.
RECEIPT_GROUP = 4
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")
# Hashed when the text given is not a code at all, so that a malformed code costs the same
# lookup as a well-formed one and the two answers cannot be told apart.
_NOT_A_CODE = "0" * RECEIPT_LENGTH


def new_receipt_code() -> str:
    """A fresh code, grouped for reading: `K7QM-2XDA-...` (8 groups of 4)."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i : i + RECEIPT_GROUP] for i in range(0, RECEIPT_LENGTH, RECEIPT_GROUP))


def normalise_receipt(text: str) -> str | None:
    """The code as stored-hash input: case, spaces, hyphens and look-alike letters do not
    matter. None when the text cannot be a code."""
    code = _SEPARATORS.sub("", text[: RECEIPT_LENGTH * 3]).upper().translate(_CONFUSABLE)
    if len(code) != RECEIPT_LENGTH or any(c not in RECEIPT_ALPHABET for c in code):
        return None
    return code


def receipt_hash(code: str) -> str:
    """What is stored: the SHA-256 of the normalised code, never the code."""
    normalised = normalise_receipt(code)
    return hashlib.sha256((normalised or _NOT_A_CODE).encode("ascii")).hexdigest()


# --- The reporter's contact ------------------------------------------------------------------


class ContactKind(enum.Enum):
    NONE = "none"  # anonymous
    EMAIL = "email"
    PHONE = "phone"


_EMAIL = re.compile(r"\A[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}\Z")
_PHONE = re.compile(r"\A\+?[0-9 ().\-]{6,30}\Z")


def contact_problem(kind: ContactKind, contact: str) -> str | None:
    """Why the contact cannot be kept as given; None when it can."""
    contact = contact.strip()
    if kind is ContactKind.NONE:
        if contact:
            return (
                "You chose to stay anonymous: leave the contact empty, "
                "or choose how we may reach you."
            )
        return None
    if not contact:
        return "Give the email address or telephone number, or choose to stay anonymous."
    if len(contact) > CONTACT_MAX:
        return f"A contact may be at most {CONTACT_MAX} characters."
    if kind is ContactKind.EMAIL and not _EMAIL.match(contact):
        return "This is not an email address we can write to (name@example.org)."
    if kind is ContactKind.PHONE:
        digits = sum(c.isdigit() for c in contact)
        if not _PHONE.match(contact) or not 6 <= digits <= 15:
            return "Give the telephone number with its country code, in digits (+41 22 555 01 23)."
    return None


# --- What the reporter is told ---------------------------------------------------------------


class ReportStatus(enum.Enum):
    RECEIVED = "received"
    UNDER_REVIEW = "under_review"
    CLOSED = "closed"


_CLOSING_TRIAGE = (TriageOutcome.OUT_OF_SCOPE, TriageOutcome.NOT_SUBSTANTIATED)


def report_status(
    triage: TriageOutcome | None, *, candidacy_ended: bool, diligence_closed: bool
) -> ReportStatus:
    """Closed when the officers are done with it (out of scope, not substantiated), when due
    diligence on the candidacy is closed, or when the candidacy ended (withdrawn, closed)."""
    if candidacy_ended or diligence_closed or triage in _CLOSING_TRIAGE:
        return ReportStatus.CLOSED
    if triage is None:
        return ReportStatus.RECEIVED
    return ReportStatus.UNDER_REVIEW


def more_information_welcome(triage: TriageOutcome | None, status: ReportStatus) -> bool:
    """The one thing of the triage a reporter learns: that more information would help."""
    return status is not ReportStatus.CLOSED and triage is TriageOutcome.NEEDS_INFORMATION


# --- The integrity memo ----------------------------------------------------------------------

# A run of this many words of a report, found in the memo, is a quotation.
QUOTE_WORDS = 10
_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def memo_problem(memo: str, reports: list[str], contacts: list[str]) -> str | None:
    """Why the memo cannot go to the panel as written: it names a reporter's contact, or
    quotes a report word for word (the panel sees the memo, never the reports)."""
    folded = memo.casefold()
    if any(len(c.strip()) >= 5 and c.strip().casefold() in folded for c in contacts):
        return "The memo names a reporter's contact; the panel never learns who reported."
    memo_text = " " + " ".join(_words(memo)) + " "
    for report in reports:
        words = _words(report)
        for start in range(max(len(words) - QUOTE_WORDS + 1, 0)):
            run = " " + " ".join(words[start : start + QUOTE_WORDS]) + " "
            if run in memo_text:
                return (
                    "The memo quotes a report word for word; summarise it, de-identified: "
                    "the panel never sees the reports."
                )
    return None
