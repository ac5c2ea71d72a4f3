"""Encryption at rest for confidential text and files (reports, reporters' contacts, uploads).

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`): a token that was altered does not
decrypt, it raises `Unreadable`. Keys come from DATA_KEY, a comma-separated list of Fernet keys;
the first encrypts, all decrypt, so a key can be rotated without losing what is stored. See
docs/decisions/0006-cryptography-fernet-for-encryption-at-rest.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

# Where the application keeps its Sealer: app.extensions[SEALER_KEY].
SEALER_KEY = "vetting.sealer"


class Unreadable(Exception):
    """The stored text or file was altered, or was encrypted under a key we no longer hold."""


class Sealer:
    def __init__(self, keys: str) -> None:
        parts = [k.strip() for k in keys.split(",") if k.strip()]
        if not parts:
            raise ValueError("DATA_KEY holds no key.")
        self._fernet = MultiFernet([Fernet(k.encode()) for k in parts])

    def seal_bytes(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def unseal_bytes(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as error:
            raise Unreadable("The stored data does not decrypt: altered or foreign.") from error

    def seal(self, text: str) -> str:
        return self.seal_bytes(text.encode("utf-8")).decode("ascii")

    def unseal(self, token: str) -> str:
        return self.unseal_bytes(token.encode("ascii")).decode("utf-8")


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def local_key(path: Path) -> str:
    """The embedded mode's encryption key, kept beside the database across restarts."""
    return local_secret(path, new_key)


def local_secret(path: Path, make: Callable[[], str]) -> str:
    """A key the embedded mode keeps in a file: created once with `make`, then read back.
    Created with O_EXCL, mode 0600, so that two processes starting together agree on one key."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(make())
    return path.read_text().strip()
