"""The `vetting` command: a Flask CLI group on create_app, whose commands call operations."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from vetting.domain.roles import Role

ROOT = Path(__file__).resolve().parents[1]

db_group = AppGroup("db", help="Database schema (Alembic).")
audit_group = AppGroup("audit", help="The tamper-evident audit log.")
notices_group = AppGroup("notices", help="The notice outbox.")


def _alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", current_app.config["DATABASE_URL"].replace("%", "%%"))
    return cfg


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Upgrade the database schema (default: to the newest revision)."""
    from alembic import command

    command.upgrade(_alembic_config(), revision)
    click.echo(f"database upgraded to {revision}")


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Downgrade the database schema to REVISION (e.g. base)."""
    from alembic import command

    command.downgrade(_alembic_config(), revision)


@db_group.command("check")
def db_check() -> None:
    """Fail if the models and the migrations differ."""
    from alembic import command

    command.check(_alembic_config())


@audit_group.command("verify")
def audit_verify() -> None:
    """Walk the hash chain; exit 1 naming the first bad entry."""
    from vetting import audit
    from vetting.extensions import db

    with db.sessionmaker() as session:
        result = audit.verify(session)
    if result.ok:
        click.echo(f"audit chain intact: {result.entries} entries")
        return
    click.echo(f"audit chain BROKEN at entry {result.first_bad_seq}: {result.problem}", err=True)
    sys.exit(1)


@notices_group.command("sweep")
def notices_sweep() -> None:
    """Re-enqueue notices whose delivery job was lost."""
    from vetting.jobs import sweep_notices

    count = sweep_notices()
    click.echo(f"re-enqueued {count} notice(s)")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--state", "state_code", default=None, help="ISO alpha-3 code (focal points, panel)")
@click.password_option()
@with_appcontext
def create_user(
    email: str, full_name: str, role: str, state_code: str | None, password: str
) -> None:
    """Create an account with a password."""
    from vetting.extensions import db
    from vetting.operations import Refused, accounts

    with db.sessionmaker() as session:
        try:
            user = accounts.create_user(
                session,
                None,
                email=email,
                full_name=full_name,
                role=Role(role),
                password=password,
                state_code=state_code,
            )
        except Refused as refused:
            raise click.ClickException(str(refused)) from refused
        session.commit()
        click.echo(f"created {user.email} ({user.role.value})")


@click.command("demo")
@click.option("--reset", is_flag=True, help="Delete all data first, then seed again.")
@with_appcontext
def demo(reset: bool) -> None:
    """Seed the demo election unless it exists (needs an upgraded database)."""
    from vetting.demo import seed_demo

    message = seed_demo(current_app, reset=reset)
    click.echo(message)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--worker-ttl", default=60, show_default=True)
@with_appcontext
def worker(burst: bool, worker_ttl: int) -> None:
    """Run an RQ worker in the application context, with the scheduler for retries."""
    from vetting.extensions import rq
    from vetting.jobs import sweep_notices

    if not current_app.config["REDIS_URL"]:
        raise click.ClickException("Set VETTING_REDIS_URL: the embedded mode runs jobs in-process.")
    # The worker runs each job in a `flask rq work-horse` subprocess, which needs the app.
    os.environ.setdefault("FLASK_APP", "vetting:create_app")
    sweep_notices()
    rq.make_worker(worker_ttl=worker_ttl).work(burst=burst, with_scheduler=True)


@click.command("send-reminders")
@click.option("--on", "on", default=None, help="As of this day (YYYY-MM-DD); default today.")
@with_appcontext
def send_reminders(on: str | None) -> None:
    """Send every questionnaire reminder that is due and not yet sent (safe to repeat)."""
    from datetime import date

    from vetting.extensions import db
    from vetting.operations import reminders

    with db.sessionmaker() as session:
        count = reminders.send_due_reminders(session, date.fromisoformat(on) if on else None)
        session.commit()
    click.echo(f"sent {count} reminder(s)")


COMMANDS = (db_group, audit_group, notices_group, create_user, demo, worker, send_reminders)


def register_cli(app: Flask) -> None:
    """Also reachable as `flask --app vetting vetting ...`."""
    group = AppGroup("vetting", help="Vetting mechanism commands.")
    for command in COMMANDS:
        group.add_command(command)
    app.cli.add_command(group)


def _create_app() -> Flask:
    from vetting import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Vetting mechanism for ICC and ASP elections."""


for _command in COMMANDS:
    main.add_command(_command)
