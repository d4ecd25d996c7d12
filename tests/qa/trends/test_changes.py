"""Recording the changes the control charts draw new limits from, and the charts using them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from qa.access import Forbidden
from qa.trends import recalculations, service
from qa.trends.filters import Filters
from qa.trends.settings import compliance_target
from tests.qa.trends.test_service import OCT_NOV, three_audits  # noqa: F401 (a fixture)

RANGE = "?period=month&start=2026-10&end=2026-11"
NOVEMBER_OVER = datetime(2026, 12, 3, 10, 0)  # the charts read a month only once it is over


def test_a_qa_officer_records_a_change_and_the_dashboard_draws_new_limits_from_it(
    app,
    sign_in_as,
    three_audits,  # noqa: F811
):
    app.config["FIXED_NOW"] = NOVEMBER_OVER
    client = sign_in_as("qa_officer")
    response = client.post(
        "/trends/changes",
        data={
            "starts_on": ["15", "10", "2026"],
            "reason": "New supervision policy",
            "team": "",
        },
    )
    assert response.status_code == 302
    listing = client.get("/trends/changes").get_data(as_text=True)
    assert "New supervision policy" in listing and "The whole service" in listing

    body = client.get("/trends/" + RANGE).get_data(as_text=True)
    # A change in October starts new limits at the first month after it: November.
    assert "The limits were recalculated from Nov 2026: New supervision policy (from 15 " in body
    assert "not enough data since the limits were recalculated from Nov 2026" in body


def test_a_change_without_a_reason_or_a_real_date_is_refused_with_errors(sign_in_as):
    client = sign_in_as("qa_officer")
    response = client.post(
        "/trends/changes",
        data={"starts_on": ["31", "2", "2026"], "reason": "", "team": ""},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error:" in body
    assert "Enter the date the change started as a real date" in body
    assert "Enter what changed" in body


@pytest.mark.parametrize("role", ["head_of_service", "service_manager", "team_manager"])
def test_only_a_qa_officer_may_record_a_change(sign_in_as, org, role):
    assert sign_in_as(role).get("/trends/changes").status_code == 403
    with pytest.raises(Forbidden):
        recalculations.record_change(org.people[role], date(2026, 10, 1), "A change", None)


def test_a_change_for_one_team_recalculates_only_that_teams_charts(org, three_audits):  # noqa: F811
    team = org.people["senior_practitioner"].team_id
    qa = org.people["qa_officer"]
    recalculations.record_change(qa, date(2026, 11, 1), "Merged", team)
    months = ["2026-09", "2026-10", "2026-11"]

    assert recalculations.rebases_for(months, None) == []
    assert recalculations.rebases_for(months, team + 1000) == []
    (rebase,) = recalculations.rebases_for(months, team)
    assert (rebase.label, rebase.reason) == ("Nov 2026", "Merged (from 1 November 2026)")
    assert service.dashboard(qa, Filters(**OCT_NOV)).compliance_chart.segments[1:] == ()


def test_a_change_before_the_first_period_or_after_the_last_starts_nothing(org):
    qa = org.people["qa_officer"]
    recalculations.record_change(qa, date(2026, 8, 1), "Too early", None)
    recalculations.record_change(qa, date(2026, 11, 2), "Too late", None)

    assert recalculations.rebases_for(["2026-09", "2026-10", "2026-11"], None) == []


def test_a_compliance_target_gets_making_data_counts_assurance_on_the_dashboard(
    app,
    sign_in_as,
    three_audits,  # noqa: F811
):
    app.config["COMPLIANCE_TARGET"] = 0.99
    app.config["FIXED_NOW"] = NOVEMBER_OVER
    body = sign_in_as("qa_officer").get("/trends/" + RANGE).get_data(as_text=True)

    assert "Target 99%" in body  # drawn on the chart
    assert "the target of 99%" in body  # the assurance, or why there is none yet


@pytest.mark.parametrize(("value", "target"), [(None, None), ("0.85", 0.85), (0.8, 0.8)])
def test_the_compliance_target_is_read_from_the_configuration_or_the_environment(
    app, value, target
):
    app.config["COMPLIANCE_TARGET"] = value
    assert compliance_target() == target


@pytest.mark.parametrize("value", ["80%", 80, True])
def test_a_compliance_target_that_is_not_a_rate_is_refused_by_name(app, value):
    app.config["COMPLIANCE_TARGET"] = value
    with pytest.raises(ValueError, match="COMPLIANCE_TARGET is .*: set it to a rate such as 0.8"):
        compliance_target()
