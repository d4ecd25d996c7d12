from __future__ import annotations

from datetime import datetime, timedelta

from qa.auth.passwords import password_problem
from qa.extensions import db


def test_a_person_signs_in_with_email_and_password(client, org):
    response = client.post(
        "/sign-in", data={"email": "PRACTITIONER@council.org.uk ", "password": org.password}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, org):
    response = client.post(
        "/sign-in", data={"email": "practitioner@council.org.uk", "password": "not-it"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a correct email address and password" in body
    assert "<title>Error:" in body


def test_blank_sign_in_shows_an_error_summary_for_each_field(client, org):
    body = client.post("/sign-in", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "Enter your email address" in body
    assert "Enter your password" in body
    assert 'href="#email"' in body


def test_a_leaver_cannot_sign_in(client, org):
    person = org.people["practitioner"]
    person.leaving_date = datetime(2026, 10, 1).date()
    db.session.commit()
    response = client.post("/sign-in", data={"email": person.email, "password": org.password})
    assert "you have left the service" in response.get_data(as_text=True)


def test_sign_in_refuses_a_form_without_the_csrf_token(client, org):
    response = client.post(
        "/sign-in",
        data={"email": "practitioner@council.org.uk", "password": org.password},
        csrf=False,
    )
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)


def test_sign_in_only_redirects_within_the_service(client, org):
    response = client.post(
        "/sign-in?next=https://evil.example.org/",
        data={"email": "practitioner@council.org.uk", "password": org.password},
    )
    assert response.headers["Location"].endswith("/")
    assert "evil" not in response.headers["Location"]


def test_the_session_cookie_is_http_only_and_expires_when_idle(app, sign_in_as):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["PERMANENT_SESSION_LIFETIME"] <= timedelta(minutes=30)
    client = sign_in_as("practitioner")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.expires is not None


def test_password_rules_explain_what_is_wrong():
    assert password_problem("short") == "Password must be 12 characters or more"
    assert "too easy to guess" in (password_problem("aaaaaaaaaaaaaa") or "")
    assert "email" in (password_problem("jane.smith-is-great", "jane.smith@council.org.uk") or "")
    assert password_problem("river-lantern-pocket") is None


def test_a_session_idle_for_longer_than_the_time_out_is_signed_out(app, sign_in_as):
    client = sign_in_as("practitioner")
    assert client.get("/").status_code == 200
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 10, 31)
    assert client.get("/").status_code == 302
