"""Sign-in rules: the password check, throttling, sessions the server can end, and the
changes that end a person's sessions (signing out everywhere, a new password)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import delete, func, select, update

from qa.auth import throttle
from qa.auth.models import SignInSession
from qa.auth.passwords import hash_password, password_matches, password_problem
from qa.clock import now
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff

WRONG = "Enter a correct email address and password"


class SignInError(Exception):
    """Why a sign-in was refused, in words safe to show (never which part was wrong)."""

    status = 400


class SignInThrottled(SignInError):
    """Too many failed attempts: the person must wait before trying again."""

    status = 429


@cache
def _stand_in_hash() -> str:
    """A hash to check when there is no account's hash, so a wrong email address takes as
    long to refuse as a wrong password and the time taken says nothing."""
    return hash_password(secrets.token_urlsafe(24))


def authenticate(email: str, password: str, address: str | None) -> Staff:
    """Return the staff member for these credentials, or raise SignInError.

    Every refusal reads the same whether or not the email address belongs to anyone, and
    takes as long: a password hash is always checked. Repeated failures for one email
    address or from one client `address` make the next attempt wait (qa.auth.throttle).
    """
    moment = now()
    counters = throttle.counters(email, address)
    wait = throttle.wait_needed(counters, moment)
    if wait > timedelta(0):
        raise SignInThrottled(
            f"You have made too many attempts to sign in. Wait {_in_words(wait)}, then try again."
        )
    user = db.session.scalar(select(Staff).where(func.lower(Staff.email) == email.strip().lower()))
    stored = user.password_hash if user is not None else None
    matched = password_matches(stored or _stand_in_hash(), password) and stored is not None
    if user is None or not matched:
        throttle.failed(counters, moment)
        db.session.commit()
        raise SignInError(WRONG)
    if user.has_left(moment.date()):
        raise SignInError("Your account is closed because you have left the service")
    throttle.succeeded(counters)
    record(user, "signed_in", "staff", user.id)
    db.session.commit()
    return user


def _in_words(wait: timedelta) -> str:
    seconds = max(1, int(-(-wait.total_seconds() // 1)))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def start_session(user: Staff) -> str:
    """Record a new signed-in session for the person and return its id, for the cookie.
    Sessions that can no longer be used are cleared away at the same time."""
    moment = now()
    db.session.execute(
        delete(SignInSession).where(
            SignInSession.started_at < moment - current_app.config["SESSION_ABSOLUTE_LIFETIME"]
        )
    )
    session_id = secrets.token_urlsafe(32)
    db.session.add(SignInSession(id=session_id, staff_id=user.id, started_at=moment))
    db.session.commit()
    return session_id


def session_is_live(session_id: object, user: Staff, moment: datetime) -> bool:
    """Whether this session id is the person's, not ended, and within the absolute lifetime
    (however busy, a session ends SESSION_ABSOLUTE_LIFETIME after signing in)."""
    if not isinstance(session_id, str):
        return False
    found = db.session.get(SignInSession, session_id)
    return (
        found is not None
        and found.staff_id == user.id
        and found.ended_at is None
        and moment - found.started_at <= current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    )


def end_session(session_id: object, user: Staff) -> None:
    """Sign out: this session ends on the server, so its cookie is worth nothing after."""
    if isinstance(session_id, str):
        db.session.execute(
            update(SignInSession)
            .where(SignInSession.id == session_id, SignInSession.staff_id == user.id)
            .values(ended_at=now())
        )
    record(user, "signed_out", "staff", user.id)
    db.session.commit()


def end_every_session(user: Staff) -> None:
    """End every session the person has, on every device (the caller commits). The
    session version moves on too, so a cookie from before this can never come back."""
    user.session_version += 1
    db.session.execute(
        update(SignInSession)
        .where(SignInSession.staff_id == user.id, SignInSession.ended_at.is_(None))
        .values(ended_at=now())
    )


def sign_out_everywhere(user: Staff) -> None:
    """The person's own choice to end all their sessions."""
    end_every_session(user)
    record(user, "signed_out_everywhere", "staff", user.id)
    db.session.commit()


class PasswordRefused(ValueError):
    """The new password breaks a rule; the message says which, safe to show."""


def set_password(user: Staff, password: str, actor: Staff | None) -> None:
    """Give the person a new password and end every session they have."""
    if problem := password_problem(password, user.email):
        raise PasswordRefused(problem)
    user.password_hash = hash_password(password)
    end_every_session(user)
    record(actor, "password_set", "staff", user.id)
    db.session.commit()
