"""Settings: defaults here, then instance/config.py, then environment variables."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

DEFAULT_SECRET_KEY = "development-only-secret-key-change-me"  # noqa: S105 (a known default, refused in production)


class ConfigurationError(RuntimeError):
    """The settings are not safe to start with."""


def defaults(instance_path: str) -> dict[str, Any]:
    """The settings a fresh installation starts with."""
    sqlite_path = Path(instance_path) / "qa.sqlite"
    return {
        "ENV_NAME": "development",
        "SECRET_KEY": DEFAULT_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{sqlite_path}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "COUNCIL_NAME": "Demo City Council",
        "SERVICE_NAME": "Supervision file audit",
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=30),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_DURATION": timedelta(minutes=30),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "SIGN_IN_MAX_FAILURES": 5,
        "SIGN_IN_LOCK_MINUTES": 15,
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
        "BASE_URL": "http://127.0.0.1:5000",
        # The scheduler: the daily jobs start at this time (Europe/London). Only `make run`
        # (QA_RUN_SCHEDULER=1) and `flask --app qa scheduler` start one.
        "RUN_SCHEDULER": False,
        "SCHEDULER_HOUR": 6,
        "SCHEDULER_MINUTE": 0,
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


def check_safe(config: dict[str, Any] | Any) -> None:
    """Refuse to run in production with settings that are only fit for a laptop."""
    if config.get("ENV_NAME") != "production":
        return
    if config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET_KEY):
        raise ConfigurationError(
            "Set SECRET_KEY (QA_SECRET_KEY or instance/config.py) before running in production: "
            "the default key is public."
        )
