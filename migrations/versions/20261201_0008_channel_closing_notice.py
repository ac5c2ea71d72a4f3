"""The confidential channel's "closing in 14 days" notice: the last day of the window it was
sent for, so that it goes once per last day.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 00:54:40.063559
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel_closing_notified_for", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.drop_column("channel_closing_notified_for")
