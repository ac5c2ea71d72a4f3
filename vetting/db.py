"""Engine-level settings that the ORM does not own."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


@sa.event.listens_for(sa.Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite enforces foreign keys only when asked; WAL lets readers run beside a writer."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is durable against a crash of the application; only a power cut can
    # lose the last commits. The embedded database is for `make run`, not production.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
