"""Sampling policies as data, edited through forms: every field, new policies, the size
rules as radios with a preview, and a policy's own tool, size and population used by the
draw."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from qa.audits.models import Audit
from qa.extensions import db
from qa.jobs.jobs import daily_selections
from qa.org.models import Staff, SupervisionFile
from qa.selections import service
from qa.selections.models import SamplingPolicy, SelectionRun
from qa.selections.policies import (
    create_policy,
    current_policies,
    current_policy,
    save_new_version,
)

SEED = "12345678901234567890"


def _add_practitioners(org, manager: str, count: int) -> list[Staff]:
    """`count` more case-holding practitioners supervised by `manager`, each with a file."""
    boss = org.people[manager]
    made = []
    for number in range(count):
        key = f"{manager}_extra_{number}"
        person = Staff(
            external_id=f"T-{key}",
            name=f"Extra Worker {manager.title()} {number}",
            email=f"{key}@council.org.uk",
            role="practitioner",
            service_area=boss.service_area,
            team=boss.team,
            line_manager=boss,
            case_holding=True,
            start_date=date(2020, 1, 6),
        )
        db.session.add(person)
        db.session.add(
            SupervisionFile(supervisee=person, supervisor=boss, opened_on=date(2020, 1, 6))
        )
        made.append(person)
    db.session.commit()
    return made


def _form(policy_key: str | None = None, **changes: object) -> dict[str, object]:
    """The policy form as a browser posts it: the shipped six-monthly policy's settings."""
    data: dict[str, object] = {
        "title": "Six-monthly random sample",
        "description": "Across the service",
        "active": "y",
        "cadence": "six-monthly",
        "selector_role": "qa_officer",
        "population": "all_open_files",
        "case_holding": "any",
        "auditor_rule": "independent_manager",
        "tool_id": "supervision-file-audit",
        "leavers": "y",
        "supervisor_is_auditor": "y",
        "opened_within_weeks": "4",
        "audited_within_months": "6",
        "size_kind": "attribute",
        "attribute_tolerable": "5",
        "attribute_confidence": "95",
        "attribute_expected": "0",
        "due_kind": "weeks_after_start",
        "due_weeks": "6",
        "due_working_days": "10",
        "sign_off_rule": "area_head_of_service",
        "reason": "Pilot",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _versions(key: str) -> int:
    current_policies()  # the shipped policies are saved on first use
    return db.session.scalar(
        select(func.count()).select_from(SamplingPolicy).where(SamplingPolicy.key == key)
    )


def _audits(run: SelectionRun) -> list[Audit]:
    return list(db.session.scalars(select(Audit).where(Audit.run_id == run.id)))


# -- The size a policy sets is the size drawn -----------------------------------------------


def test_a_monthly_policy_saved_with_three_files_draws_three(org):
    for manager in ("team_manager", "team_manager_n2"):
        _add_practitioners(org, manager, 3)
    sm = org.people["service_manager"]
    save_new_version(
        "monthly-team-manager", {"size_rule": {"kind": "fixed", "n": 3}}, "Three a month", sm
    )
    run, _ = service.run_selection("monthly-team-manager", "2026-11", sm, sm, seed=SEED)
    audits = _audits(run)
    assert len(audits) == 3
    assert {a.auditor_id for a in audits} == {sm.id}
    assert len({a.file.supervisor_id for a in audits}) == 1  # one team manager's workload
    assert run.policy_version == 2
    assert "fixed sample of 3 files" in run.sample_size_reasoning
    assert service.verify_run(run).matches


def test_a_quarterly_policy_saved_with_two_files_draws_two_from_each_workload(org):
    head = org.people["head_of_service"]
    _add_practitioners(org, "service_manager", 2)  # the service manager's own workload
    save_new_version(
        "quarterly-service-manager", {"size_rule": {"kind": "fixed", "n": 2}}, "Two", head
    )
    run, _ = service.run_selection("quarterly-service-manager", "2026-Q4", head, head, seed=SEED)
    audits = _audits(run)
    assert len(audits) == 2
    assert {a.file.supervisor_id for a in audits} == {org.people["service_manager"].id}
    assert service.verify_run(run).matches


# -- Every field through the form ----------------------------------------------------------


def test_cadence_selector_population_auditor_and_tool_are_saved_from_the_form(sign_in_as, org):
    client = sign_in_as("qa_officer")
    form = _form(
        cadence="annual",
        selector_role="head_of_service",
        population="team_manager_workloads",
        auditor_rule="selector",
        tool_id="personal-supervision-audit",
        roles=["practitioner"],
        size_kind="fraction",
        size_percent="50",
        size_minimum="1",
        size_maximum="4",
        reason="Heads of service look at personal supervision once a year",
    )
    response = client.post("/selections/policies/six-monthly-random", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    row, saved = current_policy("six-monthly-random")
    assert (saved.cadence, saved.selector_role, saved.population) == (
        "annual",
        "head_of_service",
        "team_manager_workloads",
    )
    assert (saved.auditor_rule, saved.tool_id) == ("selector", "personal-supervision-audit")
    assert dict(saved.scope) == {"roles": ("practitioner",)}
    assert dict(saved.size_rule) == {
        "kind": "fraction",
        "fraction": 0.5,
        "minimum": 1,
        "maximum": 4,
    }
    assert saved.version == 2 and row.reason.startswith("Heads of service")
    page = client.get("/selections/policies/six-monthly-random").get_data(as_text=True)
    assert 'value="annual" checked' in page and 'value="personal-supervision-audit" checked' in page


def test_the_form_shows_each_size_rule_as_radios_with_no_json(sign_in_as):
    page = sign_in_as("qa_officer").get("/selections/policies/six-monthly-random")
    body = page.get_data(as_text=True)
    assert 'name="size_kind"' in body and "govuk-radios__conditional" in body
    assert 'value="5"' in body and 'value="95"' in body  # 5% at 95%, as percentages
    assert '"kind"' not in body and "{&#34;" not in body


def test_the_preview_shows_the_size_and_why_for_todays_frame_and_saves_nothing(sign_in_as):
    client = sign_in_as("qa_officer")
    before = _versions("six-monthly-random")
    form = _form(size_kind="fixed", size_n="2", reason="", preview="Preview the number of files")
    body = client.post("/selections/policies/six-monthly-random", data=form).get_data(as_text=True)
    assert "Preview: not saved yet" in body
    assert "Across the service: 2 files" in body
    assert "The policy sets a fixed sample of 2 files." in body
    assert _versions("six-monthly-random") == before


def test_the_preview_sizes_each_managers_workload(sign_in_as, org):
    _add_practitioners(org, "team_manager", 8)
    client = sign_in_as("qa_officer")
    form = _form(
        cadence="monthly",
        selector_role="service_manager",
        population="team_manager_workloads",
        auditor_rule="selector",
        size_kind="fraction",
        size_percent="25",
        size_minimum="1",
        size_maximum="5",
        preview="Preview the number of files",
    )
    body = client.post("/selections/policies/monthly-team-manager", data=form).get_data(
        as_text=True
    )
    # Team Manager's workload: the practitioner, the senior practitioner and eight more
    assert "Team Manager&#39;s workload, drawn by Service Manager: 3 files" in body
    assert "The policy asks for 25% of the 10 files, rounded up: 3 files." in body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"size_kind": "fixed", "size_n": ""}, "size_n", "Enter the number of files"),
        ({"size_kind": "fixed", "size_n": "three"}, "size_n", "must be a whole number"),
        ({"attribute_confidence": "150"}, "attribute_confidence", "more than 0 and less than 100"),
        (
            {
                "size_kind": "fraction",
                "size_percent": "10",
                "size_minimum": "9",
                "size_maximum": "2",
            },
            "size_maximum",
            "cannot be fewer than the least",
        ),
        (
            {"population": "team_manager_workloads"},
            "selector_role",
            "drawn by each service manager or each head of service",
        ),
        ({"population": "chosen_files"}, "files", "Choose at least one file"),
        ({"tool_id": "no-such-tool"}, "tool_id", "Select an audit tool from the list"),
        ({"cadence": "fortnightly"}, "cadence", "Not a valid choice"),
        ({"reason": ""}, "reason", "Enter why you are changing the policy"),
    ],
)
def test_bad_settings_are_named_beside_their_field_and_nothing_is_saved(
    sign_in_as, changes, field, message
):
    client = sign_in_as("qa_officer")
    before = _versions("six-monthly-random")
    response = client.post("/selections/policies/six-monthly-random", data=_form(**changes))
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'href="#{field}' in body and message in body
    assert _versions("six-monthly-random") == before


