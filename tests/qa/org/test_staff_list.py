"""The staff list: a page at a time, filtered within what the person may see."""

from __future__ import annotations

import re
from datetime import date

import pytest

from qa.extensions import db
from qa.lists import count_of
from qa.org.listing import StaffFilters, read_filters, staff_query


def caption(client, query: str = "") -> str:
    response = client.get(f"/organisation/people{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    found = re.search(r"<caption[^>]*>\s*([^<]+?)\s*</caption>", response.get_data(as_text=True))
    return found.group(1) if found else ""


def test_filters_narrow_the_staff_a_qa_officer_sees(org):
    qa = org.people["qa_officer"]
    assert count_of(staff_query(qa, StaffFilters())) == 13
    assert count_of(staff_query(qa, StaffFilters(area=org.areas["South"].id))) == 4
    assert count_of(staff_query(qa, StaffFilters(team=org.teams["N1"].id))) == 3
    assert count_of(staff_query(qa, StaffFilters(job="team_manager"))) == 3
    assert count_of(staff_query(qa, StaffFilters(q="south"))) == 4


def test_leavers_are_shown_only_when_asked_for(org):
    org.people["practitioner_n2"].leaving_date = date(2026, 10, 31)
    db.session.commit()
    qa = org.people["qa_officer"]
    assert count_of(staff_query(qa, StaffFilters())) == 12
    assert count_of(staff_query(qa, StaffFilters(status="left"))) == 1
    assert count_of(staff_query(qa, StaffFilters(status="all"))) == 13


def test_a_head_of_service_sees_their_area_and_cannot_ask_for_another(org, sign_in_as):
    head = sign_in_as("head_south")
    assert caption(head).startswith("4 people")
    response = head.get(f"/organisation/people?area={org.areas['North'].id}")
    assert response.status_code == 400
    assert "Choose a service area from the list" in response.get_data(as_text=True)
    assert "Practitioner N2" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?job=boss", "Choose a role from the list"),
        ("?status=retired", "Choose who to show from the list"),
        ("?team=x", "Choose a team from the list"),
        ("?sort=age", "Choose an order from the list"),
    ],
)
def test_a_bad_filter_is_explained(org, sign_in_as, query, message):
    response = sign_in_as("qa_officer").get(f"/organisation/people{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_practitioners_cannot_open_the_staff_list(org, sign_in_as):
    assert sign_in_as("practitioner").get("/organisation/people").status_code == 403


def test_the_filters_are_read_from_the_address(org):
    wanted, problems = read_filters(
        org.people["qa_officer"], {"job": "team_manager", "q": " Team  "}
    )
    assert problems == [] and wanted.args() == {"job": "team_manager", "q": "Team"}
