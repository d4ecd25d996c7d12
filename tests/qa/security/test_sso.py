"""Single sign-on with OpenID Connect against a stand-in identity provider on 127.0.0.1."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
import requests
from joserfc.jwk import RSAKey
from sqlalchemy import select

from qa import create_app
from qa.config import ConfigurationError
from qa.events.models import Event
from qa.extensions import db
from tests.conftest import CheckingClient
from tests.qa.security.identity_provider import CLIENT_ID, CLIENT_SECRET, IdentityProvider

START = "/sign-in/council-account"


@pytest.fixture
def idp(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with IdentityProvider() as provider:
        yield provider


def settings(app, **more) -> dict[str, object]:
    found = {
        key: app.config[key]
        for key in ("SQLALCHEMY_DATABASE_URI", "TESTING", "SECRET_KEY", "FIXED_NOW", "SERVER_NAME")
    }
    return {**found, **more}


@pytest.fixture
def sso_client(app, idp):
    made = create_app(
        settings(
            app,
            OIDC_DISCOVERY_URL=idp.discovery_url,
            OIDC_CLIENT_ID=CLIENT_ID,
            OIDC_CLIENT_SECRET=CLIENT_SECRET,
        )
    )
    made.test_client_class = CheckingClient
    return made.test_client()


def through_the_provider(client, idp, email: str, start: str = START, **claims):
    """Start at the service, pass the identity provider, and come back: the last response."""
    idp.claims = {"email": email, "name": "Someone", **claims}
    leaving = client.get(start)
    assert leaving.status_code == 302, leaving.get_data(as_text=True)[:500]
    assert leaving.headers["Location"].startswith(idp.url)
    back = requests.get(leaving.headers["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    address = urlsplit(back.headers["Location"])
    assert address.path == "/sign-in/council-account/return"
    return client.get(f"{address.path}?{address.query}")


def test_the_sign_in_page_offers_the_council_account_only_when_configured(client, sso_client):
    assert "Sign in with your council account" not in client.get("/sign-in").get_data(as_text=True)
    assert client.get(START).status_code == 404
    page = sso_client.get("/sign-in").get_data(as_text=True)
    assert "Sign in with your council account" in page
    assert f'href="{START}"' in page


def test_a_known_email_in_any_case_signs_in_like_a_password_sign_in(sso_client, idp, org):
    with sso_client.session_transaction() as session:
        session["left_over"] = "from before sign-in"
    response = through_the_provider(sso_client, idp, "PRACTITIONER@Council.ORG.uk")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/"
    home = sso_client.get("/")
    assert home.status_code == 200
    assert org.people["practitioner"].name.split()[0] in home.get_data(as_text=True)
    with sso_client.session_transaction() as session:
        assert "left_over" not in session, "the session must be new after sign-in"
        assert session.permanent
    event = db.session.scalar(select(Event).where(Event.action == "signed_in"))
    assert event.actor_id == org.people["practitioner"].id
    assert event.detail == "single sign-on"


def test_the_page_asked_for_is_kept_but_only_within_the_service(sso_client, idp, org):
    response = through_the_provider(
        sso_client, idp, "team_manager@council.org.uk", f"{START}?next=/actions/"
    )
    assert urlsplit(response.headers["Location"]).path == "/actions/"
    sso_client.post("/sign-out", data={})
    response = through_the_provider(
        sso_client, idp, "team_manager@council.org.uk", f"{START}?next=https://evil.example/"
    )
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_an_unknown_email_is_refused_with_a_clear_page(sso_client, idp, org):
    response = through_the_provider(sso_client, idp, "stranger@elsewhere.example")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "There is no one in this service with the email address" in page
    assert "stranger@elsewhere.example" in page
    assert sso_client.get("/").status_code == 302  # not signed in


def test_a_leaver_is_refused(sso_client, idp, org):
    org.people["practitioner"].leaving_date = date(2026, 10, 1)
    db.session.commit()
    response = through_the_provider(sso_client, idp, "practitioner@council.org.uk")
    assert response.status_code == 403
    assert "you have left the service" in response.get_data(as_text=True)
    assert sso_client.get("/").status_code == 302


def test_an_unverified_email_is_refused(sso_client, idp, org):
    response = through_the_provider(
        sso_client, idp, "practitioner@council.org.uk", email_verified=False
    )
    assert response.status_code == 403
    assert sso_client.get("/").status_code == 302


def test_entra_ids_preferred_username_is_used_when_there_is_no_email_claim(sso_client, idp, org):
    idp_claims = {"preferred_username": "Head_Of_Service@council.org.uk"}
    idp.claims = idp_claims
    response = through_the_provider(sso_client, idp, "", **idp_claims)
    assert response.status_code == 302
    assert sso_client.get("/").status_code == 200


def test_a_token_signed_with_an_unpublished_key_is_refused(sso_client, idp, org):
    idp.key = RSAKey.generate_key(2048, parameters={"kid": "stand-in-1"})
    response = through_the_provider(sso_client, idp, "practitioner@council.org.uk")
    assert response.status_code == 400
    assert "did not finish" in response.get_data(as_text=True)
    assert sso_client.get("/").status_code == 302


def test_a_return_without_the_matching_state_is_refused(sso_client, idp, org):
    response = sso_client.get("/sign-in/council-account/return?code=made-up&state=forged")
    assert response.status_code == 400
    assert idp.token_requests == 0
    assert sso_client.get("/").status_code == 302


def test_the_provider_saying_no_is_shown_as_a_refusal(sso_client, idp, org):
    sso_client.get(START)
    response = sso_client.get(
        "/sign-in/council-account/return?error=access_denied&error_description=Cancelled"
    )
    assert response.status_code == 400
    assert sso_client.get("/").status_code == 302


def test_an_unreachable_provider_gets_a_clear_page_not_an_error(app, org):
    unreachable = create_app(
        settings(
            app,
            OIDC_DISCOVERY_URL="http://127.0.0.1:9/.well-known/openid-configuration",
            OIDC_CLIENT_ID=CLIENT_ID,
            OIDC_CLIENT_SECRET=CLIENT_SECRET,
        )
    )
    unreachable.test_client_class = CheckingClient
    response = unreachable.test_client().get(START)
    assert response.status_code == 503
    assert "could not be reached" in response.get_data(as_text=True)


def test_single_sign_on_needs_the_client_id_and_secret(app):
    with pytest.raises(ConfigurationError, match="OIDC_CLIENT_SECRET"):
        create_app(settings(app, OIDC_DISCOVERY_URL="http://127.0.0.1:9/", OIDC_CLIENT_ID="x"))
