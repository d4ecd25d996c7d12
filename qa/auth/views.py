from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from qa.auth import oidc
from qa.auth.forms import ConfirmForm, SignInForm
from qa.auth.service import (
    SignInError,
    authenticate,
    end_session,
    sign_out_everywhere,
    start_session,
)
from qa.auth.session import SESSION_ID
from qa.org.models import Staff

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """The page asked for, if it is one of ours; browsers read a backslash as a slash and
    drop tabs and newlines, so "/\\evil.example" would leave the service."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(ord(c) < 32 for c in target)
        and urlsplit(target).netloc == ""
    ):
        return target
    return url_for("main.home")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | tuple[str, int]:
    form = SignInForm()
    error = None
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(
                form.email.data or "", form.password.data or "", request.remote_addr
            )
        except SignInError as exc:
            error, status = str(exc), exc.status
        else:
            return _begin_session(user, _safe_next(request.args.get("next")))
    if form.errors:
        status = 400
    return render_template("auth/sign_in.html", form=form, error=error, sso=oidc.enabled()), status


def _begin_session(user: Staff, target: str) -> Response:
    """A fresh session for the person, however they signed in."""
    session.clear()
    session.permanent = True
    session[SESSION_ID] = start_session(user)
    login_user(user)
    return redirect(target)


@bp.route("/sign-in/council-account")
def sso_start() -> Response | tuple[str, int]:
    """Single sign-on: off to the council's identity provider."""
    if not oidc.enabled():
        raise NotFound
    session["sso_next"] = _safe_next(request.args.get("next"))
    try:
        return oidc.start(url_for("auth.sso_return", _external=True))
    except oidc.SsoRefused as exc:
        return _refused(exc)


@bp.route("/sign-in/council-account/return")
def sso_return() -> Response | tuple[str, int]:
    """Single sign-on: back from the identity provider, signed in or told why not."""
    if not oidc.enabled():
        raise NotFound
    target = _safe_next(session.pop("sso_next", None))
    try:
        user = oidc.finish()
    except oidc.SsoRefused as exc:
        return _refused(exc)
    return _begin_session(user, target)


def _refused(exc: oidc.SsoRefused) -> tuple[str, int]:
    return render_template("auth/sso_refused.html", reason=str(exc)), exc.status


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out() -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        end_session(session.get(SESSION_ID), current_user)
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
