"""The production password hashing parameters, and the rehash of weaker hashes on login."""

from __future__ import annotations

import argon2
import pytest
import sqlalchemy as sa
from argon2 import Type

from vetting import passwords
from vetting.models import User
from vetting.operations import accounts
from vetting.scenarios import DEFAULT_PASSWORD, make_people

# OWASP ASVS 5.0 / the OWASP cheat sheet floor for argon2id.
ASVS_MIN_MEMORY_KIB = 19456
ASVS_MIN_TIME_COST = 2


def test_production_hasher_is_argon2id_above_asvs_floor_when_built():
    params = passwords.PRODUCTION_PARAMETERS
    assert params.type is Type.ID
    assert params.memory_cost >= ASVS_MIN_MEMORY_KIB
    assert params.time_cost >= ASVS_MIN_TIME_COST
    assert params.parallelism >= 1
    assert params.salt_len >= 16

    made = argon2.extract_parameters(passwords.make_hasher().hash("a long enough password"))
    assert made == params


def test_stored_hash_is_rewritten_with_production_parameters_when_weak_user_logs_in(
    session, monkeypatch
):
    # The suite's cheap hasher stands in for the weaker parameters of an older release.
    people = make_people(session)
    session.commit()
    old_hash = people.admin.password_hash
    assert old_hash is not None
    assert argon2.extract_parameters(old_hash).memory_cost < ASVS_MIN_MEMORY_KIB

    monkeypatch.setattr(passwords, "_hasher", passwords.make_hasher())
    user = accounts.authenticate(session, people.admin.email, DEFAULT_PASSWORD)
    session.commit()

    assert user is not None
    stored = session.scalar(sa.select(User.password_hash).where(User.id == people.admin.id))
    assert stored != old_hash
    assert argon2.extract_parameters(stored) == passwords.PRODUCTION_PARAMETERS
    assert passwords.verify_password(stored, DEFAULT_PASSWORD)


def test_stored_hash_is_kept_when_login_fails_with_weak_hash(session, monkeypatch):
    people = make_people(session)
    session.commit()
    old_hash = people.admin.password_hash

    monkeypatch.setattr(passwords, "_hasher", passwords.make_hasher())
    assert accounts.authenticate(session, people.admin.email, "not the password at all") is None
    session.commit()

    stored = session.scalar(sa.select(User.password_hash).where(User.id == people.admin.id))
    assert stored == old_hash


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("x" * (passwords.MIN_LENGTH - 1), False),
        ("x" * passwords.MIN_LENGTH, True),
        ("x" * (passwords.MAX_LENGTH + 1), False),
    ],
)
def test_password_problem_names_the_limit_when_length_is_out_of_bounds(password, ok):
    assert (passwords.password_problem(password) is None) is ok
