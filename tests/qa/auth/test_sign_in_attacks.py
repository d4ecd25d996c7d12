"""Sign-in against an attacker: no answer (or its timing) tells which email addresses exist,
and repeated failures make the next attempt wait, growing, but never lock anyone out."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest

from qa.auth.passwords import hash_password
from qa.auth.throttle import wait_after
from qa.extensions import db

KNOWN = "practitioner@council.org.uk"


def _attempt(client, email, password, address="198.51.100.7"):
    return client.post(
        "/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _later(app, seconds):
    app.config["FIXED_NOW"] = app.config["FIXED_NOW"] + timedelta(seconds=seconds)


def test_waits_grow_from_one_second_and_stop_at_the_longest():
    longest = timedelta(minutes=1)
    waits = [wait_after(n, 5, longest).total_seconds() for n in range(4, 14)]
    assert waits == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert wait_after(10**6, 5, longest) == longest


def test_failures_make_the_next_attempt_wait_instead_of_locking_the_account(app, client, org):
    free = app.config["SIGN_IN_FREE_FAILURES_ACCOUNT"]
    for _ in range(free):
        assert _attempt(client, KNOWN, "wrong-password").status_code == 400
    refused = _attempt(client, KNOWN, org.password)
    assert refused.status_code == 429
    assert "Wait 1 second, then try again" in refused.get_data(as_text=True)
    _later(app, 1)
    assert _attempt(client, KNOWN, "wrong-again").status_code == 400
    assert "Wait 2 seconds" in _attempt(client, KNOWN, org.password).get_data(as_text=True)
    _later(app, 2)
    assert _attempt(client, KNOWN, org.password).status_code == 302


def test_an_attacker_can_hold_a_person_up_for_a_minute_at_most(app, client, org):
    for n in range(40):
        _later(app, 61)
        assert _attempt(client, KNOWN, "wrong", address=f"203.0.113.{n}").status_code == 400
    assert "Wait 1 minute" in _attempt(client, KNOWN, org.password).get_data(as_text=True)
    _later(app, 61)
    response = _attempt(client, KNOWN, org.password, address="192.0.2.10")
    assert response.status_code == 302


def test_unknown_and_known_email_addresses_get_the_same_answers(app, client, org):
    def answers(email):
        found = []
        for _ in range(app.config["SIGN_IN_FREE_FAILURES_ACCOUNT"] + 2):
            response = _attempt(client, email, "wrong-password", address=email)
            found.append((response.status_code, response.get_data(as_text=True)))
        return found

    known, unknown = answers(KNOWN), answers("nobody.here@council.org.uk")
    assert [status for status, _ in known] == [status for status, _ in unknown]
    assert [status for status, _ in known][-1] == 429
    for (_, mine), (_, theirs) in zip(known, unknown, strict=True):
        assert _error_text(mine) == _error_text(theirs)


def _error_text(body):
    start = body.index("govuk-error-summary__list")
    return body[start : body.index("</ul>", start)]


def test_spraying_many_accounts_from_one_address_is_slowed(app, client, org):
    free = app.config["SIGN_IN_FREE_FAILURES_ADDRESS"]
    for n in range(free):
        assert _attempt(client, f"person{n}@council.org.uk", "Winter2026!").status_code == 400
    assert _attempt(client, KNOWN, org.password).status_code == 429
    assert _attempt(client, KNOWN, org.password, address="192.0.2.10").status_code == 302


@pytest.mark.parametrize("tries", [7])
def test_a_wrong_email_takes_as_long_as_a_wrong_password(app, client, org, tries):
    """Medians of a few tries each, interleaved, compared as a ratio (never absolute times).
    The person has a hash of production strength, as a real account would."""
    org.people["practitioner"].password_hash = hash_password(org.password)
    db.session.commit()
    app.config["SIGN_IN_FREE_FAILURES_ACCOUNT"] = 100
    app.config["SIGN_IN_FREE_FAILURES_ADDRESS"] = 100
    _attempt(client, "warm.up@council.org.uk", "wrong-password")
    known, unknown = [], []
    for n in range(tries):
        for email, times in ((KNOWN, known), (f"nobody{n}@council.org.uk", unknown)):
            started = time.perf_counter()
            assert _attempt(client, email, "wrong-password").status_code == 400
            times.append(time.perf_counter() - started)
    ratio = statistics.median(unknown) / statistics.median(known)
    print(
        f"median wrong password {statistics.median(known):.3f} s, wrong email "
        f"{statistics.median(unknown):.3f} s, ratio {ratio:.2f}"
    )
    assert 0.7 < ratio < 1.4
