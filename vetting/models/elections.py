from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vetting.domain.vocabulary import Office, RegionalGroup
from vetting.models.base import Base, enum_type, utcnow


class State(Base):
    __tablename__ = "states"

    code: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    name_en: Mapped[str] = mapped_column(sa.String(120))
    name_fr: Mapped[str] = mapped_column(sa.String(120))
    regional_group: Mapped[RegionalGroup] = mapped_column(enum_type(RegionalGroup))
    is_party: Mapped[bool] = mapped_column(default=True)


class Election(Base):
    __tablename__ = "elections"
    __table_args__ = (
        sa.CheckConstraint("seats >= 1", name="seats_positive"),
        sa.CheckConstraint("nomination_closes >= nomination_opens", name="window_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    office: Mapped[Office] = mapped_column(enum_type(Office))
    seats: Mapped[int]
    nomination_opens: Mapped[date]
    nomination_closes: Mapped[date]
    vote_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="election", lazy="raise", order_by="Criterion.position"
    )


class Criterion(Base):
    """A merit criterion of the election's rubric, scored 1-4 with a rationale."""

    __tablename__ = "criteria"
    __table_args__ = (
        sa.UniqueConstraint("election_id", "code", name="uq_criteria_election_code"),
        sa.CheckConstraint("weight > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(sa.ForeignKey("elections.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(8))
    title: Mapped[str] = mapped_column(sa.String(200))
    weight: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)

    election: Mapped[Election] = relationship(back_populates="criteria", lazy="raise")
