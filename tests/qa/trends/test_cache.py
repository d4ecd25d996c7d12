"""Trend figures are reused until the data, the day or the viewer changes, and never
shown to someone they were not worked out for."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from qa.extensions import db
from qa.selections.policies import ensure_default_policies
from qa.trends import service
from qa.trends.service import Dashboard
from tests.qa.trends.test_service import signed_off, three_audits  # noqa: F401 (a fixture)

PAGE = "/trends/?period=month&start=2026-10&end=2026-11&unit=service"
PAGE_START = date(2026, 10, 1)


@pytest.fixture
def boards(monkeypatch, app) -> list[Dashboard]:
    """Every dashboard the service works out for PAGE's months (not those reused), in order.
    The home page a sign-in lands on works out the default months' figures for its verdicts;
    those are left out. The default sampling policies are stored first, as they are on any
    running service (the first page that needs them stores them, and that is a change to the
    data)."""
    ensure_default_policies()
    db.session.commit()
    made: list[Dashboard] = []
    real = service.dashboard

    def counting(user, filters):
        board = real(user, filters)
        if filters.start == PAGE_START:
            made.append(board)
        return board

    monkeypatch.setattr(service, "dashboard", counting)
    return made


def test_the_second_look_reuses_the_figures(sign_in_as, three_audits, boards):  # noqa: F811
    client = sign_in_as("qa_officer")
    first = client.get(PAGE).get_data(as_text=True)
    second = client.get(PAGE).get_data(as_text=True)
    assert len(boards) == 1 and boards[0].audits == 3
    figures = re.compile(r"<main.*</main>", re.S)
    nonce = re.compile(r'nonce="[^"]*"|name="csrf_token"[^>]*')
    assert nonce.sub("", figures.search(first)[0]) == nonce.sub("", figures.search(second)[0])


def test_a_sign_off_shows_at_once(sign_in_as, org, three_audits, boards):  # noqa: F811
    client = sign_in_as("qa_officer")
    client.get(PAGE)
    signed_off(
        org,
        "senior_practitioner",
        {"views_wishes_feelings": "no", "lived_experience": "no"},
        datetime(2026, 11, 20, 10),
        score=0.2,
        grade="inadequate",
    )
    client.get(PAGE)
    assert [board.audits for board in boards] == [3, 4]
    assert boards[1].grades["inadequate"] == 1


def test_a_move_between_teams_shows_at_once(sign_in_as, org, three_audits, boards, app):  # noqa: F811
    client = sign_in_as("qa_officer")
    client.get(PAGE)
    org.people["practitioner_n2"].team_id = org.teams["N1"].id
    db.session.commit()
    client.get(PAGE)
    assert len(boards) == 2
    before = {team.label: team.n for team in boards[0].teams}
    after = {team.label: team.n for team in boards[1].teams}
    assert before != after and sum(before.values()) == sum(after.values())


def test_each_service_manager_gets_their_own_areas_figures(sign_in_as, three_audits, boards):  # noqa: F811
    north = sign_in_as("service_manager").get(PAGE).get_data(as_text=True)
    south = sign_in_as("service_manager_south").get(PAGE).get_data(as_text=True)
    assert len(boards) == 2
    assert [board.unit_label for board in boards] == ["North service area", "South service area"]
    assert [board.audits for board in boards] == [2, 1]
    assert "North" in north and "South" in south


def test_qa_officers_share_the_service_wide_figures(sign_in_as, org, three_audits, boards):  # noqa: F811
    from qa.org.models import Staff

    second = Staff(
        external_id="QA2",
        name="Second Officer",
        email="qa2@council.org.uk",
        role="qa_officer",
        password_hash=org.people["qa_officer"].password_hash,
    )
    db.session.add(second)
    db.session.commit()
    sign_in_as("qa_officer").get(PAGE)
    client = sign_in_as("qa_officer")
    client.get(PAGE)
    assert len(boards) == 1


def test_a_new_day_works_the_figures_out_again(sign_in_as, three_audits, boards, app):  # noqa: F811
    sign_in_as("qa_officer").get(PAGE)
    app.config["FIXED_NOW"] = datetime(2026, 11, 24, 9, 0)
    sign_in_as("qa_officer").get(PAGE)  # signed in again: a night is past the idle time-out
    assert len(boards) == 2


def test_the_cache_can_be_switched_off(sign_in_as, three_audits, boards, app):  # noqa: F811
    app.config["TRENDS_CACHE"] = False
    client = sign_in_as("qa_officer")
    client.get(PAGE)
    client.get(PAGE)
    assert len(boards) == 2


def test_the_quantity_page_is_reused_until_a_session_is_imported(sign_in_as, org, monkeypatch):

    from tests.qa.trends.test_service import _session

    ensure_default_policies()
    db.session.commit()
    made = []
    real = service.quantity

    def counting(user, on, filters):
        page = real(user, on, filters)
        made.append(page)
        return page

    monkeypatch.setattr(service, "quantity", counting)
    client = sign_in_as("qa_officer")
    client.get("/trends/quantity")
    client.get("/trends/quantity")
    assert len(made) == 1
    late = {row.name for row in made[0].overdue}
    person = org.people["team_manager"]
    assert person.name in late
    _session(org, "team_manager", date(2026, 11, 20))
    db.session.commit()
    client.get("/trends/quantity")
    assert len(made) == 2
    assert person.name not in {row.name for row in made[1].overdue}


def main_of(response) -> str:
    """The page's main content, where the kept dashboard is shown."""
    return re.search(r"<main.*</main>", response.get_data(as_text=True), re.S)[0]


def team_table(page: str) -> str:
    return re.search(r"Compliance by team\s*</caption>.*?</table>", page, re.S)[0]


def test_the_page_shows_a_sign_off_at_once(sign_in_as, org, three_audits):  # noqa: F811
    client = sign_in_as("qa_officer")
    assert "0 of 3 signed-off audits" in main_of(client.get(PAGE))
    signed_off(
        org,
        "senior_practitioner",
        {"views_wishes_feelings": "no", "lived_experience": "no"},
        datetime(2026, 11, 20, 10),
        score=0.2,
        grade="inadequate",
    )
    page = main_of(client.get(PAGE))
    assert "0 of 4 signed-off audits" in page and "0 of 3 signed-off audits" not in page


def test_the_page_shows_a_move_between_teams_at_once(sign_in_as, org, three_audits):  # noqa: F811
    client = sign_in_as("qa_officer")
    before = team_table(main_of(client.get(PAGE)))
    org.people["practitioner_n2"].team_id = org.teams["N1"].id
    db.session.commit()
    after = team_table(main_of(client.get(PAGE)))
    assert "North Children in Care" in before and "North Children in Care" not in after


def test_a_new_team_is_offered_at_once(sign_in_as, org, three_audits):  # noqa: F811
    from qa.org.models import Team

    client = sign_in_as("qa_officer")
    assert "North Fostering team" not in main_of(client.get(PAGE))
    db.session.add(Team(name="North Fostering", service_area=org.areas["North"]))
    db.session.commit()
    assert "North Fostering team" in main_of(client.get(PAGE))


def test_the_link_to_record_a_change_is_only_for_those_who_may(sign_in_as, three_audits):  # noqa: F811
    assert "Record a change" in main_of(sign_in_as("qa_officer").get(PAGE))
    assert "Record a change" not in main_of(sign_in_as("head_of_service").get(PAGE))
