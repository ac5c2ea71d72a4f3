"""The step-up confirmation page (web/stepup.py): the password again, then back where the user
was. Attempts are rate-limited per account, like a sign-in should be."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from vetting.operations import reauth
from vetting.web.auth import bp
from vetting.web.auth.forms import ConfirmForm
from vetting.web.helpers import actor, run
from vetting.web.policy import authenticated
from vetting.web.ratelimit import address_key, limiter
from vetting.web.stepup import local_path, mark_confirmed


def _limits() -> str:
    return str(current_app.config.get("STEP_UP_LIMITS", "10 per 15 minutes"))


def _per_account() -> str:
    # The limits may be counted before the policy has sent an anonymous visitor to sign in.
    if not current_user.is_authenticated:
        return address_key()
    return f"confirm:{current_user.id}"


@bp.route("/auth/confirm", methods=["GET", "POST"])
@authenticated
@limiter.limit(_limits, key_func=_per_account, methods=["POST"])
def confirm() -> object:
    back = local_path(request.args.get("next")) or url_for("account.home")
    form = ConfirmForm()
    if form.validate_on_submit():
        if run(reauth.confirm_identity, actor(), form.password.data or "").value:
            mark_confirmed()
            flash(_("Thank you. You can now repeat the action."), "success")
            return redirect(back)
        flash(_("The password is not correct."), "error")
        return render_template("auth/confirm.html", form=form, back=back), 401
    return render_template("auth/confirm.html", form=form, back=back)
