"""The data generation moves on once for each commit that changes data, and not for the
event log, sign-in bookkeeping or a rolled-back transaction."""

from __future__ import annotations

from sqlalchemy import update

from qa import generation
from qa.events.service import record
from qa.extensions import db
from qa.org.models import Staff, Team


def test_a_commit_that_changes_data_moves_the_generation_on_once(org):
    before = generation.current()
    db.session.add(Team(name="Fostering", service_area=org.areas["North"]))
    db.session.flush()
    org.people["practitioner"].name = "Renamed Practitioner"
    db.session.flush()
    db.session.commit()
    assert generation.current() == before + 1


def test_the_event_log_and_sign_in_bookkeeping_leave_it_alone(org):
    before = generation.current()
    person = org.people["practitioner"]
    record(person, "signed_in", "staff", person.id)
    person.password_hash = "another hash"
    person.session_version = (person.session_version or 1) + 1
    db.session.commit()
    assert generation.current() == before
    person.team_id = org.teams["N2"].id
    db.session.commit()
    assert generation.current() == before + 1


def test_statements_run_through_the_session_count_too(org):
    before = generation.current()
    db.session.execute(
        update(Staff).where(Staff.id == org.people["practitioner"].id).values(case_holding=False)
    )
    db.session.commit()
    assert generation.current() == before + 1


def test_a_rolled_back_change_does_not_count(org):
    before = generation.current()
    org.people["practitioner"].name = "Never Saved"
    db.session.flush()
    db.session.rollback()
    assert generation.current() == before


def test_a_failed_sign_in_does_not_move_it(client, org):
    before = generation.current()
    response = client.post(
        "/sign-in", data={"email": org.people["practitioner"].email, "password": "wrong one"}
    )
    assert response.status_code == 400
    assert "Enter a correct email address and password" in response.get_data(as_text=True)
    assert generation.current() == before
