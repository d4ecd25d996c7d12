"""Loading the signed-in person, the idle time-out, and sign-out everywhere."""

from __future__ import annotations

from flask import Flask, Response, current_app, request, session
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_login import current_user, logout_user

from qa.clock import now, today
from qa.extensions import db, login_manager
from qa.org.models import Staff

SESSIONLESS = frozenset({"static", "main.health"})


class QuietSessionInterface(SecureCookieSessionInterface):
    """The signed cookie session, left alone by assets and the health check: their responses
    neither renew the cookie nor vary by it, so they can be cached anywhere."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if request.endpoint in SESSIONLESS:
            return
        super().save_session(app, session, response)


def register(app: Flask) -> None:
    app.session_interface = QuietSessionInterface()
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @app.before_request
    def idle_time_out() -> None:
        """Sign a person out after PERMANENT_SESSION_LIFETIME without a request.

        The cookie's own expiry does the same in the browser; this check does not trust it.
        Assets and the health check are nobody's activity: they neither read nor renew the
        session, so their responses carry no cookie and can be cached anywhere.
        """
        if request.endpoint in SESSIONLESS:
            return
        session.permanent = True
        moment = now().timestamp()
        last_seen = session.get("last_seen")
        limit = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
        if (
            last_seen is not None
            and moment - float(last_seen) > limit
            and current_user.is_authenticated
        ):
            logout_user()
            session.clear()
            session.permanent = True
        session["last_seen"] = moment


@login_manager.user_loader
def load_user(user_id: str) -> Staff | None:
    """The id carries the session version, so 'sign out everywhere' ends old sessions."""
    try:
        staff_id, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(Staff, staff_id)
    if user is None or user.session_version != version or user.has_left(today()):
        return None
    return user
