"""vetting: the working tool of a permanent vetting mechanism for ICC and ASP elections."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from vetting import config as config_module
from vetting import db as _db_settings  # noqa: F401 - installs the SQLite pragmas

ROOT = Path(__file__).resolve().parents[1]


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("VETTING_INSTANCE_PATH") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        instance_relative_config=True,
    )
    app.config.from_mapping(config_module.defaults(Path(app.instance_path)))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(config_module.from_environment(os.environ))
    if overrides:
        app.config.from_mapping(overrides)
    config_module.check(app.config)
    _configure_services(app)

    from vetting.web import init_web

    init_web(app)

    from vetting.web import ratelimit

    ratelimit.init_app(app)

    from vetting.cli import register_cli

    register_cli(app)
    return app


def _configure_services(app: Flask) -> None:
    from vetting import jobs
    from vetting.checkpoints import SIGNER_KEY, Signer, local_seed
    from vetting.extensions import db, rq
    from vetting.notices.outbox import DISPATCHER_KEY
    from vetting.operations.publication import HOLIDAYS_KEY
    from vetting.operations.reminders import DUE_DAYS_KEY, PLANNER_KEY
    from vetting.sealing import SEALER_KEY, Sealer, local_key

    app.config["SQLALCHEMY_ENGINES"] = {"default": app.config["DATABASE_URL"]}
    if app.config["REDIS_URL"]:
        app.config["RQ_CONNECTION"] = app.config["REDIS_URL"]
        app.config.setdefault("RQ_ASYNC", True)
    else:
        # Embedded mode: no Redis service; jobs run in-process as soon as they are enqueued.
        app.config["RQ_CONNECTION_CLASS"] = "fakeredis.FakeRedis"
        app.config["RQ_CONNECTION"] = {}
        app.config["RQ_ASYNC"] = False
    app.config.setdefault("RQ_QUEUES", ["default"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    key = app.config["DATA_KEY"] or local_key(Path(app.config["DATA_KEY_FILE"]))
    app.extensions[SEALER_KEY] = Sealer(key)
    seed = app.config["SIGNING_KEY"] or local_seed(Path(app.config["SIGNING_KEY_FILE"]))
    app.extensions[SIGNER_KEY] = Signer(seed)
    # Flask-SQLAlchemy-Lite takes session options only from its constructor, not from the
    # config, so the outbox dispatcher (and the sealer, for operations that seal what they
    # store) is set on this application's own sessionmaker.
    with app.app_context():
        db.sessionmaker.configure(
            info={
                DISPATCHER_KEY: jobs.enqueue_notices,
                SEALER_KEY: app.extensions[SEALER_KEY],
                # Publication signs a checkpoint of the audit chain with it.
                SIGNER_KEY: app.extensions[SIGNER_KEY],
                # The questionnaire's deadline, and its reminders planned as jobs after commit.
                DUE_DAYS_KEY: int(app.config["QUESTIONNAIRE_DAYS"]),
                PLANNER_KEY: jobs.plan_reminders,
                # Days that do not count in the notification lead time before publication.
                HOLIDAYS_KEY: app.config["HOLIDAYS"],
            }
        )
    rq.init_app(app)
    # The rate limits' counters live in Redis when there is one, else in this process.
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
