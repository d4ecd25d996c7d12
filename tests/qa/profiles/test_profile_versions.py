"""A QA officer changes a council profile in the app: each save is a new version with the
whole document, a reason, who and when, in force from a later day; the days before and the
audits made under an earlier version keep their rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import yaml
from sqlalchemy import select

from audit_tools.profile import ProfileError
from qa.audits import service as audits
from qa.events.models import Event
from qa.extensions import db
from qa.profiles import service
from qa.profiles.document import form_values
from qa.profiles.models import ProfileVersion
from qa.trends import service as trends
from tests.qa.audits.helpers import make_audit
from tests.qa.profiles.test_profiles import NOVEMBER, _held
from tests.qa.reports.helpers import signed_off

TODAY = date(2026, 11, 23)
TOMORROW = TODAY + timedelta(days=1)


def _data(name: str, version: int = 1) -> dict[str, object]:
    return dict(service.document_data(name, version))


def _with_interval(name: str, days: int, category: int = 0) -> dict[str, object]:
    data = _data(name)
    categories = data["categories"]
    assert isinstance(categories, list)
    categories[category]["interval"] = {"days": days, "decided": "Four-weekly from now"}
    return data


def _post(client, name: str, changes: dict[str, object], day: date = TOMORROW):
    form = {**form_values(_data(name)), **changes}
    form |= {"from-day": str(day.day), "from-month": str(day.month), "from-year": str(day.year)}
    form.setdefault("reason", "The council's revised policy")
    client.get(f"/profiles/{name}/change")
    return client.post(f"/profiles/{name}/change", data=form)


def test_a_saved_version_is_in_force_from_its_day_and_not_before(app, org):
    row = service.save_version("coventry", _with_interval("coventry", 28), TOMORROW, "Jo", "Why")
    assert (row.version, row.in_force_from) == (2, TOMORROW)
    assert service.in_force_on(TODAY).profile.version == 1
    assert service.in_force_on(TOMORROW).profile.version == 2
    assert service.frequency_rules_on(TOMORROW).intervals[0].interval_days == 28
    assert service.frequency_rules_on(TODAY).intervals[0].interval_days == 42
    by_day = service.frequency_rules_by_day([TODAY, TOMORROW])
    assert [by_day[day].intervals[0].interval_days for day in (TODAY, TOMORROW)] == [42, 28]
    assert service.stamp() == ("coventry", 1)  # an audit drawn today keeps today's version
    saved = yaml.safe_load(row.document)
    assert (saved["name"], saved["version"]) == ("coventry", 2)


def test_the_next_version_follows_the_latest_and_the_latest_in_force_wins(app, org):
    service.save_version("coventry", _with_interval("coventry", 35), TOMORROW, "Jo", "One")
    later = TOMORROW + timedelta(days=7)
    service.save_version("coventry", _with_interval("coventry", 28), later, "Jo", "Two")
    assert service.profile_on("coventry", TOMORROW).version == 2
    assert service.profile_on("coventry", later).version == 3
    assert service.latest_profile("coventry").version == 3
    assert service.profile_version("coventry", 1).categories[0].interval.amount == 42


@pytest.mark.parametrize(
    ("day", "reason", "message"),
    [
        (TODAY, "Why", "must be after today"),
        (TOMORROW, "  ", "Give the reason"),
    ],
)
def test_a_version_for_today_or_without_a_reason_is_refused(app, org, day, reason, message):
    with pytest.raises(ValueError, match=message):
        service.save_version("coventry", _with_interval("coventry", 28), day, "Jo", reason)
    assert db.session.scalars(select(ProfileVersion)).all() == []


def test_a_document_that_is_not_a_profile_is_refused_naming_the_field(app, org):
    data = _with_interval("coventry", 28)
    del data["retention"]
    with pytest.raises(ProfileError, match="‘retention’ is missing"):
        service.save_version("coventry", data, TOMORROW, "Jo", "Why")
    assert db.session.scalars(select(ProfileVersion)).all() == []


def test_a_qa_officer_changes_a_frequency_in_the_form(sign_in_as, org):
    client = sign_in_as("qa_officer")
    response = _post(client, "coventry", {"c0-interval": "28", "reason": "Four-weekly now"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    row = db.session.scalars(select(ProfileVersion)).one()
    assert (row.version, row.saved_by, row.reason) == (
        2,
        org.people["qa_officer"].name,
        "Four-weekly now",
    )
    before, after = _data("coventry", 1), yaml.safe_load(row.document)
    changed = after["categories"][0]["interval"]
    assert changed["days"] == 28
    assert changed["source"] == "003_2701f8fa2326f2b4.txt, 5.1"  # the section it relates to
    assert (
        "version 2 by Qa Officer, in force from 24 November 2026: Four-weekly now"
        in (changed["decided"])
    )
    # everything the form did not change is as it was, other sections included
    after["categories"][0]["interval"] = before["categories"][0]["interval"]
    assert {**after, "version": 1} == before
    events = db.session.scalars(select(Event).where(Event.action == "profile_changed")).all()
    assert len(events) == 1
    page = client.get("/profiles/coventry").get_data(as_text=True)
    assert "Four-weekly now" in page  # the history, with the reason
    assert "Version 2 is in force from 24 November 2026" in page


def test_sections_the_form_does_not_edit_round_trip_unchanged(sign_in_as, org):
    client = sign_in_as("qa_officer")
    for name in ("leicester", "havering", "blackpool", "haringey"):
        before = _data(name)
        response = _post(client, name, {"reason": f"{name}: saved as it is"})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        saved = yaml.safe_load(service.saved_versions(name)[-1].document)
        assert {**saved, "version": before["version"]} == before, name


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"c0-interval": "four"}, "c0-interval", "must be a whole number"),
        ({"c0-interval": "0"}, "c0-interval", "must be between 1 and 366 days"),
        ({"c0-interval": ""}, "c0-interval", "Enter the interval for All staff"),
        ({"c0-longest_gap": "30"}, "c0-longest_gap", "between 1 and 24 months"),
        ({"c0-roles": []}, "c0-roles", "Choose at least one role for All staff"),
        (
            {"c0-roles": ["practitioner"]},
            "c0-roles",
            "Team managers holding cases fall in no category",
        ),
        ({"formal_kinds": []}, "formal_kinds", "Choose at least one kind of session"),
        ({"recording": "2.5"}, "recording", "write up a session must be a whole number"),
        ({"reason": ""}, "reason", "Enter why the profile changes"),
        (
            {"asye0-interval_days": "7", "asye0-until": "", "asye0-until_unit": "weeks"},
            "asye0-until",
            "Enter how long",
        ),
    ],
)
def test_bad_values_are_refused_with_a_specific_error_and_nothing_saved(
    sign_in_as, org, changes, field, message
):
    client = sign_in_as("qa_officer")
    response = _post(client, "coventry", changes)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body
    assert f'href="#{field}"' in body
    assert db.session.scalars(select(ProfileVersion)).all() == []


def test_a_day_that_is_not_after_today_is_refused(sign_in_as, org):
    response = _post(sign_in_as("qa_officer"), "coventry", {"c0-interval": "28"}, day=TODAY)
    assert "must be after today (23 November 2026)" in response.get_data(as_text=True)
    assert db.session.scalars(select(ProfileVersion)).all() == []


def test_a_policy_silent_on_a_rule_can_be_given_one_in_the_app(sign_in_as, org):
    client = sign_in_as("qa_officer")
    response = _post(client, "havering", {"c0-longest_gap": "2", "recording": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    profile = service.profile_version("havering", 2)
    assert profile.categories[0].longest_gap.amount == 2
    assert profile.categories[0].longest_gap.decided
    assert profile.recording.silent and profile.recording.decided
    page = client.get("/profiles/havering").get_data(as_text=True)
    assert "Set to 2 months in version 2" not in page  # not yet in force today
    assert "Not checked" not in page


def test_each_version_downloads_as_yaml(sign_in_as, org):
    client = sign_in_as("qa_officer")
    service.save_version("coventry", _with_interval("coventry", 28), TOMORROW, "Jo", "Why")
    shipped = client.get("/profiles/coventry/versions/1.yaml")
    assert shipped.mimetype == "application/yaml"
    assert "coventry-version-1.yaml" in shipped.headers["Content-Disposition"]
    assert "days: 42" in shipped.get_data(as_text=True)
    second = yaml.safe_load(client.get("/profiles/coventry/versions/2.yaml").get_data(as_text=True))
    assert second["categories"][0]["interval"]["days"] == 28
    assert client.get("/profiles/coventry/versions/3.yaml").status_code == 404
    assert client.get("/profiles/york/versions/1.yaml").status_code == 404


def test_only_qa_officers_change_a_profile(sign_in_as, org):
    response = _post(sign_in_as("head_of_service"), "coventry", {"c0-interval": "28"})
    assert response.status_code == 403
    assert db.session.scalars(select(ProfileVersion)).all() == []


def test_a_signed_off_audit_keeps_the_version_it_was_made_under(app, org):
    audit = signed_off(org)
    audit.profile_name, audit.profile_version = "coventry", 1
    db.session.commit()
    answers = {a.question_key: (a.answer, a.prefilled) for a in audit.answers}
    facts = audits.facts_for(audit)
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 10, 0)
    service.save_version("coventry", _with_interval("coventry", 7), TOMORROW, "Jo", "Weekly")
    app.config["FIXED_NOW"] = datetime(2026, 11, 25, 10, 0)
    assert service.in_force().profile.version == 2
    db.session.expire_all()
    again = {a.question_key: (a.answer, a.prefilled) for a in audit.answers}
    assert again == answers
    assert audits.facts_for(audit).frequency == facts.frequency
    assert (audit.profile_name, audit.profile_version, audit.state) == (
        "coventry",
        1,
        "signed_off",
    )


def test_an_audit_started_after_a_change_follows_the_version_it_was_drawn_under(app, org):
    audit = make_audit(org)
    audit.profile_name, audit.profile_version = "blackpool", 1
    db.session.commit()
    data = _data("blackpool")
    data["agreement_review"] = {"months": 24, "decided": "Every two years"}
    service.save_version("blackpool", data, TOMORROW, "Jo", "Two-yearly review")
    audit2 = make_audit(org, supervisee="senior_practitioner")
    audit2.profile_name, audit2.profile_version = "blackpool", 2
    db.session.commit()
    assert audits.facts_for(audit).frequency is not None
    assert service.frequency_rules_of("blackpool", 1, TODAY).agreement_review.amount == 3
    assert service.frequency_rules_of("blackpool", 2, TODAY).agreement_review.amount == 24


def test_the_quantity_page_follows_the_new_version_from_its_day(app, org):
    _held(org, "team_manager", date(2026, 10, 20))  # within six weeks on 24 November
    service.save_version("coventry", _with_interval("coventry", 28), TOMORROW, "Jo", "Why")
    today = trends.quantity(org.people["qa_officer"], TODAY, NOVEMBER)
    name = org.people["team_manager"].name
    assert name not in {row.name for row in today.overdue}
    app.config["FIXED_NOW"] = datetime(2026, 11, 24, 9, 0)
    tomorrow = trends.quantity(org.people["qa_officer"], TOMORROW, NOVEMBER)
    row = next(row for row in tomorrow.overdue if row.name == name)
    assert (row.interval_days, row.days_overdue) == (28, 7)


def test_the_agreement_review_uses_the_period_of_the_version(app, org):
    agreement = org.file_of("practitioner").agreement
    agreement.review_due = None  # due a period after the signatures of 12 January 2026
    audit = make_audit(org)
    data = _data("coventry")
    data["agreement_review"] = {"months": 6, "decided": "Six-monthly from now"}
    service.save_version("coventry", data, TOMORROW, "Jo", "Six-monthly reviews")
    audit.profile_name, audit.profile_version = "coventry", 1  # Coventry 10.0: annually
    db.session.commit()
    assert audits.facts_for(audit).agreement["agreement_reviewed"] == (
        "yes",
        "The agreement is next due for review on 12 January 2027",
    )
    audit.profile_version = 2
    db.session.commit()
    assert audits.facts_for(audit).agreement["agreement_reviewed"] == (
        "no",
        "The agreement's review was due on 12 July 2026",
    )


def test_asye_stages_can_be_added_where_the_policy_sets_none(sign_in_as, org):
    client = sign_in_as("qa_officer")
    stages = {
        "asye0-interval_days": "7",
        "asye0-until": "6",
        "asye0-until_unit": "weeks",
        "asye1-interval_days": "14",
        "asye1-until": "6",
        "asye1-until_unit": "months",
    }
    response = _post(client, "coventry", stages)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    profile = service.profile_version("coventry", 2)
    assert [(s.interval_days, s.until_weeks, s.until_months) for s in profile.asye_stages] == [
        (7, 6, None),
        (14, None, 6),
    ]
    assert profile.asye.decided.startswith("Stages set in version 2")
    assert profile.asye.citation.source == "003_2701f8fa2326f2b4.txt, 5.3"  # kept


def test_stages_that_do_not_end_in_order_are_refused(sign_in_as, org):
    client = sign_in_as("qa_officer")
    stages = {
        "asye0-interval_days": "7",
        "asye0-until": "6",
        "asye0-until_unit": "months",
        "asye1-interval_days": "14",
        "asye1-until": "6",
        "asye1-until_unit": "weeks",
    }
    body = _post(client, "coventry", stages).get_data(as_text=True)
    assert "each stage must end later than the one before" in body
    assert db.session.scalars(select(ProfileVersion)).all() == []


def test_the_retention_job_reads_the_version_in_force_on_its_day(app, org):
    from qa.jobs.retention import rules_on

    data = _data("coventry")
    data["retention"] = {"years": 6, "decided": "Six years from now"}
    service.save_version("coventry", data, TOMORROW, "Jo", "Kept longer")
    leavers = [r for r in rules_on(TODAY).rules if r.records == "audits_of_leavers"]
    later = [r for r in rules_on(TOMORROW).rules if r.records == "audits_of_leavers"]
    assert [r.keep_years for r in leavers] == [2]  # Coventry 8.12
    assert [r.keep_years for r in later] == [6]


def test_an_audits_case_discussion_rules_come_from_the_version_it_keeps(app, org):
    from qa.cases.audit import _rules

    data = _data("coventry")
    data["policy"] = "Coventry supervision policy (revised)"
    service.save_version("coventry", data, TOMORROW, "Jo", "Revised policy")
    audit = make_audit(org)
    audit.profile_name, audit.profile_version = "coventry", 2
    db.session.commit()
    assert _rules(audit)[0] == "Coventry supervision policy (revised)"
    audit.profile_version = 1
    db.session.commit()
    assert _rules(audit)[0] == "Coventry supervision policy (2015)"


def test_the_time_allowed_to_make_an_agreement_is_set_in_the_form_and_used(sign_in_as, org):
    supervision_file = org.file_of("practitioner")
    db.session.delete(supervision_file.agreement)
    db.session.commit()
    audit = make_audit(org)
    client = sign_in_as("qa_officer")
    form = client.get("/profiles/coventry/change").get_data(as_text=True)
    assert "Time allowed to make the supervision agreement" in form
    assert service.profile_version("coventry", 1).agreement_made.silent  # Coventry 10.0
    response = _post(client, "coventry", {"agreement_made": "4", "reason": "Four weeks"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    saved = service.profile_version("coventry", 2)
    assert saved.agreement_made.amount == 4 and saved.agreement_made.decided
    opened = supervision_file.opened_on
    due = opened + timedelta(weeks=4)
    audit.profile_name, audit.profile_version = "coventry", 2
    audit.window_end = due
    db.session.commit()
    on_file = audits.facts_for(audit).agreement["agreement_on_file"]
    assert on_file[0] == "no"
    assert "yet: the council profile allows 4 weeks from the file's opening" in on_file[1]
    audit.window_end = due + timedelta(days=1)
    db.session.commit()
    late = audits.facts_for(audit).agreement["agreement_on_file"][1]
    assert "so it was due by" in late
    audit.profile_version = 1  # silent: the reason says only that none is on file
    db.session.commit()
    assert audits.facts_for(audit).agreement["agreement_on_file"] == (
        "no",
        "No supervision agreement is on file",
    )


def test_the_profile_page_shows_how_often_each_case_is_discussed(sign_in_as, org):
    page = sign_in_as("qa_officer").get("/profiles/leicester").get_data(as_text=True)
    assert "How often each case is discussed" in page
    assert "Child protection plan" in page
    assert "Leicester supervision practice guidance, section 3.1" in page
    silent = sign_in_as("qa_officer").get("/profiles/coventry").get_data(as_text=True)
    assert "How often each case is discussed" in silent and "Not set" in silent
