"""The council profile in force: chosen from the command line with who, when and why, and
read by the quantity figures and the suggested audit answers."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from audit_tools.frequency import StaffFacts
from audit_tools.profile import load_profile, profile_names
from qa.extensions import db
from qa.org.models import SupervisionFile, SupervisionSession
from qa.profiles import service
from qa.profiles.models import ProfileChoice
from qa.roles import Role
from qa.trends import service as trends
from qa.trends.filters import Filters

NOVEMBER = Filters(period_kind="month", start=date(2026, 10, 1), end=date(2026, 11, 30))


def _overdue(org, who: str) -> tuple[int, int]:
    """(interval in days, days overdue) for one person on the QA officer's quantity page."""
    result = trends.quantity(org.people["qa_officer"], date(2026, 11, 23), NOVEMBER)
    name = org.people[who].name
    found = next(row for row in result.overdue if row.name == name)
    return found.interval_days, found.days_overdue


def _held(org, who: str, day: date) -> None:
    supervision_file = org.file_of(who)
    db.session.add(
        SupervisionSession(
            file=supervision_file,
            supervisor=supervision_file.supervisor,
            held_on=day,
            kind="case",
            recorded_on=day,
            signed_by_supervisor_on=day,
            signed_by_supervisee_on=day,
        )
    )
    db.session.commit()


def test_coventry_is_in_force_until_a_profile_is_chosen(app, org):
    current = service.in_force()
    assert (current.profile.name, current.choice) == ("coventry", None)


def test_the_setting_chooses_the_profile_when_none_is_recorded(app, org):
    app.config["COUNCIL_PROFILE"] = "havering"
    assert service.in_force().profile.name == "havering"


def test_choosing_a_profile_records_who_when_and_why(app, org):
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 9, 30)
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["profile", "use", "leicester", "--by", "Jo Head", "--reason", "New policy"]
    )
    assert result.exit_code == 0, result.output
    assert "The leicester profile (version 1) is in force from now." in result.output
    choice = db.session.scalars(select(ProfileChoice)).one()
    assert (choice.name, choice.version, choice.chosen_by, choice.reason) == (
        "leicester",
        1,
        "Jo Head",
        "New policy",
    )
    assert choice.chosen_at == datetime(2026, 11, 23, 9, 30)
    listing = runner.invoke(args=["profile", "list"]).output
    assert "* leicester (version 1)" in listing
    assert "chosen by Jo Head on 23 November 2026: New policy" in listing


def test_an_unknown_profile_or_no_reason_is_refused_and_nothing_is_recorded(app, org):
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["profile", "use", "york", "--reason", "Moving"])
    assert unknown.exit_code != 0
    assert "no council profile ‘york’" in unknown.output
    blank = runner.invoke(args=["profile", "use", "havering", "--reason", " "])
    assert blank.exit_code != 0
    assert "Give the reason" in blank.output
    assert db.session.scalars(select(ProfileChoice)).first() is None


def test_show_gives_each_rule_with_its_source_and_says_where_the_policy_is_silent(app):
    output = app.test_cli_runner().invoke(args=["profile", "show", "coventry"]).output
    assert "longest gap: 2 months" in output
    assert "003_2701f8fa2326f2b4.txt, 5.2: “No staff member should go without" in output
    assert "recording: not set by the policy:" in output


def test_a_team_manager_is_held_to_the_rule_of_the_profile_in_force(app, org):
    _held(org, "team_manager", date(2026, 9, 1))
    assert _overdue(org, "team_manager") == (42, 41)  # Coventry: no less than six-weekly
    service.use_profile("leicester", "Jo Head", "Leicester's guidance")
    assert _overdue(org, "team_manager") == (28, 55)  # Leicester 3.1: every four weeks
    service.use_profile("havering", "Jo Head", "Havering's policy")
    assert _overdue(org, "team_manager") == (30, 53)  # monthly: 1 September to 1 October


def test_heads_of_service_with_a_supervisor_are_in_the_quantity_figures(app, org):
    head = org.people["head_of_service"]
    assert head.role == Role.HEAD_OF_SERVICE
    db.session.add(
        SupervisionFile(
            supervisee=head, supervisor=org.people["administrator"], opened_on=date(2020, 1, 6)
        )
    )
    db.session.commit()
    _held(org, "head_of_service", date(2026, 10, 1))
    assert _overdue(org, "head_of_service") == (42, 11)


@pytest.mark.parametrize("name", profile_names())
def test_every_role_falls_in_a_category_of_every_profile(name):
    rules = load_profile(name).frequency_rules()
    for role in Role:
        for case_holding in (True, False):
            staff = StaffFacts(case_holding, False, None, None, None, role.value)
            assert rules.category_rule(staff).category


def test_the_quantity_page_names_the_policy_in_force(app, org, sign_in_as):
    service.use_profile("haringey", "Jo Head", "Adult services")
    body = sign_in_as("qa_officer").get("/trends/quantity").get_data(as_text=True)
    assert "heads of service included" in body
    assert "Haringey adult social care supervision policy sets for them" in body
