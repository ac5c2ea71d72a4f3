"""Nominations in depth: extensions, minimum voting requirements, judges in office, eligibility
gates, deadline extensions and reminders, versioned questionnaire templates, answers and
signed declarations

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 18:19:34.568876
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "judges_in_office",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.Column("term_ends_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["state_code"], ["states.code"], name=op.f("fk_judges_in_office_state_code_states")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_judges_in_office")),
    )
    with op.batch_alter_table("judges_in_office", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_judges_in_office_state_code"), ["state_code"], unique=False
        )

    op.create_table(
        "voting_requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column(
            "dimension",
            sa.Enum(
                "regional_group",
                "gender",
                "list",
                name="requirementdimension",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("minimum", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "minimum >= 0", name=op.f("ck_voting_requirements_minimum_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_voting_requirements_election_id_elections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_requirements")),
        sa.UniqueConstraint(
            "election_id", "dimension", "value", name="uq_voting_requirements_value"
        ),
    )
    with op.batch_alter_table("voting_requirements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voting_requirements_election_id"), ["election_id"], unique=False
        )

    op.create_table(
        "nomination_extensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("previous_closes", sa.Date(), nullable=False),
        sa.Column("new_closes", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("extended_by_id", sa.Integer(), nullable=False),
        sa.Column("extended_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "new_closes > previous_closes", name=op.f("ck_nomination_extensions_extends")
        ),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_nomination_extensions_election_id_elections"),
        ),
        sa.ForeignKeyConstraint(
            ["extended_by_id"],
            ["users.id"],
            name=op.f("fk_nomination_extensions_extended_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nomination_extensions")),
        sa.UniqueConstraint("election_id", "number", name="uq_nomination_extensions_number"),
    )
    with op.batch_alter_table("nomination_extensions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_nomination_extensions_election_id"), ["election_id"], unique=False
        )

    op.create_table(
        "questionnaire_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_questionnaire_templates_created_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_questionnaire_templates_election_id_elections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_templates")),
        sa.UniqueConstraint("election_id", "version", name="uq_questionnaire_templates_version"),
    )
    with op.batch_alter_table("questionnaire_templates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_questionnaire_templates_election_id"), ["election_id"], unique=False
        )

    op.create_table(
        "deadline_extensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidacy_id", sa.Integer(), nullable=False),
        sa.Column("previous_due_on", sa.Date(), nullable=True),
        sa.Column("new_due_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidacy_id"],
            ["candidacies.id"],
            name=op.f("fk_deadline_extensions_candidacy_id_candidacies"),
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"], ["users.id"], name=op.f("fk_deadline_extensions_granted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_extensions")),
    )
    with op.batch_alter_table("deadline_extensions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deadline_extensions_candidacy_id"), ["candidacy_id"], unique=False
        )

    op.create_table(
        "declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidacy_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("wording_version", sa.String(length=20), nullable=False),
        sa.Column("signed_name", sa.String(length=200), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("amendment_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidacy_id"],
            ["candidacies.id"],
            name=op.f("fk_declarations_candidacy_id_candidacies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declarations")),
        sa.UniqueConstraint("candidacy_id", "version", name="uq_declarations_version"),
    )
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declarations_candidacy_id"), ["candidacy_id"], unique=False
        )

    op.create_table(
        "eligibility_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidacy_id", sa.Integer(), nullable=False),
        sa.Column(
            "gate",
            sa.Enum(
                "g1",
                "g2",
                "g3",
                "g4",
                "g5",
                name="gate",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidacy_id"],
            ["candidacies.id"],
            name=op.f("fk_eligibility_checks_candidacy_id_candidacies"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_eligibility_checks_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eligibility_checks")),
        sa.UniqueConstraint("candidacy_id", "gate", name="uq_eligibility_checks_gate"),
    )
    with op.batch_alter_table("eligibility_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_eligibility_checks_candidacy_id"), ["candidacy_id"], unique=False
        )

    op.create_table(
        "reminders_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidacy_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "days_14_before",
                "days_3_before",
                "day_1_overdue",
                name="reminderkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidacy_id"],
            ["candidacies.id"],
            name=op.f("fk_reminders_sent_candidacy_id_candidacies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders_sent")),
        sa.UniqueConstraint("candidacy_id", "kind", "due_on", name="uq_reminders_sent_once"),
    )
    with op.batch_alter_table("reminders_sent", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminders_sent_candidacy_id"), ["candidacy_id"], unique=False
        )

    op.create_table(
        "template_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["questionnaire_templates.id"],
            name=op.f("fk_template_sections_template_id_questionnaire_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template_sections")),
    )
    with op.batch_alter_table("template_sections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_template_sections_template_id"), ["template_id"], unique=False
        )

    op.create_table(
        "template_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "short_text",
                "long_text",
                "yes_no",
                "single_choice",
                "multiple_choice",
                "date",
                "file",
                name="questionkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("help_text", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("word_limit", sa.Integer(), nullable=True),
        sa.Column(
            "visibility",
            sa.Enum(
                "public",
                "states",
                "panel",
                "candidate_own",
                "restricted",
                name="level",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("choices", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "word_limit IS NULL OR word_limit > 0",
            name=op.f("ck_template_questions_word_limit_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["template_sections.id"],
            name=op.f("fk_template_questions_section_id_template_sections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template_questions")),
    )
    with op.batch_alter_table("template_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_template_questions_section_id"), ["section_id"], unique=False
        )

    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("choice", sa.String(length=300), nullable=True),
        sa.Column("choices", sa.JSON(), nullable=True),
        sa.Column("date_value", sa.Date(), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_files.id"], name=op.f("fk_answers_file_id_stored_files")
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["template_questions.id"],
            name=op.f("fk_answers_question_id_template_questions"),
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["questionnaire_responses.id"],
            name=op.f("fk_answers_response_id_questionnaire_responses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.UniqueConstraint("response_id", "question_id", name="uq_answers_question"),
    )
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answers_response_id"), ["response_id"], unique=False)

    with op.batch_alter_table("candidacies", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "nomination_basis",
                sa.Enum(
                    "art_36_4_a_i",
                    "art_36_4_a_ii",
                    "other",
                    name="nominationbasis",
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("national_procedure", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("other_nationalities", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("registered_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("questionnaire_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_candidacies_registered_by_id_users"),
            "users",
            ["registered_by_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_candidacies_withdrawn_by_id_users"), "users", ["withdrawn_by_id"], ["id"]
        )

    with op.batch_alter_table("questionnaire_responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("template_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_questionnaire_responses_template_id_questionnaire_templates"),
            "questionnaire_templates",
            ["template_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("questionnaire_responses", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_questionnaire_responses_template_id_questionnaire_templates"),
            type_="foreignkey",
        )
        batch_op.drop_column("opened_at")
        batch_op.drop_column("template_id")

    with op.batch_alter_table("candidacies", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_candidacies_withdrawn_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_candidacies_registered_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("withdrawn_by_id")
        batch_op.drop_column("questionnaire_due_on")
        batch_op.drop_column("registered_by_id")
        batch_op.drop_column("other_nationalities")
        batch_op.drop_column("national_procedure")
        batch_op.drop_constraint("nominationbasis", type_="check")
        batch_op.drop_column("nomination_basis")

    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answers_response_id"))

    op.drop_table("answers")
    with op.batch_alter_table("template_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_template_questions_section_id"))

    op.drop_table("template_questions")
    with op.batch_alter_table("template_sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_template_sections_template_id"))

    op.drop_table("template_sections")
    with op.batch_alter_table("reminders_sent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminders_sent_candidacy_id"))

    op.drop_table("reminders_sent")
    with op.batch_alter_table("eligibility_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_eligibility_checks_candidacy_id"))

    op.drop_table("eligibility_checks")
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declarations_candidacy_id"))

    op.drop_table("declarations")
    with op.batch_alter_table("deadline_extensions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_extensions_candidacy_id"))

    op.drop_table("deadline_extensions")
    with op.batch_alter_table("questionnaire_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaire_templates_election_id"))

    op.drop_table("questionnaire_templates")
    with op.batch_alter_table("nomination_extensions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nomination_extensions_election_id"))

    op.drop_table("nomination_extensions")
    with op.batch_alter_table("voting_requirements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voting_requirements_election_id"))

    op.drop_table("voting_requirements")
    with op.batch_alter_table("judges_in_office", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_judges_in_office_state_code"))

    op.drop_table("judges_in_office")
