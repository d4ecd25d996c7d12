"""The council profile pages: the profiles, one profile's rules, and choosing one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from audit_tools.profile import ProfileError
from qa.access import may_manage_profiles, requires
from qa.profiles import service
from qa.profiles.forms import UseProfileForm

bp = Blueprint("profiles", __name__, url_prefix="/profiles")


@bp.route("/")
@login_required
@requires(may_manage_profiles)
def index() -> str:
    return render_template("profiles/index.html", page=service.profiles_page())


@bp.route("/<name>", methods=["GET", "POST"])
@login_required
@requires(may_manage_profiles)
def show(name: str) -> str | Response:
    try:
        page = service.profile_page(name)
    except ProfileError as problem:
        raise NotFound from problem
    form = UseProfileForm()
    if form.validate_on_submit():
        try:
            choice = service.use_profile(name, current_user.name, form.reason.data or "")
        except ValueError as problem:
            form.reason.errors = [str(problem)]
        else:
            flash(
                f"{page.profile.policy} is in force from now (version {choice.version})", "success"
            )
            return redirect(url_for("profiles.index"))
    return render_template("profiles/show.html", page=page, form=form)
