"""Choosing a council profile puts its sampling policies in place as new versions; drawn
selections keep theirs, and a profile whose policy is silent changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from qa.audits.models import Audit
from qa.extensions import db
from qa.profiles.models import ProfileChoice
from qa.profiles.service import use_profile
from qa.selections import service
from qa.selections.models import SamplingPolicy
from qa.selections.policies import current_policies, current_policy, save_new_version

SEED = "12345678901234567890"


def _versions() -> int:
    current_policies()
    return db.session.scalar(select(func.count()).select_from(SamplingPolicy))


def test_choosing_coventry_puts_its_policies_back_as_new_versions_and_old_runs_keep_theirs(org):
    sm = org.people["service_manager"]
    save_new_version(
        "monthly-team-manager",
        {"size_rule": {"kind": "fixed", "n": 2}, "active": False},
        "Trying two",
        org.people["qa_officer"],
    )
    run, _ = service.run_selection("monthly-team-manager", "2026-11", sm, sm, seed=SEED)
    drawn = db.session.scalars(select(Audit).where(Audit.run_id == run.id)).all()
    before = _versions()
    use_profile("coventry", "Quinn Officer", "Back to the council's own policy")
    row, policy = current_policy("monthly-team-manager")
    assert policy.version == 3 and dict(policy.size_rule) == {"kind": "fixed", "n": 1}
    assert row.active
    assert "Coventry council profile was chosen by Quinn Officer" in row.reason
    assert _versions() == before + 2  # and the quarterly audit now uses the managers' tool
    _, quarterly = current_policy("quarterly-service-manager")
    assert quarterly.tool_id == "managers-file-audit"
    db.session.refresh(run)
    assert run.policy_version == 2
    assert db.session.scalars(select(Audit).where(Audit.run_id == run.id)).all() == drawn


def test_a_profile_silent_on_sampling_leaves_the_policies_as_they_are(org):
    save_new_version(
        "six-monthly-random",
        {"size_rule": {"kind": "fixed", "n": 12}},
        "Twelve",
        org.people["qa_officer"],
    )
    before = _versions()
    use_profile("havering", "Quinn Officer", "Havering's policy")
    assert _versions() == before
    _, policy = current_policy("six-monthly-random")
    assert dict(policy.size_rule) == {"kind": "fixed", "n": 12}


def test_the_profile_command_puts_the_policies_in_place_with_the_choice(app, org):
    save_new_version(
        "quarterly-service-manager",
        {"title": "Quarterly audit"},
        "Renamed",
        org.people["qa_officer"],
    )
    result = app.test_cli_runner().invoke(
        args=["profile", "use", "coventry", "--reason", "Coventry's policy", "--by", "Quinn"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(ProfileChoice)) == 1
    _, policy = current_policy("quarterly-service-manager")
    assert policy.title == "Quarterly service manager audit" and policy.version == 3


def test_the_policies_page_quotes_what_the_council_policy_in_force_says(sign_in_as, org):
    client = sign_in_as("qa_officer")
    page = client.get("/selections/policies").get_data(as_text=True)
    assert "Coventry supervision policy (2015), section 9.3" in page
    assert 'href="/council-policies/coventry/9.3"' in page
    assert "Each month service managers will select a supervision file" in page
    use_profile("havering", "Quinn Officer", "Havering's policy")
    page = client.get("/selections/policies").get_data(as_text=True)
    assert "The policy sets no audit of supervision files." in page
    assert "A random sample will also be sent to the Quality Assurance Team" in page
    assert "The policies above stay as they are while this profile is in force." in page


def test_under_coventry_the_quarterly_audit_uses_the_managers_file_audit(org):
    use_profile("coventry", "Quinn Officer", "Coventry's policy")
    head = org.people["head_of_service"]
    run, _ = service.run_selection("quarterly-service-manager", "2026-Q4", head, head, seed=SEED)
    audits = db.session.scalars(select(Audit).where(Audit.run_id == run.id)).all()
    assert audits and {a.tool_id for a in audits} == {"managers-file-audit"}
