"""Test harness: the same suite on SQLite (default) or PostgreSQL and Redis (VETTING_TEST_*).

The schema is built once per run by the real migrations; each test then starts from empty
tables (plus the audit head row), so tests never see each other's data.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from flask import Flask
from flask.testing import FlaskClient
from jinja2.bccache import Bucket, BytecodeCache

from vetting import create_app
from vetting.audit import GENESIS_HASH
from vetting.models import AuditHead, Base
from vetting.web.ratelimit import limiter

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("VETTING_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("VETTING_TEST_REDIS_URL")
REQUIRE_SERVICES = os.environ.get("VETTING_REQUIRE_SERVICES") == "1"
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"  # noqa: S105


def reachable(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), 2):
            return True
    except OSError:
        return False


def require_service(name: str, url: str | None) -> None:
    """Skip when a service is absent, unless CI demands it: then fail loudly."""
    if reachable(url):
        return
    message = f"{name} is not reachable (set VETTING_TEST_{name.upper()}_URL)"
    if REQUIRE_SERVICES:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """argon2id at production cost takes ~60 ms a hash; the suite hashes thousands of times.
    Tests use the same algorithm at minimal cost; test_passwords checks the real parameters."""
    from argon2 import PasswordHasher

    from vetting import passwords

    saved = passwords._hasher, passwords._DUMMY_HASH
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    passwords._DUMMY_HASH = passwords._hasher.hash("dummy")
    yield
    passwords._hasher, passwords._DUMMY_HASH = saved


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> str:
    if PG_URL:
        require_service("database", PG_URL)
        return _worker_database(PG_URL, worker_id)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _worker_database(url: str, worker_id: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database, created on demand."""
    if worker_id == "master":
        return url
    parsed = sa.engine.make_url(url)
    name = f"{parsed.database}_{worker_id}"
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[sa.Engine]:
    eng = sa.create_engine(database_url)
    with eng.begin() as conn:
        if eng.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        cfg = Config(str(ROOT / "alembic.ini"))
        cfg.set_main_option("script_location", str(ROOT / "migrations"))
        cfg.attributes["connection"] = conn
        cfg.attributes["configure_logger"] = False
        command.upgrade(cfg, "head")
    yield eng
    eng.dispose()


def _empty_tables(eng: sa.Engine) -> None:
    tables = [t for t in reversed(Base.metadata.sorted_tables)]
    with eng.begin() as conn:
        # DELETE, children first: on PostgreSQL a TRUNCATE of some fifty tables costs a few
        # hundred milliseconds, twice per test, where deleting a test's few rows costs little.
        for table in tables:
            conn.execute(table.delete())
        if eng.dialect.name == "postgresql":
            # Ids start at 1 again in every test, as on SQLite (whose emptied tables restart).
            conn.execute(
                sa.text(
                    "SELECT setval(c.oid, 1, false) FROM pg_class c "
                    "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
                )
            )
        conn.execute(sa.insert(AuditHead.__table__).values(id=1, seq=0, hash=GENESIS_HASH))


def _dispose(application: Flask) -> None:
    from vetting.extensions import db

    with application.app_context():
        for eng in db.engines.values():
            eng.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in a fresh context, as in a real server.

    The fixtures keep an application context pushed for the test's own use; Flask would reuse
    it for the client's requests, so `g` (and the user Flask-Login caches there) and the
    database session would carry over from one request to the next. Running each request in
    an empty contextvars.Context gives it its own application context, torn down at its end.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return contextvars.Context().run(super().open, *args, **kwargs)


# A fixed Fernet key for tests (urlsafe base64 of 32 bytes); production refuses to start without
# its own VETTING_DATA_KEY.
TEST_DATA_KEY = "dGVzdC1vbmx5LWtleS1mb3ItdmV0dGluZy10ZXN0cyE="
# A fixed Ed25519 seed (32 bytes, base64) for the audit checkpoints' signatures.
TEST_SIGNING_KEY = "dGVzdC1vbmx5LXNpZ25pbmcta2V5LWZvci12ZXR0aW4="


