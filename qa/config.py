"""Settings: defaults here, then instance/config.py, then environment variables."""

from __future__ import annotations

import math
import os
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

DEFAULT_SECRET_KEY = "development-only-secret-key-change-me"  # noqa: S105 (a known default, refused outside development)
PLAYGROUNDS = frozenset({"development", "testing"})
"""The only environment names that may run without a secret key of their own."""
MINIMUM_KEY_BYTES = 32
MINIMUM_KEY_BITS = 128
MAKE_A_KEY = (
    "Make one with: python3 -c 'import secrets; print(secrets.token_hex(32))' and set it as "
    "QA_SECRET_KEY (or SECRET_KEY in instance/config.py)."
)


class ConfigurationError(RuntimeError):
    """The settings are not safe to start with."""


def defaults(instance_path: str) -> dict[str, Any]:
    """The settings a fresh installation starts with."""
    sqlite_path = Path(instance_path) / "qa.sqlite"
    return {
        # Unset means production: only "development" and "testing" (QA_ENV_NAME) may run
        # without a secret key of their own.
        "ENV_NAME": "",
        "SECRET_KEY": DEFAULT_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{sqlite_path}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "COUNCIL_NAME": "Demo City Council",
        # The council profile in force until one is chosen (flask --app qa profile use).
        "COUNCIL_PROFILE": "coventry",
        "SERVICE_NAME": "Supervision file audit",
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=30),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_DURATION": timedelta(minutes=30),
        # However busy a session is, it ends this long after signing in.
        "SESSION_ABSOLUTE_LIFETIME": timedelta(hours=10),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        # Import files (qa/org/limits.py): checked while they are read, whatever the file
        # claims; generous for a council of 10,000 staff.
        "IMPORT_MAX_ROWS": 200_000,
        "IMPORT_MAX_COLUMNS": 50,
        "IMPORT_MAX_PROBLEMS_LISTED": 500,
        "IMPORT_MAX_UNPACKED_MB": 150,
        # Uploaded import files not confirmed within this time are deleted (qa/org/uploads.py).
        "IMPORT_KEEP_MINUTES": 60,
        # Sign-in throttling (qa/auth/throttle.py): after this many failures in a row, each
        # further attempt waits twice as long as the one before, up to the longest wait.
        "SIGN_IN_FREE_FAILURES_ACCOUNT": 5,
        "SIGN_IN_FREE_FAILURES_ADDRESS": 20,
        "SIGN_IN_LONGEST_WAIT_ACCOUNT": timedelta(minutes=1),
        "SIGN_IN_LONGEST_WAIT_ADDRESS": timedelta(minutes=5),
        "SIGN_IN_FORGET_FAILURES_AFTER": timedelta(hours=1),
        "TIMEZONE": "Europe/London",
        "SEND_FILE_MAX_AGE_DEFAULT": 365 * 24 * 3600,
        "AUDIT_WINDOW_MONTHS": 6,
        "REPLY_WORKING_DAYS": 10,
        "REAUDIT_WEEKS": 8,
        # Reuse trend figures until a commit changes the data (qa/trends/cache.py).
        "TRENDS_CACHE": True,
        # How long the Reports page waits for a period report before showing "being made".
        "REPORT_WAIT_SECONDS": 10,
        # E-mail: sent by SMTP when SMTP_HOST is set, otherwise kept in the outbox.
        "SMTP_HOST": "",
        "SMTP_PORT": 587,
        "SMTP_USE_TLS": True,
        "SMTP_USERNAME": "",
        "SMTP_PASSWORD": "",
        "MAIL_SENDER": "supervision-file-audit@localhost",
        # The address e-mails link to, such as https://supervision-audit.council.gov.uk. When
        # unset it is made from SERVER_NAME and PREFERRED_URL_SCHEME; production needs one.
        "BASE_URL": "",
        # The scheduler: the daily jobs start at this time (Europe/London). Only `make run`
        # (QA_RUN_SCHEDULER=1) and `flask --app qa scheduler` start one.
        "RUN_SCHEDULER": False,
        "SCHEDULER_HOUR": 6,
        "SCHEDULER_MINUTE": 0,
        # With a scheduler on each app host, how often a waiting one asks for the lead.
        "LEADER_POLL_SECONDS": 5,
        # Retention: a YAML file of rules to use instead of qa/jobs/retention.yaml.
        "RETENTION_FILE": "",
        # Behind a reverse proxy that ends TLS: trust one proxy's X-Forwarded-* headers.
        "BEHIND_PROXY": False,
        # Redirect plain HTTP to HTTPS (usually the proxy's job, so off).
        "FORCE_HTTPS": False,
        # Single sign-on with OpenID Connect (such as Microsoft Entra ID): on when the
        # discovery URL is set, for example
        # https://login.microsoftonline.com/<tenant id>/v2.0/.well-known/openid-configuration
        "OIDC_DISCOVERY_URL": "",
        "OIDC_CLIENT_ID": "",
        "OIDC_CLIENT_SECRET": "",
        "OIDC_SCOPE": "openid email profile",
    }