# -- New policies, thematic audits and chosen populations -----------------------------------


def test_a_new_thematic_one_off_policy_of_chosen_files_is_made_and_drawn(sign_in_as, org):
    client = sign_in_as("qa_officer")
    assert "Make a new policy" in client.get("/selections/policies").get_data(as_text=True)
    chosen = [org.file_of("practitioner").id, org.file_of("practitioner_south").id]
    form = _form(
        title="Children's voice thematic audit",
        cadence="ad-hoc",
        population="chosen_files",
        files=[str(f) for f in chosen],
        size_kind="fixed",
        size_n="10",
        due_kind="end_of_period",
        reason="The voice of the child was weak in the autumn audits",
    )
    page = client.get("/selections/policies/new").get_data(as_text=True)
    assert "Practitioner South, practitioner" in page  # files by person, not by number
    response = client.post("/selections/policies/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    row, policy = current_policy("children-s-voice-thematic-audit")
    assert policy.version == 1 and policy.cadence == "ad-hoc" and row.active
    draw = client.post(
        "/selections/draw/children-s-voice-thematic-audit", data={"period": "2026-11-23"}
    )
    assert draw.status_code == 302
    run = db.session.scalar(select(SelectionRun).where(SelectionRun.policy_key == policy.key))
    assert sorted(a.file_id for a in _audits(run)) == sorted(chosen)
    assert "There are only 2 files, so we audit them all." in run.sample_size_reasoning


def test_a_population_narrowed_to_a_role_and_an_area_draws_only_those_files(org):
    qa = org.people["qa_officer"]
    create_policy(
        {
            "title": "South practitioners",
            "cadence": "ad-hoc",
            "selector_role": "qa_officer",
            "population": "all_open_files",
            "scope": {"roles": ["practitioner"], "areas": ["South"], "case_holding": True},
            "size_rule": {"kind": "fixed", "n": 5},
            "exclusions": {},
            "auditor_rule": "selector",
            "due_rule": {"kind": "end_of_period", "working_days": 10},
            "tool_id": "supervision-file-audit",
        },
        "A look at the South",
        qa,
    )
    run, _ = service.run_selection("south-practitioners", "2026-11-23", None, qa, seed=SEED)
    audits = _audits(run)
    assert [a.file_id for a in audits] == [org.file_of("practitioner_south").id]
    assert audits[0].auditor_id == qa.id  # the QA officer who drew it audits it


def test_the_scheduler_never_draws_a_one_off_policy(org):
    qa = org.people["qa_officer"]
    create_policy(
        {
            "title": "One-off",
            "cadence": "ad-hoc",
            "selector_role": "qa_officer",
            "population": "all_open_files",
            "size_rule": {"kind": "fixed", "n": 1},
            "exclusions": {},
            "auditor_rule": "independent_manager",
            "due_rule": {"kind": "end_of_period", "working_days": 10},
            "tool_id": "supervision-file-audit",
        },
        "Test",
        qa,
    )
    daily_selections(None)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(SelectionRun)
            .where(SelectionRun.policy_key == "one-off")
        )
        == 0
    )


