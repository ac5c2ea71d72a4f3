"""The open data and the read-only API: what is published, as plain records (dicts and lists of
JSON values) that the web layer writes out as JSON or CSV.

Only public material, and only through `vetting.operations.published` for what depends on a
publication being out (summaries, reports, checkpoints). Each function runs a constant number
of statements whatever the number of candidacies, so no list grows a query per row.

The records' fields are those of the JSON Schemas in `vetting/schemas/` (definitions.json):
`CSV_COLUMNS` keeps each flat dataset's columns in the schema's order, and a test holds the two
in step. No person's gender is published, as on the public pages: showing female or male for
everyone else would single out a candidate whose gender is recorded as "other". Gender appears
only in the balance counts of the public election page, with small counts suppressed
(vetting/domain/balance.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from vetting.domain.vocabulary import Level
from vetting.models import (
    Answer,
    AuditCheckpoint,
    Candidacy,
    Criterion,
    Election,
    ElectionReport,
    PublicSummary,
    QuestionnaireResponse,
    StoredFile,
    TemplateQuestion,
    TemplateSection,
)
from vetting.operations import published

Record = dict[str, Any]

CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "elections": (
        "id",
        "title",
        "office",
        "seats",
        "nomination_opens",
        "nomination_closes",
        "vote_date",
    ),
    "rubric": (
        "code",
        "title",
        "weight",
        "phase",
        "allows_na",
        "descriptor_1",
        "descriptor_2",
        "descriptor_3",
        "descriptor_4",
    ),
    "candidates": (
        "public_id",
        "name",
        "nationality",
        "nominating_state",
        "list",
        "status",
        "withdrawn_on",
        "summary_published",
    ),
    "summaries": ("public_id", "version", "published_at", "corrigendum", "text", "checkpoint_id"),
    "answers": (
        "public_id",
        "submitted_at",
        "section",
        "question_id",
        "question",
        "kind",
        "language",
        "text",
        "choice",
        "choices",
        "date",
        "file_name",
    ),
    "checkpoints": ("id", "seq", "head_hash", "signed_at", "key_id", "statement", "signature"),
}

# The questions whose answers anyone may read.
PUBLIC_LEVELS = frozenset({Level.PUBLIC})


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- Elections and their rubric --------------------------------------------------------------


def election_record(election: Election) -> Record:
    return {
        "id": election.id,
        "title": election.title,
        "office": election.office.value,
        "seats": election.seats,
        "nomination_opens": _day(election.nomination_opens),
        "nomination_closes": _day(election.nomination_closes),
        "vote_date": _day(election.vote_date),
    }


def elections(session: Session) -> list[Record]:
    """Every election (elections are public from their creation), the latest first."""
    rows = session.scalars(
        sa.select(Election).order_by(Election.nomination_opens.desc(), Election.id.desc())
    )
    return [election_record(e) for e in rows]


def election_or_none(session: Session, election_id: int) -> Election | None:
    return session.get(Election, election_id)


def criterion_record(criterion: Criterion) -> Record:
    return {
        "code": criterion.code,
        "title": criterion.title,
        "weight": criterion.weight,
        "phase": criterion.phase.value,
        "allows_na": criterion.allows_na,
        "descriptor_1": criterion.descriptor_1,
        "descriptor_2": criterion.descriptor_2,
        "descriptor_3": criterion.descriptor_3,
        "descriptor_4": criterion.descriptor_4,
    }


def rubric(session: Session, election_id: int) -> list[Record]:
    """The election's criteria, weights and level descriptors (the rubric is public)."""
    rows = session.scalars(
        sa.select(Criterion)
        .where(Criterion.election_id == election_id)
        .order_by(Criterion.position, Criterion.id)
    )
    return [criterion_record(c) for c in rows]


def election_detail(session: Session, election: Election) -> Record:
    return {**election_record(election), "rubric": rubric(session, election.id)}


# --- Candidacies -----------------------------------------------------------------------------


def _status(candidacy: Candidacy, has_summary: bool) -> str:
    # As the public election page says it: withdrawn (with the date), summary published, or
    # under review. Ineligibility is told by the published report, not here.
    if candidacy.withdrawn_at is not None:
        return "withdrawn"
    return "summary_published" if has_summary else "under_review"


