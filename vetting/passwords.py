"""argon2id password hashing (security checklist AU-1); parameters above the ASVS floor."""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# RFC 9106's low-memory profile: argon2id, t=3, m=65536 KiB, p=4; above the ASVS floor
# (m=19456 KiB, t=2). Named here so a library upgrade cannot lower it unnoticed.
PRODUCTION_PARAMETERS: Parameters = profiles.RFC_9106_LOW_MEMORY


def make_hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(PRODUCTION_PARAMETERS)


_hasher = make_hasher()
# Verified against when the account does not exist, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("dummy password for timing equalisation")

MIN_LENGTH = 12
MAX_LENGTH = 256


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def password_problem(password: str) -> str | None:
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    return None
