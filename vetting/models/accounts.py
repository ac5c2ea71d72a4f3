from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vetting.domain.roles import Role
from vetting.domain.vocabulary import Gender, TieKind
from vetting.models.base import Base, enum_type, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    # None until the person sets a password through their invitation.
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    # Nationality (ISO 3166 alpha-3) for panel members; the State for a focal point.
    state_code: Mapped[str | None] = mapped_column(sa.ForeignKey("states.code"))
    # Recorded for panel members, so that the panel's own balance can be shown.
    gender: Mapped[Gender | None] = mapped_column(enum_type(Gender))
    language: Mapped[str] = mapped_column(sa.String(2), default="en")
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout, password change and disablement: every older session dies.
    session_epoch: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Flask-Login protocol, kept structural so models do not import Flask.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"


class Invitation(Base):
    """A single-use, expiring link that lets a person set their password."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MemberTie(Base):
    """A tie a panel member declares about themselves (employment, office, family...), with
    its dates: conflict detection compares it with each candidacy within a time window."""

    __tablename__ = "member_ties"
    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    kind: Mapped[TieKind] = mapped_column(enum_type(TieKind))
    # The State concerned (employment by its government, political office in it), if any.
    state_code: Mapped[str | None] = mapped_column(sa.ForeignKey("states.code"))
    # The person concerned (family, personal, financial ties), if any.
    person_name: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    starts_on: Mapped[date | None]
    # None while the tie holds.
    ends_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
