"""Sessions end on the server: a cookie copied before sign-out, a new password, a new role or
signing out everywhere is refused afterwards, and no session outlives its absolute lifetime."""

from __future__ import annotations

from datetime import datetime, timedelta

from qa.auth.service import set_password
from qa.extensions import db
from qa.org.importing import import_bytes


def _copy_of(client, app):
    """Another browser, elsewhere, holding a copy of `client`'s session cookie."""
    cookie = client.get_cookie("session")
    thief = app.test_client()
    thief.set_cookie("session", cookie.value, domain=cookie.domain)
    thief.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    thief.environ_base["HTTP_USER_AGENT"] = "Another browser"
    return thief


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, sign_in_as):
    client = sign_in_as("practitioner")
    thief = _copy_of(client, app)
    assert thief.get("/").status_code == 200
    client.post("/sign-out", data={})
    assert client.get("/").status_code == 302
    assert thief.get("/").status_code == 302


def test_sign_out_everywhere_ends_other_sessions(sign_in_as):
    first = sign_in_as("practitioner")
    second = sign_in_as("practitioner")
    second.get("/sign-out-everywhere")
    second.post("/sign-out-everywhere", data={})
    assert first.get("/").status_code == 302


def test_signing_out_on_one_device_leaves_the_others_signed_in(sign_in_as):
    first = sign_in_as("practitioner")
    second = sign_in_as("practitioner")
    second.post("/sign-out", data={})
    assert first.get("/").status_code == 200


def test_a_new_password_ends_every_session(app, org, sign_in_as):
    client = sign_in_as("practitioner")
    set_password(org.people["practitioner"], "lantern-river-pocket-7", None)
    assert client.get("/").status_code == 302


def test_the_set_password_command_ends_every_session(app, org, sign_in_as):
    client = sign_in_as("practitioner")
    result = app.test_cli_runner().invoke(
        args=["set-password", "PRACTITIONER@council.org.uk"],
        input="lantern-river-pocket-7\nlantern-river-pocket-7\n",
    )
    assert result.exit_code == 0, result.output
    assert client.get("/").status_code == 302
    signed_in = app.test_client()
    response = signed_in.post(
        "/sign-in",
        data={"email": "practitioner@council.org.uk", "password": "lantern-river-pocket-7"},
    )
    assert response.status_code == 302


def test_the_set_password_command_refuses_a_weak_password(app, org):
    result = app.test_cli_runner().invoke(
        args=["set-password", "practitioner@council.org.uk"], input="short\nshort\n"
    )
    assert result.exit_code != 0
    assert "12 characters or more" in result.output


def test_a_new_role_from_an_import_ends_the_persons_sessions(app, org, sign_in_as):
    promoted = sign_in_as("practitioner")
    colleague = sign_in_as("practitioner_n2")
    row = (
        "staff_id,name,email,role,team,service_area,line_manager_id\n"
        "T-practitioner,Practitioner,practitioner@council.org.uk,senior_practitioner,"
        "North Safeguarding,North,T-team_manager\n"
    )
    report = import_bytes("staff", row.encode(), "staff.csv", None, dry_run=False)
    assert report.ok, report.problems
    assert promoted.get("/").status_code == 302
    assert colleague.get("/").status_code == 200


def test_a_session_ends_at_its_absolute_lifetime_however_busy(app, sign_in_as):
    client = sign_in_as("practitioner")
    started = app.config["FIXED_NOW"]
    lifetime = app.config["SESSION_ABSOLUTE_LIFETIME"]
    assert lifetime <= timedelta(hours=12)
    moment = started
    while moment + timedelta(minutes=25) < started + lifetime:
        moment += timedelta(minutes=25)
        app.config["FIXED_NOW"] = moment
        assert client.get("/").status_code == 200
    app.config["FIXED_NOW"] = started + lifetime + timedelta(minutes=1)
    assert client.get("/").status_code == 302


def test_a_leaver_is_signed_out_at_once(app, org, sign_in_as):
    client = sign_in_as("practitioner")
    org.people["practitioner"].leaving_date = datetime(2026, 11, 1).date()
    db.session.commit()
    assert client.get("/").status_code == 302