def from_environment() -> dict[str, Any]:
    """Settings given as environment variables (QA_ prefix, plus DATABASE_URL)."""
    found: dict[str, Any] = {}
    if url := os.environ.get("DATABASE_URL"):
        found["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    for key, value in os.environ.items():
        if key.startswith("QA_"):
            found[key[3:]] = value
    for flag in ("SESSION_COOKIE_SECURE", "BEHIND_PROXY", "FORCE_HTTPS", "TRENDS_CACHE"):
        if flag in found:
            found[flag] = found[flag].lower() in ("1", "true", "yes")
    return found


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for a plain postgres:// or postgresql:// URL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"
"""Where `make run` serves: e-mail links in development and testing when nothing else is set."""


def base_url(config: dict[str, Any] | Any) -> str:
    """The address the service runs on, for links in e-mails: BASE_URL, or SERVER_NAME with
    PREFERRED_URL_SCHEME and APPLICATION_ROOT; in development and testing only, the address
    `make run` serves. Raises ConfigurationError in production when neither is set."""
    if configured := str(config.get("BASE_URL") or "").strip():
        return configured.rstrip("/")
    if server := str(config.get("SERVER_NAME") or "").strip():
        scheme = str(config.get("PREFERRED_URL_SCHEME") or "http")
        root = str(config.get("APPLICATION_ROOT") or "/").rstrip("/")
        return f"{scheme}://{server}{root}"
    if (config.get("ENV_NAME") or "") in PLAYGROUNDS:
        return DEVELOPMENT_BASE_URL
    raise ConfigurationError(
        "The service will not start: e-mails need the address the service runs on. Set "
        "QA_BASE_URL (for example https://supervision-audit.council.gov.uk), or SERVER_NAME "
        "and PREFERRED_URL_SCHEME."
    )


def check_safe(config: dict[str, Any] | Any) -> None:
    """Refuse to start without a strong secret key of its own, unless the environment is
    explicitly one of PLAYGROUNDS: a misspelt or missing environment name counts as
    production, so a mistake fails closed. Production also needs the address e-mails link
    to (`base_url`)."""
    environment = config.get("ENV_NAME") or ""
    if environment in PLAYGROUNDS:
        return
    problem = secret_key_problem(config.get("SECRET_KEY"))
    if problem is not None:
        named = f"‘{environment}’" if environment else "not set, so it counts as production"
        raise ConfigurationError(
            f"The service will not start: {problem}. Every environment except development "
            f"and testing needs a secret key of at least {MINIMUM_KEY_BYTES} random bytes "
            f"(the environment, QA_ENV_NAME, is {named}). {MAKE_A_KEY}"
        )
    base_url(config)


def secret_key_problem(key: object) -> str | None:
    """What is wrong with a secret key for a real service, or None when nothing is.

    A key that repeats a few characters is refused: its length overstates its randomness
    (the estimate is the characters' Shannon entropy times the length).
    """
    if not key:
        return "SECRET_KEY is not set"
    if key == DEFAULT_SECRET_KEY:
        return "SECRET_KEY is the development key, which is public"
    raw = key if isinstance(key, bytes) else str(key).encode()
    if len(raw) < MINIMUM_KEY_BYTES:
        return f"SECRET_KEY is {len(raw)} bytes long, too short to be safe"
    counts = Counter(raw)
    bits = -sum(n * math.log2(n / len(raw)) for n in counts.values())
    if bits < MINIMUM_KEY_BITS:
        return "SECRET_KEY repeats too few characters to be random"
    return None
