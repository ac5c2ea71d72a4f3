"""Reference data: the States Parties and their regional groups."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting.domain.vocabulary import RegionalGroup
from vetting.models import State

DATA = Path(__file__).resolve().parents[1] / "data" / "states_parties.json"


def load_states_parties(session: Session) -> int:
    """Insert or update every State Party from the bundled list; returns how many."""
    payload = json.loads(DATA.read_text(encoding="utf-8"))
    existing = {s.code: s for s in session.scalars(sa.select(State))}
    for row in payload["states"]:
        state = existing.get(row["code"]) or State(code=row["code"])
        state.name_en = row["name_en"]
        state.name_fr = row["name_fr"]
        state.regional_group = RegionalGroup(row["regional_group"])
        state.is_party = True
        session.add(state)
    session.flush()
    return len(payload["states"])
