from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vetting.domain.vocabulary import Office, RegionalGroup, RequirementDimension, ScorePhase
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
    # The confidential channel accepts reports between these dates (inclusive).
    channel_opens: Mapped[date | None]
    channel_closes: Mapped[date | None]
    # The last day of the window for which the States were told it closes in 14 days: the
    # notice goes once per last day (a new last day is announced again).
    channel_closing_notified_for: Mapped[date | None]
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
    phase: Mapped[ScorePhase] = mapped_column(enum_type(ScorePhase), default=ScorePhase.PAPER)
    # Whether a reviewer may score it "not applicable" (stored as a score without a value).
    allows_na: Mapped[bool] = mapped_column(default=False)
    # What each level of the 1-4 scale means for this criterion.
    descriptor_1: Mapped[str] = mapped_column(sa.Text, default="")
    descriptor_2: Mapped[str] = mapped_column(sa.Text, default="")
    descriptor_3: Mapped[str] = mapped_column(sa.Text, default="")
    descriptor_4: Mapped[str] = mapped_column(sa.Text, default="")

    election: Mapped[Election] = relationship(back_populates="criteria", lazy="raise")


class PanelMembership(Base):
    """A panel member (or chair, by role) sitting on the panel of one election."""

    __tablename__ = "panel_memberships"
    __table_args__ = (
        sa.UniqueConstraint(
            "election_id", "member_id", name="uq_panel_memberships_election_member"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(sa.ForeignKey("elections.id"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class NominationExtension(Base):
    """One two-week extension of an election's nomination window (at most three)."""

    __tablename__ = "nomination_extensions"
    __table_args__ = (
        sa.UniqueConstraint("election_id", "number", name="uq_nomination_extensions_number"),
        sa.CheckConstraint("new_closes > previous_closes", name="extends"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(sa.ForeignKey("elections.id"), index=True)
    number: Mapped[int]
    previous_closes: Mapped[date]
    new_closes: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.Text)
    extended_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    extended_at: Mapped[datetime] = mapped_column(default=utcnow)


class VotingRequirement(Base):
    """A minimum voting requirement of a judicial election: at least `minimum` candidates of
    one regional group, gender or list must be elected; the pool must be able to meet it."""

    __tablename__ = "voting_requirements"
    __table_args__ = (
        sa.UniqueConstraint(
            "election_id", "dimension", "value", name="uq_voting_requirements_value"
        ),
        sa.CheckConstraint("minimum >= 0", name="minimum_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(sa.ForeignKey("elections.id"), index=True)
    dimension: Mapped[RequirementDimension] = mapped_column(enum_type(RequirementDimension))
    # The enum value counted: a RegionalGroup, Gender or JudgeList value.
    value: Mapped[str] = mapped_column(sa.String(40))
    minimum: Mapped[int]


class JudgeInOffice(Base):
    """A judge whose term runs on: no two judges may be nationals of the same State
    (art. 36(7)), so a candidate of that nationality clashes."""

    __tablename__ = "judges_in_office"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    state_code: Mapped[str] = mapped_column(sa.ForeignKey("states.code"), index=True)
    term_ends_on: Mapped[date]
