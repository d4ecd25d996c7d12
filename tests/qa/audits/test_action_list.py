"""The actions list: filters in the address, a page at a time, and bad filters explained."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from qa.actions.listing import ActionFilters, action_count
from qa.actions.models import Action
from qa.extensions import db
from tests.qa.audits.helpers import make_audit


def action(
    org,
    owner,
    due,
    status="open",
    supervisee="practitioner",
    words="Record the child's views at each session",
):
    audit = make_audit(org, supervisee=supervisee)
    made = Action(
        audit_id=audit.id,
        description=words,
        owner_id=org.people[owner].id,
        due_on=due,
        status=status,
        created_at=datetime(2026, 11, 2, 9),
    )
    db.session.add(made)
    db.session.commit()
    return made


@pytest.fixture
def actions(org):
    return [
        action(org, "team_manager", date(2026, 11, 20)),  # overdue
        action(org, "practitioner", date(2026, 12, 15)),
        action(org, "team_manager", date(2026, 11, 1), status="done"),  # done, so not overdue
        action(
            org,
            "team_manager_n2",
            date(2027, 1, 10),
            status="confirmed",
            supervisee="practitioner_n2",
        ),
        action(org, "team_manager_south", date(2026, 10, 1), supervisee="practitioner_south"),
    ]


def test_overdue_is_an_open_action_past_its_due_date(org, actions):
    qa = org.people["qa_officer"]
    assert action_count(qa, ActionFilters(overdue=True)) == 2
    assert action_count(org.people["head_of_service"], ActionFilters(overdue=True)) == 1


def test_status_period_team_and_words_narrow_the_list(org, actions):
    qa = org.people["qa_officer"]
    assert action_count(qa, ActionFilters(state="open")) == 3
    assert action_count(qa, ActionFilters(state="done")) == 1
    assert action_count(qa, ActionFilters(period="2026-11")) == 2
    assert action_count(qa, ActionFilters(period="2027")) == 1
    assert action_count(qa, ActionFilters(team=org.teams["N2"].id)) == 1
    assert action_count(qa, ActionFilters(area=org.areas["South"].id)) == 1
    assert action_count(qa, ActionFilters(q="practitioner n2")) == 1  # the file's supervisee
    assert action_count(qa, ActionFilters(q="child's views")) == 5


def test_a_team_manager_sees_their_teams_actions(org, actions):
    assert action_count(org.people["team_manager"], ActionFilters()) == 3


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?period=Q4", "Enter the period as a year (2026)"),
        ("?state=late", "Choose a status from the list"),
        ("?area=-1", "Choose a service area from the list"),
        ("?overdue=on", "Tick overdue only or leave it blank"),
        ("?sort=colour", "Choose an order from the list"),
    ],
)
def test_a_bad_filter_is_explained_never_a_server_error(org, actions, sign_in_as, query, message):
    response = sign_in_as("qa_officer").get(f"/actions/{query}")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body and "<title>Error: Actions" in body


def test_the_list_keeps_its_filters_from_page_to_page(org, sign_in_as):
    for _ in range(51):
        action(org, "practitioner", date(2026, 11, 20))
    client = sign_in_as("qa_officer")
    body = client.get("/actions/?overdue=yes").get_data(as_text=True)
    listed = body[body.index('id="all"') :]
    assert re.search(r"<caption[^>]*>\s*1 to 50 of 51 actions", listed)
    assert "/actions/?overdue=yes&amp;page=2#all" in listed
