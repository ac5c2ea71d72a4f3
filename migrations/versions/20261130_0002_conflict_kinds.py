"""Conflict kinds, and the conflicts the system detects, on each assignment

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 16:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("same_nationality", "nominating_state", "professional", "personal", "financial", "other")


def upgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "conflict_kind",
                sa.Enum(
                    *KINDS,
                    name="conflictkind",
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("detected_conflicts", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_constraint("conflictkind", type_="check")
        batch_op.drop_column("detected_conflicts")
        batch_op.drop_column("conflict_kind")
