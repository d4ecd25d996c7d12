from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from qa.auth.forms import ConfirmForm, SignInForm
from qa.auth.service import SignInError, authenticate, sign_out_everywhere

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and urlsplit(target).netloc == "" and target.startswith("/"):
        return target
    return url_for("main.home")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response:
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data or "", form.password.data or "")
        except SignInError as exc:
            error = str(exc)
        else:
            session.clear()
            session.permanent = True
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    status = 200 if error is None and not form.errors else 400
    return render_template("auth/sign_in.html", form=form, error=error), status


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out() -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
        flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-out-everywhere", methods=["GET", "POST"])
@login_required
def sign_out_all() -> str | Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        sign_out_everywhere(current_user)
        logout_user()
        session.clear()
        flash("You have signed out on every device", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/sign_out_everywhere.html", form=form)
