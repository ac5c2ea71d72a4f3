"""Audit chain throughput: appends with one commit each, then a full verification.

Usage: VETTING_DATABASE_URL=... python benchmarks/audit_chain.py [N]
It migrates the database it is given; use an empty one. Figures go in docs/performance.md.
"""

from __future__ import annotations

import sys
import tempfile
import time

from alembic import command

from vetting import audit, create_app
from vetting.cli import _alembic_config
from vetting.domain.events import AuditAction
from vetting.extensions import db


def main(n: int) -> None:
    app = create_app({"ENV_NAME": "testing", "TESTING": True, "MAIL_DIR": tempfile.mkdtemp()})
    with app.app_context():
        command.upgrade(_alembic_config(), "head")
        with db.sessionmaker() as session:
            audit.ensure_head(session)
            session.commit()
            start = time.perf_counter()
            for i in range(n):
                audit.record(session, None, AuditAction.AUDIT_VERIFY, None, {"i": i})
                session.commit()
            append = time.perf_counter() - start
            start = time.perf_counter()
            result = audit.verify(session)
            verify = time.perf_counter() - start
    print(
        f"{app.config['DATABASE_URL'].split(':')[0]}: {n} appends in {append:.1f} s "
        f"({n / append:.0f}/s); verify {result.entries} entries in {verify:.2f} s "
        f"({result.entries / verify:.0f}/s); intact={result.ok}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