def candidacy_record(candidacy: Candidacy, has_summary: bool) -> Record:
    return {
        "public_id": candidacy.public_id,
        "name": candidacy.full_name,
        "nationality": candidacy.nationality_code,
        "nominating_state": candidacy.nominating_state_code,
        "list": candidacy.judge_list.value,
        "status": _status(candidacy, has_summary),
        "withdrawn_on": _day(candidacy.withdrawn_at.date()) if candidacy.withdrawn_at else None,
        "summary_published": has_summary,
    }


def _candidacies(session: Session, election_id: int) -> list[Candidacy]:
    return list(
        session.scalars(
            sa.select(Candidacy)
            .where(Candidacy.election_id == election_id)
            .order_by(Candidacy.full_name, Candidacy.id)
        )
    )


def candidates(session: Session, election_id: int, *, now: datetime | None = None) -> list[Record]:
    """Every candidacy of the election, withdrawn ones included (with the date): two queries."""
    rows = _candidacies(session, election_id)
    with_summary = published.current_summaries(session, [c.id for c in rows], now=now)
    return [candidacy_record(c, c.id in with_summary) for c in rows]


def summary_record(public_id: str, summary: PublicSummary) -> Record:
    return {
        "public_id": public_id,
        "version": summary.version,
        "published_at": _moment(summary.published_at),
        "corrigendum": summary.corrigendum,
        "text": summary.text,
        "checkpoint_id": summary.checkpoint_id,
    }


def summaries(session: Session, election_id: int, *, now: datetime | None = None) -> list[Record]:
    """Every public version of every summary of the election (corrigenda keep the earlier
    versions public), by candidate then version: two queries."""
    rows = _candidacies(session, election_id)
    versions = published.summary_versions_of(session, [c.id for c in rows], now=now)
    return [summary_record(c.public_id, v) for c in rows for v in versions.get(c.id, [])]


# --- Published answers -----------------------------------------------------------------------


def _answer_record(
    public_id: str,
    response: QuestionnaireResponse,
    section: TemplateSection,
    question: TemplateQuestion,
    answer: Answer | None,
    file: StoredFile | None,
) -> Record:
    return {
        "public_id": public_id,
        "submitted_at": _moment(response.submitted_at),
        "section": section.title,
        "question_id": question.id,
        "question": question.text,
        "kind": question.kind.value,
        "language": answer.language if answer is not None else None,
        "text": answer.text if answer is not None and answer.text else None,
        "choice": answer.choice if answer is not None else None,
        "choices": list(answer.choices or []) if answer is not None else [],
        "date": _day(answer.date_value) if answer is not None else None,
        "file_name": file.original_name if file is not None else None,
    }


def _public_answers(session: Session, candidacies: Iterable[Candidacy]) -> dict[int, list[Record]]:
    """The answers to the public questions of each submitted questionnaire, by candidacy id, in
    the template's order: four queries whatever the number of candidacies. Same rule as the
    public profile (questionnaires.answer_sheet with the PUBLIC level): submitted responses only,
    questions whose visibility is public only."""
    by_id = {c.id: c for c in candidacies}
    if not by_id:
        return {}
    responses = session.scalars(
        sa.select(QuestionnaireResponse).where(
            QuestionnaireResponse.candidacy_id.in_(by_id),
            QuestionnaireResponse.submitted_at.is_not(None),
            QuestionnaireResponse.template_id.is_not(None),
        )
    ).all()
    if not responses:
        return {}
    questions = session.execute(
        sa.select(TemplateQuestion, TemplateSection)
        .join(TemplateSection, TemplateSection.id == TemplateQuestion.section_id)
        .where(
            TemplateSection.template_id.in_(
                sorted({r.template_id for r in responses if r.template_id})
            ),
            TemplateQuestion.visibility.in_(list(PUBLIC_LEVELS)),
        )
        .order_by(
            TemplateSection.position,
            TemplateSection.id,
            TemplateQuestion.position,
            TemplateQuestion.id,
        )
    ).all()
    answers = session.scalars(
        sa.select(Answer).where(
            Answer.response_id.in_([r.id for r in responses]),
            Answer.question_id.in_([q.id for q, _ in questions]),
        )
    ).all()
    saved = {(a.response_id, a.question_id): a for a in answers}
    file_ids = [a.file_id for a in answers if a.file_id is not None]
    files = (
        {f.id: f for f in session.scalars(sa.select(StoredFile).where(StoredFile.id.in_(file_ids)))}
        if file_ids
        else {}
    )
    records: dict[int, list[Record]] = {}
    for response in responses:
        public_id = by_id[response.candidacy_id].public_id
        rows = records.setdefault(response.candidacy_id, [])
        for question, section in questions:
            if section.template_id != response.template_id:
                continue
            answer = saved.get((response.id, question.id))
            file = files.get(answer.file_id) if answer is not None and answer.file_id else None
            rows.append(_answer_record(public_id, response, section, question, answer, file))
    return records


