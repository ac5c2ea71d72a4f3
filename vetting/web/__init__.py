"""The web layer: views, forms, and the request lifecycle around them."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flask import Flask, current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from vetting.extensions import babel, bootstrap, csrf, db, login_manager

BLUEPRINTS = (
    "vetting.web.auth",
    "vetting.web.public",
    "vetting.web.secretariat",
    "vetting.web.candidate",
    "vetting.web.diligence",
    "vetting.web.panel",
    "vetting.web.admin",
    "vetting.web.account",
    "vetting.web.opendata",
)


def init_web(app: Flask) -> None:
    from importlib import import_module

    from vetting.web import accounts_loader, policy, security

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    accounts_loader.install(login_manager)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    bootstrap.init_app(app)

    for name in BLUEPRINTS:
        app.register_blueprint(import_module(name).bp)

    app.before_request(_bind_request_to_session)
    app.before_request(policy.enforce)
    app.after_request(security.add_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.context_processor(_template_globals)


def _select_locale() -> str:
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in ("en", "fr"):
        session["lang"] = chosen
        return str(chosen)
    if current_user.is_authenticated and current_user.language in ("en", "fr"):
        return str(current_user.language)
    return request.accept_languages.best_match(["en", "fr"]) or "en"


def _bind_request_to_session() -> None:
    from vetting.audit import IP_KEY

    # Behind a proxy, deployments wrap the app in ProxyFix so remote_addr is the client's.
    db.session.info[IP_KEY] = request.remote_addr


# The navigation: (label, endpoint), shown when the endpoint exists and its policy admits the user.
NAVIGATION = (
    (_l("My work"), "account.home"),
    (_l("Elections"), "secretariat.elections"),
    (_l("Candidacies"), "secretariat.candidacies"),
    (_l("Due diligence"), "diligence.queue"),
    (_l("Reports"), "diligence.reports"),
    (_l("My assignments"), "panel.assignments"),
    (_l("My candidacy"), "candidate.home"),
    (_l("Our candidacies"), "candidate.focal_point_home"),
    (_l("Conflicts to decide"), "panel.conflicts"),
    (_l("Users"), "admin.users"),
    (_l("Audit log"), "admin.audit"),
    (_l("Outgoing mail"), "admin.mail"),
    (_l("Inbox"), "account.inbox"),
)


def _template_globals() -> dict[str, Any]:
    from vetting.domain.roles import Permission, has_permission
    from vetting.web.policy import AUTHENTICATED, PUBLIC, current_role, policy_of

    role = current_role()

    def can(permission: Permission) -> bool:
        return has_permission(role, permission)

    def allowed(endpoint: str) -> bool:
        policy = policy_of(current_app, endpoint)
        if policy is None:
            return False
        if policy in (PUBLIC, AUTHENTICATED):
            return True
        return isinstance(policy, Permission) and can(policy)

    navigation = (
        [(label, endpoint) for label, endpoint in NAVIGATION if allowed(endpoint)]
        if role is not None
        else []
    )
    return {
        "Permission": Permission,
        "can": can,
        "current_role": role,
        "navigation": navigation,
        "get_locale": get_locale,
    }


def _http_error(error: HTTPException) -> Any:
    from vetting.web.opendata import json_error

    code = error.code or 500
    if (answer := json_error(error)) is not None:
        return answer  # the API's errors are JSON
    return render_template("errors/error.html", code=code, error=error), code


def _unexpected_error(error: Exception) -> Any:
    error_id = uuid.uuid4().hex[:12]
    logging.getLogger("vetting.errors").exception("unhandled error %s", error_id)
    db.session.rollback()
    g.error_id = error_id
    return render_template("errors/error.html", code=500, error=None, error_id=error_id), 500
