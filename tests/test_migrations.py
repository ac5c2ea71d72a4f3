"""The migrations build the models' schema, with no drift, and go all the way down and back up.

Runs on a fresh SQLite file always, and on a scratch PostgreSQL database
(`<test database>_migrations`) when VETTING_TEST_DATABASE_URL is set; never on the suite's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from tests.conftest import PG_URL, ROOT, require_service
from vetting.models import Base


def _scratch_postgres(url: str, suffix: str) -> str:
    base = sa.make_url(url)
    scratch = base.set(database=f"{base.database}_{suffix}")
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{scratch.database}"'))
    admin.dispose()
    return scratch.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    if not PG_URL:
        pytest.skip("set VETTING_TEST_DATABASE_URL to check the migrations on PostgreSQL")
    require_service("database", PG_URL)
    return _scratch_postgres(PG_URL, "migrations")


def _config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_match_models_and_round_trip_when_run_on_fresh_database(fresh_url):
    cfg = _config(fresh_url)
    models = {table.name for table in Base.metadata.sorted_tables}

    command.upgrade(cfg, "head")
    assert _tables(fresh_url) == models
    command.check(cfg)  # raises when autogenerate would find a difference

    command.downgrade(cfg, "base")
    assert _tables(fresh_url) == set()

    command.upgrade(cfg, "head")
    assert _tables(fresh_url) == models
    command.check(cfg)


def test_migration_history_is_linear_when_revisions_are_listed():
    script = ScriptDirectory.from_config(_config("sqlite://"))
    assert len(script.get_heads()) == 1, "merge the branches: more than one head"
    for revision in script.walk_revisions():
        assert revision.doc, f"revision {revision.revision} has no message"
