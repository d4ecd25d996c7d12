"""Actions: SMART enough to save, owned, overdue by date, done with a note."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from qa.actions.models import Action
from qa.extensions import db
from tests.qa.audits.helpers import make_audit


def _form(client, audit_id, **values):
    client.get(f"/actions/new/{audit_id}")
    data = {"description": "", "owner": "0"}
    day, month, year = (
        values.pop("due-day", ""),
        values.pop("due-month", ""),
        values.pop("due-year", ""),
    )
    data["due"] = [day, month, year]
    data.update(values)
    return client.post(f"/actions/new/{audit_id}", data=data)


def test_an_action_needs_an_owner_and_a_due_date(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    body = _form(
        client,
        audit.id,
        description="Record the child's views from the 12 November visit on the record",
    ).get_data(as_text=True)
    assert "Select who will do the action" in body or "Enter the date the action is due" in body
    assert db.session.scalar(select(Action)) is None


def test_a_vague_description_gets_a_gentle_prompt_and_can_be_saved_anyway(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    owner = org.people["team_manager"].id
    dates = {"due-day": "15", "due-month": "12", "due-year": "2026"}
    body = _form(
        client, audit.id, description="Improve recording", owner=str(owner), **dates
    ).get_data(as_text=True)
    assert "This action is short" in body
    assert db.session.scalar(select(Action)) is None
    response = _form(
        client,
        audit.id,
        description="Improve recording",
        owner=str(owner),
        accept_vague="y",
        **dates,
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Action)).owner_id == owner


def test_owners_see_their_actions_and_mark_them_done_with_a_note(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    _form(
        client,
        audit.id,
        description="Record the child's views from the 12 November visit on the file",
        owner=str(org.people["team_manager"].id),
        **{"due-day": "1", "due-month": "12", "due-year": "2026"},
    )
    action = db.session.scalar(select(Action))
    owner = sign_in_as("team_manager")
    assert "1 action to complete" in owner.get("/").get_data(as_text=True)
    owner.get(f"/actions/{action.id}/done")
    blank = owner.post(f"/actions/{action.id}/done", data={"note": ""})
    assert "Enter what was done" in blank.get_data(as_text=True)
    owner.post(f"/actions/{action.id}/done", data={"note": "Views added on 28 November"})
    assert db.session.get(Action, action.id).status == "done"
    assert sign_in_as("practitioner").get(f"/actions/{action.id}/done").status_code == 404


def test_overdue_is_worked_out_from_the_date(org):
    audit = make_audit(org)
    action = Action(
        audit_id=audit.id,
        description="x",
        owner_id=org.people["team_manager"].id,
        due_on=date(2026, 11, 20),
        status="open",
        created_at=audit.created_at,
    )
    db.session.add(action)
    db.session.commit()
    assert action.is_overdue(date(2026, 11, 23))
    assert not action.is_overdue(date(2026, 11, 20))
    action.status = "done"
    assert not action.is_overdue(date(2026, 12, 25))


def test_an_owner_must_be_connected_to_the_file(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    body = _form(
        client,
        audit.id,
        description="Record the child's views from the visit on the record",
        owner=str(org.people["practitioner_south"].id),
        **{"due-day": "1", "due-month": "12", "due-year": "2026"},
    ).get_data(as_text=True)
    assert "Not a valid choice" in body or "Select who will do the action" in body
