"""An action is done when its owner says so, and closed only when whoever raised it (or the
head of service of the file's area) confirms it; raising and confirming survive double posts."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from qa.actions import service as actions
from qa.actions.models import Action
from qa.audits.models import StoredDocument
from qa.events.models import Event
from qa.extensions import db
from tests.qa.audits.helpers import make_audit
from tests.qa.reports.helpers import pdf_text, signed_off

DESCRIPTION = "Record the child's views from the 12 November visit on the file"


def _raise(client, audit_id):
    """Open the form and post it; returns the posted data, to post again."""
    page = client.get(f"/actions/new/{audit_id}").get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]*)"', page)
    data = {
        "description": DESCRIPTION,
        "owner": str(client.owner_id),
        "due": ["15", "12", "2026"],
        "form_token": token.group(1) if token else "",
    }
    response = client.post(f"/actions/new/{audit_id}", data=dict(data))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return data


def _done_action(sign_in_as, org):
    audit = make_audit(org)
    raiser = sign_in_as("service_manager")
    raiser.owner_id = org.people["team_manager"].id
    _raise(raiser, audit.id)
    action = db.session.scalar(select(Action))
    owner = sign_in_as("team_manager")
    owner.get(f"/actions/{action.id}/done")
    owner.post(f"/actions/{action.id}/done", data={"note": "Views added on 28 November"})
    return audit, action, raiser, owner


def test_an_action_marked_done_by_its_owner_stays_unclosed_until_its_raiser_confirms(
    sign_in_as, org
):
    audit, action, raiser, owner = _done_action(sign_in_as, org)
    assert db.session.get(Action, action.id).status == "done"
    assert not db.session.get(Action, action.id).is_closed
    assert owner.get(f"/actions/{action.id}/confirm").status_code == 404
    assert "1 action to confirm" in raiser.get("/").get_data(as_text=True)
    assert f"/actions/{action.id}/confirm" in raiser.get(f"/audits/{audit.id}").get_data(
        as_text=True
    )
    page = raiser.get("/actions/").get_data(as_text=True)
    assert "Actions to confirm" in page and f"/actions/{action.id}/confirm" in page
    response = raiser.post(f"/actions/{action.id}/confirm", data={})
    assert response.status_code == 302
    confirmed = db.session.get(Action, action.id)
    assert confirmed.is_closed and confirmed.confirmed_by_id == org.people["service_manager"].id
    assert "Confirmed done" in raiser.get(f"/audits/{audit.id}").get_data(as_text=True)


@pytest.mark.parametrize(("who", "may"), [("head_of_service", True), ("head_south", False)])
def test_the_head_of_service_of_the_files_area_may_confirm_and_no_other(sign_in_as, org, who, may):
    _, action, _, _ = _done_action(sign_in_as, org)
    client = sign_in_as(who)
    if not may:
        assert client.get(f"/actions/{action.id}/confirm").status_code == 404
        return
    client.get(f"/actions/{action.id}/confirm")
    client.post(f"/actions/{action.id}/confirm", data={})
    assert db.session.get(Action, action.id).is_closed


def test_an_action_cannot_be_confirmed_before_its_owner_marks_it_done(sign_in_as, org):
    audit = make_audit(org)
    raiser = sign_in_as("service_manager")
    raiser.owner_id = org.people["team_manager"].id
    _raise(raiser, audit.id)
    action = db.session.scalar(select(Action))
    raiser.get(f"/actions/{action.id}/confirm")
    raiser.post(f"/actions/{action.id}/confirm", data={})
    assert db.session.get(Action, action.id).status == "open"


def test_the_same_action_posted_twice_makes_one(sign_in_as, org):
    audit = make_audit(org)
    raiser = sign_in_as("service_manager")
    raiser.owner_id = org.people["team_manager"].id
    data = _raise(raiser, audit.id)
    assert raiser.post(f"/actions/new/{audit.id}", data=dict(data)).status_code == 302
    assert db.session.scalar(select(func.count(Action.id))) == 1


def test_marking_done_and_confirming_twice_records_each_once(sign_in_as, org):
    _, action, raiser, owner = _done_action(sign_in_as, org)
    again = owner.post(f"/actions/{action.id}/done", data={"note": "Views added, again"})
    assert again.status_code == 302
    assert db.session.get(Action, action.id).done_note == "Views added on 28 November"
    raiser.get(f"/actions/{action.id}/confirm")
    raiser.post(f"/actions/{action.id}/confirm", data={})
    assert raiser.post(f"/actions/{action.id}/confirm", data={}).status_code == 302
    kinds = db.session.scalars(select(Event.action).where(Event.subject_type == "action"))
    assert sorted(kinds) == ["action_confirmed", "action_done", "action_raised"]


def test_action_rows_link_to_their_audit(sign_in_as, org):
    audit, action, raiser, _ = _done_action(sign_in_as, org)
    page = raiser.get("/actions/").get_data(as_text=True)
    assert f'href="/audits/{audit.id}"' in page


def test_the_kept_record_says_an_action_done_but_not_confirmed_is_waiting(org):
    audit = make_audit(org)
    owner = org.people["team_manager"]
    action = actions.raise_action(
        audit,
        org.people["service_manager"],
        DESCRIPTION,
        owner.id,
        date(2026, 12, 18),
        accept_vague=True,
    )
    actions.mark_done(action, owner, "Views added on 28 November")
    audit = signed_off(org, audit=audit)
    [document] = db.session.scalars(
        select(StoredDocument).where(StoredDocument.subject_id == audit.id)
    )
    text = " ".join(pdf_text(document.content).split())
    assert "Done, waiting for confirmation" in text


@pytest.mark.postgres
def test_ten_racing_posts_of_one_action_form_and_its_confirmation_make_one_of_each(
    app, sign_in_as, org
):
    """The same form posted from ten tabs at once makes one action and no server error; ten
    confirmations at once confirm it once."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("The race is tested on PostgreSQL")
    import threading

    audit = make_audit(org)
    audit_id, owner_id = audit.id, org.people["team_manager"].id
    clients = [sign_in_as("service_manager") for _ in range(10)]
    for client in clients:
        client.get(f"/actions/new/{audit_id}")
    data = {
        "description": DESCRIPTION,
        "owner": str(owner_id),
        "due": ["15", "12", "2026"],
        "form_token": "one-form-opened-once",
    }
    statuses: list[int] = []

    def race(path: str, form: dict) -> None:
        barrier = threading.Barrier(len(clients))

        def post(client) -> None:
            with app.app_context():
                barrier.wait()
                statuses.append(client.post(path, data=dict(form)).status_code)

        threads = [threading.Thread(target=post, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)

    race(f"/actions/new/{audit_id}", data)
    db.session.expire_all()
    [action] = db.session.scalars(select(Action)).all()
    owner = sign_in_as("team_manager")
    owner.get(f"/actions/{action.id}/done")
    owner.post(f"/actions/{action.id}/done", data={"note": "Views added on 28 November"})
    for client in clients:
        client.get(f"/actions/{action.id}/confirm")
    race(f"/actions/{action.id}/confirm", {})
    assert len(statuses) == 20 and all(code < 500 for code in statuses), statuses
    confirmations = db.session.scalars(
        select(Event.id).where(Event.action == "action_confirmed", Event.subject_id == action.id)
    ).all()
    assert len(confirmations) == 1
