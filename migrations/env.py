"""Alembic environment. The URL comes from the caller (`vetting db upgrade` sets it from the
application's configuration), else VETTING_DATABASE_URL, else the embedded SQLite database."""

from __future__ import annotations

import os
from logging.config import fileConfig
from pathlib import Path

import sqlalchemy as sa
from alembic import context

import vetting.db  # noqa: F401 - SQLite pragmas
from vetting.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    explicit = config.get_main_option("sqlalchemy.url")
    if explicit:
        return explicit
    if os.environ.get("VETTING_DATABASE_URL"):
        return os.environ["VETTING_DATABASE_URL"]
    instance = Path(
        os.environ.get("VETTING_INSTANCE_PATH") or Path(__file__).parents[1] / "instance"
    )
    instance.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance / 'vetting.sqlite3'}"


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = sa.create_engine(_url(), poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        _run(conn)


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
