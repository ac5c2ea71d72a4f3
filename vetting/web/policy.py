"""Route-level access policy: deny by default.

Every view declares `@requires(Permission.X)`, `@authenticated` or `@public`. A request to a
view without a declaration is refused with 403 (and the authorization-matrix test fails the
build first). Object-level checks then happen in the view through the domain predicates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from vetting.domain.roles import Permission, Role, has_permission

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
AUTHENTICATED = "authenticated"
POLICY_ATTR = "_vetting_policy"

# Endpoints served by extensions: static files only.
EXTENSION_PUBLIC = frozenset({"static", "bootstrap.static"})


def requires(permission: Permission) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        setattr(view, POLICY_ATTR, permission)
        return view

    return decorate


def public(view: F) -> F:
    setattr(view, POLICY_ATTR, PUBLIC)
    return view


def authenticated(view: F) -> F:
    setattr(view, POLICY_ATTR, AUTHENTICATED)
    return view


def policy_of(app: Flask, endpoint: str) -> Permission | str | None:
    if endpoint in EXTENSION_PUBLIC:
        return PUBLIC
    view = app.view_functions.get(endpoint)
    return getattr(view, POLICY_ATTR, None)


def current_role() -> Role | None:
    if not current_user.is_authenticated:
        return None
    role: Role = current_user.role
    return role


def enforce() -> Any:
    """before_request: fail closed on any endpoint without a policy."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # 404/405 follow
    policy = policy_of(current_app, endpoint)
    if policy is None:
        current_app.logger.error("endpoint %s has no access policy; refused", endpoint)
        abort(403)
    if policy == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if policy == AUTHENTICATED:
        return None
    if not isinstance(policy, Permission) or not has_permission(current_role(), policy):
        abort(403)
    return None
