"""The `vetting` command: a Flask CLI group on create_app, whose commands call operations."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO, Any

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
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.File("r", encoding="utf-8"),
    help="A signed checkpoint (the JSON file from the transparency page).",
)
@click.option(
    "--all-checkpoints", is_flag=True, help="Check the chain against every stored checkpoint."
)
@click.option(
    "--public-key",
    "key_files",
    multiple=True,
    type=click.File("rb"),
    help="The public key (PEM) to check signatures with; default: this installation's own.",
)
@click.option(
    "--log",
    "log_file",
    type=click.File("r", encoding="utf-8"),
    help="An exported copy of the log (vetting audit export) to verify instead of the database.",
)
def audit_verify(
    checkpoint_file: IO[str] | None,
    all_checkpoints: bool,
    key_files: tuple[IO[bytes], ...],
    log_file: IO[str] | None,
) -> None:
    """Walk the hash chain; exit 1 naming the first bad entry.

    With --checkpoint, also check the checkpoint's signature and that the chain still passes
    through the head it signed: a log rewritten or truncated after the checkpoint fails.
    """
    from vetting import audit

    if all_checkpoints and (checkpoint_file or log_file):
        raise click.UsageError("--all-checkpoints checks the database's own checkpoints only.")
    if log_file and not checkpoint_file:
        raise click.UsageError("--log needs the --checkpoint to verify the copy against.")
    if checkpoint_file:
        _verify_checkpoint(checkpoint_file, key_files, log_file)
    elif all_checkpoints:
        _verify_all_checkpoints(key_files)
    else:
        from vetting.extensions import db

        with db.sessionmaker() as session:
            _report_chain(audit.verify(session))


def _report_chain(result: Any) -> None:
    if result.ok:
        click.echo(f"audit chain intact: {result.entries} entries")
        return
    click.echo(f"audit chain BROKEN at entry {result.first_bad_seq}: {result.problem}", err=True)
    sys.exit(1)


def _public_keys(key_files: tuple[IO[bytes], ...]) -> dict[str, Any]:
    """The keys to check signatures with, by key id; each announced, so the reader knows
    whose key vouched for the checkpoint."""
    from vetting import checkpoints

    keys: dict[str, Any] = {}
    for handle in key_files:
        try:
            key = checkpoints.load_public_key(handle.read())
        except ValueError as error:
            raise click.ClickException(f"{handle.name}: not an Ed25519 public key") from error
        key_id = checkpoints.key_id_of(key)
        click.echo(f"public key {key_id} from {handle.name}")
        keys[key_id] = key
    if not keys:
        signer: checkpoints.Signer = current_app.extensions[checkpoints.SIGNER_KEY]
        click.echo(f"public key {signer.key_id}: this installation's own signing key")
        keys[signer.key_id] = signer.public_key
    return keys


def _signature_line(keys: dict[str, Any], signed: Any) -> str | None:
    """Check one signature; echo what held, return the problem otherwise."""
    from vetting import checkpoints

    statement = signed.statement
    key = keys.get(statement.key_id)
    if key is None:
        return (
            f"signed by key {statement.key_id}, which is not among the keys given "
            "(pass the site's public key with --public-key)"
        )
    problem = checkpoints.signature_problem(key, signed)
    if problem is None:
        click.echo(f"checkpoint at entry {statement.seq}: signature valid")
    return problem


def _verify_checkpoint(
    checkpoint_file: IO[str], key_files: tuple[IO[bytes], ...], log_file: IO[str] | None
) -> None:
    from vetting import audit, checkpoints

    try:
        signed = checkpoints.read_download(checkpoint_file.read())
    except ValueError as error:
        raise click.ClickException(f"{checkpoint_file.name}: {error}") from error
    keys = _public_keys(key_files)
    problem = _signature_line(keys, signed)
    if problem is not None:
        click.echo(f"checkpoint REJECTED: {problem}", err=True)
        sys.exit(1)
    statement = signed.statement
    if log_file is not None:
        try:
            walked = audit.walk(audit.read_exported(log_file), (statement.seq,))
        except ValueError as error:
            raise click.ClickException(f"{log_file.name}: {error}") from error
        result = audit.judge(walked, statement.seq, statement.head_hash)
        source = f"the copy in {log_file.name}"
    else:
        from vetting.extensions import db

        with db.sessionmaker() as session:
            result = audit.verify_against(session, statement)
        source = "the database"
    if not result.ok:
        click.echo(
            f"audit chain BROKEN against the checkpoint at entry {statement.seq} "
            f"({source}): {result.problem}",
            err=True,
        )
        sys.exit(1)
    click.echo(
        f"audit chain intact through the checkpoint at entry {statement.seq} ({source}): "
        f"{result.entries} entries"
    )


def _verify_all_checkpoints(key_files: tuple[IO[bytes], ...]) -> None:
    import sqlalchemy as sa

    from vetting import audit, checkpoints
    from vetting.extensions import db
    from vetting.models import AuditCheckpoint

    keys = _public_keys(key_files)
    failures = 0
    with db.sessionmaker() as session:
        stored = session.scalars(
            sa.select(AuditCheckpoint).order_by(AuditCheckpoint.seq, AuditCheckpoint.id)
        ).all()
        signed = []
        for row in stored:
            try:
                signed.append(checkpoints.Signed(row.statement, row.signature, _parse(row)))
            except ValueError as error:
                click.echo(f"checkpoint {row.id} REJECTED: {error}", err=True)
                failures += 1
        results = audit.verify_against_all(session, [s.statement for s in signed])
        chain = audit.verify(session)
    if not chain.ok:
        click.echo(f"audit chain BROKEN at entry {chain.first_bad_seq}: {chain.problem}", err=True)
    for item, result in zip(signed, results, strict=True):
        seq = item.statement.seq
        problem = _signature_line(keys, item)
        if problem is None and not result.ok:
            problem = f"the chain does not pass through it: {result.problem}"
        if problem is not None:
            click.echo(f"checkpoint at entry {seq} REJECTED: {problem}", err=True)
            failures += 1
    if failures or not chain.ok:
        click.echo(f"{failures} of {len(stored)} checkpoint(s) failed", err=True)
        sys.exit(1)
    click.echo(f"audit chain intact: {chain.entries} entries; all {len(stored)} checkpoint(s) hold")


def _parse(row: Any) -> Any:
    from vetting import checkpoints

    return checkpoints.parse_statement(row.statement)


@audit_group.command("export")
@click.argument("output", type=click.File("w", encoding="utf-8"))
def audit_export(output: IO[str]) -> None:
    """Write the audit log as JSON lines, oldest first: a copy that `vetting audit verify --log`
    checks against a published checkpoint without the database. It holds what the log holds
    (addresses, actions on people): share it as the log itself is shared."""
    from vetting import audit
    from vetting.extensions import db

    count = 0
    with db.sessionmaker() as session:
        for line in audit.export(session):
            output.write(line + "\n")
            count += 1
    click.echo(f"exported {count} entries", err=output.name == "<stdout>")


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
    """Send every questionnaire reminder that is due and not yet sent, and the confidential
    channel's "closing in 14 days" notices to the States (safe to repeat)."""
    from datetime import date

    from flask import current_app

    from vetting.extensions import db
    from vetting.operations import channel, reminders

    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        message = f"{on} is not a day: write it as YYYY-MM-DD."
        raise click.BadParameter(message, param_hint="--on") from None
    with db.sessionmaker() as session:
        count = reminders.send_due_reminders(session, day)
        windows = channel.send_closing_notices(session, current_app.config["BASE_URL"], day)
        session.commit()
    click.echo(f"sent {count} reminder(s); announced {windows} channel closing(s)")


COMMANDS = (db_group, audit_group, notices_group, create_user, demo, worker, send_reminders)


def register_cli(app: Flask) -> None:
    """Also reachable as `flask --app vetting vetting ...`."""
    group = AppGroup("vetting", help="Vetting mechanism commands.")
    for command in COMMANDS:
        group.add_command(command)
    app.cli.add_command(group)


def _create_app() -> Flask:
    from vetting import create_app
    from vetting.config import ConfigurationError

    try:
        return create_app()
    except ConfigurationError as refused:
        # A setting that cannot be used is said in one line, not in a traceback.
        raise click.ClickException(str(refused)) from None


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Vetting mechanism for ICC and ASP elections."""


for _command in COMMANDS:
    main.add_command(_command)
