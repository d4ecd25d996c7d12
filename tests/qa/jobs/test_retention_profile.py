"""How long audits of a leaver's file are kept comes from the council profile in force on
the day, where its policy sets a period; the retention file keeps the rest."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from qa.extensions import db
from qa.jobs import retention
from qa.profiles import service as profiles
from tests.qa.jobs.helpers import make_audit

ON = date(2026, 11, 23)


@pytest.fixture
def leaver(app, org):
    """An audit of the file of someone who left four years before the day asked about."""
    org.people["practitioner_south"].leaving_date = date(2022, 6, 29)
    db.session.commit()
    return make_audit(
        org, "practitioner_south", auditor="service_manager_south", state="signed_off"
    ).id


def _leavers_rule(on: date = ON):
    report = retention.plan(on)
    return next(r for r in report.reports if r.rule.records == "audits_of_leavers")


def _choose(app, name: str) -> None:
    app.config["FIXED_NOW"] = datetime(2026, 11, 2, 9, 0)
    profiles.use_profile(name, "Jo Head", "New policy")


def test_coventry_keeps_a_leavers_audits_two_years(app, org, leaver):
    found = _leavers_rule()
    assert found.rule.keep_years == 2
    assert "Coventry supervision policy (2015), section 8.12" in found.rule.basis
    assert found.ids == [leaver]


def test_haringey_keeps_them_seven_years(app, org, leaver):
    _choose(app, "haringey")
    found = _leavers_rule()
    assert found.rule.keep_years == 7
    assert found.ids == []


def test_where_the_policy_sets_no_period_the_retention_file_does(app, org, leaver):
    _choose(app, "blackpool")  # Blackpool's guidance does not say
    found = _leavers_rule()
    assert found.rule.keep_years == 7
    assert found.rule.basis.startswith("Haringey's policy (section 9.4)")


def test_the_period_is_the_one_in_force_on_the_day_asked_about(app, org, leaver):
    _choose(app, "haringey")  # from 2 November
    assert _leavers_rule(date(2026, 11, 1)).ids == [leaver]  # Coventry's two years
    assert _leavers_rule(date(2026, 11, 2)).ids == []


def test_the_other_records_keep_the_retention_files_periods(app, org):
    _choose(app, "leicester")
    kept = {r.rule.key: r.rule.keep_years for r in retention.plan(ON).reports}
    assert kept == {
        "audits-of-leavers": 70,
        "closed-cases": 2,
        "outbox": 2,
        "job-runs": 2,
        "event-log": 7,
    }
