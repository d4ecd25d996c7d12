"""Each computation about a day reads the council profile in force on that day, and an audit
keeps the profile in force when it was drawn, whatever is chosen later."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from qa.audits import service as audits
from qa.audits.models import Audit, AuditAnswer
from qa.extensions import db
from qa.profiles import service
from qa.selections import service as selections
from qa.trends import service as trends
from tests.qa.audits.helpers import make_audit
from tests.qa.profiles.test_profiles import NOVEMBER, _held


def _choose(app, name: str, at: datetime) -> None:
    app.config["FIXED_NOW"] = at
    service.use_profile(name, "Jo Head", f"{name} from {at:%d %B}")


def test_the_profile_in_force_on_a_day_is_the_latest_chosen_by_that_day(app, org):
    _choose(app, "havering", datetime(2026, 10, 1, 9, 0))
    _choose(app, "leicester", datetime(2026, 11, 10, 16, 30))
    assert service.in_force_on(date(2026, 9, 30)).profile.name == "coventry"  # the setting
    assert service.in_force_on(date(2026, 10, 1)).profile.name == "havering"
    assert service.in_force_on(date(2026, 11, 9)).profile.name == "havering"
    assert service.in_force_on(date(2026, 11, 10)).profile.name == "leicester"
    assert service.in_force().profile.name == "leicester"


def test_a_drawn_audit_stores_the_profile_and_version_in_force(app, org):
    _choose(app, "havering", datetime(2026, 11, 2, 9, 0))
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 10, 0)
    run, _ = selections.run_selection(
        "quarterly-service-manager", "2026-Q4", org.people["head_of_service"], None
    )
    drawn = db.session.scalars(select(Audit).where(Audit.run_id == run.id)).one()
    assert (drawn.profile_name, drawn.profile_version) == ("havering", 1)


def test_choosing_another_profile_leaves_an_audit_drawn_earlier_on_its_own(app, org):
    audit = make_audit(org)
    audit.profile_name, audit.profile_version = "coventry", 1
    db.session.commit()
    _choose(app, "havering", datetime(2026, 11, 20, 9, 0))  # Havering: record in 2 days
    audits.start(audit, org.people["service_manager"])
    keys = set(
        db.session.scalars(select(AuditAnswer.question_key).where(AuditAnswer.audit_id == audit.id))
    )
    assert "no_long_gap" in keys  # Coventry 5.2: two months at most
    assert "recorded_on_time" not in keys  # Coventry sets no deadline for the record
    assert audits.facts_for(audit).frequency.suggested.get("recorded_on_time") is None


def test_an_audit_from_before_profiles_were_stored_reads_the_one_in_force_when_drawn(app, org):
    _choose(app, "havering", datetime(2026, 10, 1, 9, 0))
    audit = make_audit(org)  # drawn on 1 November, under Havering, with no profile stored
    _choose(app, "coventry", datetime(2026, 11, 20, 9, 0))
    audits.start(audit, org.people["service_manager"])
    keys = set(
        db.session.scalars(select(AuditAnswer.question_key).where(AuditAnswer.audit_id == audit.id))
    )
    assert "recorded_on_time" in keys  # Havering 9: written up within two working days
    assert "no_long_gap" not in keys  # Havering sets no longest gap


def _october(org) -> int:
    """How many were supervised within their interval at the end of October."""
    result = trends.quantity(org.people["qa_officer"], date(2026, 11, 23), NOVEMBER)
    return next(point.k for point in result.over_time if point.period == "2026-10")


def test_each_month_of_the_quantity_figures_follows_the_profile_in_force_that_month(app, org):
    _held(org, "team_manager", date(2026, 10, 1))
    under_coventry = _october(org)  # six-weekly: the team manager is within on 31 October
    _choose(app, "leicester", datetime(2026, 11, 5, 9, 0))
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 10, 0)
    assert _october(org) == under_coventry
    _choose(app, "leicester", datetime(2026, 10, 20, 9, 0))  # four-weekly from 20 October
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 10, 0)
    assert _october(org) == under_coventry - 1
