"""The administrators' pages: the audit log and its verification, the outgoing mail, the users."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from vetting.domain.roles import Permission, Role
from vetting.domain.vocabulary import Gender
from vetting.extensions import db
from vetting.models import Notice
from vetting.notices.confidential import shown_recipient
from vetting.notices.rendering import redact_secrets
from vetting.operations import listing, staffing, verification
from vetting.web.admin.forms import ROLE_LABELS, UserForm
from vetting.web.helpers import actor, run
from vetting.web.policy import requires

bp = Blueprint("admin", __name__)


@bp.context_processor
def _labels() -> dict[str, object]:
    # A reporter's address (an acknowledgement through the confidential channel) is withheld.
    return {"role_label": lambda r: ROLE_LABELS.get(r, r.value), "recipient": shown_recipient}


def _page_number() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.route("/admin/audit")
@requires(Permission.AUDIT_VIEW)
def audit() -> object:
    page = listing.audit_page(db.session, _page_number())
    return render_template("admin/audit.html", page=page)


@bp.route("/admin/audit/verify", methods=["POST"])
@requires(Permission.AUDIT_VIEW)
def audit_verify() -> object:
    result = run(verification.verify_audit_chain, actor()).value
    if result is not None:
        if result.ok:
            flash(_("The audit chain is intact: %(n)s entries.", n=result.entries), "success")
        else:
            flash(
                _(
                    "The audit chain is broken at entry %(seq)s: %(problem)s",
                    seq=result.first_bad_seq,
                    problem=result.problem,
                ),
                "error",
            )
    return redirect(url_for("admin.audit"))


@bp.route("/admin/mail")
@requires(Permission.MAIL_VIEW)
def mail() -> object:
    page = listing.notices_page(db.session, _page_number())
    return render_template("admin/mail.html", page=page)


@bp.route("/admin/mail/<int:notice_id>")
@requires(Permission.MAIL_VIEW)
def mail_detail(notice_id: int) -> object:
    notice = db.session.get(Notice, notice_id)
    if notice is None:
        abort(404)
    return render_template(
        "admin/mail_detail.html",
        notice=notice,
        body=redact_secrets(notice.body),
        sender=current_app.config["MAIL_FROM"],
    )


@bp.route("/admin/users")
@requires(Permission.USER_MANAGE)
def users() -> object:
    page = listing.users_page(db.session, _page_number())
    return render_template("admin/users.html", page=page)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@requires(Permission.USER_MANAGE)
def user_new() -> object:
    form = UserForm(listing.states_parties(db.session))
    if form.validate_on_submit():
        data = staffing.NewUserData(
            email=form.email.data or "",
            full_name=form.full_name.data or "",
            role=Role(form.role.data),
            state_code=form.state_code.data or None,
            language=form.language.data or "en",
            gender=Gender(form.gender.data) if form.gender.data else None,
        )
        user = run(
            staffing.invite_user,
            actor(),
            data,
            base_url=current_app.config["BASE_URL"],
            hours=current_app.config["INVITATION_HOURS"],
            success=_("Account created; the invitation to set a password has been sent."),
        ).value
        if user is not None:
            return redirect(url_for("admin.users"))
    return render_template("admin/user_new.html", form=form)


# Act-as and the recording of a panel member's gender live apart; importing them registers
# their routes and hooks on this blueprint.
from vetting.web.admin import act_as, gender_views  # noqa: E402

__all__ = ["act_as", "bp", "gender_views"]
