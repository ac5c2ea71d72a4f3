"""Panels per election, members' ties, rubric phases and descriptors, score revisions,
stored files, the confidential channel's receipts and triage, and the reply's read record

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 17:54:46.713861
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_ties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "state_employment",
                "political_office",
                "icc_asp_employment",
                "family",
                "personal",
                "financial",
                name="tiekind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("state_code", sa.String(length=3), nullable=True),
        sa.Column("person_name", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on", name=op.f("ck_member_ties_dates_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["users.id"], name=op.f("fk_member_ties_member_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["state_code"], ["states.code"], name=op.f("fk_member_ties_state_code_states")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_ties")),
    )
    with op.batch_alter_table("member_ties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_ties_member_id"), ["member_id"], unique=False)

    op.create_table(
        "panel_memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_panel_memberships_election_id_elections"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["users.id"], name=op.f("fk_panel_memberships_member_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel_memberships")),
        sa.UniqueConstraint(
            "election_id", "member_id", name="uq_panel_memberships_election_member"
        ),
    )
    with op.batch_alter_table("panel_memberships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_panel_memberships_election_id"), ["election_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_panel_memberships_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "stored_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_stored_files_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_files")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_stored_files_storage_key")),
    )
    op.create_table(
        "complaint_additions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_additions_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["stored_files.id"],
            name=op.f("fk_complaint_additions_file_id_stored_files"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_additions")),
    )
    with op.batch_alter_table("complaint_additions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_additions_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "finding_reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["criterion_id"], ["criteria.id"], name=op.f("fk_finding_reasons_criterion_id_criteria")
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_finding_reasons_finding_id_findings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_reasons")),
        sa.UniqueConstraint("finding_id", "criterion_id", name="uq_finding_reasons_criterion"),
    )
    with op.batch_alter_table("finding_reasons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finding_reasons_finding_id"), ["finding_id"], unique=False
        )

    op.create_table(
        "interview_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name=op.f("fk_interview_attendance_interview_id_interviews"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["users.id"], name=op.f("fk_interview_attendance_member_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_attendance")),
        sa.UniqueConstraint("interview_id", "member_id", name="uq_interview_attendance_member"),
    )
    with op.batch_alter_table("interview_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_attendance_interview_id"), ["interview_id"], unique=False
        )

    op.create_table(
        "reply_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("evidence_item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_item_id"],
            ["evidence_items.id"],
            name=op.f("fk_reply_answers_evidence_item_id_evidence_items"),
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["adverse_notices.id"],
            name=op.f("fk_reply_answers_notice_id_adverse_notices"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_answers")),
        sa.UniqueConstraint("notice_id", "evidence_item_id", name="uq_reply_answers_item"),
    )
    with op.batch_alter_table("reply_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reply_answers_notice_id"), ["notice_id"], unique=False)

    op.create_table(
        "reply_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_files.id"], name=op.f("fk_reply_attachments_file_id_stored_files")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["adverse_notices.id"],
            name=op.f("fk_reply_attachments_notice_id_adverse_notices"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_attachments")),
    )
    with op.batch_alter_table("reply_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reply_attachments_notice_id"), ["notice_id"], unique=False
        )

    op.create_table(
        "score_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("score_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("after_exposure", sa.Boolean(), nullable=False),
        sa.Column("revised_by_id", sa.Integer(), nullable=False),
        sa.Column("revised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["revised_by_id"], ["users.id"], name=op.f("fk_score_revisions_revised_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["score_id"], ["scores.id"], name=op.f("fk_score_revisions_score_id_scores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_revisions")),
    )
    with op.batch_alter_table("score_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_revisions_score_id"), ["score_id"], unique=False)

    with op.batch_alter_table("adverse_notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reply_read_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reply_read_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_adverse_notices_approved_by_id_users"),
            "users",
            ["approved_by_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_adverse_notices_reply_read_by_id_users"),
            "users",
            ["reply_read_by_id"],
            ["id"],
        )

    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("interview_locked_at", sa.DateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("receipt_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column(
                "triage",
                sa.Enum(
                    "out_of_scope",
                    "needs_information",
                    "not_substantiated",
                    "credible_concern",
                    name="triageoutcome",
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("triage_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("triaged_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("triaged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column(
            "reporter_contact",
            existing_type=sa.VARCHAR(length=300),
            type_=sa.Text(),
            existing_nullable=True,
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_complaints_receipt_hash"), ["receipt_hash"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_complaints_triaged_by_id_users"), "users", ["triaged_by_id"], ["id"]
        )

    with op.batch_alter_table("criteria", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "phase",
                sa.Enum(
                    "paper",
                    "post_interview",
                    name="scorephase",
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                nullable=False,
                server_default="paper",
            )
        )
        batch_op.add_column(
            sa.Column("allows_na", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("descriptor_1", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("descriptor_2", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("descriptor_3", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("descriptor_4", sa.Text(), nullable=False, server_default=""))

    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel_opens", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("channel_closes", sa.Date(), nullable=True))

    with op.batch_alter_table("evidence_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_evidence_items_file_id_stored_files"),
            "stored_files",
            ["file_id"],
            ["id"],
        )

    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed_name", sa.String(length=200), nullable=True))

    # The value_range check already lets NULL (not applicable) through, as SQL CHECKs do.
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "changed_after_exposure", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.alter_column("value", existing_type=sa.INTEGER(), nullable=True)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "gender",
                sa.Enum(
                    "female",
                    "male",
                    "other",
                    name="gender",
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint("gender", type_="check")
        batch_op.drop_column("gender")

    # "Not applicable" scores have no value and cannot survive the older schema.
    op.execute("DELETE FROM scores WHERE value IS NULL")
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.alter_column("value", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("changed_after_exposure")

    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_column("signed_name")

    with op.batch_alter_table("evidence_items", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_evidence_items_file_id_stored_files"), type_="foreignkey"
        )
        batch_op.drop_column("file_id")

    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.drop_column("channel_closes")
        batch_op.drop_column("channel_opens")

    with op.batch_alter_table("criteria", schema=None) as batch_op:
        batch_op.drop_column("descriptor_4")
        batch_op.drop_column("descriptor_3")
        batch_op.drop_column("descriptor_2")
        batch_op.drop_column("descriptor_1")
        batch_op.drop_column("allows_na")
        batch_op.drop_constraint("scorephase", type_="check")
        batch_op.drop_column("phase")

    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_complaints_triaged_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_complaints_receipt_hash"), type_="unique")
        batch_op.alter_column(
            "reporter_contact",
            existing_type=sa.Text(),
            type_=sa.VARCHAR(length=300),
            existing_nullable=True,
        )
        batch_op.drop_column("triaged_at")
        batch_op.drop_column("triaged_by_id")
        batch_op.drop_column("triage_reason")
        batch_op.drop_constraint("triageoutcome", type_="check")
        batch_op.drop_column("triage")
        batch_op.drop_column("receipt_hash")

    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_column("interview_locked_at")

    with op.batch_alter_table("adverse_notices", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_adverse_notices_reply_read_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_adverse_notices_approved_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("reply_read_at")
        batch_op.drop_column("reply_read_by_id")
        batch_op.drop_column("approved_by_id")

    with op.batch_alter_table("score_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_revisions_score_id"))

    op.drop_table("score_revisions")
    with op.batch_alter_table("reply_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reply_attachments_notice_id"))

    op.drop_table("reply_attachments")
    with op.batch_alter_table("reply_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reply_answers_notice_id"))

    op.drop_table("reply_answers")
    with op.batch_alter_table("interview_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_attendance_interview_id"))

    op.drop_table("interview_attendance")
    with op.batch_alter_table("finding_reasons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_reasons_finding_id"))

    op.drop_table("finding_reasons")
    with op.batch_alter_table("complaint_additions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_additions_complaint_id"))

    op.drop_table("complaint_additions")
    op.drop_table("stored_files")
    with op.batch_alter_table("panel_memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_panel_memberships_member_id"))
        batch_op.drop_index(batch_op.f("ix_panel_memberships_election_id"))

    op.drop_table("panel_memberships")
    with op.batch_alter_table("member_ties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_ties_member_id"))

    op.drop_table("member_ties")
