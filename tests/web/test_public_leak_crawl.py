"""Done-when for publication (issue 6): nothing below the public level ever reaches the public.

The demo is seeded (every stage of a candidacy, a complaint through the confidential channel,
ties, scores, replies, drafts, a published election report), then an anonymous visitor walks
the public site, the open data and the API: every public GET route with each argument filled
with every object of its kind, then every same-site link the pages show, every URL named in a
JSON document, every redirect. Every text the demo holds at the panel, States, candidate-own or
restricted level (scores' rationales, interview notes, memos, finding reasons, non-public
answers, drafts, replies, complaints, contacts, ties, declarations, summaries not yet public,
staff addresses) must appear in none of the responses. The walk must also find the public
material (a published summary, a public answer, the report), so it is known to reach it.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections import deque
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import IntegerConverter, Rule

from vetting.demo import seed_demo
from vetting.domain.vocabulary import Level
from vetting.models import (
    AdverseNotice,
    Answer,
    Assignment,
    AuditCheckpoint,
    Candidacy,
    Complaint,
    ComplaintAddition,
    Declaration,
    Election,
    EligibilityCheck,
    EvidenceItem,
    Finding,
    FindingReason,
    Interview,
    MemberTie,
    PublicSummary,
    QuestionnaireResponse,
    Score,
    ScoreRevision,
    TemplateQuestion,
    User,
)
from vetting.models.base import utcnow
from vetting.operations.published import current_summaries
from vetting.sealing import SEALER_KEY
from vetting.web.policy import PUBLIC, policy_of

HREF = re.compile(r'(?:href|src)="([^"#]*)')
LIMIT = 3000
# Texts shorter than this are words any page may hold ("Yes", a date): not evidence of a leak.
MIN_LENGTH = 16


def _strings(session: sa.orm.Session, *columns: Any) -> set[str]:
    found: set[str] = set()
    for column in columns:
        for value in session.scalars(sa.select(column).where(column.is_not(None))):
            if isinstance(value, str):
                found.add(value)
    return found


def _secrets(app: Flask, session: sa.orm.Session) -> dict[str, set[str]]:
    """What the demo holds below the public level, by kind (to say which kind leaked)."""
    sealer = app.extensions[SEALER_KEY]
    now = utcnow()
    public_question_ids = set(
        session.scalars(
            sa.select(TemplateQuestion.id).where(TemplateQuestion.visibility == Level.PUBLIC)
        )
    )
    submitted = set(
        session.scalars(
            sa.select(QuestionnaireResponse.id).where(
                QuestionnaireResponse.submitted_at.is_not(None)
            )
        )
    )
    hidden_answers = {  # answers to panel-level questions, and every draft
        text
        for answer in session.scalars(sa.select(Answer))
        for text in (answer.text, answer.choice)
        if text
        and (answer.question_id not in public_question_ids or answer.response_id not in submitted)
    }
    all_versions = session.scalars(sa.select(PublicSummary)).all()
    public_texts = {
        s.text for s in all_versions if s.published_at is not None and s.published_at <= now
    }
    unpublished_summaries = {s.text for s in all_versions} - public_texts
    addresses = set(session.scalars(sa.select(User.email)))
    complaints = {sealer.unseal(t) for t in _strings(session, Complaint.text)}
    contacts = {sealer.unseal(t) for t in _strings(session, Complaint.reporter_contact)}
    additions = {sealer.unseal(t) for t in _strings(session, ComplaintAddition.text) if t}
    return {
        "score rationale": _strings(session, Score.rationale, ScoreRevision.rationale)
        | _strings(session, ScoreRevision.reason),
        "interview notes": _strings(session, Interview.notes),
        "integrity memo": _strings(session, Candidacy.integrity_memo),
        "finding reasons": _strings(session, Finding.reasons, Finding.dissent, FindingReason.text),
        "evidence": _strings(session, EvidenceItem.summary, EvidenceItem.source),
        "adverse notice and reply": _strings(
            session, AdverseNotice.summary, AdverseNotice.reply_text
        ),
        "national procedure (States level)": _strings(session, Candidacy.national_procedure),
        "eligibility reasons": _strings(
            session, Candidacy.eligibility_reason, EligibilityCheck.reason
        ),
        "withdrawal reason": _strings(session, Candidacy.withdrawal_reason),
        "declaration": _strings(session, Declaration.amendment_reason),
        "ties": _strings(session, MemberTie.description, MemberTie.person_name),
        "conflict details": _strings(session, Assignment.conflict_details),
        "answers not public": hidden_answers,
        "summary not yet public": unpublished_summaries,
        "email address": addresses,
        "complaint": complaints | additions,
        "reporter contact": contacts,
        "triage reason": _strings(session, Complaint.triage_reason),
    }


def _public_texts(session: sa.orm.Session) -> set[str]:
    """What is public on purpose: a hidden text equal to one of these is no leak."""
    submitted = sa.select(QuestionnaireResponse.id).where(
        QuestionnaireResponse.submitted_at.is_not(None)
    )
    public_answers = session.scalars(
        sa.select(Answer)
        .join(TemplateQuestion, TemplateQuestion.id == Answer.question_id)
        .where(TemplateQuestion.visibility == Level.PUBLIC, Answer.response_id.in_(submitted))
    ).all()
    texts = {t for a in public_answers for t in (a.text, a.choice) if t}
    texts |= _strings(session, Candidacy.statement, Candidacy.full_name, Election.title)
    visible = current_summaries(session, session.scalars(sa.select(Candidacy.id)))
    return texts | {s.text for s in visible.values()}


def _values(session: sa.orm.Session, rule: Rule, arg: str) -> list[object]:
    if arg == "public_id":
        return list(session.scalars(sa.select(Candidacy.public_id).order_by(Candidacy.id)))
    if arg == "election_id":
        return list(session.scalars(sa.select(Election.id).order_by(Election.id)))
    if arg == "question_id":
        return list(session.scalars(sa.select(TemplateQuestion.id).order_by(TemplateQuestion.id)))
    if arg in ("checkpoint_id", "id"):
        return list(session.scalars(sa.select(AuditCheckpoint.id).order_by(AuditCheckpoint.id)))
    if isinstance(rule._converters.get(arg), IntegerConverter):
        return list(range(1, 6))
    # Anything else (the schemas' names, an invitation's token, static files) is reached by the
    # links the pages show, or is not publication at all.
    return []


def _seeds(app: Flask, session: sa.orm.Session) -> list[str]:
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or policy_of(app, rule.endpoint) != PUBLIC:
            continue
        if rule.endpoint in ("public.healthz",):
            continue
        args = sorted(rule.arguments - set(rule.defaults or {}))
        values = [_values(session, rule, a) for a in args]
        for combination in itertools.product(*values):
            urls.append(adapter.build(rule.endpoint, dict(zip(args, combination, strict=True))))
    return urls


def _json_links(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [link for item in value.values() for link in _json_links(item)]
    if isinstance(value, list):
        return [link for item in value for link in _json_links(item)]
    if isinstance(value, str) and value.startswith(("/", "http://localhost/")):
        return [value]
    return []


def _local(link: str) -> str | None:
    parts = urlsplit(html.unescape(link))
    if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(("/static/", "/bootstrap/")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _walk(app: Flask, start: list[str]) -> dict[str, tuple[int, str, str]]:
    client = app.test_client()
    seen: dict[str, tuple[int, str, str]] = {}
    queue = deque(start)
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        assert len(seen) < LIMIT, "the public walk does not end"
        response = client.get(url)
        mimetype = response.mimetype or ""
        raw = response.get_data()
        # A PDF is rendered from the report's snapshot, which the JSON exposes and is checked.
        text = "" if mimetype == "application/pdf" else raw.decode("utf-8", errors="replace")
        links: list[str] = []
        if "json" in mimetype:
            decoded = json.loads(text)
            # Compare decoded strings: JSON may escape non-ASCII letters.
            text = json.dumps(decoded, ensure_ascii=False)
            links = _json_links(decoded)
        elif mimetype == "text/html":
            text = html.unescape(text)
            links = HREF.findall(raw.decode("utf-8", errors="replace"))
        seen[url] = (response.status_code, mimetype, text)
        location = response.headers.get("Location")
        if location:
            links.append(location)
        for link in links:
            local = _local(link)
            if local and local not in seen and _is_public(app, local):
                queue.append(local)
    return seen


def _is_public(app: Flask, path: str) -> bool:
    from werkzeug.exceptions import HTTPException

    try:
        endpoint, _ = app.url_map.bind("localhost").match(urlsplit(path).path, method="GET")
    except HTTPException:
        return False
    return policy_of(app, endpoint) == PUBLIC


def test_public_site_open_data_and_api_show_nothing_below_the_public_level(app, session):
    seed_demo(app, reset=False)
    session.expire_all()
    allowed = _public_texts(session)
    secrets = {kind: texts - allowed for kind, texts in _secrets(app, session).items()}
    pages = _walk(app, _seeds(app, session))

    statuses = {status for status, _, _ in pages.values()}
    assert statuses <= {200, 301, 302, 303, 304, 404, 405}, statuses
    everything = "\n".join(text for _, _, text in pages.values())
    # The walk reaches the public material, so that finding nothing else means something.
    published = session.scalars(
        sa.select(PublicSummary).where(PublicSummary.published_at <= utcnow())
    ).all()
    assert published, "the demo publishes summaries"
    assert all(summary.text in everything for summary in published)
    assert "/data/v1/" in everything and any(u.startswith("/api/v1/") for u in pages)
    assert any("vetting-report" in u for u in pages)

    leaks = []
    for kind, texts in secrets.items():
        for secret in texts:
            probes = [
                line.strip() for line in secret.splitlines() if len(line.strip()) >= MIN_LENGTH
            ]
            for probe in probes or ([secret] if len(secret) >= MIN_LENGTH else []):
                for url, (_, _, text) in pages.items():
                    if probe in text:
                        leaks.append(f"{kind}: {probe[:60]!r} on {url}")
                        break
    assert not leaks, "\n".join(leaks[:30])
