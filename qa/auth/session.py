"""Loading the signed-in person on every request, and ending sessions: the idle time-out,
the absolute lifetime, signing out, and the changes that end all of a person's sessions.

The browser holds a signed cookie naming the person, their session version and a session
id. Each request checks all three against the database: signing out ends the session id,
and signing out everywhere, a new password or a new role moves the session version on,
so a copied cookie stops working the moment any of these happens.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request, session
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_login import current_user, logout_user

from qa.auth.service import session_is_live
from qa.clock import now
from qa.extensions import db, login_manager
from qa.org.models import Staff

SESSIONLESS = frozenset({"static", "main.health"})
SESSION_ID = "sign_in_session"


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
    """The person, if this session is still live: the id carries the session version (moved
    on by signing out everywhere, a new password or a new role) and the session id must
    name a session that has not ended and is within its absolute lifetime."""
    try:
        staff_id, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(Staff, staff_id)
    moment = now()
    if user is None or user.session_version != version or user.has_left(moment.date()):
        return None
    if not session_is_live(session.get(SESSION_ID), user, moment):
        return None
    return user
