"""Step-up before high-risk actions (security checklist AU-9): a POST to a view decorated with
`@requires_recent_auth` goes through only if the user confirmed who they are within the last
STEP_UP_MINUTES (10 by default). Signing in counts as a confirmation. Otherwise nothing is
done: the user is sent to the confirmation page (auth.confirm), then back to the page the form
was on, to repeat the action.

The decorator comes in addition to the view's policy decorator, never instead of it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _

from vetting.models.base import utcnow

F = TypeVar("F", bound=Callable[..., Any])

# The moment (POSIX seconds, UTC) of the last confirmation, in the signed session cookie.
CONFIRMED_AT = "confirmed_at"
DEFAULT_MINUTES = 10


def mark_confirmed() -> None:
    session[CONFIRMED_AT] = utcnow().timestamp()


def is_recent() -> bool:
    confirmed = session.get(CONFIRMED_AT)
    if not isinstance(confirmed, int | float):
        return False
    minutes = int(current_app.config.get("STEP_UP_MINUTES", DEFAULT_MINUTES))
    age = utcnow().timestamp() - confirmed
    return 0 <= age <= timedelta(minutes=minutes).total_seconds()


def local_path(target: str | None) -> str | None:
    """The path of a same-site URL (an absolute one on this host, or a path); None otherwise."""
    if not target:
        return None
    parts = urlsplit(target)
    foreign = parts.scheme not in ("http", "https") or parts.netloc != request.host
    if (parts.scheme or parts.netloc) and foreign:
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def requires_recent_auth(view: F) -> F:
    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if request.method == "POST" and not is_recent():
            flash(
                _(
                    "This action needs a recent confirmation that it is you. Enter your "
                    "password, then repeat the action: nothing was done yet."
                ),
                "info",
            )
            back = local_path(request.referrer) or url_for("account.home")
            return redirect(url_for("auth.confirm", next=back))
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]
