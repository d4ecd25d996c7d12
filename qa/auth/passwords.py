"""Password hashing and the password rules."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

MINIMUM_LENGTH = 12
COMMON = frozenset(
    {
        "password1234",
        "password12345",
        "123456789012",
        "qwertyuiopas",
        "letmein12345",
        "welcome12345",
        "supervision1",
    }
)


def hash_password(password: str) -> str:
    """A salted scrypt hash (werkzeug's default, a memory-hard function)."""
    return generate_password_hash(password, method="scrypt")


def password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    return check_password_hash(password_hash, password)


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password is not acceptable, or None when it is."""
    if len(password) < MINIMUM_LENGTH:
        return f"Password must be {MINIMUM_LENGTH} characters or more"
    if password.lower() in COMMON or len(set(password)) < 5:
        return "Password is too easy to guess: use three random words"
    if email and email.split("@")[0].lower() in password.lower():
        return "Password must not contain your email address"
    return None