def make_test_app(database_url: str, tmp_path: Path, **overrides: object) -> Flask:
    config: dict[str, object] = {
        "TESTING": True,
        "ENV_NAME": "testing",
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": database_url,
        "MAIL_DIR": str(tmp_path / "mail"),
        "DATA_KEY": TEST_DATA_KEY,
        "SIGNING_KEY": TEST_SIGNING_KEY,
        "FILES_DIR": str(tmp_path / "files"),
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "http://localhost",
        "SERVER_NAME": "localhost",
        # Rate limits are tested on their own (tests/web/test_channel_pages.py) with memory
        # storage; elsewhere they would only make the suite depend on its own request counts.
        "RATELIMIT_ENABLED": False,
    }
    if REDIS_URL:
        config["REDIS_URL"] = REDIS_URL
        config["RQ_ASYNC"] = False
    config.update(overrides)
    application = create_app(config)
    application.test_client_class = IsolatedClient
    # Every test builds its own application, and each would compile every template it renders
    # again: the compiled templates are shared within the test process instead.
    application.jinja_env.bytecode_cache = _TEMPLATES
    _CREATED.append(application)
    return application


class _SharedBytecode(BytecodeCache):
    """Jinja's compiled templates, kept in memory for the whole test process. Jinja checks each
    entry against the template's source checksum, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _SharedBytecode()


# Every application a test builds, so that its database connections are closed when the test
# ends, even where the test forgets: a connection left to the garbage collector warns
# (ResourceWarning) in whichever later test happens to run then.
_CREATED: list[Flask] = []


@pytest.fixture(autouse=True)
def _dispose_created_apps() -> Iterator[None]:
    yield
    while _CREATED:
        _dispose(_CREATED.pop())


# One application per test process and setting of CSRF, reused by every test that asks for `app`
# or `csrf_app`: building one compiles some 150 URL rules, about 80 ms, which was a third of the
# suite's time. Before each test its configuration is put back as it was built, with the test's
# own mail and files folders. A test that adds routes or otherwise changes the application
# itself must build its own (`fresh_app`, or make_test_app).
_SHARED: dict[tuple[str, bool], tuple[Flask, dict[str, Any]]] = {}


def _shared_app(database_url: str, tmp_path: Path, *, csrf: bool) -> Flask:
    key = (database_url, csrf)
    if key not in _SHARED:
        built = make_test_app(database_url, tmp_path, WTF_CSRF_ENABLED=csrf)
        _SHARED[key] = (built, copy.deepcopy(dict(built.config)))
    application, pristine = _SHARED[key]
    application.config.clear()
    application.config.update(copy.deepcopy(pristine))
    application.config["MAIL_DIR"] = str(tmp_path / "mail")
    application.config["FILES_DIR"] = str(tmp_path / "files")
    # Flask-Limiter keeps one switch for all the applications it was given, set by the last one
    # built: a test that built a limited application must not leave the limits on for this one.
    limiter.enabled = bool(application.config["RATELIMIT_ENABLED"])
    if application not in _CREATED:
        _CREATED.append(application)
    return application


@contextlib.contextmanager
def _in_context(engine: sa.Engine, application: Flask) -> Iterator[Flask]:
    _empty_tables(engine)
    with application.app_context():
        yield application
    _dispose(application)
    _empty_tables(engine)


@pytest.fixture
def app(engine: sa.Engine, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    with _in_context(engine, _shared_app(database_url, tmp_path, csrf=False)) as application:
        yield application


@pytest.fixture
def csrf_app(engine: sa.Engine, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The application with CSRF protection on, as in production."""
    with _in_context(engine, _shared_app(database_url, tmp_path, csrf=True)) as application:
        yield application


@pytest.fixture
def fresh_app(engine: sa.Engine, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An application built for this test alone, for a test that changes the application."""
    with _in_context(engine, make_test_app(database_url, tmp_path)) as application:
        yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def session(app: Flask) -> Iterator[sa.orm.Session]:
    """A session of the application's own sessionmaker, for operations under test."""
    from vetting.extensions import db

    with db.sessionmaker() as s:
        yield s
