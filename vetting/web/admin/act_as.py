"""Acting as another user: an administrator sees every page exactly as that user would, to
support them, and changes nothing (the identity itself is resolved in accounts_loader).

- Start: from the users page, with a reason (`user:act_as`); audited (ACT_AS_START).
- While acting: a banner on every page (templates/base.html) names the user and offers Stop;
  every request but GET/HEAD/OPTIONS, Stop and sign-out is refused with 403 before any view
  runs; the database refuses any write but the audit log (accounts_loader).
- Stop, sign-out, or the user no longer eligible (disabled, made an administrator): acting
  ends, audited (ACT_AS_STOP) with the reason given at the start and how it ended.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Response, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from vetting import audit
from vetting.domain.roles import Permission
from vetting.extensions import db
from vetting.models import User
from vetting.operations import acting
from vetting.web.accounts_loader import (
    ACTING_SESSION_KEY,
    acting_admin,
    acting_reason,
    begin_acting,
    end_acting,
)
from vetting.web.admin import bp
from vetting.web.admin.forms import ROLE_LABELS, ActAsForm
from vetting.web.helpers import actor, attempt, run
from vetting.web.policy import authenticated, requires

BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The only unsafe requests an acting administrator may make: ending the acting.
ALLOWED_WHILE_ACTING = frozenset({"admin.act_as_stop", "auth.logout"})


@bp.app_context_processor
def _acting() -> dict[str, Any]:
    admin = acting_admin()
    return {
        "acting_admin": admin,
        "acting_role_label": (lambda role: ROLE_LABELS.get(role, role.value)),
    }


@bp.before_app_request
def _while_acting() -> Any:
    """Bind the acting state to this request's database session, and keep it read-only."""
    if ACTING_SESSION_KEY not in session:
        db.session.info.pop(audit.ACTING_KEY, None)
        return None
    admin = acting_admin()
    dropped = g.pop("acting_dropped", None)
    if dropped is not None:
        _record_dropped(*dropped)
    if admin is None:
        db.session.info.pop(audit.ACTING_KEY, None)
        return None
    db.session.info[audit.ACTING_KEY] = (admin.id, actor().id)
    if request.method in SAFE_METHODS or request.endpoint in ALLOWED_WHILE_ACTING:
        return None
    return render_template("admin/act_as_refused.html"), 403


@bp.after_app_request
def _banner_everywhere(response: Response) -> Response:
    """Pages that do not extend base.html (print views) get the banner too, after <body>."""
    if response.mimetype != "text/html" or response.direct_passthrough:
        return response
    if acting_admin() is None or session.get(ACTING_SESSION_KEY) is None:
        return response
    page = response.get_data(as_text=True)
    body = BODY.search(page)
    if 'id="acting-banner"' in page or body is None:
        return response
    banner = render_template("_acting_banner.html")
    response.set_data(page[: body.end()] + banner + page[body.end() :])
    return response


def _record_dropped(admin: User, state: object) -> None:
    """The user became ineligible while the administrator acted as them: acting ended."""
    user_id = state.get("user") if isinstance(state, dict) else None
    target = db.session.get(User, user_id) if isinstance(user_id, int) else None
    reason = str(state.get("reason", "")) if isinstance(state, dict) else ""
    if target is not None:
        attempt(acting.stop_acting, admin, target, reason, ended_by="ineligible")
    flash(_("Acting as another user has ended: that account can no longer be acted as."), "info")


@bp.route("/admin/act-as", methods=["GET", "POST"])
@requires(Permission.USER_ACT_AS)
def act_as() -> object:
    """Pick the user (here, or from a row of the users page) and give the reason. The user is
    named in the form's body, never in the URL (users have no opaque id)."""
    admin = actor()
    form = ActAsForm(acting.eligible_users(db.session, admin))
    if form.validate_on_submit():
        target = db.session.get(User, form.user.data)
        reason = (form.reason.data or "").strip()
        if run(
            acting.start_acting,
            admin,
            target,
            reason,
            success=_(
                "You now see the application as %(name)s, read-only. Stop from the banner.",
                name=target.full_name if target else "",
            ),
        ):
            assert target is not None
            begin_acting(admin, target, reason)
            return redirect(url_for("account.home"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/act_as.html", form=form), status


@bp.route("/admin/act-as/stop", methods=["POST"])
@authenticated
def act_as_stop() -> object:
    admin = acting_admin()
    if admin is None:
        flash(_("You are not acting as another user."), "info")
        return redirect(url_for("account.home"))
    finish_acting(admin, ended_by="stop")
    flash(_("You are yourself again."), "success")
    return redirect(url_for("admin.users"))


def finish_acting(admin: User, *, ended_by: str) -> None:
    """End acting now and record it (sign-out calls this too)."""
    target = actor()
    reason = acting_reason()
    end_acting()
    attempt(acting.stop_acting, admin, target, reason, ended_by=ended_by)
