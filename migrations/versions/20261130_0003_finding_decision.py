"""How each finding was adopted: consensus, or a vote with its tally

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 17:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        # Findings adopted before this revision were adopted by consensus.
        batch_op.add_column(
            sa.Column(
                "method",
                sa.Enum(
                    "consensus",
                    "vote",
                    name="decisionmethod",
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                nullable=False,
                server_default="consensus",
            )
        )
        batch_op.add_column(sa.Column("votes_for", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("votes_against", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("abstentions", sa.Integer(), nullable=True))
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.alter_column("method", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_constraint("decisionmethod", type_="check")
        batch_op.drop_column("abstentions")
        batch_op.drop_column("votes_against")
        batch_op.drop_column("votes_for")
        batch_op.drop_column("method")
