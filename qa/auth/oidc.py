"""Single sign-on with the council's identity provider (OpenID Connect), as an option.

On when OIDC_DISCOVERY_URL is set: for Microsoft Entra ID, the tenant's
https://login.microsoftonline.com/<tenant id>/v2.0/.well-known/openid-configuration, with
the app registration's client id and secret. The person signs in at the council's identity
provider; Authlib checks the state, the PKCE verifier, the nonce and the ID token's
signature, issuer, audience and expiry. The email address in the token (in any case) picks
the staff member: nobody is created here, and a person the service does not know, or a
leaver, is refused with a page that says why.
"""

from __future__ import annotations

import logging

import requests
from authlib.integrations.flask_client import OAuth, OAuthError
from flask import Flask, current_app
from joserfc.errors import JoseError
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from qa.clock import today
from qa.config import ConfigurationError
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff

log = logging.getLogger(__name__)
PROVIDER = "council"
TIMEOUT_SECONDS = 10


class SsoRefused(Exception):
    """Single sign-on did not sign the person in; the message says why, safe to show."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


def register(app: Flask) -> None:
    """Set up the identity provider's client when single sign-on is configured."""
    if not app.config["OIDC_DISCOVERY_URL"]:
        return
    if not (app.config["OIDC_CLIENT_ID"] and app.config["OIDC_CLIENT_SECRET"]):
        raise ConfigurationError(
            "Single sign-on needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET as well as "
            "OIDC_DISCOVERY_URL: copy them from the council's app registration."
        )
    OAuth(app).register(
        PROVIDER,
        server_metadata_url=app.config["OIDC_DISCOVERY_URL"],
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        client_kwargs={
            "scope": app.config["OIDC_SCOPE"],
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT_SECONDS,
        },
    )


def enabled() -> bool:
    return bool(current_app.config["OIDC_DISCOVERY_URL"])


def _client():  # type: ignore[no-untyped-def]
    return current_app.extensions["authlib.integrations.flask_client"].create_client(PROVIDER)


def start(return_to: str) -> Response:
    """Send the person to the identity provider, which sends them back to `return_to`."""
    try:
        return _client().authorize_redirect(return_to)
    except (requests.RequestException, ValueError) as exc:
        log.warning("The identity provider could not be reached: %s", exc)
        raise _unreachable() from exc


def finish() -> Staff:
    """Check the identity provider's answer and return the staff member it signed in."""
    try:
        token = _client().authorize_access_token()
    except requests.RequestException as exc:
        log.warning("The identity provider could not be reached: %s", exc)
        raise _unreachable() from exc
    except (OAuthError, JoseError, ValueError) as exc:
        log.warning("Single sign-on refused: %s", exc)
        raise SsoRefused(
            "Signing in with your council account did not finish, so you are not signed in. "
            "Try again from the sign-in page.",
            status=400,
        ) from exc
    claims = token.get("userinfo") or {}
    if claims.get("email_verified") is False:
        raise SsoRefused("Your council account's email address has not been verified.")
    return staff_for_email(_email_of(claims))


def _email_of(claims: dict[str, object]) -> str:
    """The email address in the ID token; Entra ID puts the work address in
    `preferred_username` when the optional `email` claim is not configured."""
    for claim in ("email", "preferred_username"):
        value = claims.get(claim)
        if isinstance(value, str) and "@" in value:
            return value.strip()
    raise SsoRefused(
        "Your council account did not give an email address, so this service cannot tell "
        "who you are. Ask your administrator to add the email claim to the sign-in."
    )


def staff_for_email(email: str) -> Staff:
    """The staff member with this email address (in any case), if they may sign in."""
    user = db.session.scalar(select(Staff).where(func.lower(Staff.email) == email.lower()))
    if user is None:
        log.info("Single sign-on for an address the service does not know")
        raise SsoRefused(
            f"There is no one in this service with the email address {email}. If you should "
            "have access, ask your service's administrator to add you."
        )
    if user.has_left(today()):
        raise SsoRefused("Your account is closed because you have left the service.")
    record(user, "signed_in", "staff", user.id, "single sign-on")
    db.session.commit()
    return user


def _unreachable() -> SsoRefused:
    return SsoRefused(
        "The council's sign-in service could not be reached. Try again later, or sign in "
        "with your email address and password.",
        status=503,
    )
