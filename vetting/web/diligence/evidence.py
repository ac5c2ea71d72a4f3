"""Evidence items as the vetting officer's page shows them (with their file and who added
them), the adverse notice's draft and the candidate's reply; and the forms that go with them.
Every list here is read in a fixed number of statements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from vetting.extensions import db
from vetting.models import (
    AdverseNotice,
    Candidacy,
    EvidenceItem,
    ReplyAnswers,
    ReplyAttachment,
    StoredFile,
    User,
)
from vetting.operations.diligence import MAX_SUMMARY_CHARS


@dataclass(frozen=True)
class EvidenceRow:
    item: EvidenceItem
    file: StoredFile | None
    added_by: str


@dataclass(frozen=True)
class ReplyView:
    """The adverse notice with what goes with it: who drafted and approved it, the items the
    reply answers and the files it carries."""

    notice: AdverseNotice | None
    approved_by: str | None = None
    read_by: str | None = None
    answers: Sequence[EvidenceItem] = ()
    files: Sequence[tuple[ReplyAttachment, StoredFile]] = ()

    @property
    def sent(self) -> bool:
        return self.notice is not None and self.notice.approved_by_id is not None

    @property
    def replied(self) -> bool:
        return self.notice is not None and self.notice.replied_at is not None


def evidence_rows(items: Sequence[EvidenceItem]) -> list[EvidenceRow]:
    """The items with their files and their authors' names, in two statements."""
    ids = [item.id for item in items]
    if not ids:
        return []
    found = {
        item_id: (file, name)
        for item_id, file, name in db.session.execute(
            sa.select(EvidenceItem.id, StoredFile, User.full_name)
            .join(User, User.id == EvidenceItem.added_by_id)
            .outerjoin(StoredFile, StoredFile.id == EvidenceItem.file_id)
            .where(EvidenceItem.id.in_(ids))
        )
    }
    return [EvidenceRow(item, *found[item.id]) for item in items]


def reply_view(candidacy: Candidacy) -> ReplyView:
    notice = db.session.scalar(
        sa.select(AdverseNotice).where(AdverseNotice.candidacy_id == candidacy.id)
    )
    if notice is None:
        return ReplyView(None)
    names = dict(
        db.session.execute(
            sa.select(User.id, User.full_name).where(
                User.id.in_(
                    [i for i in (notice.approved_by_id, notice.reply_read_by_id) if i is not None]
                )
            )
        ).all()
    )
    answers = db.session.scalars(
        sa.select(EvidenceItem)
        .join(ReplyAnswers, ReplyAnswers.evidence_item_id == EvidenceItem.id)
        .where(ReplyAnswers.notice_id == notice.id)
        .order_by(EvidenceItem.obtained_on, EvidenceItem.id)
    ).all()
    files = db.session.execute(
        sa.select(ReplyAttachment, StoredFile)
        .join(StoredFile, StoredFile.id == ReplyAttachment.file_id)
        .where(ReplyAttachment.notice_id == notice.id)
        .order_by(ReplyAttachment.id)
    ).all()
    return ReplyView(
        notice,
        approved_by=names.get(notice.approved_by_id) if notice.approved_by_id else None,
        read_by=names.get(notice.reply_read_by_id) if notice.reply_read_by_id else None,
        answers=list(answers),
        files=[(attachment, file) for attachment, file in files],
    )


_YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


class EvidenceStatusForm(FlaskForm):
    """Both values are always sent: an empty post is refused, never read as 'no' and 'no'."""

    verified = SelectField(
        _l("Verified"),
        choices=_YES_NO,
        validators=[InputRequired(_l("Say whether it is verified."))],
    )
    relied_on = SelectField(
        _l("Relied on"),
        choices=_YES_NO,
        validators=[InputRequired(_l("Say whether the finding relies on it."))],
    )


def status_form(item: EvidenceItem) -> EvidenceStatusForm:
    return EvidenceStatusForm(
        formdata=None,
        prefix=f"item{item.id}",
        verified="yes" if item.verified else "no",
        relied_on="yes" if item.relied_on else "no",
    )


class NoticeDraftForm(FlaskForm):
    summary = TextAreaField(
        _l("De-identified summary the candidate will receive (no source, no reporter)"),
        validators=[
            DataRequired(_l("Write the summary.")),
            Length(max=MAX_SUMMARY_CHARS),
        ],
        render_kw={"rows": 6},
    )


def diligence_context(candidacy: Candidacy, evidence: Sequence[EvidenceItem]) -> dict[str, Any]:
    """What the vetting officer's candidacy page shows of evidence, notice and reply."""
    rows = evidence_rows(evidence)
    reply = reply_view(candidacy)
    return {
        "evidence_rows": rows,
        "status_forms": {row.item.id: status_form(row.item) for row in rows},
        "reply": reply,
        "notice_form": NoticeDraftForm(
            formdata=None, summary=reply.notice.summary if reply.notice else None
        ),
    }
