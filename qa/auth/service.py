"""Sign-in rules: password check, throttling after repeated failures, sign-out everywhere."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from qa.auth.passwords import password_matches
from qa.clock import now
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff


class SignInError(Exception):
    """Why a sign-in was refused, in words safe to show (never which part was wrong)."""


def authenticate(email: str, password: str) -> Staff:
    """Return the staff member for these credentials, or raise SignInError.

    After SIGN_IN_MAX_FAILURES wrong passwords the account is locked for
    SIGN_IN_LOCK_MINUTES, so passwords cannot be guessed at speed.
    """
    user = db.session.scalar(select(Staff).where(func.lower(Staff.email) == email.strip().lower()))
    moment = now()
    if user is not None and user.locked_until is not None and user.locked_until > moment:
        raise SignInError(
            "Too many failed attempts: try again in "
            f"{current_app.config['SIGN_IN_LOCK_MINUTES']} minutes"
        )
    if user is None or not password_matches(user.password_hash, password):
        if user is not None:
            user.failed_sign_ins += 1
            if user.failed_sign_ins >= current_app.config["SIGN_IN_MAX_FAILURES"]:
                lock = timedelta(minutes=current_app.config["SIGN_IN_LOCK_MINUTES"])
                user.locked_until = moment + lock
                user.failed_sign_ins = 0
                record(user, "sign_in_locked", "staff", user.id)
            db.session.commit()
        raise SignInError("Enter a correct email address and password")
    if user.has_left(moment.date()):
        raise SignInError("Your account is closed because you have left the service")
    user.failed_sign_ins = 0
    user.locked_until = None
    record(user, "signed_in", "staff", user.id)
    db.session.commit()
    return user


def sign_out_everywhere(user: Staff) -> None:
    """End every session the person has, on every device."""
    user.session_version += 1
    record(user, "signed_out_everywhere", "staff", user.id)
    db.session.commit()
