"""The Case discussions page: computed from the imported cases and discussions, never typed;
a practitioner sees their own caseload, a team manager their team's; the overdue cases, the
shares by worker, team and area, the chart with its figures, the spreadsheet; every view
logged like viewing an audit."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from qa.cases.service import case_discussions
from qa.events.models import Event
from qa.extensions import db
from tests.qa.cases.helpers import add_case

URL = "/trends/case-discussions/"


@pytest.fixture
def caseloads(app, org):
    """Leicester's rules; today is 23 November 2026."""
    app.config["COUNCIL_PROFILE"] = "leicester"
    p, sp, tm = (org.people[k] for k in ("practitioner", "senior_practitioner", "team_manager"))
    add_case(
        "104001",
        [(date(2026, 9, 1), p)],
        [(date(2026, 9, 1), "child_protection")],
        [(date(2026, 11, 1), p, tm)],
    )
    add_case(
        "104002",
        [(date(2026, 6, 1), p)],
        [(date(2026, 6, 1), "child_in_need")],
        [(date(2026, 9, 15), p, tm)],
    )
    add_case("104003", [(date(2026, 10, 1), sp)], [(date(2026, 10, 1), "single_agency")])
    add_case("104004", [(date(2026, 10, 1), p)], [(date(2026, 10, 1), "adult")])
    add_case(
        "104005",
        [(date(2026, 1, 5), p)],
        [(date(2026, 1, 5), "child_in_need"), (date(2026, 5, 1), "closed")],
    )
    n2 = org.people["practitioner_n2"]
    add_case(
        "204001",
        [(date(2026, 7, 1), n2)],
        [(date(2026, 7, 1), "looked_after")],
        [(date(2026, 8, 1), n2, org.people["team_manager_n2"])],
    )
    south = org.people["practitioner_south"]
    add_case("304001", [(date(2026, 11, 1), south)], [(date(2026, 11, 1), "child_protection")])
    db.session.commit()


def test_the_team_manager_finds_the_overdue_cases_of_their_team(sign_in_as, caseloads):
    page = sign_in_as("team_manager").get(URL)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Case discussions" in text and "North Safeguarding team" in text
    assert "33%" in text and "1 of 3 cases the policy sets an interval for" in text
    for shown in ("104002", "104003"):
        assert shown in text
    for hidden in ("204001", "304001", "104005"):
        assert hidden not in text
    assert "41 days" in text and "39 days" in text  # 104002 due 13 October, 104003 15 October
    assert "Leicester supervision practice guidance, section 3.1" in text


def test_the_figures_are_computed_per_case(app, org, caseloads):
    page = case_discussions(org.people["team_manager"], date(2026, 11, 23))
    by_reference = {line.reference: line for line in page.cases}
    assert set(by_reference) == {"104001", "104002", "104003", "104004"}
    first = by_reference["104001"]
    assert (first.last_discussion, first.due, first.within) == (
        date(2026, 11, 1),
        date(2026, 11, 29),
        True,
    )
    assert (by_reference["104003"].due, by_reference["104003"].days_over) == (
        date(2026, 10, 15),
        39,
    )
    assert by_reference["104004"].within is None  # Leicester sets nothing for adults' cases
    assert [(s.label, s.k, s.n) for s in page.by_worker] == [
        ("Practitioner", 1, 2),
        ("Senior Practitioner", 0, 1),
    ]
    assert [line.reference for line in page.overdue] == ["104002", "104003"]
    assert page.over_time[-1].k == 1 and page.over_time[-1].n == 3
    # At the end of October none of the three was in time: 104001 had waited eight weeks
    # for its first discussion (due 29 September), 104002 since 13 October, 104003 since
    # 15 October; at the end of September 104001 was within its first four weeks.
    assert (page.over_time[-2].k, page.over_time[-2].n) == (0, 3)
    assert (page.over_time[-3].k, page.over_time[-3].n) == (1, 2)


def test_a_practitioner_sees_only_their_own_caseload(sign_in_as, caseloads):
    text = sign_in_as("practitioner").get(URL).get_data(as_text=True)
    assert "Your cases" in text
    assert "104001" in text and "104002" in text and "104004" in text
    assert "104003" not in text and "204001" not in text
    other = sign_in_as("practitioner_n2").get(URL + "?unit=service").get_data(as_text=True)
    assert "204001" in other and "104001" not in other


def test_a_manager_cannot_ask_for_another_area(sign_in_as, org, caseloads):
    south = org.people["practitioner_south"].team_id
    text = sign_in_as("team_manager").get(f"{URL}?unit=team-{south}").get_data(as_text=True)
    assert "304001" not in text and "104002" in text


def test_the_whole_service_for_a_qa_officer_by_area(sign_in_as, caseloads):
    text = sign_in_as("qa_officer").get(URL).get_data(as_text=True)
    for shown in ("204001", "104003", "104002"):
        assert shown in text
    assert "304001" not in text  # within its first four weeks, so not overdue
    assert "North service area" in text and "South service area" in text
    assert "40%" in text and "25%" in text and "100%" in text  # 2 of 5: North 1 of 4, South 1


def test_administrators_do_not_see_caseloads(sign_in_as, caseloads):
    assert sign_in_as("administrator").get(URL).status_code == 403


def test_viewing_and_downloading_a_caseload_are_logged(sign_in_as, org, caseloads):
    client = sign_in_as("team_manager")
    client.get(URL)
    response = client.get(URL + "spreadsheet.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    rows = list(book["Open cases"].iter_rows(values_only=True))
    assert rows[0][0] == "Case reference"
    assert sorted(row[0] for row in rows[1:]) == ["104001", "104002", "104003", "104004"]
    events = db.session.scalars(
        select(Event).where(Event.actor_id == org.people["team_manager"].id)
    ).all()
    actions = [event.action for event in events]
    assert "caseload_viewed" in actions and "caseload_exported" in actions
    viewed = next(event for event in events if event.action == "caseload_viewed")
    assert viewed.detail == "North Safeguarding team: 4 open cases on 2026-11-23"


def test_a_policy_that_sets_no_frequency_says_so_and_judges_nothing(
    app, org, sign_in_as, caseloads
):
    app.config["COUNCIL_PROFILE"] = "coventry"
    page = case_discussions(org.people["team_manager"], date(2026, 11, 23))
    assert page.policy_sets_none and page.lists_every_case
    assert {line.within for line in page.cases} == {None} and page.overdue == []
    text = sign_in_as("team_manager").get(URL).get_data(as_text=True)
    assert "sets no frequency for discussing each case in supervision" in text
    assert "104002" in text and "Every open case has been discussed" not in text


def test_with_no_cases_the_page_says_what_to_import(sign_in_as, org):
    text = sign_in_as("team_manager").get(URL).get_data(as_text=True)
    assert "figures appear once cases and their discussions are imported" in text
