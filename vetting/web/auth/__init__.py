"""Signing in and out, and accepting an invitation."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from vetting.extensions import db
from vetting.operations import accounts
from vetting.web.accounts_loader import acting_admin, real_user
from vetting.web.admin.act_as import finish_acting
from vetting.web.auth.forms import LoginForm, SetPasswordForm
from vetting.web.helpers import run
from vetting.web.policy import authenticated, public
from vetting.web.stepup import mark_confirmed

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: no scheme, no host, no protocol-relative '//'."""
    if not target:
        return url_for("account.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("account.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> object:
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data or "", form.password.data or "")
        db.session.commit()
        if user is not None:
            # A new session on login: nothing from before survives (SE-1).
            session.clear()
            login_user(user)
            # Signing in is itself a fresh confirmation for the step-up (web/stepup.py).
            mark_confirmed()
            return redirect(_safe_next(request.args.get("next")))
        flash(_("The email or password is not correct."), "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@authenticated
def logout() -> object:
    # Signing out while acting as someone ends the acting first; the session that ends is the
    # administrator's own, never the user's they were acting as.
    admin = acting_admin()
    if admin is not None:
        finish_acting(admin, ended_by="logout")
    run(accounts.end_sessions, real_user())
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("public.index"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def invitation(token: str) -> object:
    if accounts.find_invitation(db.session, token) is None:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        user = run(accounts.accept_invitation, token, form.password.data or "").value
        if user is not None:
            session.clear()
            login_user(user)
            flash(_("Your password is set. Welcome."), "success")
            return redirect(url_for("account.home"))
    if current_user.is_authenticated:
        logout_user()
    return render_template("auth/invitation.html", form=form)


# The step-up confirmation page registers on this blueprint.
from vetting.web.auth import confirm_views as _confirm_views  # noqa: E402, F401