# -- A policy's own tool, end to end ---------------------------------------------------------


def test_a_policy_pointed_at_the_personal_supervision_tool_draws_audits_that_use_it(
    sign_in_as, org
):
    qa = org.people["qa_officer"]
    save_new_version(
        "monthly-team-manager",
        {"tool_id": "personal-supervision-audit"},
        "Personal supervision this year",
        qa,
    )
    sm = org.people["service_manager"]
    run, _ = service.run_selection("monthly-team-manager", "2026-11", sm, sm, seed=SEED)
    (audit,) = _audits(run)
    assert audit.tool_id == "personal-supervision-audit"
    client = sign_in_as("service_manager")
    assert client.post(f"/audits/{audit.id}/start", data={}).status_code == 302
    db.session.refresh(audit)
    assert audit.tool_id == "personal-supervision-audit" and audit.tool_version == 1
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Personal supervision audit" in page and "Reflection and learning from practice" in page


# -- Old selections keep their version -----------------------------------------------------


def test_a_selection_shows_the_policy_version_it_was_drawn_under(sign_in_as, org):
    sm = org.people["service_manager"]
    run, _ = service.run_selection("monthly-team-manager", "2026-11", sm, sm, seed=SEED)
    save_new_version(
        "monthly-team-manager",
        {"title": "Monthly audit of team managers' files", "size_rule": {"kind": "fixed", "n": 2}},
        "Renamed",
        org.people["qa_officer"],
    )
    page = sign_in_as("service_manager").get(f"/selections/{run.id}").get_data(as_text=True)
    assert "Monthly team manager audit, version 1" in page
    assert "Monthly audit of team managers" not in page
    assert len(_audits(run)) == 1
