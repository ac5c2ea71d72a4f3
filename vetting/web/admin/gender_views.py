"""Recording a panel chair's or member's gender after the invitation, from the users list
(the person's id travels in the form's body: no address names a user by a sequential id).
The secretariat's panel page counts it in the panel's balance."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField
from wtforms.validators import InputRequired, Optional

from vetting.domain.roles import Permission
from vetting.domain.vocabulary import Gender
from vetting.extensions import db
from vetting.models import User
from vetting.operations import staffing
from vetting.web.admin import bp
from vetting.web.helpers import actor, flash_errors, run
from vetting.web.policy import requires
from vetting.web.words import choices, words

GENDER_CHOICES = [SelectChoice("", _l("Not recorded"))] + choices(Gender)


class GenderForm(FlaskForm):
    user = IntegerField(validators=[InputRequired()])
    gender = SelectField(_l("Gender"), choices=GENDER_CHOICES, validators=[Optional()])


@bp.context_processor
def _gender_words() -> dict[str, object]:
    # The users list shows each panel member's gender, with a small form to change it.
    return {"gender_words": words, "gender_choices": GENDER_CHOICES}


@bp.route("/admin/users/gender", methods=["POST"])
@requires(Permission.USER_MANAGE)
def user_gender() -> object:
    form = GenderForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for("admin.users"))
    user = db.session.get(User, form.user.data)
    if user is None:
        flash(_("This user does not exist."), "error")
        return redirect(url_for("admin.users"))
    run(
        staffing.set_gender,
        actor(),
        user,
        Gender(form.gender.data) if form.gender.data else None,
        success=_("Gender recorded for %(name)s.", name=user.full_name),
    )
    return redirect(url_for("admin.users"))