def answers(session: Session, election_id: int) -> list[Record]:
    """The published questionnaire answers of the election's candidates, one record per public
    question of each submitted questionnaire."""
    rows = _candidacies(session, election_id)
    found = _public_answers(session, rows)
    return [record for c in rows for record in found.get(c.id, [])]


def candidate_profile(
    session: Session, public_id: str, *, now: datetime | None = None
) -> Record | None:
    """What the public profile shows of one candidacy: its record, the election, the statement,
    the published answers and every public version of the summary."""
    candidacy = session.scalar(
        sa.select(Candidacy)
        .options(joinedload(Candidacy.election))
        .where(Candidacy.public_id == public_id)
    )
    if candidacy is None:
        return None
    versions = published.summary_versions(session, candidacy.id, now=now)
    found = _public_answers(session, [candidacy])
    return {
        **candidacy_record(candidacy, bool(versions)),
        "election": election_record(candidacy.election),
        "statement": candidacy.statement,
        "answers": [
            {k: v for k, v in record.items() if k != "public_id"}
            for record in found.get(candidacy.id, [])
        ],
        "summaries": [
            {k: v for k, v in summary_record(public_id, s).items() if k != "public_id"}
            for s in versions
        ],
    }


# --- Election reports ------------------------------------------------------------------------


def report_record(report: ElectionReport, *, with_snapshot: bool = True) -> Record:
    record: Record = {
        "version": report.version,
        "published_at": _moment(report.published_at),
        "corrigendum": report.corrigendum,
        "snapshot_sha256": report.snapshot_sha256,
        "checkpoint_id": report.checkpoint_id,
    }
    if with_snapshot:
        # The snapshot is stored as canonical JSON and exposed parsed; its SHA-256 is over the
        # stored text, which anyone can recompute with `vetting.audit.canonical`.
        record["snapshot"] = json.loads(report.snapshot) if report.snapshot else None
    return record


def reports(session: Session, election_id: int, *, now: datetime | None = None) -> list[Record]:
    """Every public version of the election's report, oldest first, with its snapshot."""
    return [report_record(r) for r in published.report_versions(session, election_id, now=now)]


def report_summary(
    session: Session, election_id: int, *, now: datetime | None = None
) -> Record | None:
    """The current public version in full and the list of every public version, or None when
    no version is public."""
    versions = published.report_versions(session, election_id, now=now)
    if not versions:
        return None
    return {
        "election_id": election_id,
        "current": report_record(versions[-1]),
        "versions": [report_record(v, with_snapshot=False) for v in versions],
    }


# --- Checkpoints and the public key ----------------------------------------------------------


def checkpoint_record(checkpoint: AuditCheckpoint) -> Record:
    return {
        "id": checkpoint.id,
        "seq": checkpoint.seq,
        "head_hash": checkpoint.head_hash,
        "signed_at": _moment(checkpoint.signed_at),
        "key_id": checkpoint.key_id,
        "statement": checkpoint.statement,
        "signature": checkpoint.signature,
    }


def checkpoints(session: Session, *, now: datetime | None = None) -> list[Record]:
    return [checkpoint_record(c) for c in published.public_checkpoints(session, now=now)]


def public_key_record(key_id: str, pem: str) -> Record:
    return {"algorithm": "Ed25519", "key_id": key_id, "public_key_pem": pem}
